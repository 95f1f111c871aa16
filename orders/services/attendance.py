"""Attendance: the worker checks in (with the visit's start code) and out, the household
confirms the work, and orders left unconfirmed are confirmed by the periodic pass.

One-off and placement orders have one visit and move confirmed → in_progress →
awaiting_confirmation at check-in and check-out. A recurring order checks in and out of each
visit: the first check-in starts it, the check-out of the last visit finishes it; the ones
between are visit events that keep it in_progress.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.exceptions import Conflict, InvalidTransition
from marketplace.models import User, WorkerProfile
from orders.locks import lock_order
from orders.models import Occurrence, Order
from orders.payments.settlement import payment_settle_on_commit
from orders.services.orders import (
    order_event_record,
    order_for_party,
    order_transition,
    party_required,
    refuse_unless_status,
)
from orders.services.start_codes import (
    start_code_check_in_visit,
    start_code_consume,
    start_code_verify,
)
from orders.statuses import OccurrenceStatus, OrderStatus, Party, RequestKind
from orders.visits import (
    CHECK_IN_EARLY_MINUTES,
    scheduled_visits,
    visit_to_check_in,
    visits_after,
)


def _locked_order(order_id: int) -> Order:
    """Re-read the order under its row lock (the lock order: order, then its visits)."""
    return lock_order(order_id, related=("request",))


def _visit_event(*, order: Order, actor: User, reason: str, occurrence: Occurrence, action: str):
    """Record one visit's check-in or check-out on a recurring order that stays in its status."""
    return order_event_record(
        order=order,
        actor=actor,
        reason=reason,
        data={"occurrence": occurrence.pk, "action": action},
        data_in_payload=True,
    )


def _claim(queryset, **values) -> None:
    """A conditional UPDATE of one visit; a concurrent caller that got there first → 409."""
    if not queryset.update(**values):
        raise Conflict(_("这次服务的签到状态已变化，请刷新。"), code="attendance_changed")


def _check_in_single_visit(
    *, order: Order, actor: User, now: dt.datetime, position: dict, start_code: str | None
) -> Order:
    """One-off and placement check-in: confirmed → in_progress, the visit records the time."""
    refuse_unless_status(order, OrderStatus.CONFIRMED, target=OrderStatus.IN_PROGRESS)
    if now < order.starts_at - dt.timedelta(minutes=CHECK_IN_EARLY_MINUTES):
        raise Conflict(
            _("服务开始前%(minutes)s分钟内才能签到。") % {"minutes": CHECK_IN_EARLY_MINUTES},
            code="too_early",
        )
    code, _distance = start_code_verify(
        order=order,
        occurrence=start_code_check_in_visit(order=order),
        code=start_code,
        now=now,
        **position,
    )
    with transaction.atomic():
        order = order_transition(
            order_id=order.pk,
            to_status=OrderStatus.IN_PROGRESS,
            actor=actor,
            reason=_("服务员签到"),
            from_statuses=(OrderStatus.CONFIRMED,),
            updates={"checked_in_at": now},
        )
        Occurrence.objects.filter(
            order=order, status=OccurrenceStatus.SCHEDULED, checked_in_at__isnull=True
        ).update(checked_in_at=now)
        start_code_consume(start_code=code, now=now)
    return order


def _check_in_recurring_visit(
    *,
    order: Order,
    actor: User,
    occurrence_id: int | None,
    now: dt.datetime,
    position: dict,
    start_code: str | None,
) -> Order:
    """Recurring check-in of one visit; the first one moves the order to in_progress."""
    order_id = order.pk
    refuse_unless_status(
        order, OrderStatus.CONFIRMED, OrderStatus.IN_PROGRESS, target=OrderStatus.IN_PROGRESS
    )
    # The visit's code is checked before the transaction, so that a wrong try stays counted.
    visit = visit_to_check_in(visits=scheduled_visits(order), occurrence_id=occurrence_id, now=now)
    code, _distance = start_code_verify(
        order=order, occurrence=visit, code=start_code, now=now, **position
    )
    with transaction.atomic():
        order = _locked_order(order_id)
        refuse_unless_status(
            order, OrderStatus.CONFIRMED, OrderStatus.IN_PROGRESS, target=OrderStatus.IN_PROGRESS
        )
        visit = visit_to_check_in(visits=scheduled_visits(order), occurrence_id=visit.pk, now=now)
        _claim(
            Occurrence.objects.filter(
                pk=visit.pk, status=OccurrenceStatus.SCHEDULED, checked_in_at__isnull=True
            ),
            checked_in_at=now,
        )
        start_code_consume(start_code=code, now=now)
        if order.status == OrderStatus.CONFIRMED:
            return order_transition(
                order_id=order_id,
                to_status=OrderStatus.IN_PROGRESS,
                actor=actor,
                reason=_("服务员签到"),
                data={"occurrence": visit.pk, "action": "checked_in"},
                from_statuses=(OrderStatus.CONFIRMED,),
                updates={"checked_in_at": now},
            )
        _visit_event(
            order=order, actor=actor, reason=_("服务员签到"), occurrence=visit, action="checked_in"
        )
    return order


