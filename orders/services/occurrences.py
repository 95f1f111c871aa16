"""Visits (occurrences) of a request: list, move one, cancel one or from one on.

Rules:
- The household (request owner) or the order's agency may move or cancel a visit; the worker
  may not (she cancels through the order). Only a scheduled visit that has not started yet can
  be changed, and a moved visit must start in the future.
- A move is refused with 409 "busy" when the worker has another live visit at the new time
  (orders.selectors.is_worker_busy, which reads the Occurrence table, so moved visits block
  their new time and cancelled ones free theirs) or when another visit of the same order
  overlaps it.
- Every change is recorded as an OrderEvent whose from_status = to_status = the order's
  status, with data {"occurrence", "action": "moved"|"cancelled", …}, and pushed to the
  parties as `order.updated`.
- The order's starts_at/ends_at follow the first/last scheduled visit (the rule offer
  acceptance uses); a recurring order's price follows the scheduled visits (budget per visit ×
  visits, as orders.pricing.order_price_for). Visit cancellation carries no fee; the contract is not
  re-versioned (the history shows every change).
- When no scheduled visit of an order is left, the order is cancelled through order_transition
  (where the table allows it: pending_contract / confirmed) and its request is closed.

Locks: worker row → order row → the occurrences (the order of offer acceptance).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Max, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.exceptions import Conflict, NotFound, PermissionDeniedError, ValidationFailed
from marketplace.models import User
from marketplace.selectors.eligibility import time_off_overlapping
from orders.locks import lock_occurrence, lock_order, lock_visits, lock_worker
from orders.models import Occurrence, Order, ServiceRequest
from orders.parties import party_of
from orders.selectors import is_worker_busy
from orders.services.cancellation import request_cancel
from orders.services.orders import order_event_record, order_transition
from orders.services.requests import request_after_order_ended
from orders.statuses import (
    ORDER_TRANSITIONS,
    OccurrenceStatus,
    OrderStatus,
    Party,
    RequestKind,
    can_transition,
)

CHANGEABLE_ORDER_STATUSES = (
    OrderStatus.PENDING_CONTRACT,
    OrderStatus.CONFIRMED,
    OrderStatus.IN_PROGRESS,
)
SCOPE_THIS = "this"
SCOPE_FROM_HERE = "from_here"
SCOPES = (SCOPE_THIS, SCOPE_FROM_HERE)


# --- reads -----------------------------------------------------------------------------------


def occurrences_for_user(*, request_id: int, user: User):
    """The visits of a request that the user may see: all for the household owner, those of
    orders the user is party to otherwise. NotFound for anyone else."""
    service_request = ServiceRequest.objects.filter(pk=request_id).first()
    if service_request is None or not user.is_authenticated:
        raise NotFound(_("需求不存在。"))
    queryset = Occurrence.objects.filter(request=service_request).order_by("starts_at", "pk")
    if service_request.household_id == user.pk:
        return queryset
    orders = Order.objects.filter(request=service_request).select_related("worker")
    visible = [order.pk for order in orders if party_of(user, order) is not None]
    if not visible:
        raise NotFound(_("需求不存在。"))
    return queryset.filter(order_id__in=visible)


# --- writes ----------------------------------------------------------------------------------


def _acting_party(*, user: User, occurrence: Occurrence, order: Order | None) -> str:
    """HOUSEHOLD or AGENCY; PermissionDeniedError for the worker, NotFound for others."""
    if occurrence.request.household_id == user.pk:
        return Party.HOUSEHOLD
    party = party_of(user, order) if order is not None else None
    if party == Party.AGENCY:
        return party
    if party == Party.WORKER:
        raise PermissionDeniedError(_("服务员不能调整服务时间，请联系雇主或家政企业。"))
    raise NotFound(_("服务时段不存在。"))


def _locked(*, occurrence_id: int) -> tuple[Occurrence, Order | None]:
    """Lock worker → order → occurrence, in the app's lock order, and re-read them."""
    occurrence = Occurrence.objects.select_related("request").filter(pk=occurrence_id).first()
    if occurrence is None:
        raise NotFound(_("服务时段不存在。"))
    if occurrence.worker_id:
        lock_worker(occurrence.worker_id)
    order = None
    if occurrence.order_id:
        order = lock_order(occurrence.order_id, related=("worker",))
    occurrence = lock_occurrence(occurrence_id)
    return occurrence, order


