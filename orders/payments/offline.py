"""Offline payments: the agency records money received in hand."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.exceptions import (
    NotFound,
    PermissionDeniedError,
    ValidationFailed,
)
from marketplace.models import User
from orders.models import (
    Order,
    PaymentOperation,
)
from orders.models.payments import (
    LedgerAccount,
    LedgerKind,
    OfflineMethod,
    OperationKind,
    OperationStatus,
    PaymentStatus,
)
from orders.parties import party_of
from orders.payments import ledger
from orders.payments.amounts import order_received_total
from orders.payments.operations import (
    operation_key_next,
    payment_locked,
)
from orders.statuses import Party


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
        payment = payment_locked(order)
        if idempotency_key:
            key = f"order-{order.pk}-offline-{idempotency_key}"
            existing = payment.operations.filter(idempotency_key=key).first()
            if existing is not None:
                return existing
        else:
            key = operation_key_next(payment, OperationKind.OFFLINE)
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
