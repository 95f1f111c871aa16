"""Payment services: offline records, Stripe authorisation, settlement, sync, payouts.

Every Stripe operation runs in three steps, and never holds a row lock across the network:
(1) a transaction locks the Payment row, decides, writes a PaymentOperation `pending` with an
idempotency key derived from what it does (f"order-{id}-{kind}-v{n}"), and commits;
(2) the call goes to Stripe outside any transaction (stripe_api._call refuses otherwise);
(3) a second transaction records the result and posts the ledger. A call that may not have
reached Stripe leaves the operation pending; `payment_operations_retry_due` (run_periodic)
sends it again with the same key.

What an order should end up paying is decided from the order alone (`amount_due`): completed →
price less dispute refunds; cancelled → the cancellation fee (0 after a full refund); replaced →
the settlement amount. `payment_settle` moves the money there from wherever it is (capture or
release a hold, charge a saved card, refund), so repeated or reordered triggers converge.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.exceptions import (
    Conflict,
    NotFound,
    PermissionDeniedError,
    ValidationFailed,
)
from marketplace.models import User
from orders.models import (
    Dispute,
    LedgerEntry,
    Order,
    Payment,
    PaymentOperation,
    PayoutAccount,
)
from orders.models.payments import (
    LedgerAccount,
    LedgerKind,
    OfflineMethod,
    OperationKind,
    OperationStatus,
    PaymentMode,
    PaymentProvider,
    PaymentStatus,
)
from orders.parties import party_of
from orders.payments import ledger, stripe_api
from orders.statuses import DisputeOutcome, DisputeStatus, OrderStatus, Party

logger = logging.getLogger(__name__)

AUTHORIZABLE_STATUSES = (
    OrderStatus.CONFIRMED,
    OrderStatus.IN_PROGRESS,
    OrderStatus.AWAITING_CONFIRMATION,
)


def payment_provider() -> str:
    """The online provider in use: stripe when its secrets are set, else offline."""
    return PaymentProvider.STRIPE if stripe_api.is_enabled() else PaymentProvider.OFFLINE


def _payment_locked(order: Order) -> Payment:
    """The order's Payment row, created on first use, locked (call inside a transaction)."""
    try:
        with transaction.atomic():
            Payment.objects.get_or_create(order=order)
    except IntegrityError:  # created by a concurrent caller
        pass
    return Payment.objects.select_for_update().select_related("order").get(order=order)


def _next_key(payment: Payment, kind: str, suffix: str = "") -> str:
    n = payment.operations.filter(kind=kind).count() + 1
    return f"order-{payment.order_id}-{kind}{suffix}-v{n}"


def _has_pending(payment: Payment) -> bool:
    return payment.operations.filter(status=OperationStatus.PENDING).exists()


# ---------------------------------------------------------------------------------------------
# Offline: the agency records money received.


def payment_record_offline(
    *,
    order_id: int,
    actor: User,
    method: str,
    amount: int,
    reference: str = "",
    idempotency_key: str | None = None,
    now: dt.datetime | None = None,
) -> PaymentOperation:
    """Staff of the order's agency (or an operator) record money received in hand.

    The same Idempotency-Key returns the first record. Raises NotFound (not a party),
    PermissionDeniedError (a party other than the agency), ValidationFailed (method, amount
    above what is still unpaid).
    """
    now = now or timezone.now()
    order = Order.objects.select_related("worker").filter(pk=order_id).first()
    if order is None:
        raise NotFound(_("订单不存在。"))
    party = party_of(actor, order)
    if not actor.is_operator:
        if party is None:
            raise NotFound(_("订单不存在。"))
        if party != Party.AGENCY:
            raise PermissionDeniedError(
                _("只有订单所属家政企业可以登记线下收款。"), code="wrong_party"
            )
    if method not in OfflineMethod.values:
        raise ValidationFailed(_("未知的收款方式。"), field="method")
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        raise ValidationFailed(_("金额须为正整数（分）。"), field="amount")
    with transaction.atomic():
        payment = _payment_locked(order)
        if idempotency_key:
            key = f"order-{order.pk}-offline-{idempotency_key}"
            existing = payment.operations.filter(idempotency_key=key).first()
            if existing is not None:
                return existing
        else:
            key = _next_key(payment, OperationKind.OFFLINE)
        received = order_received_total(order.pk)
        if received + amount > order.price:
            raise ValidationFailed(
                _("登记金额超过订单未付金额（%(left)s分）。") % {"left": order.price - received},
                field="amount",
            )
        operation = PaymentOperation.objects.create(
            payment=payment,
            kind=OperationKind.OFFLINE,
            status=OperationStatus.SUCCEEDED,
            amount=amount,
            idempotency_key=key,
            method=method,
            reference=(reference or "").strip()[:100],
            recorded_by=actor,
            completed_at=now,
        )
        collector = (
            LedgerAccount.AGENCY_PAYABLE if order.agency_id else LedgerAccount.WORKER_PAYABLE
        )
        ledger.ledger_post(
            order=order,
            movement=f"op-{operation.pk}",
            operation=operation,
            now=now,
            lines=ledger.received_lines(
                cash_account=collector,
                kind=LedgerKind.OFFLINE_RECEIVED,
                amount=amount,
                has_agency=bool(order.agency_id),
            ),
        )
        if received + amount >= order.price:
            payment.status = PaymentStatus.PAID
            payment.save(update_fields=["status", "updated_at"])
    return operation


