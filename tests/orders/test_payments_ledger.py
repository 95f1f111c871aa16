"""The ledger balances after any history: random (seeded) sequences of authorisations,
webhooks, offline records, completions, cancellations, disputes and payouts, against
localstripe, checked after every step."""

import datetime as dt
import random

import pytest
from django.db.models import Sum
from django.utils import timezone

from backend.exceptions import DomainError
from orders.models import LedgerEntry, Order, Payment
from orders.models.payments import LedgerAccount, PaymentProvider
from orders.payments import ledger
from orders.payments.amounts import amount_due, order_received_total
from orders.payments.offline import payment_record_offline
from orders.payments.payouts import payout_account_set, payouts_send_due
from orders.payments.retry import payment_operations_retry_due
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
    post_event,
    signed_event,
)

pytestmark = pytest.mark.django_db(transaction=True)


def check_invariants(order: Order) -> None:
    assert_ledger_balances()
    order.refresh_from_db()
    balances = ledger.order_balances(order.pk)
    payment = Payment.objects.filter(order=order).first()
    held = balances.get(LedgerAccount.CARD_HOLD, 0)
    at_stripe = balances.get(LedgerAccount.STRIPE_BALANCE, 0)
    assert held >= 0 and at_stripe >= 0
    assert order_received_total(order.pk) <= order.price
    if payment is not None:
        assert held == payment.amount_authorized
        payouts = -(
            LedgerEntry.objects.filter(
                order=order, account=LedgerAccount.STRIPE_BALANCE, kind="payout"
            ).aggregate(total=Sum("amount"))["total"]
            or 0
        )
        assert at_stripe == payment.amount_captured - payment.amount_refunded - payouts


def check_settled(order: Order) -> None:
    """Once nothing is pending, card money kept never exceeds what the order says is due."""
    order.refresh_from_db()
    payment = Payment.objects.filter(order=order, provider=PaymentProvider.STRIPE).first()
    due = amount_due(order)
    if payment is None or due is None or payment.operations.filter(status="pending").exists():
        return
    assert payment.amount_captured - payment.amount_refunded <= due
    assert payment.amount_authorized == 0


def step(rng, base, order, agency_staff, operator):
    order.refresh_from_db()
    action = rng.choice(
        ["authorize", "offline", "finish", "cancel", "dispute", "resolve", "payout", "webhook"]
    )
    try:
        if action == "authorize":
            answer = client_for(order.household).post(
                f"/api/v1/orders/{order.pk}/payments/authorize/"
            )
            if answer.status_code == 200 and answer.json()["intent"].startswith("pi_"):
                intent = household_pays(base, answer.json()["intent"])
                if rng.random() < 0.8:
                    body, header = signed_event("payment_intent.amount_capturable_updated", intent)
                    post_event(client_for(order.household), body, header)
        elif action == "webhook":
            payment = Payment.objects.filter(order=order).first()
            if payment and payment.stripe_payment_intent_id:
                body, header = signed_event(
                    "payment_intent.succeeded", {"id": payment.stripe_payment_intent_id}
                )
                post_event(client_for(order.household), body, header)
        elif action == "offline" and agency_staff is not None:
            payment_record_offline(
                order_id=order.pk,
                actor=agency_staff,
                method="cash",
                amount=rng.randint(1, order.price),
            )
        elif action == "finish" and order.status == OrderStatus.CONFIRMED:
            Order.objects.filter(pk=order.pk).update(
                status=OrderStatus.AWAITING_CONFIRMATION, worker_finished_at=timezone.now()
            )
            order_confirm(order_id=order.pk, actor=order.household)
        elif action == "cancel":
            order_cancel(order_id=order.pk, actor=order.household, reason="随机取消")
        elif action == "dispute":
            order_dispute_open(order_id=order.pk, actor=order.household, reason="随机争议")
        elif action == "resolve":
            outcome = rng.choice(["completed", "partial_refund", "full_refund"])
            order_dispute_resolve(
                order_id=order.pk,
                actor=operator,
                outcome=outcome,
                refund_amount=rng.randint(1, order.price),
            )
        elif action == "payout":
            payouts_send_due(now=timezone.now() + dt.timedelta(days=30))
    except DomainError:
        pass  # a step not allowed now changes nothing; the invariants still hold
    return action


@pytest.mark.parametrize("seed", range(10))
def test_ledger_balances_over_random_histories(stripe_on, seed):
    rng = random.Random(seed)
    operator = factories.operator_user()
    agency = factories.AgencyFactory() if rng.random() < 0.6 else None
    staff = factories.AgencyStaffFactory(agency=agency).user if agency else None
    hours = rng.choice([5, 48, 72])
    order = order_in(OrderStatus.CONFIRMED, starts_at=factories.future(hours), agency=agency)
    if rng.random() < 0.5:
        payout_account_set(worker=order.worker, stripe_account_id=f"acct_w{seed}")
    actions = []
    for _ in range(10):
        actions.append(step(rng, stripe_on, order, staff, operator))
        check_invariants(order)
    # Whatever happened, a periodic pass leaves the money where the order says.
    payment_operations_retry_due(now=timezone.now() + dt.timedelta(minutes=5))
    check_invariants(order)
    check_settled(order)
    assert actions  # the history ran
