"""Cancelling an order or a request, and the no-show that cancels an order.

Fee rule for cancellations (PRODUCT.md §3, shown by `order_cancel_preview`; the amount is
orders.pricing.late_cancellation_fee):
- the household cancels free until MEIJIA["FREE_CANCELLATION_HOURS"] hours before the start;
  later it owes MEIJIA["LATE_CANCELLATION_FEE_PERCENT"] % of the price (rounded down to a fen);
- a worker's late cancellation costs no money but adds one to `worker.late_cancellations`;
- agency staff cancel without a fee;
- a recorded worker no-show cancels the order with no fee for the household and adds one to
  `worker.no_shows`; a recorded household no-show cancels it with the full price as fee.
After a cancellation the request reopens (matched → open, with a new offer wave) when its start
is still in the future, otherwise it is cancelled.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.exceptions import (
    Conflict,
    NotFound,
    PermissionDeniedError,
    ValidationFailed,
)
from marketplace.models import User, WorkerProfile
from orders.locks import lock_order
from orders.models import Occurrence, Order, ServiceRequest
from orders.payments.settlement import payment_settle_on_commit
from orders.pricing import late_cancellation_fee
from orders.services.offers import offers_withdraw_pending
from orders.services.orders import order_for_party, order_transition, refuse_unless_status
from orders.services.requests import request_after_order_ended
from orders.services.transitions import request_transition
from orders.statuses import (
    ACTIVE_ORDER_STATUSES,
    OccurrenceStatus,
    OrderStatus,
    Party,
    RequestStatus,
)


@dataclass(frozen=True)
class CancellationQuote:
    """What cancelling now would cost, and for whom (the documented fee rule above)."""

    party: str
    fee: int
    is_late: bool
    free_until: dt.datetime
    counts_late_cancellation: bool
    allowed: bool
    current_status: str

    def as_dict(self) -> dict:
        return {
            "party": self.party,
            "fee": self.fee,
            "is_late": self.is_late,
            "free_until": self.free_until.isoformat(),
            "counts_late_cancellation": self.counts_late_cancellation,
            "allowed": self.allowed,
            "current_status": self.current_status,
        }


CANCELLABLE_STATUSES = (OrderStatus.PENDING_CONTRACT, OrderStatus.CONFIRMED)


def cancellation_quote(*, order: Order, party: str, now: dt.datetime | None = None):
    """The fee rule: free until FREE_CANCELLATION_HOURS before the start; later the household
    owes LATE_CANCELLATION_FEE_PERCENT % of the price, a worker owes no money but the late
    cancellation is counted; agency staff cancel free."""
    now = now or timezone.now()
    free_until = order.starts_at - dt.timedelta(hours=settings.MEIJIA["FREE_CANCELLATION_HOURS"])
    is_late = now >= free_until
    fee = 0
    if is_late and party == Party.HOUSEHOLD:
        fee = late_cancellation_fee(order.price)
    return CancellationQuote(
        party=party,
        fee=fee,
        is_late=is_late,
        free_until=free_until,
        counts_late_cancellation=is_late and party == Party.WORKER,
        allowed=order.status in CANCELLABLE_STATUSES,
        current_status=order.status,
    )


def order_cancel_preview(*, order_id: int, actor: User, now: dt.datetime | None = None):
    """What cancelling the order now would cost the actor; changes nothing."""
    order, party = order_for_party(order_id=order_id, user=actor)
    return cancellation_quote(order=order, party=party, now=now)


def _cancel(
    *,
    order: Order,
    actor: User | None,
    party: str,
    reason: str,
    fee: int,
    data: dict,
    now: dt.datetime,
    reopen_request: bool,
    extra_updates: dict | None = None,
) -> Order:
    with transaction.atomic():
        order = order_transition(
            order_id=order.pk,
            to_status=OrderStatus.CANCELLED,
            actor=actor,
            reason=reason,
            data={"party": party, "fee": fee, **data},
            from_statuses=CANCELLABLE_STATUSES,
            updates={
                "cancelled_at": now,
                "cancelled_by_party": party,
                "cancellation_fee": fee,
                **(extra_updates or {}),
            },
        )
        request_after_order_ended(
            request_id=order.request_id,
            reason=reason,
            now=now,
            reopen=reopen_request,
            actor=actor,
        )
        payment_settle_on_commit(order_id=order.pk)  # fee or release after commit
    return order


def _locked_for_cancel(order_id: int) -> Order:
    """The order row with its worker and request, locked as order_transition locks them (the
    same rows in the same statement, so the lock order holds)."""
    order = lock_order(order_id, related=("worker", "request"), only_order=False)
    if order is None:
        raise NotFound(_("订单不存在。"))
    return order


def order_cancel(
    *,
    order_id: int,
    actor: User,
    reason: str,
    now: dt.datetime | None = None,
    reopen_request: bool = True,
) -> Order:
    """A party cancels before the work starts (fee rule in the module docstring).

    Raises NotFound, ValidationFailed (`reason`), InvalidTransition (409 with current_status).
    The request reopens with a new wave when its start is ahead (unless `reopen_request` is
    False: the household cancelling its whole request), otherwise it is cancelled.
    Locks the order with its worker and request rows, then quotes the fee from the locked row.
    """
    now = now or timezone.now()
    reason = (reason or "").strip()
    order, party = order_for_party(order_id=order_id, user=actor)
    if not reason:
        raise ValidationFailed(_("请填写取消原因。"), field="reason")
    refuse_unless_status(order, *CANCELLABLE_STATUSES, target=OrderStatus.CANCELLED)
    with transaction.atomic():
        # The fee is quoted from the locked row: a concurrent move of the start or change of
        # the price (or another cancellation) is seen, not the state read before the lock.
        order = _locked_for_cancel(order.pk)
        quote = cancellation_quote(order=order, party=party, now=now)
        order = _cancel(
            order=order,
            actor=actor,
            party=party,
            reason=reason,
            fee=quote.fee,
            data={"is_late": quote.is_late},
            now=now,
            reopen_request=reopen_request,
        )
        if quote.counts_late_cancellation:
            WorkerProfile.objects.filter(pk=order.worker_id).update(
                late_cancellations=F("late_cancellations") + 1
            )
    return order


def order_report_no_show(
    *, order_id: int, actor: User, absent_party: str, reason: str = "", now=None
) -> Order:
    """Record that the worker or the household did not show up (after the start time).

    The other party or the agency reports it. A worker no-show cancels the order with no fee
    for the household and counts against the worker; a household no-show cancels it with the
    full price as fee. Raises NotFound, PermissionDeniedError, ValidationFailed, Conflict
    `too_early`, InvalidTransition.
    """
    now = now or timezone.now()
    order, party = order_for_party(order_id=order_id, user=actor)
    if absent_party not in (Party.WORKER, Party.HOUSEHOLD):
        raise ValidationFailed(_("请选择爽约方：worker 或 household。"), field="party")
    if party == absent_party:
        raise PermissionDeniedError(_("不能报告自己爽约。"), code="wrong_party")
    refuse_unless_status(order, OrderStatus.CONFIRMED, target=OrderStatus.CANCELLED)
    reason = (reason or "").strip() or (
        _("服务员爽约") if absent_party == Party.WORKER else _("雇主爽约")
    )
    with transaction.atomic():
        order = _locked_for_cancel(order.pk)  # start and price as they are under the lock
        refuse_unless_status(order, OrderStatus.CONFIRMED, target=OrderStatus.CANCELLED)
        if now < order.starts_at:
            raise Conflict(_("服务开始后才能报告爽约。"), code="too_early")
        fee = order.price if absent_party == Party.HOUSEHOLD else 0
        order = _cancel(
            order=order,
            actor=actor,
            party=absent_party,
            reason=reason,
            fee=fee,
            data={"no_show": absent_party, "reported_by": party},
            now=now,
            reopen_request=True,
            extra_updates={"no_show_party": absent_party},
        )
        if absent_party == Party.WORKER:
            WorkerProfile.objects.filter(pk=order.worker_id).update(no_shows=F("no_shows") + 1)
    return order


def request_cancel(*, request_id: int, actor: User, reason: str) -> ServiceRequest:
    """The household cancels its request: open → cancelled (pending offers withdrawn).

    A matched request is cancelled through its live order (order_cancel), whose fee rule
    applies. Raises NotFound (not the owner), ValidationFailed (no reason), InvalidTransition.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("请填写取消原因。"), field="reason")
    service_request = ServiceRequest.objects.filter(pk=request_id, household=actor).first()
    if service_request is None:
        raise NotFound(_("需求不存在。"))
    if service_request.status == RequestStatus.MATCHED:
        order = service_request.orders.filter(status__in=ACTIVE_ORDER_STATUSES).first()
        if order is None:
            raise Conflict(_("需求状态已变化，请刷新。"))
        order_cancel(order_id=order.pk, actor=actor, reason=reason, reopen_request=False)
        service_request.refresh_from_db()
        return service_request

    now = timezone.now()
    with transaction.atomic():
        request_transition(
            request_id=request_id,
            to_status=RequestStatus.CANCELLED,
            actor=actor,
            reason=reason,
            from_statuses=(RequestStatus.OPEN,),
            updates={"cancel_reason": reason[:200], "closed_at": now},
        )
        offers_withdraw_pending(request_id=request_id, now=now, actor=actor, reason=reason)
        Occurrence.objects.filter(request_id=request_id, checked_in_at__isnull=True).exclude(
            order__status=OrderStatus.REPLACED
        ).update(status=OccurrenceStatus.CANCELLED, change_reason=reason[:200])
    service_request.refresh_from_db()
    return service_request
