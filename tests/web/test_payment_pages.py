"""Payments in the web app: the order page's payment section per party, the agency's offline
record (yuan → fen, errors by field in both languages), card payment only when Stripe is on
(Stripe.js never loaded otherwise), and the worker's monthly statement with its CSV."""

import pytest
from django.utils import timezone

from orders.models import LedgerEntry, PaymentOperation
from orders.payments.authorisation import Authorization
from orders.statuses import OrderStatus
from tests import factories
from tests.orders.flow_helpers import order_in
from tests.web.conftest import session_client
from tests.web.test_forms import LANGUAGES, field_error

pytestmark = pytest.mark.django_db

STRIPE_JS = "js.stripe.com"
REQUIRED = {"zh-hans": "该字段是必填项", "en": "This field is required"}
TOO_MUCH = {"zh-hans": "超过订单未付金额", "en": "more than"}


@pytest.fixture
def agency_order():
    agency = factories.AgencyFactory()
    order = order_in(OrderStatus.CONFIRMED, agency=agency)
    staff = factories.AgencyStaffFactory(agency=agency)
    assert order.agency_id == agency.pk
    return order, staff.user


@pytest.fixture
def stripe_on(settings):
    settings.STRIPE_SECRET_KEY = "sk_test_x"
    settings.STRIPE_WEBHOOK_SECRET = "whsec_x"
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_x"


def test_offline_default_explains_how_to_pay_and_loads_no_stripe(agency_order):
    order, _staff = agency_order
    html = session_client(order.household).get(f"/orders/{order.pk}/").content.decode()
    assert "data-payment" in html and "data-offline-help" in html
    assert 'data-action="pay-card"' not in html
    assert STRIPE_JS not in html
    assert 'data-action="record-offline"' not in html


def test_agency_records_an_offline_payment_the_household_then_sees(agency_order):
    order, staff = agency_order
    client = session_client(staff)
    html = client.get(f"/orders/{order.pk}/").content.decode()
    assert 'data-action="record-offline"' in html
    response = client.post(
        f"/orders/{order.pk}/payments/offline/",
        {
            "method": "bank_transfer",
            "amount": "100.50",
            "reference": "TX-889",
            "idempotency_key": "k1",
        },
    )
    assert response.status_code == 302
    operation = PaymentOperation.objects.get(payment__order=order)
    assert operation.amount == 10050 and operation.reference == "TX-889"
    assert LedgerEntry.objects.filter(order=order, kind="offline_received").exists()
    # the same form sent twice records once
    client.post(
        f"/orders/{order.pk}/payments/offline/",
        {
            "method": "bank_transfer",
            "amount": "100.50",
            "reference": "TX-889",
            "idempotency_key": "k1",
        },
    )
    assert PaymentOperation.objects.filter(payment__order=order).count() == 1
    html = session_client(order.household).get(f"/orders/{order.pk}/").content.decode()
    records = html.split("data-offline-records", 1)[1].split("</ul>", 1)[0]
    assert "¥100.50" in records and "TX-889" in records
    assert "¥100.50" in html.split("data-received>", 1)[1].split("<", 1)[0]


@pytest.mark.parametrize("language", LANGUAGES)
def test_offline_form_errors_name_the_field(agency_order, language):
    order, staff = agency_order
    client = session_client(staff, language)
    path = f"/orders/{order.pk}/payments/offline/"
    response = client.post(path, {"method": "cash", "amount": ""})
    assert response.status_code == 400
    assert REQUIRED[language] in field_error(response, "amount")
    too_much = f"{order.price / 100 + 1:.2f}"
    response = client.post(path, {"method": "cash", "amount": too_much})
    assert response.status_code == 400
    assert TOO_MUCH[language] in field_error(response, "amount")
    assert not PaymentOperation.objects.filter(payment__order=order).exists()


def test_only_the_orders_agency_records_offline(agency_order):
    order, _staff = agency_order
    path = f"/orders/{order.pk}/payments/offline/"
    data = {"method": "cash", "amount": "10"}
    assert session_client().post(path, data).status_code == 302  # to the login page
    assert session_client(order.household).post(path, data).status_code == 404
    assert session_client(order.worker.user).post(path, data).status_code == 404
    assert session_client(factories.AgencyStaffFactory().user).post(path, data).status_code == 404
    assert not PaymentOperation.objects.filter(payment__order=order).exists()


