"""The order state machine: one service per transition, all through `order_transition`.

Fee rule for cancellations (PRODUCT.md §3, shown by `order_cancel_preview`):
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
    InvalidTransition,
    NotFound,
    PermissionDeniedError,
    ValidationFailed,
)
from backend.fact_changes import order_facts_changed
from marketplace.models import User, WorkerProfile
from notifications.events import ORDER_UPDATED, send_event_on_commit
from orders.models import Dispute, Occurrence, Order, OrderEvent
from orders.parties import order_party_user_ids, party_of
from orders.payments.settlement import payment_settle_on_commit
from orders.services import safety
from orders.statuses import (
    ORDER_TRANSITIONS,
    DisputeOutcome,
    DisputeStatus,
    OccurrenceStatus,
    OrderStatus,
    Party,
    RequestKind,
    can_transition,
)


def order_event_payload(order: Order, event: OrderEvent) -> dict:
    """The `order.updated` frame body: enough for a client to refresh the order."""
    return {
        "order": order.pk,
        "request": order.request_id,
        "status": order.status,
        "from_status": event.from_status,
        "to_status": event.to_status,
        "reason": event.reason,
        "event": event.pk,
        "at": event.created_at.isoformat() if event.created_at else timezone.now().isoformat(),
    }


def order_transition(
    *,
    order_id: int,
    to_status: str,
    actor: User | None,
    reason: str = "",
    data: dict | None = None,
    updates: dict | None = None,
    from_statuses: tuple[str, ...] | None = None,
) -> Order:
    """Move an order along ORDER_TRANSITIONS, record the event and tell the parties.

    `from_statuses` narrows the table for one action (confirming must come from
    awaiting_confirmation, not from disputed, though both may lead to completed).

    Locks the order row (select_for_update; SQLite serialises writers). Raises NotFound when
    the order does not exist and InvalidTransition (409, with current_status) when the move is
    not allowed now; nothing is changed then.
    """
    with transaction.atomic():
        order = (
            Order.objects.select_for_update()
            .select_related("worker", "request")
            .filter(pk=order_id)
            .first()
        )
        if order is None:
            raise NotFound(_("订单不存在。"))
        from_status = order.status
        if not can_transition(ORDER_TRANSITIONS, from_status, to_status) or (
            from_statuses is not None and from_status not in from_statuses
        ):
            raise InvalidTransition(entity="order", current=from_status, target=to_status)
        fields = {"status", "updated_at"}
        for field, value in (updates or {}).items():
            setattr(order, field, value)
            fields.add(field)
        order.status = to_status
        order.save(update_fields=sorted(fields))
        event = OrderEvent.objects.create(
            order=order,
            actor=actor,
            from_status=from_status,
            to_status=to_status,
            reason=reason[:300],
            data=data or {},
        )
        order_facts_changed(order_id=order.pk)
        send_event_on_commit(
            event_type=ORDER_UPDATED,
            recipients=order_party_user_ids(order),
            payload=order_event_payload(order, event),
        )
    return order


# ---------------------------------------------------------------------------------------------
# One service per transition.

CHECK_IN_EARLY_MINUTES = 120


def _order_for_party(*, order_id: int, user: User) -> tuple[Order, str]:
    """The order and the user's party on it; NotFound for anyone who is not a party."""
    order = Order.objects.select_related("worker", "request").filter(pk=order_id).first()
    party = party_of(user, order) if order is not None else None
    if party is None:
        raise NotFound(_("订单不存在。"))
    return order, party


def _require_party(party: str, allowed: tuple[str, ...], action: str) -> None:
    if party not in allowed:
        raise PermissionDeniedError(
            _("您不能执行此操作：%(action)s。") % {"action": action}, code="wrong_party"
        )


def _refuse_unless(order: Order, *statuses: str, target: str) -> None:
    """Early 409 (before any side rule) when the order is not in one of `statuses`."""
    if order.status not in statuses:
        raise InvalidTransition(entity="order", current=order.status, target=target)


