"""Safety alerts and reliability appeals in the demo.

- SOS (orders.services.sos.safety_sos_raise, so the recipients are who the app would alert):
  demo-worker called for help during a weekly visit three weeks ago, demo-worker-3 two hours
  ago at her live-in placement, and a county live-in carer yesterday. (The app records no
  acknowledgement or closing of an alert yet, so an older one differs from the open one only
  by its age.)
- Appeals (marketplace.services.appeals): demo-worker's no-show six weeks ago and her late
  cancellation two months ago, each an order written as order_report_no_show / order_cancel
  leave it (her counts raised); she appealed both to demo-agency, which upheld the late
  cancellation and has yet to decide the no-show. One more no-show appeal in the county.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import F
from django.utils import timezone

from demo.bulk import DemoSummary, local_at, stamps_set
from demo.order_writer import OrderSpec, agency_owner_id, event_write, order_write
from marketplace.models import HouseholdProfile, ReliabilityAppeal, User, WorkerProfile
from marketplace.services.appeals import appeal_create, appeal_decide
from orders.models import Occurrence, Order, SafetyAlert
from orders.selectors import worker_incidents
from orders.services.sos import safety_sos_raise
from orders.statuses import OccurrenceStatus, OrderStatus, Party, RequestKind

NO_SHOW_REASON = "那天孩子突发高烧去了医院，手机没电没能及时通知，有医院的急诊记录。"
LATE_REASON = "路上电动车被撞，有交警的事故认定书，不是故意临时取消。"


def _sos_at(order: Order, *, when: dt.datetime, visit: Occurrence | None) -> SafetyAlert:
    home = order.request
    alert = safety_sos_raise(
        order_id=order.pk,
        actor=order.worker.user,
        latitude=home.latitude,
        longitude=home.longitude,
        accuracy_m=25.0,
    )
    SafetyAlert.objects.filter(pk=alert.pk).update(occurrence=visit)
    stamps_set([alert], created_at=[when])
    return alert


def demo_sos_write(*, weekly: Order | None, placement: Order | None) -> int:
    now = timezone.now()
    written = 0
    if weekly is not None:
        done = (
            Occurrence.objects.filter(order=weekly, checked_out_at__lt=now - dt.timedelta(days=14))
            .order_by("-starts_at")
            .first()
        )
        if done is not None:
            _sos_at(weekly, when=done.starts_at + dt.timedelta(minutes=40), visit=done)
            written += 1
    if placement is not None:
        visit = Occurrence.objects.filter(order=placement).first()
        _sos_at(placement, when=now - dt.timedelta(hours=2), visit=visit)
        written += 1
    county = (
        Order.objects.filter(
            request__kind=RequestKind.PLACEMENT,
            status=OrderStatus.IN_PROGRESS,
            household__username__startswith="household-",
        )
        .select_related("worker__user", "request")
        .order_by("household__username")
        .first()
    )
    if county is not None:
        visit = Occurrence.objects.filter(order=county).first()
        _sos_at(county, when=now - dt.timedelta(days=1, hours=3), visit=visit)
        written += 1
    return written


def _incident_order(household, worker, *, days_ago: int, no_show: bool) -> Order:
    """A confirmed one-off the worker missed (no-show reported by the household) or cancelled
    late herself, cancelled as the cancellation services leave it."""
    starts_at = local_at(timezone.localdate() - dt.timedelta(days=days_ago), 9)
    spec = OrderSpec(
        household=household,
        worker=worker,
        category_code="housekeeper",
        slots=[(starts_at, starts_at + dt.timedelta(hours=3))],
        budget=12000,
        matched=starts_at - dt.timedelta(days=2),
        description="全屋保洁，请带清洁工具。",
        kind=RequestKind.ONE_OFF,
        status=OrderStatus.CANCELLED,
    )
    cancelled_at = starts_at + (dt.timedelta(hours=1) if no_show else -dt.timedelta(hours=3))
    order, visits = order_write(
        spec,
        cancelled_at=cancelled_at,
        cancelled_by_party=Party.WORKER,
        no_show_party=Party.WORKER if no_show else "",
    )
    Occurrence.objects.filter(pk__in=[v.pk for v in visits]).update(
        status=OccurrenceStatus.CANCELLED
    )
    if no_show:
        actor, reason, data = household.user_id, "服务员爽约", {"no_show": "worker"}
        data["reported_by"] = Party.HOUSEHOLD
        counter = "no_shows"
    else:
        actor, reason, data = worker.user_id, "临时有事", {"is_late": True}
        counter = "late_cancellations"
    event_write(
        order,
        cancelled_at,
        actor_id=actor,
        before=OrderStatus.CONFIRMED,
        after=OrderStatus.CANCELLED,
        reason=reason,
        data=data,
    )
    stamps_set([order], updated_at=[cancelled_at])
    WorkerProfile.objects.filter(pk=worker.pk).update(**{counter: F(counter) + 1})
    return order


def _appeal(worker: WorkerProfile, order: Order, *, incident: str, reason: str, when):
    appeal = appeal_create(
        worker=worker,
        order_id=order.pk,
        incident=incident,
        reason=reason,
        incidents=worker_incidents(worker_id=worker.pk),
    )
    stamps_set([appeal], created_at=[when])
    return appeal


def demo_appeals_write(*, seed: int) -> int:
    """demo-worker's two appeals (one decided by demo-agency) and one in the county."""
    household = HouseholdProfile.objects.filter(user__username="demo-household").first()
    worker = WorkerProfile.objects.filter(user__username="demo-worker").first()
    if household is None or worker is None:
        return 0
    no_show = _incident_order(household, worker, days_ago=42, no_show=True)
    late = _incident_order(household, worker, days_ago=60, no_show=False)
    _appeal(worker, no_show, incident="no_show", reason=NO_SHOW_REASON, when=no_show.cancelled_at)
    upheld = _appeal(
        worker, late, incident="late_cancellation", reason=LATE_REASON, when=late.cancelled_at
    )
    decider = User.objects.filter(pk=agency_owner_id(upheld.agency_id)).first()
    written = 2
    if decider is not None:
        decided = late.cancelled_at + dt.timedelta(days=1)
        appeal_decide(
            appeal_id=upheld.pk,
            actor=decider,
            upheld=True,
            note="已核实交警事故认定书，情况属实，撤销这次迟取消记录。",
            now=decided,
        )
    county = _county_appeal(seed=seed)
    return written + county


def _county_appeal(*, seed: int) -> int:
    """A generated worker's pending no-show appeal, at a county household (seeded choice)."""
    households = list(
        HouseholdProfile.objects.filter(user__username__startswith="household-").order_by(
            "user__username"
        )[:40]
    )
    workers = list(
        WorkerProfile.objects.filter(
            user__username__startswith="worker-", roster_entries__status="active"
        ).order_by("user__username")[:40]
    )
    if not households or not workers:
        return 0
    n = seed % len(workers)
    worker, household = workers[n], households[n % len(households)]
    order = _incident_order(household, worker, days_ago=20, no_show=True)
    _appeal(worker, order, incident="no_show", reason=NO_SHOW_REASON, when=order.cancelled_at)
    return 1


def demo_safety_ensure(
    *, seed: int, weekly: Order | None, placement: Order | None, summary: DemoSummary
) -> None:
    """Once (skipped when demo-worker has appealed)."""
    if ReliabilityAppeal.objects.filter(worker__user__username="demo-worker").exists():
        return
    summary.add("safety_alerts", demo_sos_write(weekly=weekly, placement=placement))
    summary.add("appeals", demo_appeals_write(seed=seed))
