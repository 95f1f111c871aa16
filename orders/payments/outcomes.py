"""What a successful Stripe answer changes: the payment row, the operation and the ledger."""

from __future__ import annotations

from orders.models import (
    Payment,
    PaymentOperation,
)
from orders.models.payments import (
    LedgerAccount,
    LedgerKind,
    OperationKind,
    OperationStatus,
    PaymentStatus,
)
from orders.payments import ledger, stripe_api
from orders.statuses import OrderStatus, Party


def operation_finish(
    operation: PaymentOperation, status: str, now, *, object_id="", error=""
) -> None:
    operation.status = status
    operation.completed_at = now
    operation.stripe_object_id = object_id or operation.stripe_object_id
    operation.error = (error or "")[:300]
    operation.save(update_fields=["status", "completed_at", "stripe_object_id", "error"])


def operation_apply(payment: Payment, operation: PaymentOperation, result: dict, now) -> None:
    """Record a successful answer (the payment row locked)."""
    step = _STEPS.get(operation.kind)
    changed = step(payment, operation, result, now) if step else set()
    if changed is None:  # the step found the answer a failure and saved that already
        return
    payment.save(update_fields=sorted({"status", "updated_at"} | changed))


def _apply_authorize(payment: Payment, operation: PaymentOperation, result: dict, now) -> set:
    intent = result["intent"]
    payment.stripe_payment_intent_id = intent["id"]
    changed = {"stripe_payment_intent_id"}
    operation_finish(operation, OperationStatus.SUCCEEDED, now, object_id=intent["id"])
    payment.status = PaymentStatus.AWAITING_AUTHORIZATION
    if intent.get("status") == "requires_capture":
        hold_post(payment, intent, now)
        changed.add("amount_authorized")
    return changed


def _apply_setup(payment: Payment, operation: PaymentOperation, result: dict, now) -> set:
    setup = result["setup"]
    payment.stripe_customer_id = result["customer"]
    payment.stripe_setup_intent_id = setup["id"]
    operation_finish(operation, OperationStatus.SUCCEEDED, now, object_id=setup["id"])
    payment.status = PaymentStatus.AWAITING_AUTHORIZATION
    return {"stripe_customer_id", "stripe_setup_intent_id"}


def _apply_money_in(payment: Payment, operation: PaymentOperation, result: dict, now) -> set | None:
    """A capture of the hold or a charge of the saved card: the money is received and split."""
    order = payment.order
    intent = result["intent"]
    if intent.get("status") != "succeeded":
        operation_finish(
            operation,
            OperationStatus.FAILED,
            now,
            object_id=intent.get("id", ""),
            error=f"payment intent {intent.get('status')}",
        )
        payment.status = PaymentStatus.FAILED
        payment.save(update_fields=["status", "updated_at"])
        return None
    operation_finish(operation, OperationStatus.SUCCEEDED, now, object_id=intent["id"])
    if operation.kind == OperationKind.CAPTURE:
        ledger.ledger_post(
            order=order,
            movement=f"order-{order.pk}-release-{intent['id']}",
            lines=ledger.release_lines(payment.amount_authorized),
            operation=operation,
            now=now,
        )
        payment.amount_authorized = 0
    money_kind = LedgerKind.FEE if order.status == OrderStatus.CANCELLED else LedgerKind.CAPTURED
    ledger.ledger_post(
        order=order,
        movement=f"op-{operation.pk}",
        lines=ledger.received_lines(
            cash_account=LedgerAccount.STRIPE_BALANCE,
            kind=money_kind,
            amount=operation.amount,
            has_agency=bool(order.agency_id),
        ),
        operation=operation,
        now=now,
    )
    payment.amount_captured += operation.amount
    payment.stripe_charge_intent_id = intent["id"]
    payment.stripe_charge_id = stripe_api.object_id(intent.get("latest_charge"))
    payment.status = PaymentStatus.PAID
    return {"amount_authorized", "amount_captured", "stripe_charge_intent_id", "stripe_charge_id"}


def _apply_cancel(payment: Payment, operation: PaymentOperation, result: dict, now) -> set:
    intent = result["intent"]
    operation_finish(operation, OperationStatus.SUCCEEDED, now, object_id=intent.get("id", ""))
    hold_release(payment, intent.get("id", ""), operation, now)
    return {"amount_authorized"}


def _apply_refund(payment: Payment, operation: PaymentOperation, result: dict, now) -> set:
    refund = result["refund"]
    operation_finish(operation, OperationStatus.SUCCEEDED, now, object_id=refund.get("id", ""))
    ledger.ledger_post(
        order=payment.order,
        movement=f"op-{operation.pk}",
        lines=ledger.refund_lines(
            amount=operation.amount, has_agency=bool(payment.order.agency_id)
        ),
        operation=operation,
        now=now,
    )
    payment.amount_refunded += operation.amount
    if payment.amount_refunded >= payment.amount_captured:
        payment.status = PaymentStatus.REFUNDED
    return {"amount_refunded"}


def _apply_transfer(payment: Payment, operation: PaymentOperation, result: dict, now) -> set:
    transfer = result["transfer"]
    operation_finish(operation, OperationStatus.SUCCEEDED, now, object_id=transfer.get("id", ""))
    payee_account = (
        LedgerAccount.AGENCY_PAYABLE
        if operation.payee == Party.AGENCY
        else LedgerAccount.WORKER_PAYABLE
    )
    ledger.ledger_post(
        order=payment.order,
        movement=f"op-{operation.pk}",
        lines=ledger.payout_lines(payee_account=payee_account, amount=operation.amount),
        operation=operation,
        now=now,
    )
    return set()


_STEPS = {
    OperationKind.AUTHORIZE: _apply_authorize,
    OperationKind.SETUP: _apply_setup,
    OperationKind.CAPTURE: _apply_money_in,
    OperationKind.CHARGE: _apply_money_in,
    OperationKind.CANCEL: _apply_cancel,
    OperationKind.REFUND: _apply_refund,
    OperationKind.TRANSFER: _apply_transfer,
}


def hold_post(payment: Payment, intent: dict, now) -> None:
    if payment.amount_authorized:
        return
    amount = int(intent.get("amount") or 0)
    ledger.ledger_post(
        order=payment.order,
        movement=f"order-{payment.order_id}-hold-{intent['id']}",
        lines=ledger.hold_lines(amount),
        now=now,
    )
    payment.amount_authorized = amount
    payment.status = PaymentStatus.AUTHORIZED


def hold_release(payment: Payment, intent_id: str, operation, now) -> None:
    if payment.amount_authorized:
        ledger.ledger_post(
            order=payment.order,
            movement=f"order-{payment.order_id}-release-{intent_id}",
            lines=ledger.release_lines(payment.amount_authorized),
            operation=operation,
            now=now,
        )
        payment.amount_authorized = 0
    if payment.amount_captured == 0:
        payment.status = PaymentStatus.RELEASED