def _visit_event(
    *, order: Order, actor: User, reason: str, occurrence: Occurrence, action: str
) -> OrderEvent:
    """Record one visit's check-in or check-out on a recurring order that stays in its status
    (from_status = to_status) and push `order.updated` to the parties."""
    data = {"occurrence": occurrence.pk, "action": action}
    event = OrderEvent.objects.create(
        order=order,
        actor=actor,
        from_status=order.status,
        to_status=order.status,
        reason=reason[:300],
        data=data,
    )
    send_event_on_commit(
        event_type=ORDER_UPDATED,
        recipients=order_party_user_ids(order),
        payload={**order_event_payload(order, event), **data},
    )
    return event


def _locked_order(order_id: int) -> Order:
    """Re-read the order under its row lock (the lock order: order, then its visits)."""
    return Order.objects.select_for_update(of=("self",)).select_related("request").get(pk=order_id)


def _visits(order: Order) -> list[Occurrence]:
    """The order's scheduled visits in time order."""
    return list(
        Occurrence.objects.filter(order=order, status=OccurrenceStatus.SCHEDULED).order_by(
            "starts_at", "pk"
        )
    )


def _check_in_opens(visit: Occurrence) -> dt.datetime:
    return visit.starts_at - dt.timedelta(minutes=CHECK_IN_EARLY_MINUTES)


def _visits_after(visits: list[Occurrence], last: Occurrence | None) -> list[Occurrence]:
    """The visits not checked in that come after `last` (all of them when it is None)."""
    return [
        v
        for v in visits
        if not v.checked_in_at and (last is None or (v.starts_at, v.pk) > (last.starts_at, last.pk))
    ]


def _visit_to_check_in(
    *, visits: list[Occurrence], occurrence_id: int | None, now: dt.datetime
) -> Occurrence:
    """The visit a recurring check-in is for: the one asked for; else the visit she is checked
    in to (so a repeated check-in is refused as such); else, of the visits after the last
    attended one, the earliest whose check-in window is open and that has not ended, else the
    next one ahead (too early), else the last one that ended unattended (a late check-in).

    Raises NotFound (not a scheduled visit of this order), Conflict `already_checked_in`,
    `visit_in_progress` (another visit is checked in and not out), `out_of_order` (a later visit
    was already attended, or an earlier one that has not ended would be skipped), `too_early`,
    `no_visit_due`.
    """
    open_visit = next((v for v in visits if v.checked_in_at and not v.checked_out_at), None)
    attended = [v for v in visits if v.checked_in_at]
    last_attended = attended[-1] if attended else None
    if occurrence_id is not None:
        visit = next((v for v in visits if v.pk == occurrence_id), None)
        if visit is None:
            raise NotFound(_("服务时段不存在。"))
    elif open_visit is not None:
        visit = open_visit
    else:
        ahead = _visits_after(visits, last_attended)
        current = [v for v in ahead if _check_in_opens(v) <= now < v.ends_at]
        upcoming = [v for v in ahead if now < _check_in_opens(v)]
        ended = [v for v in ahead if v.ends_at <= now]
        visit = (current or upcoming or ended[-1:] or [None])[0]
        if visit is None:
            raise Conflict(_("没有待签到的服务。"), code="no_visit_due")
    if visit.checked_in_at:
        raise Conflict(
            _("这次服务已经签到过了。"),
            code="already_checked_in",
            extra={"occurrence": visit.pk},
        )
    if open_visit is not None:
        raise Conflict(
            _("请先为正在进行的服务签退。"),
            code="visit_in_progress",
            extra={"occurrence": open_visit.pk},
        )
    if last_attended is not None and (visit.starts_at, visit.pk) < (
        last_attended.starts_at,
        last_attended.pk,
    ):
        raise Conflict(
            _("之后的服务已经签到，不能再为更早的服务签到。"),
            code="out_of_order",
            extra={"occurrence": visit.pk},
        )
    skipped = [
        v
        for v in _visits_after(visits, last_attended)
        if (v.starts_at, v.pk) < (visit.starts_at, visit.pk) and v.ends_at > now
    ]
    if skipped:
        # Checking in a later visit would leave an earlier one that is still due unattendable.
        raise Conflict(
            _("请先为更早的一次服务签到。"),
            code="out_of_order",
            extra={"occurrence": visit.pk, "due": skipped[0].pk},
        )
    if now < _check_in_opens(visit):
        raise Conflict(
            _("服务开始前%(minutes)s分钟内才能签到。") % {"minutes": CHECK_IN_EARLY_MINUTES},
            code="too_early",
            extra={"occurrence": visit.pk, "opens_at": _check_in_opens(visit).isoformat()},
        )
    return visit