def order_received_total(order_id: int) -> int:
    """Money received for the order, net of refunds: card money plus offline money."""
    total = LedgerEntry.objects.filter(
        order_id=order_id,
        kind__in=(
            LedgerKind.CAPTURED,
            LedgerKind.FEE,
            LedgerKind.REFUNDED,
            LedgerKind.OFFLINE_RECEIVED,
        ),
        account__in=(
            LedgerAccount.STRIPE_BALANCE,
            LedgerAccount.AGENCY_PAYABLE,
            LedgerAccount.WORKER_PAYABLE,
        ),
    ).aggregate(total=Sum("amount"))["total"]
    return total or 0


# ---------------------------------------------------------------------------------------------
# What the order should pay.


def amount_due(order: Order) -> int | None:
    """What the household owes in the end, or None while the order is still going."""
    if order.status == OrderStatus.COMPLETED:
        refunded = (
            Dispute.objects.filter(
                order=order,
                status=DisputeStatus.RESOLVED,
                outcome=DisputeOutcome.PARTIAL_REFUND,
            ).aggregate(total=Sum("refund_amount"))["total"]
            or 0
        )
        return max(order.price - refunded, 0)
    if order.status == OrderStatus.CANCELLED:
        return order.cancellation_fee
    if order.status == OrderStatus.REPLACED:
        return order.settlement_amount or 0
    return None


# ---------------------------------------------------------------------------------------------
# Stripe: authorise (household), settle (order flow), sync (webhooks), retry (periodic).


@dataclass(frozen=True)
class Authorization:
    payment: Payment
    mode: str
    client_secret: str
    intent_id: str