def _check_changeable(*, occurrence: Occurrence, order: Order | None, now: dt.datetime) -> None:
    if occurrence.status != OccurrenceStatus.SCHEDULED:
        raise Conflict(_("该次服务已取消。"), code="occurrence_cancelled")
    if occurrence.starts_at <= now:
        raise Conflict(_("只能调整尚未开始的服务。"), code="occurrence_started")
    if order is not None and order.status not in CHANGEABLE_ORDER_STATUSES:
        raise Conflict(
            _("订单当前状态不能调整服务时间。"),
            code="order_not_changeable",
            extra={"current_status": order.status},
        )


def _sync_order(*, order: Order) -> list[str]:
    """Order times follow its scheduled visits; a recurring price follows their number."""
    scheduled = Occurrence.objects.filter(order=order, status=OccurrenceStatus.SCHEDULED)
    bounds = scheduled.aggregate(first=Min("starts_at"), last=Max("ends_at"))
    changed = []
    if bounds["first"] is not None and (order.starts_at, order.ends_at) != (
        bounds["first"],
        bounds["last"],
    ):
        order.starts_at, order.ends_at = bounds["first"], bounds["last"]
        changed += ["starts_at", "ends_at"]
    if order.request.kind == RequestKind.RECURRING:
        price = order.request.budget * scheduled.count()
        if price and price != order.price:
            order.price = price
            changed.append("price")
    if changed:
        order.save(update_fields=[*changed, "updated_at"])
    return changed


def _record(*, order: Order, actor: User, reason: str, data: dict):
    return order_event_record(
        order=order, actor=actor, reason=reason, data=data, data_in_payload=True
    )


def occurrence_move(
    *,
    occurrence_id: int,
    user: User,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    reason: str = "",
) -> Occurrence:
    """Move one future visit to a new time the worker is free at.

    Raises NotFound, PermissionDeniedError (worker), ValidationFailed (times), Conflict
    "occurrence_cancelled" / "occurrence_started" / "order_not_changeable" / "busy".
    """
    now = timezone.now()
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise ValidationFailed(_("时间须包含时区。"), field="starts_at")
    if starts_at <= now:
        raise ValidationFailed(_("新的开始时间须晚于当前时间。"), field="starts_at")
    if ends_at <= starts_at:
        raise ValidationFailed(_("结束时间须晚于开始时间。"), field="ends_at")
    reason = (reason or "").strip() or _("调整服务时间")
    with transaction.atomic():
        occurrence, order = _locked(occurrence_id=occurrence_id)
        _acting_party(user=user, occurrence=occurrence, order=order)
        _check_changeable(occurrence=occurrence, order=order, now=now)
        if occurrence.worker_id:
            same_order_overlap = (
                Occurrence.objects.filter(
                    order_id=occurrence.order_id,
                    status=OccurrenceStatus.SCHEDULED,
                    starts_at__lt=ends_at,
                    ends_at__gt=starts_at,
                )
                .exclude(pk=occurrence.pk)
                .exists()
            )
            if same_order_overlap or is_worker_busy(
                worker_id=occurrence.worker_id,
                slots=[(starts_at, ends_at)],
                exclude_order_id=occurrence.order_id,
            ):
                raise Conflict(_("服务员在新的时间已有其他服务。"), code="busy")
            on_leave = time_off_overlapping([(starts_at, ends_at)])
            if on_leave.filter(worker_id=occurrence.worker_id).exists():
                raise Conflict(_("服务员在新的时间请假。"), code="on_leave")
        moved_from = [occurrence.starts_at.isoformat(), occurrence.ends_at.isoformat()]
        occurrence.starts_at, occurrence.ends_at = starts_at, ends_at
        occurrence.change_reason = reason[:200]
        occurrence.worker_time_off = None  # moved out of her time off: no substitute needed
        occurrence.save(update_fields=["starts_at", "ends_at", "change_reason", "worker_time_off"])
        service_request = occurrence.request
        if service_request.kind == RequestKind.ONE_OFF:
            ServiceRequest.objects.filter(pk=service_request.pk).update(
                starts_at=starts_at, ends_at=ends_at
            )
        if order is not None:
            _sync_order(order=order)
            _record(
                order=order,
                actor=user,
                reason=reason,
                data={
                    "occurrence": occurrence.pk,
                    "action": "moved",
                    "moved_from": moved_from,
                    "moved_to": [starts_at.isoformat(), ends_at.isoformat()],
                },
            )
    return occurrence


