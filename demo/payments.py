"""Payments in the demo, offline and by card, so that the monthly statements of demo-worker and
demo-agency have rows this month and last (and a few of the county's agencies have some too).

- Offline, recorded by the agency with `payment_record_offline` at the moment it was received:
  demo-household pays its weekly cleaning in cash last month and by bank transfer this month
  (four visits each), and its live-in carer's first month by bank transfer.
- By card (Stripe, no network): the rows the Stripe flow leaves after a hold was authorised at
  signing and captured when the order was completed: the Payment (paid), its authorise and
  capture operations, and the ledger's hold, release and captured movements, dated as they
  happened (orders.payments.outcomes). On demo-household's latest finished order with
  demo-worker still unpaid, and on three finished orders in the county.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from demo.bulk import local_at, stamps_set
from demo.order_writer import agency_owner_id
from orders.models import Order, Payment, PaymentOperation
from orders.models.payments import (
    LedgerAccount,
    LedgerKind,
    OperationKind,
    OperationStatus,
    PaymentMode,
    PaymentProvider,
    PaymentStatus,
)
from orders.payments import ledger
from orders.payments.offline import payment_record_offline
from orders.statuses import OrderStatus, RequestKind

COUNTY_CARD_ORDERS = 3


def this_month_moment(now: dt.datetime) -> dt.datetime:
    """Two days ago, but never before this month began (nor after now)."""
    month_start = local_at(timezone.localdate(now).replace(day=1), 0, 30)
    return min(max(month_start, now - dt.timedelta(days=2)), now - dt.timedelta(minutes=1))


def last_month_moment(now: dt.datetime) -> dt.datetime:
    """The 25th of last month, 18:00."""
    last_month_end = timezone.localdate(now).replace(day=1) - dt.timedelta(days=1)
    return local_at(last_month_end.replace(day=25), 18)


def _offline(order: Order, *, method: str, amount: int, when: dt.datetime, reference: str):
    cashier_id = agency_owner_id(order.agency_id)
    if cashier_id is None:
        return
    operation = payment_record_offline(
        order_id=order.pk,
        actor=order.agency.staff.get(user_id=cashier_id).user,
        method=method,
        amount=amount,
        reference=reference,
        now=when,
    )
    stamps_set([operation], created_at=[when])


def demo_offline_payments_write(*, weekly: Order | None, placement: Order | None) -> int:
    """The cash and bank transfers of demo-household's standing orders; returns how many."""
    now = timezone.now()
    written = 0
    if weekly is not None:
        four_visits = weekly.request.budget * 4
        last = last_month_moment(now)
        _offline(weekly, method="cash", amount=four_visits, when=last, reference="现金 四次保洁")
        current = this_month_moment(now)
        _offline(
            weekly,
            method="bank_transfer",
            amount=four_visits,
            when=current,
            reference=f"转账 {timezone.localtime(current):%Y%m%d}",
        )
        written += 2
    if placement is not None:
        first_month = placement.request.placement_unit_price
        when = placement.checked_in_at + dt.timedelta(hours=2)
        _offline(placement, method="bank_transfer", amount=first_month, when=when, reference="首月")
        written += 1
    return written


def card_payment_write(order: Order, *, captured_at: dt.datetime) -> Payment:
    """A card hold authorised at signing and captured at `captured_at`, as after the
    webhooks: payment row, operations, ledger (hold, release, money in and its split)."""
    authorised_at = max(
        order.created_at + dt.timedelta(hours=6), captured_at - dt.timedelta(days=3)
    )
    authorised_at = min(authorised_at, captured_at)
    intent = f"pi_demo_{order.pk:08d}"
    payment = Payment.objects.create(
        order=order,
        provider=PaymentProvider.STRIPE,
        status=PaymentStatus.PAID,
        mode=PaymentMode.HOLD,
        amount_captured=order.price,
        authorize_attempt=1,
        stripe_customer_id=f"cus_demo_{order.household_id:08d}",
        stripe_payment_intent_id=intent,
        stripe_payment_method_id=f"pm_demo_{order.household_id:08d}",
        stripe_charge_intent_id=intent,
        stripe_charge_id=f"ch_demo_{order.pk:08d}",
    )
    operations = PaymentOperation.objects.bulk_create(
        [
            PaymentOperation(
                payment=payment,
                kind=kind,
                status=OperationStatus.SUCCEEDED,
                amount=order.price,
                idempotency_key=f"order-{order.pk}-{kind}-v1",
                stripe_object_id=intent,
                attempts=1,
                last_attempt_at=when,
                completed_at=when,
            )
            for kind, when in (
                (OperationKind.AUTHORIZE, authorised_at),
                (OperationKind.CAPTURE, captured_at),
            )
        ]
    )
    stamps_set(operations, created_at=[authorised_at, captured_at])
    stamps_set([payment], created_at=[authorised_at], updated_at=[captured_at])
    capture = operations[1]
    for movement, lines, operation, when in (
        (f"order-{order.pk}-hold-{intent}", ledger.hold_lines(order.price), None, authorised_at),
        (
            f"order-{order.pk}-release-{intent}",
            ledger.release_lines(order.price),
            capture,
            captured_at,
        ),
        (
            f"op-{capture.pk}",
            ledger.received_lines(
                cash_account=LedgerAccount.STRIPE_BALANCE,
                kind=LedgerKind.CAPTURED,
                amount=order.price,
                has_agency=bool(order.agency_id),
            ),
            capture,
            captured_at,
        ),
    ):
        ledger.ledger_post(
            order=order, movement=movement, lines=lines, operation=operation, now=when
        )
    return payment


def _unpaid_finished(queryset):
    return (
        queryset.filter(status=OrderStatus.COMPLETED, payment__isnull=True)
        .exclude(request__kind=RequestKind.RECURRING)
        .order_by("-completed_at", "-pk")
    )


def demo_card_payments_write() -> int:
    """demo-household's latest unpaid finished order with demo-worker (else with anyone), and
    the county's three latest unpaid finished orders; returns how many were paid by card."""
    mine = _unpaid_finished(Order.objects.filter(household__username="demo-household"))
    chosen = list(mine.filter(worker__user__username="demo-worker")[:1]) or list(mine[:1])
    county = _unpaid_finished(
        Order.objects.filter(household__username__startswith="household-", agency__isnull=False)
    )
    chosen += list(county[:COUNTY_CARD_ORDERS])
    for order in chosen:
        card_payment_write(order, captured_at=order.completed_at)
    return len(chosen)
