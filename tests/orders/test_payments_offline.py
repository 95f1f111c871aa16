"""Offline payments (the embedded default), the order's payment view, monthly statements."""

import csv
import io
from zoneinfo import ZoneInfo

import pytest
from rest_framework.test import APIClient

from orders.models import LedgerEntry, PaymentOperation
from orders.models.payments import LedgerAccount
from orders.payments import ledger
from orders.payments.amounts import order_received_total
from orders.payments.offline import payment_record_offline
from orders.statuses import OrderStatus
from tests import factories
from tests.conftest import client_for
from tests.orders.flow_helpers import order_in
from tests.orders.payments_helpers import assert_ledger_balances

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def agency_order():
    agency = factories.AgencyFactory()
    order = order_in(OrderStatus.COMPLETED, agency=agency)
    staff = factories.AgencyStaffFactory(agency=agency).user
    return order, staff


BODY = {"method": "cash", "amount": 5000, "reference": "收据0001"}


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 401),
        ("household", 403),
        ("worker", 403),
        ("other_agency", 404),
        ("other_household", 404),
        ("agency", 201),
        ("operator", 201),
    ],
)
def test_offline_payment_recorded_only_by_the_orders_agency(agency_order, who, expected):
    order, staff = agency_order
    users = {
        "household": order.household,
        "worker": order.worker.user,
        "other_agency": factories.AgencyStaffFactory().user,
        "other_household": factories.HouseholdFactory().user,
        "agency": staff,
        "operator": factories.operator_user(),
    }
    client = APIClient() if who == "anonymous" else client_for(users[who])

    response = client.post(f"/api/v1/orders/{order.pk}/payments/offline/", BODY, format="json")

    assert response.status_code == expected, response.content
    if expected == 201:
        assert response.json()["amount_received"] == 5000
        assert PaymentOperation.objects.get().recorded_by == users[who]
        assert_ledger_balances()
    else:
        assert not PaymentOperation.objects.exists()
        assert not LedgerEntry.objects.exists()


def test_offline_payment_validation_and_idempotency(agency_order):
    order, staff = agency_order
    client = client_for(staff)
    url = f"/api/v1/orders/{order.pk}/payments/offline/"
    bad = client.post(url, {"method": "bitcoin", "amount": 0}, format="json")
    assert bad.status_code == 400 and set(bad.json()["fields"]) == {"method", "amount"}
    too_much = client.post(url, dict(BODY, amount=order.price + 1), format="json")
    assert too_much.status_code == 400 and too_much.json()["field"] == "amount"

    first = client.post(url, BODY, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = client.post(url, BODY, format="json", HTTP_IDEMPOTENCY_KEY="k-1")

    assert first.status_code == again.status_code == 201
    assert first.json()["record"]["id"] == again.json()["record"]["id"]
    assert PaymentOperation.objects.count() == 1
    assert order_received_total(order.pk) == 5000
    shares = ledger.split(5000, has_agency=True)
    balances = ledger.order_balances(order.pk)
    # The agency holds the cash: it owes the platform its commission and the worker her share.
    assert balances[LedgerAccount.AGENCY_PAYABLE] == 5000 - shares.agency
    assert balances[LedgerAccount.WORKER_PAYABLE] == -shares.worker
    assert balances[LedgerAccount.PLATFORM_COMMISSION] == -shares.platform


def test_order_payments_view_shows_each_party_its_lines(agency_order):
    order, staff = agency_order
    payment_record_offline(order_id=order.pk, actor=staff, method="cash", amount=8000)
    url = f"/api/v1/orders/{order.pk}/payments/"

    as_agency = client_for(staff).get(url).json()
    as_worker = client_for(order.worker.user).get(url).json()
    as_household = client_for(order.household).get(url)

    assert as_agency["amount_received"] == 8000
    assert as_agency["amount_outstanding"] == order.price - 8000
    assert as_agency["provider"] == "offline" and as_agency["online_available"] is False
    assert {line["account"] for line in as_agency["ledger"]} == {
        "agency_payable",
        "worker_payable",
        "platform_commission",
    }
    assert {line["account"] for line in as_worker["ledger"]} == {"worker_payable"}
    assert as_household.status_code == 200 and as_household.json()["ledger"] == []
    assert client_for(factories.HouseholdFactory().user).get(url).status_code == 404


def test_monthly_statements_and_csv(agency_order):
    order, staff = agency_order
    payment_record_offline(order_id=order.pk, actor=staff, method="cash", amount=10000)
    month = LedgerEntry.objects.first().created_at.astimezone(SHANGHAI).strftime("%Y-%m")
    shares = ledger.split(10000, has_agency=True)

    agency = client_for(staff).get(f"/api/v1/agencies/me/statements/?month={month}").json()
    worker = client_for(order.worker.user).get(f"/api/v1/workers/me/statements/?month={month}")

    assert agency["totals"]["gross"] == 10000
    assert agency["totals"]["earnings"] == shares.agency
    assert agency["totals"]["commission"] == shares.platform
    assert agency["totals"]["collected"] == 10000
    assert agency["totals"]["balance"] == shares.agency - 10000
    assert worker.status_code == 200
    assert worker.json()["totals"]["earnings"] == shares.worker
    assert worker.json()["totals"]["commission"] == shares.platform + shares.agency

    response = client_for(staff).get(f"/api/v1/agencies/me/statements.csv?month={month}")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[1][1] == str(order.pk) and rows[1][3] == "100.00"
    assert rows[-1][3] == "100.00"

    empty = client_for(staff).get("/api/v1/agencies/me/statements/?month=2001-01").json()
    assert empty["rows"] == [] and empty["totals"]["gross"] == 0
    bad = client_for(staff).get("/api/v1/agencies/me/statements/?month=2024-13")
    assert bad.status_code == 400 and bad.json()["field"] == "month"
    assert client_for(order.household).get("/api/v1/agencies/me/statements/").status_code == 403
    assert client_for(staff).get("/api/v1/workers/me/statements.csv").status_code == 403