def payment_authorize(
    *, order_id: int, actor: User, now: dt.datetime | None = None
) -> Authorization:
    """The household authorises the price: a manual-capture PaymentIntent (a card hold), or
    for services ending after the hold lasts (PAYMENTS["HOLD_DAYS"]) a SetupIntent that saves
    the card to charge at completion. Returns the client secret for Stripe.js.

    Calling again before the household finished returns the same intent. Raises Conflict
    `offline_provider` (Stripe not configured), NotFound, PermissionDeniedError, Conflict
    `not_payable` / `already_authorized`, Conflict `provider_unavailable`.
    """
    now = now or timezone.now()
    # Who asks is settled first: a stranger learns nothing, not even how payment is set up.
    order = Order.objects.select_related("worker").filter(pk=order_id).first()
    party = party_of(actor, order) if order is not None else None
    if party is None:
        raise NotFound(_("订单不存在。"))
    if party != Party.HOUSEHOLD:
        raise PermissionDeniedError(_("只有雇主可以支付订单。"), code="wrong_party")
    if not stripe_api.is_enabled():
        raise Conflict(_("未开通在线支付，请向家政企业线下付款。"), code="offline_provider")
    if order.status not in AUTHORIZABLE_STATUSES:
        raise Conflict(_("订单当前状态不能支付。"), code="not_payable")
    with transaction.atomic():
        payment = _payment_locked(order)
        if payment.status not in (PaymentStatus.UNPAID, PaymentStatus.AWAITING_AUTHORIZATION):
            raise Conflict(_("订单已授权支付。"), code="already_authorized")
        operation = payment.operations.filter(
            kind__in=(OperationKind.AUTHORIZE, OperationKind.SETUP),
            status__in=(OperationStatus.PENDING, OperationStatus.SUCCEEDED),
        ).last()
        if operation is None:
            is_long = order.ends_at > now + dt.timedelta(days=settings.PAYMENTS["HOLD_DAYS"])
            payment.mode = PaymentMode.SAVED_METHOD if is_long else PaymentMode.HOLD
            payment.provider = PaymentProvider.STRIPE
            payment.status = PaymentStatus.AWAITING_AUTHORIZATION
            payment.authorize_attempt = F("authorize_attempt") + 1
            payment.save(
                update_fields=["mode", "provider", "status", "authorize_attempt", "updated_at"]
            )
            payment.refresh_from_db(fields=["authorize_attempt"])
            kind = OperationKind.SETUP if is_long else OperationKind.AUTHORIZE
            operation = PaymentOperation.objects.create(
                payment=payment,
                kind=kind,
                amount=order.price,
                idempotency_key=f"order-{order.pk}-{kind}-v{payment.authorize_attempt}",
            )
    if operation.status == OperationStatus.PENDING:
        operation = payment_operation_execute(operation_id=operation.pk, now=now)
    payment.refresh_from_db()
    if operation.status != OperationStatus.SUCCEEDED:
        raise Conflict(_("支付服务暂时不可用，请稍后再试。"), code="provider_unavailable")
    if payment.mode == PaymentMode.HOLD:
        intent = stripe_api.payment_intent_retrieve(payment.stripe_payment_intent_id)
    else:
        intent = stripe_api.setup_intent_retrieve(payment.stripe_setup_intent_id)
    return Authorization(
        payment=payment,
        mode=payment.mode,
        client_secret=intent.get("client_secret") or "",
        intent_id=intent["id"],
    )


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
        order = Order.objects.select_for_update().filter(pk=order_id).first()
        payment = _payment_locked(order)
        due = amount_due(order)
        if due is None or _has_pending(payment):
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
        payment=payment, kind=kind, amount=amount, idempotency_key=_next_key(payment, kind)
    )


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
        payment = (
            Payment.objects.select_for_update().select_related("order").get(pk=operation.payment_id)
        )
        operation = PaymentOperation.objects.select_for_update().get(pk=operation_id)
        if operation.status != OperationStatus.PENDING:
            return operation
        if "error" in result:
            _finish(operation, OperationStatus.FAILED, now, error=result["error"])
            if operation.kind in (OperationKind.AUTHORIZE, OperationKind.SETUP):
                payment.status = PaymentStatus.FAILED
                payment.save(update_fields=["status", "updated_at"])
            return operation
        _apply(payment, operation, result, now)
    return operation


def _finish(operation: PaymentOperation, status: str, now, *, object_id="", error="") -> None:
    operation.status = status
    operation.completed_at = now
    operation.stripe_object_id = object_id or operation.stripe_object_id
    operation.error = (error or "")[:300]
    operation.save(update_fields=["status", "completed_at", "stripe_object_id", "error"])