def test_card_button_only_when_stripe_is_on(agency_order, stripe_on, monkeypatch):
    order, _staff = agency_order
    client = session_client(order.household)
    html = client.get(f"/orders/{order.pk}/").content.decode()
    assert 'data-action="pay-card"' in html
    assert STRIPE_JS not in html  # the order page itself never loads Stripe.js

    calls = []

    def authorize(*, order_id, actor):
        calls.append((order_id, actor.pk))
        return Authorization(
            payment=None, mode="hold", client_secret="pi_1_secret_2", intent_id="pi_1"
        )

    monkeypatch.setattr("web.views.payments.payment_authorize", authorize)
    response = client.post(f"/orders/{order.pk}/payments/card/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f"https://{STRIPE_JS}/v3/" in html
    assert 'data-client-secret="pi_1_secret_2"' in html and 'data-stripe-key="pk_test_x"' in html
    assert calls == [(order.pk, order.household_id)]
    assert (
        session_client(order.worker.user).post(f"/orders/{order.pk}/payments/card/").status_code
        == 404
    )


def test_card_payment_is_404_while_offline(agency_order):
    order, _staff = agency_order
    response = session_client(order.household).post(f"/orders/{order.pk}/payments/card/")
    assert response.status_code == 404


def test_worker_statement_page_csv_and_permissions(agency_order):
    order, staff = agency_order
    session_client(staff).post(
        f"/orders/{order.pk}/payments/offline/",
        {"method": "cash", "amount": str(order.price / 100)},
    )
    worker = order.worker.user
    client = session_client(worker)
    assert "/worker/statement/" in client.get("/worker/profile/").content.decode()
    month = timezone.localdate().strftime("%Y-%m")
    response = client.get("/worker/statement/", {"month": month})
    assert response.status_code == 200
    html = response.content.decode()
    assert f"#{order.pk}" in html.split("data-statement-rows", 1)[1]
    csv = client.get("/worker/statement.csv", {"month": month})
    assert csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode("utf-8")
    assert text.startswith("\ufeff") and str(order.pk) in text
    assert session_client().get("/worker/statement/").status_code == 302
    assert session_client(order.household).get("/worker/statement/").status_code == 404
    assert session_client(staff).get("/worker/statement.csv").status_code == 404


MONTH_ERRORS = {"zh-hans": "输入一个有效的日期", "en": "Enter a valid date"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_statement_month_error(agency_order, language):
    order, staff = agency_order
    for client, path in (
        (session_client(order.worker.user, language), "/worker/statement/"),
        (session_client(staff, language), "/agency/statement/"),
    ):
        response = client.get(path, {"month": "2025-13"})
        assert response.status_code == 400
        assert MONTH_ERRORS[language] in field_error(response, "month")


def test_a_cash_payment_balance_says_who_owes_whom(agency_order):
    """The household paid the agency in cash: the agency holds the platform's commission, so its
    statement says 您应付平台 with a positive amount and why (never "余额 ¥-21.75"), while the
    worker's says what the platform owes her; with nothing yet, 已结清."""
    order, staff = agency_order
    worker = session_client(order.worker.user)
    assert 'data-balance="settled"' in worker.get("/worker/statement/").content.decode()
    session_client(staff).post(
        f"/orders/{order.pk}/payments/offline/",
        {"method": "cash", "amount": str(order.price / 100)},
    )
    html = session_client(staff).get("/agency/statement/").content.decode()
    assert "¥-" not in html
    assert 'data-balance="owed-to-platform"' in html and "您应付平台" in html
    assert "将从下次结算转账中扣除" in html.split("data-balance-explained", 1)[1]
    month = timezone.localdate().strftime("%Y-%m")
    assert f'value="{month}"' in html  # the month box shows the month on screen
    mine = worker.get("/worker/statement/").content.decode()
    assert 'data-balance="owed-by-platform"' in mine and "平台应付您" in mine
