"""A worker's time off (请假): she marks whole days off besides her weekly pattern.

Matching, invitations, dispatch and accepts respect it through the eligibility rules
(marketplace.selectors.eligibility: `not_on_leave`, reason `on_leave`). Visits already booked
in the range are not dropped: each is flagged (`Occurrence.worker_time_off`) and the
household and the agency are told, so that a substitute can be arranged; the flag shows on the
order until the visit is moved or the time off is withdrawn.

Locks: the worker row (marketplace.locks.lock_worker, no-key) first, so her time off and her
accepts are serial (an accept checks the time off under the same lock); then her visits are
flagged with one UPDATE.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.exceptions import Conflict, NotFound, ValidationFailed
from backend.localtime import local_zone
from marketplace.models import TimeOff, WorkerProfile
from notifications.events import NOTIFICATION, send_event_on_commit
from orders.locks import lock_worker
from orders.models import Occurrence, Order
from orders.parties import order_party_user_ids
from orders.statuses import ACTIVE_ORDER_STATUSES, OccurrenceStatus

MAX_TIME_OFF_DAYS = 366
MAX_DAYS_AHEAD = 366


def _day_bounds(starts_on: dt.date, ends_on: dt.date) -> tuple[dt.datetime, dt.datetime]:
    zone = local_zone()
    return (
        dt.datetime.combine(starts_on, dt.time(), tzinfo=zone),
        dt.datetime.combine(ends_on + dt.timedelta(days=1), dt.time(), tzinfo=zone),
    )


def _validate(*, starts_on: dt.date, ends_on: dt.date, reason: str, today: dt.date) -> None:
    if starts_on < today:
        raise ValidationFailed(_("请假不能从过去的日期开始。"), field="starts_on")
    if starts_on > today + dt.timedelta(days=MAX_DAYS_AHEAD):
        raise ValidationFailed(_("只能提前一年内请假。"), field="starts_on")
    if ends_on < starts_on:
        raise ValidationFailed(_("结束日期不能早于开始日期。"), field="ends_on")
    if (ends_on - starts_on).days + 1 > MAX_TIME_OFF_DAYS:
        raise ValidationFailed(_("一次请假最多一年。"), field="ends_on")
    if len(reason) > 100:
        raise ValidationFailed(_("请假原因最多 100 个字。"), field="reason")


def booked_visits_within(*, worker_id: int, starts_at, ends_at):
    """Her scheduled visits of live orders overlapping the period."""
    return Occurrence.objects.filter(
        worker_id=worker_id,
        status=OccurrenceStatus.SCHEDULED,
        order__status__in=ACTIVE_ORDER_STATUSES,
        checked_in_at__isnull=True,
        starts_at__lt=ends_at,
        ends_at__gt=starts_at,
    )


def _tell_parties(*, worker: WorkerProfile, visits: list[Occurrence], kind: str, message: str):
    """One inbox notification per order to its household and agency staff (not to her)."""
    by_order: dict[int, list[Occurrence]] = {}
    for visit in visits:
        by_order.setdefault(visit.order_id, []).append(visit)
    orders = Order.objects.select_related("worker").in_bulk(list(by_order))
    for order_id, order_visits in sorted(by_order.items()):
        order = orders[order_id]
        recipients = [uid for uid in order_party_user_ids(order) if uid != worker.user_id]
        send_event_on_commit(
            event_type=NOTIFICATION,
            recipients=recipients,
            payload={
                "kind": kind,
                "order": order_id,
                "visits": [v.pk for v in order_visits],
                "first_visit_at": min(v.starts_at for v in order_visits).isoformat(),
                "message": message,
            },
        )


def time_off_add(
    *, worker: WorkerProfile, starts_on: dt.date, ends_on: dt.date, reason: str = ""
) -> tuple[TimeOff, list[Occurrence]]:
    """Mark days off; returns the time off and the booked visits it flagged for a substitute.

    Raises ValidationFailed (field named) for a past start, an end before the start, more than
    a year, or an overlap with her other time off (`starts_on`).
    """
    reason = (reason or "").strip()
    _validate(starts_on=starts_on, ends_on=ends_on, reason=reason, today=timezone.localdate())
    starts_at, ends_at = _day_bounds(starts_on, ends_on)
    with transaction.atomic():
        lock_worker(worker.pk, no_key=True)
        if TimeOff.objects.filter(
            worker=worker, starts_on__lte=ends_on, ends_on__gte=starts_on
        ).exists():
            raise ValidationFailed(_("与您已有的请假日期重叠。"), field="starts_on")
        time_off = TimeOff.objects.create(
            worker=worker,
            starts_on=starts_on,
            ends_on=ends_on,
            starts_at=starts_at,
            ends_at=ends_at,
            reason=reason,
        )
        visits = list(
            booked_visits_within(worker_id=worker.pk, starts_at=starts_at, ends_at=ends_at)
        )
        Occurrence.objects.filter(pk__in=[v.pk for v in visits]).update(worker_time_off=time_off)
        _tell_parties(
            worker=worker,
            visits=visits,
            kind="visit.worker_on_leave",
            message=_("服务员在已约的服务时间请假，需要安排替班或改期。"),
        )
    return time_off, visits


def time_off_remove(*, worker: WorkerProfile, time_off_id: int) -> None:
    """Withdraw time off that has not ended; its visits lose their flag and the parties hear
    she is back. Raises NotFound (not hers) and Conflict `time_off_over`."""
    with transaction.atomic():
        lock_worker(worker.pk, no_key=True)
        time_off = TimeOff.objects.filter(pk=time_off_id, worker=worker).first()
        if time_off is None:
            raise NotFound(_("请假记录不存在。"))
        if time_off.ends_on < timezone.localdate():
            raise Conflict(_("已结束的请假不能撤销。"), code="time_off_over")
        visits = list(Occurrence.objects.filter(worker_time_off=time_off))
        Occurrence.objects.filter(worker_time_off=time_off).update(worker_time_off=None)
        time_off.delete()
        _tell_parties(
            worker=worker,
            visits=visits,
            kind="visit.worker_back",
            message=_("服务员已撤销请假，原定服务照常进行。"),
        )