def _claim(queryset, **values) -> None:
    """A conditional UPDATE of one visit; a concurrent caller that got there first → 409."""
    if not queryset.update(**values):
        raise Conflict(_("这次服务的签到状态已变化，请刷新。"), code="attendance_changed")


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
    position: orders.services.safety). Opens CHECK_IN_EARLY_MINUTES before the visit's start.

    One-off and placement: confirmed → in_progress, and the order's visit records the time.
    Recurring: checks in one visit (`occurrence_id`, or the one due now, see
    `_visit_to_check_in`); the first check-in moves the order confirmed → in_progress, later
    ones record a visit event and keep it in_progress.

    Locks the order row, then claims the visit with a conditional UPDATE. Raises NotFound,
    PermissionDeniedError (not the worker), InvalidTransition, Conflict `too_early` (and, for
    recurring orders, the codes of `_visit_to_check_in`).
    """
    now = now or timezone.now()
    order, party = _order_for_party(order_id=order_id, user=actor)
    _require_party(party, (Party.WORKER,), _("签到"))
    if order.request.kind != RequestKind.RECURRING:
        _refuse_unless(order, OrderStatus.CONFIRMED, target=OrderStatus.IN_PROGRESS)
        if now < order.starts_at - dt.timedelta(minutes=CHECK_IN_EARLY_MINUTES):
            raise Conflict(
                _("服务开始前%(minutes)s分钟内才能签到。") % {"minutes": CHECK_IN_EARLY_MINUTES},
                code="too_early",
            )
        code, _distance = safety.start_code_verify(
            order=order,
            occurrence=safety.start_code_visit(order=order, now=now),
            code=start_code,
            latitude=latitude,
            longitude=longitude,
            now=now,
        )
        with transaction.atomic():
            order = order_transition(
                order_id=order_id,
                to_status=OrderStatus.IN_PROGRESS,
                actor=actor,
                reason=_("服务员签到"),
                from_statuses=(OrderStatus.CONFIRMED,),
                updates={"checked_in_at": now},
            )
            Occurrence.objects.filter(
                order=order, status=OccurrenceStatus.SCHEDULED, checked_in_at__isnull=True
            ).update(checked_in_at=now)
            safety.start_code_consume(start_code=code, now=now)
        return order

    _refuse_unless(
        order, OrderStatus.CONFIRMED, OrderStatus.IN_PROGRESS, target=OrderStatus.IN_PROGRESS
    )
    # The visit's code is checked before the transaction, so that a wrong try stays counted.
    visit = _visit_to_check_in(visits=_visits(order), occurrence_id=occurrence_id, now=now)
    code, _distance = safety.start_code_verify(
        order=order,
        occurrence=visit,
        code=start_code,
        latitude=latitude,
        longitude=longitude,
        now=now,
    )
    with transaction.atomic():
        order = _locked_order(order_id)
        _refuse_unless(
            order, OrderStatus.CONFIRMED, OrderStatus.IN_PROGRESS, target=OrderStatus.IN_PROGRESS
        )
        visit = _visit_to_check_in(visits=_visits(order), occurrence_id=visit.pk, now=now)
        _claim(
            Occurrence.objects.filter(
                pk=visit.pk, status=OccurrenceStatus.SCHEDULED, checked_in_at__isnull=True
            ),
            checked_in_at=now,
        )
        safety.start_code_consume(start_code=code, now=now)
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
            order=order,
            actor=actor,
            reason=_("服务员签到"),
            occurrence=visit,
            action="checked_in",
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
    `not_checked_in` (recurring: no visit is checked in).
    """
    now = now or timezone.now()
    order, party = _order_for_party(order_id=order_id, user=actor)
    _require_party(party, (Party.WORKER,), _("完工"))
    if order.request.kind != RequestKind.RECURRING:
        with transaction.atomic():
            order = order_transition(
                order_id=order_id,
                to_status=OrderStatus.AWAITING_CONFIRMATION,
                actor=actor,
                reason=_("服务员完工"),
                from_statuses=(OrderStatus.IN_PROGRESS,),
                updates={"worker_finished_at": now},
            )
            Occurrence.objects.filter(
                order=order, status=OccurrenceStatus.SCHEDULED, checked_out_at__isnull=True
            ).update(checked_out_at=now)
        return order

    _refuse_unless(order, OrderStatus.IN_PROGRESS, target=OrderStatus.AWAITING_CONFIRMATION)
    with transaction.atomic():
        order = _locked_order(order_id)
        _refuse_unless(order, OrderStatus.IN_PROGRESS, target=OrderStatus.AWAITING_CONFIRMATION)
        visits = _visits(order)
        open_visit = next((v for v in visits if v.checked_in_at and not v.checked_out_at), None)
        attended = [v for v in visits if v.checked_in_at]
        if (
            open_visit is None
            and occurrence_id is None
            and attended
            and not _visits_after(visits, attended[-1])
        ):
            # Every visit after her last one was cancelled: nothing is left to check out.
            return order_transition(
                order_id=order_id,
                to_status=OrderStatus.AWAITING_CONFIRMATION,
                actor=actor,
                reason=_("服务员完工"),
                data={"action": "finished"},
                from_statuses=(OrderStatus.IN_PROGRESS,),
                updates={"worker_finished_at": now},
            )
        if open_visit is None or occurrence_id not in (None, open_visit.pk):
            raise Conflict(
                _("这次服务还没有签到，不能签退。"),
                code="not_checked_in",
                extra={"occurrence": occurrence_id or (open_visit.pk if open_visit else None)},
            )
        _claim(
            Occurrence.objects.filter(
                pk=open_visit.pk, checked_in_at__isnull=False, checked_out_at__isnull=True
            ),
            checked_out_at=now,
        )
        later = [v for v in visits if (v.starts_at, v.pk) > (open_visit.starts_at, open_visit.pk)]
        if not later:
            return order_transition(
                order_id=order_id,
                to_status=OrderStatus.AWAITING_CONFIRMATION,
                actor=actor,
                reason=_("服务员完工"),
                data={"occurrence": open_visit.pk, "action": "checked_out"},
                from_statuses=(OrderStatus.IN_PROGRESS,),
                updates={"worker_finished_at": now},
            )
        _visit_event(
            order=order,
            actor=actor,
            reason=_("服务员签退"),
            occurrence=open_visit,
            action="checked_out",
        )
    return order


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
    order, party = _order_for_party(order_id=order_id, user=actor)
    _require_party(party, (Party.HOUSEHOLD,), _("确认完成"))
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
        fee = order.price * settings.MEIJIA["LATE_CANCELLATION_FEE_PERCENT"] // 100
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
    order, party = _order_for_party(order_id=order_id, user=actor)
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
    from orders.services.requests import request_after_order_ended

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
            request_id=order.request_id, reason=reason, now=now, reopen=reopen_request
        )
        payment_settle_on_commit(order_id=order.pk)  # fee or release after commit
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
    """
    now = now or timezone.now()
    reason = (reason or "").strip()
    order, party = _order_for_party(order_id=order_id, user=actor)
    if not reason:
        raise ValidationFailed(_("请填写取消原因。"), field="reason")
    _refuse_unless(order, *CANCELLABLE_STATUSES, target=OrderStatus.CANCELLED)
    quote = cancellation_quote(order=order, party=party, now=now)
    with transaction.atomic():
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
    order, party = _order_for_party(order_id=order_id, user=actor)
    if absent_party not in (Party.WORKER, Party.HOUSEHOLD):
        raise ValidationFailed(_("请选择爽约方：worker 或 household。"), field="party")
    if party == absent_party:
        raise PermissionDeniedError(_("不能报告自己爽约。"), code="wrong_party")
    _refuse_unless(order, OrderStatus.CONFIRMED, target=OrderStatus.CANCELLED)
    if now < order.starts_at:
        raise Conflict(_("服务开始后才能报告爽约。"), code="too_early")
    reason = (reason or "").strip() or (
        _("服务员爽约") if absent_party == Party.WORKER else _("雇主爽约")
    )
    fee = order.price if absent_party == Party.HOUSEHOLD else 0
    with transaction.atomic():
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
    order, party = _order_for_party(order_id=order_id, user=actor)
    if not reason:
        raise ValidationFailed(_("请填写争议原因。"), field="reason")
    _refuse_unless(order, *DISPUTABLE_STATUSES, target=OrderStatus.DISPUTED)
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
    """
    now = now or timezone.now()
    order = Order.objects.select_related("worker").filter(pk=order_id).first()
    if order is None:
        raise NotFound(_("订单不存在。"))
    is_operator = actor.is_operator
    party = party_of(actor, order)
    if not is_operator and party is None:
        raise NotFound(_("订单不存在。"))
    if not is_operator and party != Party.AGENCY:
        raise PermissionDeniedError(_("只有家政企业或平台运营可以处理争议。"), code="wrong_party")
    if outcome not in DisputeOutcome.values:
        raise ValidationFailed(_("未知的处理结果。"), field="outcome")
    if outcome == DisputeOutcome.PARTIAL_REFUND:
        if not isinstance(refund_amount, int) or not 0 < refund_amount <= order.price:
            raise ValidationFailed(_("退款金额须大于0且不超过订单价格。"), field="refund_amount")
    elif outcome == DisputeOutcome.FULL_REFUND:
        refund_amount = order.price
    else:
        refund_amount = 0
    target = (
        OrderStatus.CANCELLED if outcome == DisputeOutcome.FULL_REFUND else OrderStatus.COMPLETED
    )
    _refuse_unless(order, OrderStatus.DISPUTED, target=target)
    with transaction.atomic():
        dispute = (
            Dispute.objects.select_for_update()
            .filter(order_id=order_id, status=DisputeStatus.OPEN)
            .first()
        )
        if dispute is None:
            raise InvalidTransition(entity="dispute", current="none", target=outcome)
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
            from orders.services.requests import request_after_order_ended

            attended = Occurrence.objects.filter(order=order, checked_in_at__isnull=False)
            request_after_order_ended(
                request_id=order.request_id,
                reason=note or _("争议处理：全额退款"),
                now=now,
                reopen=not attended.exists(),
            )
        was_completed = dispute.previous_status == OrderStatus.COMPLETED
        if target == OrderStatus.COMPLETED and not was_completed:
            WorkerProfile.objects.filter(pk=order.worker_id).update(
                completed_jobs=F("completed_jobs") + 1
            )
        elif target == OrderStatus.CANCELLED and was_completed:
            WorkerProfile.objects.filter(pk=order.worker_id, completed_jobs__gt=0).update(
                completed_jobs=F("completed_jobs") - 1
            )
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
        payment_settle_on_commit(order_id=order.pk)  # capture or refund after commit
    return dispute