def order_check_in(
    *,
    order_id: int,
    actor: User,
    occurrence_id: int | None = None,
    now: dt.datetime | None = None,
    start_code: str | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
) -> Order:
    """The worker checks in with the visit's start code (and, when the phone gives it, her
    position: orders.services.start_codes). Opens CHECK_IN_EARLY_MINUTES before the visit's
    start.

    One-off and placement: confirmed → in_progress, and the order's visit records the time.
    Recurring: checks in one visit (`occurrence_id`, or the one due now, see
    `visit_to_check_in`); the first check-in moves the order confirmed → in_progress, later
    ones record a visit event and keep it in_progress.

    Locks the order row, then claims the visit with a conditional UPDATE. Raises NotFound,
    PermissionDeniedError (not the worker), InvalidTransition, Conflict `too_early` (and, for
    recurring orders, the codes of `visit_to_check_in`).
    """
    now = now or timezone.now()
    order, party = order_for_party(order_id=order_id, user=actor)
    party_required(party, (Party.WORKER,), _("签到"))
    position = {"latitude": latitude, "longitude": longitude}
    if order.request.kind != RequestKind.RECURRING:
        return _check_in_single_visit(
            order=order, actor=actor, now=now, position=position, start_code=start_code
        )
    return _check_in_recurring_visit(
        order=order,
        actor=actor,
        occurrence_id=occurrence_id,
        now=now,
        position=position,
        start_code=start_code,
    )


def _finish(*, order_id: int, actor: User, now: dt.datetime, data: dict | None = None) -> Order:
    """in_progress → awaiting_confirmation, the worker's finishing time recorded."""
    return order_transition(
        order_id=order_id,
        to_status=OrderStatus.AWAITING_CONFIRMATION,
        actor=actor,
        reason=_("服务员完工"),
        data=data,
        from_statuses=(OrderStatus.IN_PROGRESS,),
        updates={"worker_finished_at": now},
    )


def _refuse_before_start(*, starts_at: dt.datetime, now: dt.datetime) -> None:
    """Check-out only once the booked time has begun (check-in may open a little earlier)."""
    if now < starts_at:
        raise Conflict(
            _("预约的服务开始时间还没到，不能签退。"),
            code="before_start",
            extra={"starts_at": starts_at.isoformat()},
        )


def _check_out_recurring_visit(
    *, order_id: int, actor: User, occurrence_id: int | None, now: dt.datetime
) -> Order:
    """Recurring check-out of the open visit; the last one finishes the order."""
    with transaction.atomic():
        order = _locked_order(order_id)
        refuse_unless_status(
            order, OrderStatus.IN_PROGRESS, target=OrderStatus.AWAITING_CONFIRMATION
        )
        visits = scheduled_visits(order)
        open_visit = next((v for v in visits if v.checked_in_at and not v.checked_out_at), None)
        attended = [v for v in visits if v.checked_in_at]
        if (
            open_visit is None
            and occurrence_id is None
            and attended
            and not visits_after(visits, attended[-1])
        ):
            # Every visit after her last one was cancelled: nothing is left to check out.
            return _finish(order_id=order_id, actor=actor, now=now, data={"action": "finished"})
        if open_visit is None or occurrence_id not in (None, open_visit.pk):
            raise Conflict(
                _("这次服务还没有签到，不能签退。"),
                code="not_checked_in",
                extra={"occurrence": occurrence_id or (open_visit.pk if open_visit else None)},
            )
        _refuse_before_start(starts_at=open_visit.starts_at, now=now)
        _claim(
            Occurrence.objects.filter(
                pk=open_visit.pk, checked_in_at__isnull=False, checked_out_at__isnull=True
            ),
            checked_out_at=now,
        )
        later = [v for v in visits if (v.starts_at, v.pk) > (open_visit.starts_at, open_visit.pk)]
        if not later:
            data = {"occurrence": open_visit.pk, "action": "checked_out"}
            return _finish(order_id=order_id, actor=actor, now=now, data=data)
        _visit_event(
            order=order,
            actor=actor,
            reason=_("服务员签退"),
            occurrence=open_visit,
            action="checked_out",
        )
    return order


