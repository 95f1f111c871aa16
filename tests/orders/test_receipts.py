"""Receipts of paid orders: when one exists, what it says to whom, its number, its PDF."""

import io
import re

import pytest
from pypdf import PdfReader
from rest_framework.test import APIClient

from orders.models import Payment
from orders.models.payments import PaymentStatus
from orders.receipts.pdf import receipt_pdf
from orders.receipts.selectors import receipt_number, receipt_of
from tests import factories
from tests.conftest import client_for
from tests.orders.receipts_helpers import agency_order, paid_by_card, paid_in_cash

pytestmark = pytest.mark.django_db

HOSTILE = '<img src="http://x"/>'


def pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _viewers(order, staff) -> dict:
    return {
        "household": order.household,
        "worker": order.worker.user,
        "agency": staff,
        "operator": factories.operator_user(),
        "other_household": factories.HouseholdFactory().user,
        "other_worker": factories.WorkerFactory().user,
        "other_agency": factories.AgencyStaffFactory().user,
        "federation": factories.FederationOfficerFactory().user,
    }


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 401),
        ("household", 200),
        ("worker", 200),
        ("agency", 200),
        ("operator", 200),
        ("other_household", 404),
        ("other_worker", 404),
        ("other_agency", 404),
        ("federation", 404),
    ],
)
def test_only_the_parties_and_operators_see_the_receipt(who, expected):
    order, staff = agency_order()
    paid_in_cash(order, staff)
    users = _viewers(order, staff)
    client = APIClient() if who == "anonymous" else client_for(users[who])
    for path in ("receipt/", "receipt.pdf"):
        response = client.get(f"/api/v1/orders/{order.pk}/{path}")
        assert response.status_code == expected, (path, response.content[:200])
    if expected == 200:
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")


def test_no_receipt_before_the_money_is_in():
    order, staff = agency_order()
    client = client_for(order.household)
    response = client.get(f"/api/v1/orders/{order.pk}/receipt/")
    assert response.status_code == 409 and response.json()["code"] == "receipt_not_ready"
    # Part of the price in cash is not paid yet either.
    from orders.payments.offline import payment_record_offline

    payment_record_offline(order_id=order.pk, actor=staff, method="cash", amount=100)
    assert client.get(f"/api/v1/orders/{order.pk}/receipt.pdf").status_code == 409
    payment_record_offline(order_id=order.pk, actor=staff, method="cash", amount=order.price - 100)
    assert client.get(f"/api/v1/orders/{order.pk}/receipt/").status_code == 200


def test_cash_receipt_says_amount_method_parties_and_no_phone():
    order, staff = agency_order()
    paid_in_cash(order, staff, reference="现金收据0042")
    data = client_for(order.household).get(f"/api/v1/orders/{order.pk}/receipt/").json()
    assert data["number"] == receipt_number(order)
    assert data["provider"] == "offline" and data["payment_status"] == "paid"
    assert data["amount_due"] == order.price
    assert data["amount_paid"] == order.price and data["amount_net"] == order.price
    assert data["amount_refunded"] == 0
    assert [m["method"] for m in data["movements"]] == ["cash"]
    assert data["movements"][0]["reference"] == "现金收据0042"
    assert data["parties"] == {
        "household": order.household.display_name or order.household.username,
        "worker": order.worker.user.display_name or order.worker.user.username,
        "agency": order.agency.name,
    }
    assert data["charges"] == [{"kind": "price", "label": "服务费用", "amount": order.price}]
    # The household sees no split of the money; the agency all of it; the worker her share.
    assert data["shares"] == {}
    agency_view = client_for(staff).get(f"/api/v1/orders/{order.pk}/receipt/").json()
    assert set(agency_view["shares"]) == {"platform_commission", "agency_payable", "worker_payable"}
    assert sum(agency_view["shares"].values()) == order.price
    worker_view = client_for(order.worker.user).get(f"/api/v1/orders/{order.pk}/receipt/").json()
    assert set(worker_view["shares"]) == {"worker_payable"}
    assert worker_view["invoice"] is None
    text = str(data) + str(agency_view) + str(worker_view)
    for phone in (order.household.phone, order.worker.user.phone):
        if phone:
            assert phone not in text


def test_card_receipt_shows_the_capture_and_the_refund():
    order, _staff = agency_order()
    paid_by_card(order, refund=3000)
    data = client_for(order.household).get(f"/api/v1/orders/{order.pk}/receipt/").json()
    assert data["provider"] == "stripe"
    assert [(m["kind"], m["amount"], m["method"]) for m in data["movements"]] == [
        ("captured", order.price, "stripe"),
        ("refunded", -3000, "stripe"),
    ]
    assert data["amount_refunded"] == 3000
    assert data["amount_net"] == order.price - 3000
    text = pdf_text(receipt_pdf(receipt_of(user=order.household, order_id=order.pk)))
    assert "退款" in text and "银行卡" in text


def test_a_wholly_refunded_order_keeps_its_receipt():
    order, _staff = agency_order()
    paid_by_card(order, refund=order.price)
    assert Payment.objects.get(order=order).status == PaymentStatus.REFUNDED
    data = client_for(order.household).get(f"/api/v1/orders/{order.pk}/receipt/").json()
    assert data["payment_status"] == "refunded" and data["amount_net"] == 0


def test_the_number_is_unique_and_stable():
    first, staff = agency_order()
    second, staff2 = agency_order()
    paid_in_cash(first, staff)
    paid_in_cash(second, staff2)
    numbers = {receipt_of(user=o.household, order_id=o.pk).number for o in (first, second)}
    assert len(numbers) == 2
    again = receipt_of(user=staff, order_id=first.pk).number
    assert again == receipt_of(user=first.household, order_id=first.pk).number
    assert re.fullmatch(r"MJ\d{4}-\d{7}", again)


def test_pdf_has_the_amount_the_parties_and_escapes_hostile_names(httpserver):
    httpserver.expect_request("/x").respond_with_data(b"GIF89a", content_type="image/gif")
    order, staff = agency_order()
    hostile = HOSTILE.replace("http://x", httpserver.url_for("/x"))[:50]
    order.household.display_name = hostile
    order.household.save(update_fields=["display_name"])
    order.agency.name = '<font name="Courier">坏企业</font>&amp;'
    order.agency.save(update_fields=["name"])
    paid_in_cash(order, staff, reference="<b>未闭合")
    receipt = receipt_of(user=order.household, order_id=order.pk)
    data = receipt_pdf(receipt, compress=False)
    assert httpserver.log == []
    text = re.sub(r"\s+", "", pdf_text(data))
    assert receipt.number in text
    assert "收据" in text and "¥" in text
    from backend.money import yuan

    assert yuan(order.price).replace(" ", "") in text
    assert re.sub(r"\s+", "", hostile) in text
    assert '<fontname="Courier">坏企业</font>&amp;' in text
    assert "<b>未闭合" in text
    assert (order.worker.user.display_name or order.worker.user.username) in text
    for phone in (order.household.phone, order.worker.user.phone):
        if phone:
            assert phone not in text


def test_receipt_reads_are_bounded(django_assert_max_num_queries):
    order, staff = agency_order()
    paid_in_cash(order, staff)
    client = client_for(order.household)
    with django_assert_max_num_queries(12):
        assert client.get(f"/api/v1/orders/{order.pk}/receipt/").status_code == 200
