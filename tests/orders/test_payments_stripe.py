"""Card payments against localstripe: authorise, capture on completion, fee on late
cancellation, release on early cancellation, refund on a dispute, saved card for long services;
and no Stripe call while a database transaction (so a row lock) is open."""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from orders.models import LedgerEntry, Order, Payment
from orders.models.payments import LedgerAccount, LedgerKind, PaymentMode, PaymentStatus
from orders.payments import ledger, stripe_api
from orders.payments.amounts import order_received_total
from orders.services.attendance import order_confirm
from orders.services.cancellation import order_cancel
from orders.services.disputes import order_dispute_open, order_dispute_resolve
from orders.statuses import OrderStatus
from tests import factories
from tests.conftest import client_for
from tests.orders.flow_helpers import order_in
from tests.orders.payments_helpers import (
    assert_ledger_balances,
    household_pays,
    household_saves_card,
    post_event,
    signed_event,
    stripe_client,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def remote_calls(monkeypatch):
    """Every Stripe call with whether a transaction was open when it was made."""
    calls = []
    real_call = stripe_api._call

    def recording_call(label, *args, **kwargs):
        calls.append((label, connection.in_atomic_block))
        return real_call(label, *args, **kwargs)

    monkeypatch.setattr(stripe_api, "_call", recording_call)
    return calls


def authorised_order(base, *, starts_in_hours=48, agency=None, deliver_webhook=True):
    """A confirmed order whose household authorised the price (card hold in place)."""
    order = order_in(
        OrderStatus.CONFIRMED, starts_at=factories.future(starts_in_hours), agency=agency
    )
    response = client_for(order.household).post(f"/api/v1/orders/{order.pk}/payments/authorize/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["mode"] == PaymentMode.HOLD
    assert body["client_secret"].startswith(body["intent"])
    intent = household_pays(base, body["intent"])
    assert intent["status"] == "requires_capture"
    if deliver_webhook:
        payload, header = signed_event("payment_intent.amount_capturable_updated", intent)
        assert post_event(client_for(order.household), payload, header).status_code == 200
    return order, body["intent"]


def finish(order: Order) -> Order:
    Order.objects.filter(pk=order.pk).update(
        status=OrderStatus.AWAITING_CONFIRMATION,
        checked_in_at=timezone.now(),
        worker_finished_at=timezone.now(),
    )
    return order_confirm(order_id=order.pk, actor=order.household)


def remote_intent(base, intent_id) -> dict:
    return stripe_client(base).v1.payment_intents.retrieve(intent_id).to_dict()


def test_authorize_then_capture_on_completion(stripe_on, remote_calls):
    agency = factories.AgencyFactory()
    order, intent_id = authorised_order(stripe_on, agency=agency)
    payment = Payment.objects.get(order=order)
    assert payment.status == PaymentStatus.AUTHORIZED
    assert payment.amount_authorized == order.price
    assert ledger.order_balances(order.pk)[LedgerAccount.CARD_HOLD] == order.price

    finish(order)  # the household confirms: capture after commit

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    assert (payment.amount_captured, payment.amount_authorized) == (order.price, 0)
    assert remote_intent(stripe_on, intent_id)["status"] == "succeeded"
    balances = ledger.order_balances(order.pk)
    shares = ledger.split(order.price, has_agency=True)
    assert balances[LedgerAccount.CARD_HOLD] == 0
    assert balances[LedgerAccount.STRIPE_BALANCE] == order.price
    assert balances[LedgerAccount.PLATFORM_COMMISSION] == -shares.platform
    assert balances[LedgerAccount.AGENCY_PAYABLE] == -shares.agency
    assert balances[LedgerAccount.WORKER_PAYABLE] == -shares.worker
    assert shares.agency > 0 and shares.platform > 0
    assert_ledger_balances()
    # Every call was made with no transaction open (so no row lock held).
    labels = [label for label, _ in remote_calls]
    assert "payment_intent.create" in labels and "payment_intent.capture" in labels
    assert [label for label, in_atomic in remote_calls if in_atomic] == []


def test_late_cancellation_captures_the_fee_and_releases_the_rest(stripe_on, remote_calls):
    order, intent_id = authorised_order(stripe_on, starts_in_hours=5)
    fee = order.price * 20 // 100

    order_cancel(order_id=order.pk, actor=order.household, reason="临时有事")

    order.refresh_from_db()
    assert order.cancellation_fee == fee > 0
    payment = Payment.objects.get(order=order)
    assert (payment.status, payment.amount_captured, payment.amount_authorized) == (
        PaymentStatus.PAID,
        fee,
        0,
    )
    intent = remote_intent(stripe_on, intent_id)
    assert intent["status"] == "succeeded"
    charge = stripe_client(stripe_on).v1.charges.retrieve(intent["latest_charge"]["id"])
    assert charge.amount - charge.amount_refunded == fee  # the rest released
    fee_lines = LedgerEntry.objects.filter(order=order, kind=LedgerKind.FEE)
    assert [(line.account, line.amount) for line in fee_lines] == [
        (LedgerAccount.STRIPE_BALANCE, fee)
    ]
    assert_ledger_balances()
    assert [label for label, in_atomic in remote_calls if in_atomic] == []


def test_early_cancellation_releases_the_hold(stripe_on):
    order, intent_id = authorised_order(stripe_on, starts_in_hours=72)

    order_cancel(order_id=order.pk, actor=order.household, reason="计划改变")

    payment = Payment.objects.get(order=order)
    assert (payment.status, payment.amount_captured, payment.amount_authorized) == (
        PaymentStatus.RELEASED,
        0,
        0,
    )
    assert remote_intent(stripe_on, intent_id)["status"] == "canceled"
    assert ledger.order_balances(order.pk)[LedgerAccount.CARD_HOLD] == 0
    assert not LedgerEntry.objects.filter(order=order, account=LedgerAccount.STRIPE_BALANCE)
    assert_ledger_balances()


def test_partial_refund_when_a_dispute_is_resolved(stripe_on):
    agency = factories.AgencyFactory()
    staff = factories.AgencyStaffFactory(agency=agency).user
    order, intent_id = authorised_order(stripe_on, agency=agency)
    finish(order)
    order_dispute_open(order_id=order.pk, actor=order.household, reason="打扫不干净")

    order_dispute_resolve(
        order_id=order.pk, actor=staff, outcome="partial_refund", refund_amount=3000
    )

    payment = Payment.objects.get(order=order)
    assert (payment.amount_captured, payment.amount_refunded) == (order.price, 3000)
    assert payment.status == PaymentStatus.PAID
    charge_id = remote_intent(stripe_on, intent_id)["latest_charge"]["id"]
    assert stripe_client(stripe_on).v1.charges.retrieve(charge_id).amount_refunded == 3000
    balances = ledger.order_balances(order.pk)
    assert balances[LedgerAccount.STRIPE_BALANCE] == order.price - 3000
    assert order_received_total(order.pk) == order.price - 3000
    assert_ledger_balances()


def test_full_refund_dispute_before_completion_releases_the_hold(stripe_on):
    order, intent_id = authorised_order(stripe_on)
    Order.objects.filter(pk=order.pk).update(status=OrderStatus.IN_PROGRESS)
    order_dispute_open(order_id=order.pk, actor=order.household, reason="服务员态度差")

    order_dispute_resolve(order_id=order.pk, actor=factories.operator_user(), outcome="full_refund")

    assert remote_intent(stripe_on, intent_id)["status"] == "canceled"
    payment = Payment.objects.get(order=order)
    assert (payment.status, payment.amount_captured) == (PaymentStatus.RELEASED, 0)
    assert_ledger_balances()


def test_authorisation_arriving_after_completion_is_captured_then(stripe_on):
    order, intent_id = authorised_order(stripe_on, deliver_webhook=False)
    finish(order)  # nothing held yet as far as we know: nothing to capture
    assert Payment.objects.get(order=order).status == PaymentStatus.AWAITING_AUTHORIZATION

    payload, header = signed_event(
        "payment_intent.amount_capturable_updated", remote_intent(stripe_on, intent_id)
    )
    assert post_event(client_for(order.household), payload, header).status_code == 200

    payment = Payment.objects.get(order=order)
    assert (payment.status, payment.amount_captured) == (PaymentStatus.PAID, order.price)
    assert remote_intent(stripe_on, intent_id)["status"] == "succeeded"


def test_long_service_saves_the_card_and_charges_at_completion(stripe_on, remote_calls):
    order = order_in(OrderStatus.CONFIRMED, starts_at=factories.future(48))
    Order.objects.filter(pk=order.pk).update(ends_at=order.starts_at + dt.timedelta(days=26))
    response = client_for(order.household).post(f"/api/v1/orders/{order.pk}/payments/authorize/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["mode"] == PaymentMode.SAVED_METHOD and body["intent"].startswith("seti_")
    setup = household_saves_card(stripe_on, body["intent"])
    payload, header = signed_event("setup_intent.succeeded", setup)
    assert post_event(client_for(order.household), payload, header).status_code == 200
    payment = Payment.objects.get(order=order)
    assert payment.status == PaymentStatus.METHOD_SAVED and payment.stripe_payment_method_id

    finish(order)

    payment.refresh_from_db()
    assert (payment.status, payment.amount_captured) == (PaymentStatus.PAID, order.price)
    assert remote_intent(stripe_on, payment.stripe_charge_intent_id)["status"] == "succeeded"
    assert not LedgerEntry.objects.filter(order=order, account=LedgerAccount.CARD_HOLD)
    assert_ledger_balances()
    assert [label for label, in_atomic in remote_calls if in_atomic] == []


def test_authorize_permissions_and_offline_provider(settings, stripe_on):
    order = order_in(OrderStatus.CONFIRMED)
    url = f"/api/v1/orders/{order.pk}/payments/authorize/"
    assert client_for(factories.HouseholdFactory().user).post(url).status_code == 404
    assert client_for(order.worker.user).post(url).status_code == 403
    assert not Payment.objects.filter(order=order).exists()
    settings.STRIPE_SECRET_KEY = ""
    response = client_for(order.household).post(url)
    assert response.status_code == 409
    assert response.json()["code"] == "offline_provider"
    assert not Payment.objects.filter(order=order).exists()


def test_authorize_twice_returns_the_same_intent(stripe_on):
    order = order_in(OrderStatus.CONFIRMED)
    client = client_for(order.household)
    first = client.post(f"/api/v1/orders/{order.pk}/payments/authorize/").json()
    second = client.post(f"/api/v1/orders/{order.pk}/payments/authorize/").json()
    assert first["intent"] == second["intent"]
    assert Payment.objects.get(order=order).operations.count() == 1


def test_stripe_call_inside_a_transaction_is_refused(stripe_on):
    from django.db import transaction

    with transaction.atomic(), pytest.raises(RuntimeError, match="inside a database transaction"):
        stripe_api.payment_intent_retrieve("pi_anything")
