"""Disputes: a party opens one on an order in or after service; the order's agency staff or
an operator resolves it (completed, partial refund, full refund)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.exceptions import (
    Conflict,
    InvalidTransition,
    NotFound,
    PermissionDeniedError,
    ValidationFailed,
)
from marketplace.models import User, WorkerProfile
from orders.locks import lock_open_dispute, lock_order
from orders.models import Dispute, Occurrence, Order
from orders.parties import party_of
from orders.payments.settlement import payment_settle_on_commit
from orders.services.orders import order_for_party, order_transition, refuse_unless_status
from orders.services.requests import request_after_order_ended
from orders.statuses import DisputeOutcome, DisputeStatus, OrderStatus, Party

DISPUTABLE_STATUSES = (
    OrderStatus.IN_PROGRESS,
    OrderStatus.AWAITING_CONFIRMATION,
    OrderStatus.COMPLETED,
)


def order_dispute_open(*, order_id: int, actor: User, reason: str, now=None) -> Dispute:
    """A party opens a dispute: in_progress | awaiting_confirmation | completed → disputed.

    A completed order can be disputed within REVIEW_WINDOW_DAYS of completion. Raises
    NotFound, ValidationFailed (`reason`), InvalidTransition, Conflict `dispute_window_closed`.
    """
    now = now or timezone.now()
    reason = (reason or "").strip()
    order, party = order_for_party(order_id=order_id, user=actor)
    if not reason:
        raise ValidationFailed(_("请填写争议原因。"), field="reason")
    refuse_unless_status(order, *DISPUTABLE_STATUSES, target=OrderStatus.DISPUTED)
    window = dt.timedelta(days=settings.MEIJIA["REVIEW_WINDOW_DAYS"])
    if (
        order.status == OrderStatus.COMPLETED
        and order.completed_at
        and now > (order.completed_at + window)
    ):
        raise Conflict(_("订单完成已超过争议期限。"), code="dispute_window_closed")
    with transaction.atomic():
        order = order_transition(
            order_id=order_id,
            to_status=OrderStatus.DISPUTED,
            actor=actor,
            reason=reason,
            data={"party": party},
            from_statuses=DISPUTABLE_STATUSES,
        )
        # order_transition checked the status under the lock; record what it came from.
        previous = order.events.order_by("-id").values_list("from_status", flat=True).first()
        dispute = Dispute.objects.create(
            order=order, opened_by=actor, previous_status=previous, reason=reason
        )
    return dispute


def _resolver_order(*, order_id: int, actor: User) -> Order:
    """The order, when the actor may resolve its dispute (its agency's staff or an operator)."""
    order = Order.objects.select_related("worker").filter(pk=order_id).first()
    if order is None:
        raise NotFound(_("订单不存在。"))
    is_operator = actor.is_operator
    party = party_of(actor, order)
    if not is_operator and party is None:
        raise NotFound(_("订单不存在。"))
    if not is_operator and party != Party.AGENCY:
        raise PermissionDeniedError(_("只有家政企业或平台运营可以处理争议。"), code="wrong_party")
    return order


def _refund_for(*, order: Order, outcome: str, refund_amount) -> int:
    """The refund an outcome carries; ValidationFailed on `outcome` or `refund_amount`."""
    if outcome not in DisputeOutcome.values:
        raise ValidationFailed(_("未知的处理结果。"), field="outcome")
    if outcome == DisputeOutcome.PARTIAL_REFUND:
        if not isinstance(refund_amount, int) or not 0 < refund_amount <= order.price:
            raise ValidationFailed(_("退款金额须大于0且不超过订单价格。"), field="refund_amount")
        return refund_amount
    if outcome == DisputeOutcome.FULL_REFUND:
        return order.price
    return 0


def _worker_jobs_follow(*, order: Order, dispute: Dispute, target: str) -> None:
    """Her completed-jobs count follows the order in and out of `completed`."""
    was_completed = dispute.previous_status == OrderStatus.COMPLETED
    if target == OrderStatus.COMPLETED and not was_completed:
        WorkerProfile.objects.filter(pk=order.worker_id).update(
            completed_jobs=F("completed_jobs") + 1
        )
    elif target == OrderStatus.CANCELLED and was_completed:
        WorkerProfile.objects.filter(pk=order.worker_id, completed_jobs__gt=0).update(
            completed_jobs=F("completed_jobs") - 1
        )


def _dispute_close(
    *, dispute: Dispute, actor: User, outcome: str, refund_amount: int, note: str, now
) -> None:
    dispute.status = DisputeStatus.RESOLVED
    dispute.outcome = outcome
    dispute.refund_amount = refund_amount
    dispute.resolution_note = note
    dispute.resolved_by = actor
    dispute.resolved_at = now
    dispute.save(
        update_fields=[
            "status",
            "outcome",
            "refund_amount",
            "resolution_note",
            "resolved_by",
            "resolved_at",
        ]
    )


def order_dispute_resolve(
    *,
    order_id: int,
    actor: User,
    outcome: str,
    refund_amount: int = 0,
    note: str = "",
    now=None,
) -> Dispute:
    """Staff of the order's agency or an operator resolves the open dispute.

    completed → order completed (no refund); partial_refund → completed with 0 < refund ≤
    price; full_refund → cancelled with the whole price refunded, and its request closed (or
    reopened when no visit was attended) by request_after_order_ended. Raises NotFound (not the
    agency's order), PermissionDeniedError, ValidationFailed, InvalidTransition.
    Locks the open dispute row, then the order (order_transition).
    """
    now = now or timezone.now()
    order = _resolver_order(order_id=order_id, actor=actor)
    refund_amount = _refund_for(order=order, outcome=outcome, refund_amount=refund_amount)
    target = (
        OrderStatus.CANCELLED if outcome == DisputeOutcome.FULL_REFUND else OrderStatus.COMPLETED
    )
    refuse_unless_status(order, OrderStatus.DISPUTED, target=target)
    with transaction.atomic():
        dispute = lock_open_dispute(order_id)
        if dispute is None:
            raise InvalidTransition(entity="dispute", current="none", target=outcome)
        # The order's state as it is under the lock (dispute, then order: orders/locks.py).
        order = lock_order(order_id, related=("worker", "request"), only_order=False)
        refund_amount = _refund_for(order=order, outcome=outcome, refund_amount=refund_amount)
        updates: dict = {}
        if target == OrderStatus.COMPLETED and not order.completed_at:
            updates["completed_at"] = now
        if target == OrderStatus.CANCELLED:
            updates["cancelled_at"] = now
        order = order_transition(
            order_id=order_id,
            to_status=target,
            actor=actor,
            reason=note or _("争议处理：%(outcome)s") % {"outcome": outcome},
            data={"dispute": dispute.pk, "outcome": outcome, "refund_amount": refund_amount},
            updates=updates,
            from_statuses=(OrderStatus.DISPUTED,),
        )
        if target == OrderStatus.CANCELLED:
            # As after order_cancel: the request reopens (new wave) when the service has not
            # begun, otherwise it closes. A dispute follows a check-in, so it normally closes.
            attended = Occurrence.objects.filter(order=order, checked_in_at__isnull=False)
            request_after_order_ended(
                request_id=order.request_id,
                reason=note or _("争议处理：全额退款"),
                now=now,
                reopen=not attended.exists(),
                actor=actor,
            )
        _worker_jobs_follow(order=order, dispute=dispute, target=target)
        _dispute_close(
            dispute=dispute,
            actor=actor,
            outcome=outcome,
            refund_amount=refund_amount,
            note=note,
            now=now,
        )
        payment_settle_on_commit(order_id=order.pk)  # capture or refund after commit
    return dispute
