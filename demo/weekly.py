"""What a household and a worker who use the marketplace every week see in the demo: favourite
workers, a booking of demo-worker again (再约一次), the households that came back to her, a
worker on leave over a booked visit, and open requests on the 抢单大厅."""

from __future__ import annotations

import datetime as dt

from django.db.models import F
from django.utils import timezone

from backend.exceptions import DomainError
from backend.localtime import local_zone
from demo.bulk import DemoSummary
from marketplace.models import Category, TimeOff, User, WorkerProfile
from orders.models import (
    AskedAgain,
    FavouriteWorker,
    Occurrence,
    Order,
    RequestApplication,
    ServiceRequest,
)
from orders.services.open_board import open_request_take, request_instant_accept_set
from orders.services.rebooking import favourite_add, request_rebook
from orders.services.requests import RequestInput, request_create
from orders.services.time_off import time_off_add
from orders.statuses import OccurrenceStatus, OrderStatus


def _next_morning(days: int) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(9, 0), tzinfo=local_zone())


def demo_rebooking_ensure(*, summary: DemoSummary) -> None:
    """demo-household keeps the workers who finished its orders and books demo-worker again;
    three more households come back to her. Once (skipped when demo-household has favourites)."""
    household = User.objects.filter(username="demo-household").first()
    worker = WorkerProfile.objects.filter(user__username="demo-worker").first()
    if household is None or worker is None:
        return
    if FavouriteWorker.objects.filter(household=household).exists():
        return
    finished = list(
        Order.objects.filter(household=household, status=OrderStatus.COMPLETED).order_by(
            "-completed_at"
        )
    )
    for worker_id in dict.fromkeys(order.worker_id for order in finished):
        favourite_add(household=household, worker_id=worker_id)
        summary.add("favourite_workers", 1)
    with_her = next((order for order in finished if order.worker_id == worker.pk), None)
    if with_her is not None:
        starts_at = _next_morning(3)
        try:
            request_rebook(
                household=household,
                order_id=with_her.pk,
                starts_at=starts_at,
                ends_at=starts_at + dt.timedelta(hours=3),
            )
            summary.add("rebookings", 1)
        except DomainError:  # she is not free then in this county's history: no rebooking
            pass
    returning = (
        Order.objects.filter(worker=worker, status=OrderStatus.COMPLETED)
        .exclude(household=household)
        .values_list("household_id", flat=True)
        .distinct()[:3]
    )
    now = timezone.now()
    for n, household_id in enumerate(returning):
        _row, created = AskedAgain.objects.get_or_create(
            worker=worker,
            household_id=household_id,
            defaults={"times": n + 1, "last_asked_at": now - dt.timedelta(days=7 * (n + 1))},
        )
        if created:
            WorkerProfile.objects.filter(pk=worker.pk).update(
                asked_again_count=F("asked_again_count") + 1
            )


def demo_time_off_ensure(*, summary: DemoSummary) -> None:
    """A demo worker with a booked visit goes home for a few days over it (请假): the visit is
    flagged to its household and agency. Once (skipped when any time off exists)."""
    if TimeOff.objects.exists():
        return
    visits = Occurrence.objects.filter(
        status=OccurrenceStatus.SCHEDULED,
        order__status=OrderStatus.CONFIRMED,
        starts_at__gt=timezone.now() + dt.timedelta(days=1),
    ).select_related("worker", "worker__user")
    visit = (
        visits.filter(worker__user__username__startswith="demo-worker-")
        .order_by("starts_at")
        .first()
        or visits.order_by("starts_at").first()
    )
    if visit is not None:
        worker, first = visit.worker, timezone.localtime(visit.starts_at).date()
    else:
        worker = WorkerProfile.objects.filter(user__username="demo-worker-2").first()
        first = timezone.localdate() + dt.timedelta(days=7)
    if worker is None:
        return
    time_off_add(
        worker=worker, starts_on=first, ends_on=first + dt.timedelta(days=2), reason="回家"
    )
    summary.add("time_off", 1)


def _board_request(household: User, *, days: int, instant: bool) -> ServiceRequest:
    profile = household.household
    starts_at = _next_morning(days) + dt.timedelta(hours=5)
    data = RequestInput(
        category=Category.objects.get(code="housekeeper"),
        division=profile.division,
        address=profile.address,
        latitude=profile.latitude,
        longitude=profile.longitude,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=2),
        budget=12000,
        description="厨房和客厅保洁",
    )
    # No wave: the demo shows these on the workers' 抢单大厅 instead.
    service_request, _created = request_create(household=household, data=data, send_offers=False)
    if instant:
        request_instant_accept_set(household=household, request_id=service_request.pk, allowed=True)
    return service_request


def demo_open_board_ensure(*, summary: DemoSummary) -> None:
    """Two open requests on the 抢单大厅 near the city seat: demo-household's, which demo-worker
    applied for, and another household's that workers may take at once. Once."""
    if RequestApplication.objects.exists():
        return
    household = User.objects.filter(username="demo-household").first()
    worker = WorkerProfile.objects.filter(user__username="demo-worker").first()
    other = (
        User.objects.filter(role="household", household__isnull=False)
        .exclude(username="demo-household")
        .order_by("pk")
        .first()
    )
    if household is None or worker is None:
        return
    applied = _board_request(household, days=4, instant=False)
    try:
        open_request_take(worker=worker, request_id=applied.pk)
        summary.add("open_board_applications", 1)
    except DomainError:  # not free or not eligible then in this county: the request stays open
        pass
    if other is not None:
        _board_request(other, days=5, instant=True)
    summary.add("open_board_requests", 2 if other is not None else 1)


def demo_weekly_ensure(*, summary: DemoSummary) -> None:
    """Every weekly-use feature of the demo, each once."""
    demo_rebooking_ensure(summary=summary)
    demo_time_off_ensure(summary=summary)
    demo_open_board_ensure(summary=summary)