def _apply(payment: Payment, operation: PaymentOperation, result: dict, now) -> None:
    """Record a successful answer (the payment row locked)."""
    order = payment.order
    has_agency = bool(order.agency_id)
    kind = operation.kind
    fields = {"status", "updated_at"}
    if kind == OperationKind.AUTHORIZE:
        intent = result["intent"]
        payment.stripe_payment_intent_id = intent["id"]
        fields.add("stripe_payment_intent_id")
        _finish(operation, OperationStatus.SUCCEEDED, now, object_id=intent["id"])
        payment.status = PaymentStatus.AWAITING_AUTHORIZATION
        if intent.get("status") == "requires_capture":
            _post_hold(payment, intent, now)
            fields.add("amount_authorized")
    elif kind == OperationKind.SETUP:
        setup = result["setup"]
        payment.stripe_customer_id = result["customer"]
        payment.stripe_setup_intent_id = setup["id"]
        fields.update({"stripe_customer_id", "stripe_setup_intent_id"})
        _finish(operation, OperationStatus.SUCCEEDED, now, object_id=setup["id"])
        payment.status = PaymentStatus.AWAITING_AUTHORIZATION
    elif kind in (OperationKind.CAPTURE, OperationKind.CHARGE):
        intent = result["intent"]
        if intent.get("status") != "succeeded":
            _finish(
                operation,
                OperationStatus.FAILED,
                now,
                object_id=intent.get("id", ""),
                error=f"payment intent {intent.get('status')}",
            )
            payment.status = PaymentStatus.FAILED
            payment.save(update_fields=["status", "updated_at"])
            return
        _finish(operation, OperationStatus.SUCCEEDED, now, object_id=intent["id"])
        if kind == OperationKind.CAPTURE:
            ledger.ledger_post(
                order=order,
                movement=f"order-{order.pk}-release-{intent['id']}",
                lines=ledger.release_lines(payment.amount_authorized),
                operation=operation,
                now=now,
            )
            payment.amount_authorized = 0
        money_kind = (
            LedgerKind.FEE if order.status == OrderStatus.CANCELLED else LedgerKind.CAPTURED
        )
        ledger.ledger_post(
            order=order,
            movement=f"op-{operation.pk}",
            lines=ledger.received_lines(
                cash_account=LedgerAccount.STRIPE_BALANCE,
                kind=money_kind,
                amount=operation.amount,
                has_agency=has_agency,
            ),
            operation=operation,
            now=now,
        )
        payment.amount_captured += operation.amount
        payment.stripe_charge_intent_id = intent["id"]
        payment.stripe_charge_id = stripe_api.object_id(intent.get("latest_charge"))
        payment.status = PaymentStatus.PAID
        fields.update(
            {
                "amount_authorized",
                "amount_captured",
                "stripe_charge_intent_id",
                "stripe_charge_id",
            }
        )
    elif kind == OperationKind.CANCEL:
        intent = result["intent"]
        _finish(operation, OperationStatus.SUCCEEDED, now, object_id=intent.get("id", ""))
        _release(payment, intent.get("id", ""), operation, now)
        fields.add("amount_authorized")
    elif kind == OperationKind.REFUND:
        refund = result["refund"]
        _finish(operation, OperationStatus.SUCCEEDED, now, object_id=refund.get("id", ""))
        ledger.ledger_post(
            order=order,
            movement=f"op-{operation.pk}",
            lines=ledger.refund_lines(amount=operation.amount, has_agency=has_agency),
            operation=operation,
            now=now,
        )
        payment.amount_refunded += operation.amount
        fields.add("amount_refunded")
        if payment.amount_refunded >= payment.amount_captured:
            payment.status = PaymentStatus.REFUNDED
    elif kind == OperationKind.TRANSFER:
        transfer = result["transfer"]
        _finish(operation, OperationStatus.SUCCEEDED, now, object_id=transfer.get("id", ""))
        payee_account = (
            LedgerAccount.AGENCY_PAYABLE
            if operation.payee == Party.AGENCY
            else LedgerAccount.WORKER_PAYABLE
        )
        ledger.ledger_post(
            order=order,
            movement=f"op-{operation.pk}",
            lines=ledger.payout_lines(payee_account=payee_account, amount=operation.amount),
            operation=operation,
            now=now,
        )
    payment.save(update_fields=sorted(fields))


def _post_hold(payment: Payment, intent: dict, now) -> None:
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


def _release(payment: Payment, intent_id: str, operation, now) -> None:
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


def payment_sync_intent(*, intent_id: str, now: dt.datetime | None = None) -> Payment | None:
    """Re-read a PaymentIntent from Stripe and bring the payment to what it shows.

    Used by webhooks: the event only says which intent changed, so events arriving twice or
    out of order all lead to the same state. Then settles the order (an authorisation that
    arrives after completion is captured at once).
    """
    now = now or timezone.now()
    payment = Payment.objects.filter(
        Q(stripe_payment_intent_id=intent_id) | Q(stripe_charge_intent_id=intent_id)
    ).first()
    if payment is None:
        return None
    intent = stripe_api.payment_intent_retrieve(intent_id)
    with transaction.atomic():
        payment = Payment.objects.select_for_update().select_related("order").get(pk=payment.pk)
        if intent_id == payment.stripe_payment_intent_id:
            status = intent.get("status")
            pending = payment.operations.filter(status=OperationStatus.PENDING).last()
            if status == "requires_capture" and payment.status == (
                PaymentStatus.AWAITING_AUTHORIZATION
            ):
                _post_hold(payment, intent, now)
                payment.save(update_fields=["amount_authorized", "status", "updated_at"])
            elif pending is not None and (
                (status == "succeeded" and pending.kind == OperationKind.CAPTURE)
                or (status == "canceled" and pending.kind == OperationKind.CANCEL)
            ):
                # The operation's answer was lost; Stripe shows it done.
                pending = PaymentOperation.objects.select_for_update().get(pk=pending.pk)
                _apply(payment, pending, {"intent": intent}, now)
            elif status == "canceled" and payment.amount_authorized and pending is None:
                # The hold expired or was cancelled at Stripe.
                _release(payment, intent_id, None, now)
                payment.save(update_fields=["amount_authorized", "status", "updated_at"])
    payment_settle(order_id=payment.order_id, now=now)
    payment.refresh_from_db()
    return payment


