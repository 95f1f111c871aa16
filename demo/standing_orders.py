"""Recurring and placement orders in the demo (PRODUCT.md §3), as the order services leave them.

- demo-household's 每周保洁 with demo-worker: Tuesdays and Fridays 17:00–19:00 from seven
  weeks ago to six weeks ahead; the visits so far checked in and out, the second visit to come
  moved to the next day, the fourth cancelled (the price follows the visits left).
- demo-household's live-in elderly carer demo-worker-3 at a monthly price, twelve days into a
  six-month term with a 30-day trial.
- In the generated county: two more weekly orders and one more placement, each drawn from
  `random.Random(f"{seed}-standing-{n}")` among households and workers with no live order.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from demo.bulk import DemoSummary, local_at, stamps_set
from demo.order_writer import OrderSpec, event_write, order_write
from marketplace.models import HouseholdProfile, WorkerProfile
from orders.models import Occurrence, Order, ServiceRequest
from orders.services.requests import recurrence_slots
from orders.statuses import OccurrenceStatus, OrderStatus, RequestKind

WEEKLY_DESCRIPTION = "每周两次钟点保洁：厨房、卫生间和客厅。"
PLACEMENT_DESCRIPTION = "住家照护老人：做饭、陪护、夜间照看。"
LIVE_STATUSES = (
    OrderStatus.PENDING_CONTRACT,
    OrderStatus.CONFIRMED,
    OrderStatus.IN_PROGRESS,
    OrderStatus.AWAITING_CONFIRMATION,
)


def _weekly_spec(household, worker, *, weeks_back: int, weeks_ahead: int, weekdays, hour: int):
    today = timezone.localdate()
    first_day = today - dt.timedelta(weeks=weeks_back)
    while first_day.weekday() not in weekdays:
        first_day += dt.timedelta(days=1)
    starts_at = local_at(first_day, hour)
    slots = recurrence_slots(
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=2),
        weekdays=weekdays,
        until=today + dt.timedelta(weeks=weeks_ahead),
    )
    return OrderSpec(
        household=household,
        worker=worker,
        category_code="hourly_cleaning",
        slots=slots,
        budget=9000,
        matched=starts_at - dt.timedelta(days=3),
        description=WEEKLY_DESCRIPTION,
        kind=RequestKind.RECURRING,
        status=OrderStatus.IN_PROGRESS,
        request_fields={
            "recurrence_weekdays": sorted(weekdays),
            "recurrence_until": today + dt.timedelta(weeks=weeks_ahead),
        },
    )


def _visits_done(order: Order, visits: list[Occurrence], now: dt.datetime) -> None:
    """Every visit that has begun was checked in (and out, once over), with its events."""
    worker_user_id = order.worker.user_id
    begun = [visit for visit in visits if visit.starts_at <= now]
    for n, visit in enumerate(begun):
        visit.checked_in_at = visit.starts_at + dt.timedelta(minutes=3)
        if visit.ends_at <= now:
            visit.checked_out_at = visit.ends_at - dt.timedelta(minutes=5)
        before = OrderStatus.CONFIRMED if n == 0 else OrderStatus.IN_PROGRESS
        event_write(
            order,
            visit.checked_in_at,
            actor_id=worker_user_id,
            before=before,
            after=OrderStatus.IN_PROGRESS,
            reason="服务员签到",
            data={"occurrence": visit.pk, "action": "checked_in"},
        )
        if visit.checked_out_at:
            event_write(
                order,
                visit.checked_out_at,
                actor_id=worker_user_id,
                before=OrderStatus.IN_PROGRESS,
                after=OrderStatus.IN_PROGRESS,
                reason="服务员签退",
                data={"occurrence": visit.pk, "action": "checked_out"},
            )
    Occurrence.objects.bulk_update(begun, ["checked_in_at", "checked_out_at"])
    if begun:
        order.checked_in_at = begun[0].checked_in_at
        order.save(update_fields=["checked_in_at"])


def _visits_changed(order: Order, visits: list[Occurrence], now: dt.datetime) -> None:
    """The household moves its second visit to come to the next day and cancels the fourth."""
    coming = [visit for visit in visits if visit.starts_at > now]
    if len(coming) < 4:
        return
    household_id = order.household_id
    moved, cancelled = coming[1], coming[3]
    moved_from = [moved.starts_at.isoformat(), moved.ends_at.isoformat()]
    moved.starts_at += dt.timedelta(days=1)
    moved.ends_at += dt.timedelta(days=1)
    moved.change_reason = "家里有客人，改到第二天"
    moved.save(update_fields=["starts_at", "ends_at", "change_reason"])
    event_write(
        order,
        now - dt.timedelta(days=1),
        actor_id=household_id,
        before=order.status,
        after=order.status,
        reason=moved.change_reason,
        data={
            "occurrence": moved.pk,
            "action": "moved",
            "moved_from": moved_from,
            "moved_to": [moved.starts_at.isoformat(), moved.ends_at.isoformat()],
        },
    )
    cancelled.status = OccurrenceStatus.CANCELLED
    cancelled.change_reason = "出差不在家，这次不用来"
    cancelled.save(update_fields=["status", "change_reason"])
    event_write(
        order,
        now - dt.timedelta(hours=20),
        actor_id=household_id,
        before=order.status,
        after=order.status,
        reason=cancelled.change_reason,
        data={
            "occurrence": cancelled.pk,
            "action": "cancelled",
            "scope": "this",
            "cancelled": [cancelled.pk],
        },
    )
    left = len(visits) - 1
    Order.objects.filter(pk=order.pk).update(price=order.request.budget * left)


def weekly_order_write(household, worker, *, weekdays=(1, 4), hour=17) -> Order:
    """A weekly order under way (see the module docstring)."""
    now = timezone.now()
    spec = _weekly_spec(
        household, worker, weeks_back=7, weeks_ahead=6, weekdays=weekdays, hour=hour
    )
    order, visits = order_write(spec)
    _visits_done(order, visits, now)
    _visits_changed(order, visits, now)
    order.refresh_from_db()
    stamps_set([order], updated_at=[now - dt.timedelta(hours=20)])
    return order


def placement_order_write(household, worker, *, days_in: int = 12, unit_price: int = 650000):
    """A live-in placement at a monthly price, `days_in` days into six months, 30-day trial."""
    starts_at = local_at(timezone.localdate() - dt.timedelta(days=days_in), 8)
    ends_at = starts_at + dt.timedelta(days=180)
    spec = OrderSpec(
        household=household,
        worker=worker,
        category_code="elderly_carer",
        slots=[(starts_at, ends_at)],
        budget=unit_price,
        matched=starts_at - dt.timedelta(days=5),
        description=PLACEMENT_DESCRIPTION,
        kind=RequestKind.PLACEMENT,
        status=OrderStatus.IN_PROGRESS,
        request_fields={
            "placement_mode": ServiceRequest.PlacementMode.LIVE_IN,
            "placement_price_unit": ServiceRequest.PriceUnit.MONTH,
            "placement_unit_price": unit_price,
            "trial_days": 30,
        },
    )
    checked_in = starts_at + dt.timedelta(minutes=10)
    order, visits = order_write(
        spec, trial_ends_at=starts_at + dt.timedelta(days=30), checked_in_at=checked_in
    )
    Occurrence.objects.filter(pk=visits[0].pk).update(checked_in_at=checked_in)
    event_write(
        order,
        checked_in,
        actor_id=worker.user_id,
        before=OrderStatus.CONFIRMED,
        after=OrderStatus.IN_PROGRESS,
        reason="服务员签到",
    )
    stamps_set([order], updated_at=[checked_in])
    return order


def _free_workers(category_code: str):
    busy = Order.objects.filter(status__in=LIVE_STATUSES).values("worker_id")
    return list(
        WorkerProfile.objects.filter(
            user__username__startswith="worker-",
            categories__code=category_code,
            roster_entries__status="active",
        )
        .exclude(pk__in=busy)
        .select_related("user")
        .order_by("user__username")[:60]
    )


def _county_standing_orders(*, seed: int, summary: DemoSummary) -> None:
    households = list(
        HouseholdProfile.objects.filter(user__username__startswith="household-")
        .select_related("user")
        .order_by("user__username")[:40]
    )
    plan = [("hourly_cleaning", weekly_order_write), ("hourly_cleaning", weekly_order_write)]
    plan.append(("elderly_carer", placement_order_write))
    taken: set[int] = set()
    for n, (code, write) in enumerate(plan):
        rng = random.Random(f"{seed}-standing-{n}")
        workers = [w for w in _free_workers(code) if w.pk not in taken]
        if not households or not workers:
            return
        worker = rng.choice(workers)
        taken.add(worker.pk)
        household = households[rng.randrange(len(households))]
        if write is weekly_order_write:
            write(household, worker, weekdays=(rng.choice([0, 2]), 5), hour=rng.choice([8, 14]))
        else:
            write(household, worker, days_in=rng.randint(3, 25))
        summary.add("standing_orders", 1)


def demo_standing_orders_ensure(*, seed: int, summary: DemoSummary) -> tuple[Order, Order] | None:
    """demo-household's weekly and placement orders, then the county's; None when skipped
    (once: skipped when demo-household has a recurring request)."""
    household = HouseholdProfile.objects.filter(user__username="demo-household").first()
    worker = WorkerProfile.objects.filter(user__username="demo-worker").first()
    carer = WorkerProfile.objects.filter(user__username="demo-worker-3").first()
    if household is None or worker is None or carer is None:
        return None
    if ServiceRequest.objects.filter(
        household_id=household.user_id, kind=RequestKind.RECURRING
    ).exists():
        return None
    weekly = weekly_order_write(household, worker)
    placement = placement_order_write(household, carer)
    summary.add("standing_orders", 2)
    _county_standing_orders(seed=seed, summary=summary)
    return weekly, placement
