"""Payment operations: each Stripe call as a row that is decided, sent, then recorded.

Every Stripe operation runs in three steps, and never holds a row lock across the network:
(1) a transaction locks the Payment row, decides, writes a PaymentOperation `pending` with an
idempotency key derived from what it does (f"order-{id}-{kind}-v{n}"), and commits;
(2) the call goes to Stripe outside any transaction (stripe_api._call refuses otherwise);
(3) a second transaction records the result and posts the ledger (`outcomes`). A call that may
not have reached Stripe leaves the operation pending; `payment_operations_retry_due` (retry)
sends it again with the same key.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from orders.locks import lock_payment, lock_payment_of_order, lock_payment_operation
from orders.models import (
    Order,
    Payment,
    PaymentOperation,
)
from orders.models.payments import (
    OperationKind,
    OperationStatus,
    PaymentStatus,
)
from orders.payments import stripe_api
from orders.payments.outcomes import operation_apply, operation_finish


def payment_locked(order: Order) -> Payment:
    """The order's Payment row, created on first use, locked (call inside a transaction)."""
    try:
        with transaction.atomic():
            Payment.objects.get_or_create(order=order)
    except IntegrityError:  # created by a concurrent caller
        pass
    return lock_payment_of_order(order)


def operation_key_next(payment: Payment, kind: str, suffix: str = "") -> str:
    n = payment.operations.filter(kind=kind).count() + 1
    return f"order-{payment.order_id}-{kind}{suffix}-v{n}"


def payment_has_pending(payment: Payment) -> bool:
    return payment.operations.filter(status=OperationStatus.PENDING).exists()


def payment_operation_execute(
    *, operation_id: int, now: dt.datetime | None = None
) -> PaymentOperation:
    """Send a pending operation to Stripe (outside any transaction) and record the answer."""
    now = now or timezone.now()
    claimed = PaymentOperation.objects.filter(
        pk=operation_id, status=OperationStatus.PENDING
    ).update(attempts=F("attempts") + 1, last_attempt_at=now)
    operation = PaymentOperation.objects.select_related("payment", "payout_account").get(
        pk=operation_id
    )
    if not claimed:
        return operation
    try:
        result = _send(operation)
    except stripe_api.StripeUnavailable as error:
        PaymentOperation.objects.filter(pk=operation_id).update(error=str(error)[:300])
        operation.refresh_from_db()
        return operation
    except stripe_api.StripeRefused as error:
        result = _after_refusal(operation, error)
    return _record(operation_id=operation_id, result=result, now=now)


def _send(operation: PaymentOperation) -> dict:
    payment = operation.payment
    key = operation.idempotency_key
    order_id = payment.order_id
    kind = operation.kind
    if kind == OperationKind.AUTHORIZE:
        return {
            "intent": stripe_api.payment_intent_create_hold(
                amount=operation.amount, order_id=order_id, key=key
            )
        }
    if kind == OperationKind.SETUP:
        customer = (
            payment.stripe_customer_id
            or stripe_api.customer_create(order_id=order_id, key=f"{key}-customer")["id"]
        )
        return {
            "customer": customer,
            "setup": stripe_api.setup_intent_create(customer=customer, order_id=order_id, key=key),
        }
    if kind == OperationKind.CAPTURE:
        return {
            "intent": stripe_api.payment_intent_capture(
                intent_id=payment.stripe_payment_intent_id, amount=operation.amount, key=key
            )
        }
    if kind == OperationKind.CANCEL:
        return {
            "intent": stripe_api.payment_intent_cancel(
                intent_id=payment.stripe_payment_intent_id, key=key
            )
        }
    if kind == OperationKind.CHARGE:
        return {
            "intent": stripe_api.payment_intent_charge_saved(
                amount=operation.amount,
                order_id=order_id,
                customer=payment.stripe_customer_id,
                payment_method=payment.stripe_payment_method_id,
                key=key,
            )
        }
    if kind == OperationKind.REFUND:
        return {
            "refund": stripe_api.refund_create(
                intent_id=payment.stripe_charge_intent_id, amount=operation.amount, key=key
            )
        }
    if kind == OperationKind.TRANSFER:
        return {
            "transfer": stripe_api.transfer_create(
                amount=operation.amount,
                destination=operation.payout_account.stripe_account_id,
                order_id=order_id,
                source_charge=payment.stripe_charge_id,
                key=key,
            )
        }
    raise ValueError(f"cannot send a {kind} operation")


def _after_refusal(operation: PaymentOperation, error: stripe_api.StripeRefused) -> dict:
    """A refused capture or cancel may have happened already (a retry of a call whose answer
    was lost): re-read the intent and count it done when Stripe shows it so."""
    if operation.kind in (OperationKind.CAPTURE, OperationKind.CANCEL):
        try:
            intent = stripe_api.payment_intent_retrieve(operation.payment.stripe_payment_intent_id)
        except stripe_api.StripeUnavailable:
            return {"error": str(error)}
        done = "succeeded" if operation.kind == OperationKind.CAPTURE else "canceled"
        if intent.get("status") == done:
            return {"intent": intent}
    return {"error": str(error) or error.code}


def _record(*, operation_id: int, result: dict, now: dt.datetime) -> PaymentOperation:
    with transaction.atomic():
        operation = PaymentOperation.objects.select_related("payout_account").get(pk=operation_id)
        payment = lock_payment(operation.payment_id, with_order=True)
        operation = lock_payment_operation(operation_id)
        if operation.status != OperationStatus.PENDING:
            return operation
        if "error" in result:
            operation_finish(operation, OperationStatus.FAILED, now, error=result["error"])
            if operation.kind in (OperationKind.AUTHORIZE, OperationKind.SETUP):
                payment.status = PaymentStatus.FAILED
                payment.save(update_fields=["status", "updated_at"])
            return operation
        operation_apply(payment, operation, result, now)
    return operation
