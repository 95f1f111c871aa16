"""Visits (occurrences) of an order: which are scheduled, which one a check-in is for, and the
time slots a request still needs a worker for. Shared by attendance, start codes, occurrence
changes, placements and matching."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from backend.exceptions import Conflict, NotFound
from orders.models import Occurrence, Order, ServiceRequest
from orders.statuses import OccurrenceStatus

CHECK_IN_EARLY_MINUTES = 120


def scheduled_visits(order: Order) -> list[Occurrence]:
    """The order's scheduled visits in time order."""
    return list(
        Occurrence.objects.filter(order=order, status=OccurrenceStatus.SCHEDULED).order_by(
            "starts_at", "pk"
        )
    )


def check_in_opens(visit: Occurrence) -> dt.datetime:
    return visit.starts_at - dt.timedelta(minutes=CHECK_IN_EARLY_MINUTES)


def visits_after(visits: list[Occurrence], last: Occurrence | None) -> list[Occurrence]:
    """The visits not checked in that come after `last` (all of them when it is None)."""
    return [
        v
        for v in visits
        if not v.checked_in_at and (last is None or (v.starts_at, v.pk) > (last.starts_at, last.pk))
    ]


def visit_to_check_in(
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
        ahead = visits_after(visits, last_attended)
        current = [v for v in ahead if check_in_opens(v) <= now < v.ends_at]
        upcoming = [v for v in ahead if now < check_in_opens(v)]
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
        for v in visits_after(visits, last_attended)
        if (v.starts_at, v.pk) < (visit.starts_at, visit.pk) and v.ends_at > now
    ]
    if skipped:
        # Checking in a later visit would leave an earlier one that is still due unattendable.
        raise Conflict(
            _("请先为更早的一次服务签到。"),
            code="out_of_order",
            extra={"occurrence": visit.pk, "due": skipped[0].pk},
        )
    if now < check_in_opens(visit):
        raise Conflict(
            _("服务开始前%(minutes)s分钟内才能签到。") % {"minutes": CHECK_IN_EARLY_MINUTES},
            code="too_early",
            extra={"occurrence": visit.pk, "opens_at": check_in_opens(visit).isoformat()},
        )
    return visit


def request_slots(service_request: ServiceRequest) -> list[tuple[dt.datetime, dt.datetime]]:
    """(start, end) of each scheduled occurrence: what busy-time checks and matching look at."""
    return [
        (o.starts_at, o.ends_at)
        for o in Occurrence.objects.filter(
            # Unassigned visits only: a replaced placement worker's served part stays hers.
            request=service_request,
            status=OccurrenceStatus.SCHEDULED,
            order__isnull=True,
        ).order_by("starts_at")
    ]