def payment_sync_setup_intent(*, intent_id: str, now: dt.datetime | None = None):
    """Re-read a SetupIntent: once it succeeded, the card is saved for the charge later."""
    now = now or timezone.now()
    payment = Payment.objects.filter(stripe_setup_intent_id=intent_id).first()
    if payment is None:
        return None
    setup = stripe_api.setup_intent_retrieve(intent_id)
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if setup.get("status") == "succeeded" and payment.status == (
            PaymentStatus.AWAITING_AUTHORIZATION
        ):
            payment.stripe_payment_method_id = stripe_api.object_id(setup.get("payment_method"))
            payment.status = PaymentStatus.METHOD_SAVED
            payment.save(update_fields=["stripe_payment_method_id", "status", "updated_at"])
    payment_settle(order_id=payment.order_id, now=now)
    payment.refresh_from_db()
    return payment


def payment_operations_retry_due(*, now: dt.datetime | None = None) -> int:
    """Send again every operation left pending (same idempotency key); settle ended orders
    whose money is not where it should be. Returns how many operations were sent."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(seconds=settings.PAYMENTS["RETRY_AFTER_SECONDS"])
    due = list(
        PaymentOperation.objects.filter(status=OperationStatus.PENDING)
        .filter(
            Q(last_attempt_at__isnull=True, created_at__lte=cutoff) | Q(last_attempt_at__lte=cutoff)
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    sent = 0
    for operation_id in due:
        payment_operation_execute(operation_id=operation_id, now=now)
        sent += 1
    ended = Payment.objects.filter(
        provider=PaymentProvider.STRIPE,
        order__status__in=(OrderStatus.COMPLETED, OrderStatus.CANCELLED, OrderStatus.REPLACED),
        updated_at__lte=cutoff,
    ).exclude(status__in=(PaymentStatus.FAILED,))
    for order_id in ended.values_list("order_id", flat=True):
        sent += len(payment_settle(order_id=order_id, now=now))
    return sent


# ---------------------------------------------------------------------------------------------
# Payouts: separate charges and transfers to connected accounts.


def payouts_send_due(*, now: dt.datetime | None = None) -> int:
    """Transfer each payee's share of card money once the order can no longer be disputed
    (completed REVIEW_WINDOW_DAYS ago, or cancelled). Returns transfers sent."""
    now = now or timezone.now()
    window = dt.timedelta(days=settings.MEIJIA["REVIEW_WINDOW_DAYS"])
    orders = (
        Order.objects.filter(
            payment__provider=PaymentProvider.STRIPE, payment__amount_captured__gt=0
        )
        .filter(
            Q(status=OrderStatus.COMPLETED, completed_at__lte=now - window)
            | Q(status=OrderStatus.CANCELLED)
        )
        .values_list("pk", flat=True)
    )
    sent = 0
    for order_id in list(orders):
        for operation in _payout_operations(order_id):
            payment_operation_execute(operation_id=operation.pk, now=now)
            sent += 1
    return sent


def _payout_operations(order_id: int) -> list[PaymentOperation]:
    with transaction.atomic():
        order = Order.objects.select_for_update().select_related("worker").get(pk=order_id)
        payment = _payment_locked(order)
        if _has_pending(payment) or order.disputes.filter(status=DisputeStatus.OPEN).exists():
            return []
        balances = ledger.order_balances(order_id)
        available = balances.get(LedgerAccount.STRIPE_BALANCE, 0)
        created = []
        payees = [(Party.WORKER, LedgerAccount.WORKER_PAYABLE, {"worker_id": order.worker_id})]
        if order.agency_id:
            payees.append(
                (Party.AGENCY, LedgerAccount.AGENCY_PAYABLE, {"agency_id": order.agency_id})
            )
        for payee, account, owner in payees:
            owed = -balances.get(account, 0)
            amount = min(owed, available)
            target = PayoutAccount.objects.filter(**owner).first()
            if amount <= 0 or target is None:
                continue
            created.append(
                PaymentOperation.objects.create(
                    payment=payment,
                    kind=OperationKind.TRANSFER,
                    amount=amount,
                    payee=payee,
                    payout_account=target,
                    idempotency_key=_next_key(payment, OperationKind.TRANSFER, f"-{payee}"),
                )
            )
            available -= amount
    return created


def payout_account_set(*, agency=None, worker=None, stripe_account_id: str) -> PayoutAccount:
    """Store (or replace) the connected account that receives an agency's or worker's payouts."""
    if (agency is None) == (worker is None):
        raise ValidationFailed(_("收款账户须属于一个企业或一名服务员。"), field="owner")
    if not stripe_account_id.startswith("acct_"):
        raise ValidationFailed(_("无效的Stripe账户。"), field="stripe_account_id")
    owner = {"agency": agency} if agency is not None else {"worker": worker}
    account, _created = PayoutAccount.objects.update_or_create(
        **owner, defaults={"stripe_account_id": stripe_account_id}
    )
    return account
