"""Receipts and invoices in the demo: demo-household's three latest finished orders are paid in
cash to their agency (each has a receipt); on the latest it asks for a company invoice that waits
for the agency, and on the one before the agency has issued it."""

from __future__ import annotations

from django.utils import timezone

from demo.bulk import DemoSummary
from marketplace.models import AgencyStaff, User
from orders.models import InvoiceRequest, Order
from orders.payments.offline import payment_record_offline
from orders.services.invoices import invoice_request_create, invoice_request_issue
from orders.statuses import OrderStatus

DEMO_TITLE = "临清市城区某商贸有限公司"
DEMO_TAX_NUMBER = "91371581MA3DEMO01X"


def _cashier(order: Order) -> User | None:
    """The agency's staff member who records the cash: the first by username (stable)."""
    staff = (
        AgencyStaff.objects.filter(agency_id=order.agency_id)
        .select_related("user")
        .order_by("user__username")
        .first()
    )
    return staff.user if staff else None


def demo_receipts_ensure(*, summary: DemoSummary) -> None:
    """Once (skipped when demo-household has asked for an invoice)."""
    household = User.objects.filter(username="demo-household").first()
    if household is None or InvoiceRequest.objects.filter(requested_by=household).exists():
        return
    orders = list(
        Order.objects.filter(
            household=household, status=OrderStatus.COMPLETED, agency__isnull=False
        )
        .exclude(payment__status="paid")
        .order_by("-completed_at", "-starts_at")[:3]
    )
    paid = []
    for order in orders:
        cashier = _cashier(order)
        if cashier is None:
            continue
        payment_record_offline(
            order_id=order.pk,
            actor=cashier,
            method="cash",
            amount=order.price,
            reference=f"现金收据 {timezone.localtime(order.completed_at):%Y%m%d}",
        )
        paid.append((order, cashier))
    summary.add("receipts", len(paid))
    for n, (order, cashier) in enumerate(paid[:2]):
        invoice = invoice_request_create(
            order_id=order.pk,
            actor=household,
            kind="company",
            title=DEMO_TITLE,
            tax_number=DEMO_TAX_NUMBER,
            email="demo-household@example.com",
        )
        summary.add("invoice_requests", 1)
        if n == 1:
            invoice_request_issue(
                invoice_request_id=invoice.pk,
                actor=cashier,
                invoice_number=f"2537{timezone.localdate():%Y%m%d}00000001",
            )
