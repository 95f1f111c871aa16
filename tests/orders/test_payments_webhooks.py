"""Stripe webhooks: signature checks, one effect per event id, any order of arrival converges."""

import random
import time

import pytest

from orders.models import LedgerEntry, Order, Payment, WebhookEvent
from orders.models.payments import PaymentStatus
from orders.payments import ledger
from orders.services.attendance import order_confirm
from orders.statuses import OrderStatus
from tests import factories
from tests.conftest import client_for
from tests.orders.flow_helpers import order_in
from tests.orders.payments_helpers import (
    assert_ledger_balances,
    household_pays,
    post_event,
    signed_event,
    stripe_client,
)

pytestmark = pytest.mark.django_db(transaction=True)


def paid_intent(base):
    """A confirmed order and its intent that the household authorised (no webhook yet)."""
    order = order_in(OrderStatus.CONFIRMED, starts_at=factories.future(48))
    body = client_for(order.household).post(f"/api/v1/orders/{order.pk}/payments/authorize/")
    intent = household_pays(base, body.json()["intent"])
    return order, intent


def state_of(order) -> tuple:
    payment = Payment.objects.get(order=order)
    return (
        payment.status,
        payment.amount_authorized,
        payment.amount_captured,
        payment.amount_refunded,
        ledger.order_balances(order.pk),
        LedgerEntry.objects.filter(order=order).count(),
    )


def test_same_event_five_times_has_one_effect(stripe_on, anon_client):
    order, intent = paid_intent(stripe_on)
    payload, header = signed_event("payment_intent.amount_capturable_updated", intent)

    answers = [post_event(anon_client, payload, header) for _ in range(5)]

    assert [answer.status_code for answer in answers] == [200] * 5
    assert [answer.json()["processed"] for answer in answers] == [True] + [False] * 4
    assert WebhookEvent.objects.count() == 1
    payment = Payment.objects.get(order=order)
    assert (payment.status, payment.amount_authorized) == (PaymentStatus.AUTHORIZED, order.price)
    assert LedgerEntry.objects.filter(order=order).count() == 2  # one hold movement
    assert_ledger_balances()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_shuffled_events_converge_to_the_same_state(stripe_on, anon_client, seed):
    order, intent = paid_intent(stripe_on)
    # The household confirms completion before Stripe's events arrive.
    Order.objects.filter(pk=order.pk).update(status=OrderStatus.AWAITING_CONFIRMATION)
    order_confirm(order_id=order.pk, actor=order.household)
    events = [
        signed_event("payment_intent.created", intent),
        signed_event("payment_intent.amount_capturable_updated", intent),
        signed_event("charge.succeeded", {"id": "ch_x", "payment_intent": intent["id"]}),
        signed_event("payment_intent.succeeded", intent),
        signed_event("charge.captured", {"id": "ch_x", "payment_intent": intent["id"]}),
    ]
    events += events[:2]  # and some delivered twice
    random.Random(seed).shuffle(events)

    for payload, header in events:
        assert post_event(anon_client, payload, header).status_code == 200

    status, held, captured, refunded, balances, lines = state_of(order)
    assert (status, held, captured, refunded) == (PaymentStatus.PAID, 0, order.price, 0)
    assert balances["stripe_balance"] == order.price and balances["card_hold"] == 0
    assert lines == 2 + 2 + 3  # hold, release, capture split platform/worker (no agency)
    remote = stripe_client(stripe_on).v1.payment_intents.retrieve(intent["id"])
    assert remote.status == "succeeded"
    assert_ledger_balances()


def test_tampered_body_or_signature_is_refused(stripe_on, anon_client):
    order, intent = paid_intent(stripe_on)
    payload, header = signed_event("payment_intent.amount_capturable_updated", intent)
    tampered_body = payload.replace(b"amount_capturable_updated", b"succeeded")
    tampered_header = header[:-4] + ("0000" if not header.endswith("0000") else "1111")
    other_secret = signed_event(
        "payment_intent.amount_capturable_updated", intent, secret="whsec_other"
    )

    for body, sig in (
        (tampered_body, header),
        (payload, tampered_header),
        other_secret,
        (payload, ""),
    ):
        response = post_event(anon_client, body, sig)
        assert response.status_code == 400, response.content
        assert response.json()["code"] == "bad_signature"

    assert WebhookEvent.objects.count() == 0
    assert Payment.objects.get(order=order).status == PaymentStatus.AWAITING_AUTHORIZATION
    assert not LedgerEntry.objects.exists()


def test_stale_timestamp_is_refused(stripe_on, anon_client, settings):
    order, intent = paid_intent(stripe_on)
    old = int(time.time()) - settings.STRIPE_WEBHOOK_TOLERANCE_SECONDS - 5
    payload, header = signed_event(
        "payment_intent.amount_capturable_updated", intent, timestamp=old
    )

    response = post_event(anon_client, payload, header)

    assert response.status_code == 400
    assert WebhookEvent.objects.count() == 0
    assert not LedgerEntry.objects.exists()
    # The same event signed now is accepted.
    fresh = signed_event("payment_intent.amount_capturable_updated", intent, event_id="evt_fresh")
    assert post_event(anon_client, *fresh).status_code == 200
    assert Payment.objects.get(order=order).status == PaymentStatus.AUTHORIZED


def test_webhook_for_an_unknown_intent_is_recorded_and_ignored(stripe_on, anon_client):
    payload, header = signed_event("payment_intent.succeeded", {"id": "pi_not_ours"})
    response = post_event(anon_client, payload, header)
    assert response.status_code == 200
    assert WebhookEvent.objects.filter(object_id="pi_not_ours").exists()
