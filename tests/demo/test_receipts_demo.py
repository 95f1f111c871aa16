"""seed_demo shows receipts on paid orders and an invoice requested and one issued."""

import io

import pytest
from django.core.management import call_command

from orders.models import InvoiceRequest, InvoiceStatus, Payment
from orders.receipts.selectors import receipt_of
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_demo_household_has_receipts_and_invoices_in_both_states():
    args = ["--workers", "60", "--households", "20", "--orders", "60"]
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    call_command("seed_demo", *args, stdout=out)  # twice: nothing is added the second time
    paid = Payment.objects.filter(
        order__household__username="demo-household", status="paid", provider="offline"
    )
    assert paid.count() == 3
    invoices = InvoiceRequest.objects.filter(requested_by__username="demo-household")
    assert sorted(invoices.values_list("status", flat=True)) == [
        InvoiceStatus.ISSUED,
        InvoiceStatus.REQUESTED,
    ]
    payment = paid.select_related("order__household").first()
    household = payment.order.household
    assert receipt_of(user=household, order_id=payment.order_id).amount_net == payment.order.price
    issued = invoices.get(status=InvoiceStatus.ISSUED)
    staff = issued.decided_by
    listed = client_for(staff).get("/api/v1/agencies/me/invoice-requests/").json()
    assert issued.pk in [row["id"] for row in listed["results"]]