def occurrence_cancel(
    *, occurrence_id: int, user: User, reason: str, scope: str = SCOPE_THIS
) -> list[Occurrence]:
    """Cancel one future visit ("this") or it and every later visit ("from_here").

    Returns the visits cancelled. When no scheduled visit of the order is left, the order is
    cancelled (where allowed) and its request closed. Raises NotFound, PermissionDeniedError,
    ValidationFailed (reason, scope), Conflict as occurrence_move.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("请填写取消原因。"), field="reason")
    if scope not in SCOPES:
        raise ValidationFailed(_("取消范围须为 this 或 from_here。"), field="scope")
    now = timezone.now()
    with transaction.atomic():
        occurrence, order = _locked(occurrence_id=occurrence_id)
        party = _acting_party(user=user, occurrence=occurrence, order=order)
        _check_changeable(occurrence=occurrence, order=order, now=now)
        targets = Occurrence.objects.filter(pk=occurrence.pk)
        if scope == SCOPE_FROM_HERE:
            targets = Occurrence.objects.filter(
                Q(order_id=occurrence.order_id) if occurrence.order_id else Q(order__isnull=True),
                request_id=occurrence.request_id,
                status=OccurrenceStatus.SCHEDULED,
                starts_at__gte=occurrence.starts_at,
            )
        cancelled = lock_visits(targets)
        Occurrence.objects.filter(pk__in=[o.pk for o in cancelled]).update(
            status=OccurrenceStatus.CANCELLED, change_reason=reason[:200]
        )
        for visit in cancelled:
            visit.status, visit.change_reason = OccurrenceStatus.CANCELLED, reason[:200]
        cancelled_ids = [visit.pk for visit in cancelled]

        if order is None:
            _close_request_without_visits(request=occurrence.request, user=user, reason=reason)
            return cancelled
        _record(
            order=order,
            actor=user,
            reason=reason,
            data={
                "occurrence": occurrence.pk,
                "action": "cancelled",
                "scope": scope,
                "cancelled": cancelled_ids,
            },
        )
        remaining = Occurrence.objects.filter(
            order=order, status=OccurrenceStatus.SCHEDULED
        ).exists()
        if remaining:
            _sync_order(order=order)
        elif can_transition(ORDER_TRANSITIONS, order.status, OrderStatus.CANCELLED):
            order_transition(
                order_id=order.pk,
                to_status=OrderStatus.CANCELLED,
                actor=user,
                reason=reason,
                data={"all_visits_cancelled": True},
                updates={"cancelled_at": now, "cancelled_by_party": party},
            )
            request_after_order_ended(
                request_id=order.request_id, reason=reason, now=now, reopen=False, actor=user
            )
    return cancelled


def _close_request_without_visits(*, request: ServiceRequest, user: User, reason: str) -> None:
    """An open request with no scheduled visit left is cancelled (it asks for nothing)."""
    if Occurrence.objects.filter(request=request, status=OccurrenceStatus.SCHEDULED).exists():
        return
    request_cancel(request_id=request.pk, actor=user, reason=reason)
