"""Settlement: move the card money to what the order owes once it has ended.

What an order should end up paying is decided from the order alone (`amounts.amount_due`):
completed → price less dispute refunds; cancelled → the cancellation fee (0 after a full
refund); replaced → the settlement amount. `payment_settle` moves the money there from wherever
it is (capture or release a hold, charge a saved card, refund), so repeated or reordered
triggers converge.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction

from orders.locks import lock_order
from orders.models import (
    Payment,
    PaymentOperation,
)
from orders.models.payments import (
    OperationKind,
    PaymentMode,
    PaymentProvider,
    PaymentStatus,
)
from orders.payments.amounts import amount_due
from orders.payments.operations import (
    operation_key_next,
    payment_has_pending,
    payment_locked,
    payment_operation_execute,
)

logger = logging.getLogger(__name__)


def payment_settle_on_commit(*, order_id: int) -> None:
    """Hook for the order flow: settle the order's money after the caller's commit."""
    transaction.on_commit(lambda: _settle_quietly(order_id))


def _settle_quietly(order_id: int) -> None:
    # Runs after the order's commit: a failure here must not fail the user's action; the
    # periodic command settles it later.
    try:
        payment_settle(order_id=order_id)
    except Exception:
        logger.exception("settling order %s failed; run_periodic will retry", order_id)


def payment_settle(*, order_id: int, now: dt.datetime | None = None) -> list[PaymentOperation]:
    """Move the order's card money towards `amount_due` (capture, release, charge, refund).

    Offline orders and orders still going are left alone. Returns the operations sent.
    """
    if not Payment.objects.filter(order_id=order_id, provider=PaymentProvider.STRIPE).exists():
        return []
    with transaction.atomic():
        order = lock_order(order_id, only_order=False)
        payment = payment_locked(order)
        due = amount_due(order)
        if due is None or payment_has_pending(payment):
            return []
        operation = _settlement_step(payment, due)
    if operation is None:
        return []
    return [payment_operation_execute(operation_id=operation.pk, now=now)]


def _settlement_step(payment: Payment, due: int) -> PaymentOperation | None:
    net = payment.amount_captured - payment.amount_refunded
    kind, amount = None, 0
    if payment.amount_authorized > 0:
        if due > 0:
            kind, amount = OperationKind.CAPTURE, min(due, payment.amount_authorized)
        else:
            kind = OperationKind.CANCEL
    elif payment.status == PaymentStatus.AWAITING_AUTHORIZATION and payment.mode == (
        PaymentMode.HOLD
    ):
        if due == 0 and payment.stripe_payment_intent_id:
            # Not yet authorised and nothing is owed: close the intent so it cannot be paid.
            kind = OperationKind.CANCEL
    elif net > due:
        kind, amount = OperationKind.REFUND, net - due
    elif (
        net < due
        and payment.amount_captured == 0
        and payment.mode == PaymentMode.SAVED_METHOD
        and payment.stripe_payment_method_id
    ):
        kind, amount = OperationKind.CHARGE, due - net
    if kind is None:
        return None
    return PaymentOperation.objects.create(
        payment=payment, kind=kind, amount=amount, idempotency_key=operation_key_next(payment, kind)
    )
