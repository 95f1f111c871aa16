"""Invoice requests (发票): the household asks on a paid order, the order's agency issues or
rejects it; the fields are checked, one open request per order, and answers race safely."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from orders.models import InvoiceRequest, InvoiceStatus
from orders.services.invoices import invoice_request_create
from orders.statuses import OrderStatus
from tests import factories
from tests.conftest import client_for
from tests.orders.flow_helpers import order_in
from tests.orders.receipts_helpers import agency_order, paid_in_cash

pytestmark = pytest.mark.django_db

COMPANY = {
    "kind": "company",
    "title": "临清市美家家政服务有限公司",
    "tax_number": "91371581MA3C4XYZ1K",
    "email": "caiwu@example.com",
}


@pytest.fixture
def paid():
    order, staff = agency_order()
    return paid_in_cash(order, staff), staff


def _create(order, body=COMPANY):
    return client_for(order.household).post(
        f"/api/v1/orders/{order.pk}/invoice-requests/", body, format="json"
    )


def _users(order, staff) -> dict:
    return {
        "household": order.household,
        "worker": order.worker.user,
        "agency": staff,
        "operator": factories.operator_user(),
        "other_household": factories.HouseholdFactory().user,
        "other_agency": factories.AgencyStaffFactory().user,
        "federation": factories.FederationOfficerFactory().user,
    }


@pytest.mark.parametrize(
    ("tax_number", "ok"),
    [
        ("91371581MA3C4XYZ1K", True),  # 18: 统一社会信用代码
        ("371581123456789", True),  # 15
        ("37158112345678901234", True),  # 20
        ("91371581 ma3c4xyz1k", True),  # spaces dropped, upper-cased
        ("9137158MA3C4XYZ1K", False),  # 17
        ("9137158112MA3C4XYZ1K9", False),  # 21
        ("91371581MA3C4XYZ1-", False),
        ("91371581MA3C4XYZ1Ｋ", False),  # a full-width letter
        ("", False),  # required for a company
    ],
)
def test_tax_number_is_15_18_or_20_uppercase_letters_and_digits(paid, tax_number, ok):
    order, _staff = paid
    response = _create(order, {**COMPANY, "tax_number": tax_number})
    if ok:
        assert response.status_code == 201, response.json()
        assert response.json()["tax_number"] == tax_number.replace(" ", "").upper()
    else:
        assert response.status_code == 400
        assert response.json()["field"] == "tax_number" and response.json()["code"]
        assert not InvoiceRequest.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**COMPANY, "title": "   "}, "title"),
        ({**COMPANY, "kind": "state"}, "kind"),
        ({**COMPANY, "email": "not-an-email"}, "email"),
        ({**COMPANY, "title": "抬" * 101}, "title"),
    ],
)
def test_bad_fields_are_named_and_change_nothing(paid, body, field):
    order, _staff = paid
    response = _create(order, body)
    assert response.status_code == 400 and response.json()["field"] == field
    assert not InvoiceRequest.objects.exists()


def test_a_personal_invoice_needs_no_tax_number(paid):
    order, _staff = paid
    response = _create(order, {"kind": "personal", "title": "王秀英"})
    assert response.status_code == 201
    assert response.json()["status"] == "requested" and response.json()["amount"] == order.price


def test_one_open_request_per_order_and_a_new_one_after_rejection(paid):
    order, staff = paid
    first = _create(order).json()
    again = _create(order)
    assert again.status_code == 409 and again.json()["code"] == "invoice_open"
    agency = client_for(staff)
    rejected = agency.post(
        f"/api/v1/invoice-requests/{first['id']}/reject/", {"reason": "抬头与营业执照不符"}
    )
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    second = _create(order)
    assert second.status_code == 201
    issued = agency.post(
        f"/api/v1/invoice-requests/{second.json()['id']}/issue/",
        {"invoice_number": "25372000000012345678"},
    )
    assert issued.status_code == 200
    assert issued.json()["issued_on"] == timezone.localdate().isoformat()
    assert _create(order).status_code == 409  # issued: no second invoice
    mine = client_for(order.household).get(f"/api/v1/orders/{order.pk}/invoice-requests/")
    assert [row["status"] for row in mine.json()] == ["issued", "rejected"]
    assert mine.json()[1]["reject_reason"] == "抬头与营业执照不符"


def test_no_invoice_before_payment_or_without_an_agency():
    order, _staff = agency_order()
    response = _create(order)
    assert response.status_code == 409 and response.json()["code"] == "receipt_not_ready"
    lone = order_in(OrderStatus.COMPLETED)
    assert _create(lone).json()["code"] == "no_agency"
    assert not InvoiceRequest.objects.exists()


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 401),
        ("household", 201),
        ("worker", 403),
        ("agency", 403),
        ("operator", 404),
        ("other_household", 404),
        ("other_agency", 404),
        ("federation", 404),
    ],
)
def test_only_the_household_asks(paid, who, expected):
    order, staff = paid
    users = _users(order, staff)
    client = APIClient() if who == "anonymous" else client_for(users[who])
    response = client.post(f"/api/v1/orders/{order.pk}/invoice-requests/", COMPANY, format="json")
    assert response.status_code == expected
    assert InvoiceRequest.objects.count() == (1 if expected == 201 else 0)


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 401),
        ("household", 403),
        ("worker", 403),
        ("agency", 200),
        ("operator", 404),
        ("other_household", 404),
        ("other_agency", 404),
        ("federation", 404),
    ],
)
@pytest.mark.parametrize("action", ["issue", "reject"])
def test_only_the_orders_agency_answers(paid, who, expected, action):
    order, staff = paid
    invoice = invoice_request_create(order_id=order.pk, actor=order.household, **COMPANY)
    users = _users(order, staff)
    client = APIClient() if who == "anonymous" else client_for(users[who])
    body = {"invoice_number": "12345678"} if action == "issue" else {"reason": "重复申请"}
    response = client.post(f"/api/v1/invoice-requests/{invoice.pk}/{action}/", body, format="json")
    assert response.status_code == expected
    invoice.refresh_from_db()
    if expected == 200:
        assert invoice.status == {"issue": "issued", "reject": "rejected"}[action]
        assert invoice.decided_by == staff
    else:
        assert invoice.status == InvoiceStatus.REQUESTED and invoice.decided_at is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"invoice_number": "1234"}, "invoice_number"),
        ({"invoice_number": "1234-5678"}, "invoice_number"),
        ({"invoice_number": "12345678", "issued_on": "2099-01-01"}, "issued_on"),
        ({"invoice_number": "12345678", "issued_on": "2001-01-01"}, "issued_on"),
    ],
)
def test_bad_issue_fields_are_named_and_change_nothing(paid, body, field):
    order, staff = paid
    invoice = invoice_request_create(order_id=order.pk, actor=order.household, **COMPANY)
    response = client_for(staff).post(
        f"/api/v1/invoice-requests/{invoice.pk}/issue/", body, format="json"
    )
    assert response.status_code == 400 and response.json()["field"] == field
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.REQUESTED and invoice.invoice_number == ""


def test_a_reject_needs_a_reason_and_an_answer_is_final(paid):
    order, staff = paid
    invoice = invoice_request_create(order_id=order.pk, actor=order.household, **COMPANY)
    client = client_for(staff)
    url = f"/api/v1/invoice-requests/{invoice.pk}"
    assert client.post(f"{url}/reject/", {"reason": "  "}).json()["field"] == "reason"
    assert client.post(f"{url}/issue/", {"invoice_number": "12345678"}).status_code == 200
    late = client.post(f"{url}/reject/", {"reason": "太晚了"})
    assert late.status_code == 409 and late.json()["code"] == "invalid_transition"
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.ISSUED and invoice.reject_reason == ""


def test_an_agency_cannot_use_one_invoice_number_twice(paid):
    order, staff = paid
    other = order_in(OrderStatus.COMPLETED, agency=order.agency)
    paid_in_cash(other, staff)
    first = invoice_request_create(order_id=order.pk, actor=order.household, **COMPANY)
    second = invoice_request_create(order_id=other.pk, actor=other.household, **COMPANY)
    client = client_for(staff)
    body = {"invoice_number": "12345678"}
    assert client.post(f"/api/v1/invoice-requests/{first.pk}/issue/", body).status_code == 200
    reused = client.post(f"/api/v1/invoice-requests/{second.pk}/issue/", body)
    assert reused.status_code == 400 and reused.json()["code"] == "duplicate"
    second.refresh_from_db()
    assert second.status == InvoiceStatus.REQUESTED


def test_the_agency_lists_its_pending_requests_in_bounded_queries(
    paid, django_assert_max_num_queries
):
    order, staff = paid
    for _ in range(3):
        extra = order_in(OrderStatus.COMPLETED, agency=order.agency)
        paid_in_cash(extra, staff)
        invoice_request_create(order_id=extra.pk, actor=extra.household, **COMPANY)
    invoice_request_create(order_id=order.pk, actor=order.household, **COMPANY)
    elsewhere, other_staff = agency_order()
    paid_in_cash(elsewhere, other_staff)
    invoice_request_create(order_id=elsewhere.pk, actor=elsewhere.household, **COMPANY)
    client = client_for(staff)
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/agencies/me/invoice-requests/?status=requested")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert len(rows) == 4 and {row["agency"] for row in rows} == {order.agency_id}
    operator = client_for(factories.operator_user())
    listed = operator.get(f"/api/v1/agencies/{order.agency_id}/invoice-requests/").json()
    assert listed["count"] == 4
    assert (
        client_for(order.household).get("/api/v1/agencies/me/invoice-requests/").status_code == 403
    )


@pytest.mark.django_db(transaction=True)
def test_simultaneous_requests_and_answers_have_one_winner():
    order, staff = agency_order()
    paid_in_cash(order, staff)
    outcomes: list[int] = []
    lock = threading.Lock()

    def race(calls):
        barrier = threading.Barrier(len(calls))

        def run(call):
            try:
                barrier.wait()
                code = call().status_code
                with lock:
                    outcomes.append(code)
            finally:
                connection.close()

        threads = [threading.Thread(target=run, args=(call,)) for call in calls]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

    household = [client_for(order.household) for _ in range(4)]
    race([lambda c=c: _create_with(c, order) for c in household])
    assert sorted(outcomes) == [201, 409, 409, 409]
    assert InvoiceRequest.objects.filter(order=order).count() == 1
    invoice = InvoiceRequest.objects.get(order=order)
    outcomes.clear()
    url = f"/api/v1/invoice-requests/{invoice.pk}"
    race(
        [
            lambda: client_for(staff).post(f"{url}/issue/", {"invoice_number": "87654321"}),
            lambda: client_for(staff).post(f"{url}/reject/", {"reason": "重复"}),
            lambda: client_for(staff).post(f"{url}/issue/", {"invoice_number": "87654322"}),
        ]
    )
    assert sorted(outcomes) == [200, 409, 409]
    invoice.refresh_from_db()
    assert invoice.status in (InvoiceStatus.ISSUED, InvoiceStatus.REJECTED)
    assert invoice.decided_at is not None and invoice.decided_at <= timezone.now()
    assert invoice.created_at.date() >= (timezone.now() - dt.timedelta(days=1)).date()


def _create_with(client, order):
    return client.post(f"/api/v1/orders/{order.pk}/invoice-requests/", COMPANY, format="json")


def test_the_agency_hears_of_a_request_and_the_household_of_the_answer(paid):
    from notifications.models import Notification

    order, staff = paid
    colleague = factories.AgencyStaffFactory(agency=order.agency).user
    invoice_id = _create(order).json()["id"]
    told = Notification.objects.filter(payload__kind="invoice.requested")
    assert sorted(told.values_list("user_id", flat=True)) == sorted([staff.pk, colleague.pk])
    assert not Notification.objects.filter(
        user=order.worker.user, payload__kind__startswith="invoice"
    )
    client_for(staff).post(
        f"/api/v1/invoice-requests/{invoice_id}/issue/", {"invoice_number": "12345678"}
    )
    answer = Notification.objects.get(payload__kind="invoice.issued")
    assert answer.user == order.household and answer.payload["invoice_request"] == invoice_id