def order_complete(
    *,
    order_id: int,
    actor: User,
    occurrence_id: int | None = None,
    now: dt.datetime | None = None,
) -> Order:
    """The worker checks out and marks the work done.

    One-off and placement: in_progress → awaiting_confirmation. Recurring: checks out the
    visit she is checked in to (`occurrence_id`, when given, must be that visit); the order
    goes in_progress → awaiting_confirmation only when no scheduled visit after it is left,
    otherwise the check-out is recorded as a visit event and the order stays in_progress.

    Locks the order row. Raises NotFound, PermissionDeniedError, InvalidTransition, Conflict
    `not_checked_in` (recurring: no visit is checked in), Conflict `before_start` (the
    booked start of the visit has not come yet).
    """
    now = now or timezone.now()
    order, party = order_for_party(order_id=order_id, user=actor)
    party_required(party, (Party.WORKER,), _("完工"))
    if order.request.kind != RequestKind.RECURRING:
        refuse_unless_status(
            order, OrderStatus.IN_PROGRESS, target=OrderStatus.AWAITING_CONFIRMATION
        )
        _refuse_before_start(starts_at=order.starts_at, now=now)
        with transaction.atomic():
            order = _finish(order_id=order_id, actor=actor, now=now)
            Occurrence.objects.filter(
                order=order, status=OccurrenceStatus.SCHEDULED, checked_out_at__isnull=True
            ).update(checked_out_at=now)
        return order
    refuse_unless_status(order, OrderStatus.IN_PROGRESS, target=OrderStatus.AWAITING_CONFIRMATION)
    return _check_out_recurring_visit(
        order_id=order_id, actor=actor, occurrence_id=occurrence_id, now=now
    )


def order_mark_completed(
    *, order_id: int, actor: User | None, reason: str, now: dt.datetime | None = None
) -> Order:
    """awaiting_confirmation → completed and one more completed job for the worker."""
    now = now or timezone.now()
    with transaction.atomic():
        order = order_transition(
            order_id=order_id,
            to_status=OrderStatus.COMPLETED,
            actor=actor,
            reason=reason,
            updates={"completed_at": now},
            from_statuses=(OrderStatus.AWAITING_CONFIRMATION,),
        )
        WorkerProfile.objects.filter(pk=order.worker_id).update(
            completed_jobs=F("completed_jobs") + 1
        )
        payment_settle_on_commit(order_id=order.pk)  # capture after commit (orders/payments)
    return order


def order_confirm(*, order_id: int, actor: User) -> Order:
    """The household confirms the work: awaiting_confirmation → completed."""
    order, party = order_for_party(order_id=order_id, user=actor)
    party_required(party, (Party.HOUSEHOLD,), _("确认完成"))
    return order_mark_completed(order_id=order_id, actor=actor, reason=_("雇主确认完成"))


def orders_auto_confirm_due(*, now: dt.datetime | None = None) -> int:
    """Complete orders awaiting confirmation for AUTO_CONFIRM_HOURS since the worker finished.

    Each order is claimed under its row lock by order_transition; a concurrent run gets
    InvalidTransition and skips it. Returns how many this call completed.
    """
    now = now or timezone.now()
    cutoff = now - dt.timedelta(hours=settings.MEIJIA["AUTO_CONFIRM_HOURS"])
    due = list(
        Order.objects.filter(
            status=OrderStatus.AWAITING_CONFIRMATION,
            worker_finished_at__lte=cutoff,
        ).values_list("pk", flat=True)
    )
    done = 0
    for order_id in due:
        try:
            order_mark_completed(
                order_id=order_id,
                actor=None,
                reason=_("超过%(hours)s小时未确认，系统自动确认")
                % {"hours": settings.MEIJIA["AUTO_CONFIRM_HOURS"]},
                now=now,
            )
        except InvalidTransition:
            continue
        done += 1
    return done
