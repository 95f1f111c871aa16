"""Who booked whom over the year, when, and how it ended: the plan of the demo's orders.

Each order draws from its own `random.Random(f"{seed}-order-{n}")`, through its plan, its
offer, its timeline and its records, in that order. The demo accounts get a few finished orders
of their own; orders now in progress or still to come go to generated workers only, so
demo-worker stays free for the live demo.
"""

import datetime as dt
import math
import random
from dataclasses import dataclass, fields

from django.utils import timezone

from demo.bulk import local_at
from demo.history import HISTORY_DAYS, can_serve
from marketplace.models import (
    AgencyStaff,
    Category,
    HouseholdProfile,
    User,
    WorkerProfile,
)
from orders.statuses import OrderStatus

DEMO_CASES = 6  # the first orders go to demo-household: four with demo-worker, two with others
# The last orders are still under way, newest last.
LIVE_PLAN = (
    [OrderStatus.IN_PROGRESS] * 2
    + [OrderStatus.AWAITING_CONFIRMATION] * 2
    + [OrderStatus.CONFIRMED] * 5
    + [OrderStatus.PENDING_CONTRACT] * 3
)


@dataclass
class OrderPeople:
    """The households, workers and accounts the orders are drawn among."""

    categories: dict[int, Category]
    code_to_id: dict[str, int]
    demo_household: HouseholdProfile
    others: list[HouseholdProfile]
    owners: dict[int, int]  # agency id → owner's user id
    demo_workers: list[dict]
    generated: list[dict]
    profiles: dict[int, WorkerProfile]
    users: dict[int, User]


@dataclass
class PlannedOrder:
    n: int
    rng: random.Random
    household: HouseholdProfile
    worker: dict
    category_id: int
    requested: dt.datetime
    matched: dt.datetime
    starts_at: dt.datetime
    ends_at: dt.datetime
    status: str
    price: int


@dataclass
class Timeline:
    """When an order was signed, checked in, finished, completed or cancelled (None: never)."""

    signed: dt.datetime | None = None
    checked_in: dt.datetime | None = None
    finished: dt.datetime | None = None
    completed: dt.datetime | None = None
    cancelled: dt.datetime | None = None

    def last_change(self, matched: dt.datetime) -> dt.datetime:
        moments = [getattr(self, f.name) for f in fields(self)]
        return max(v for v in (matched, *moments) if v is not None)


def order_people(workers: list[dict]) -> OrderPeople:
    """Load who the orders are drawn among; `workers` as `demo.history.serving_workers`."""
    categories = {c.pk: c for c in Category.objects.all()}
    households = list(
        HouseholdProfile.objects.select_related("user", "division").order_by("user_id")
    )
    demo_household = next(h for h in households if h.user.username == "demo-household")
    owners = dict(
        AgencyStaff.objects.filter(staff_role=AgencyStaff.StaffRole.OWNER).values_list(
            "agency_id", "user_id"
        )
    )
    user_ids = [w["user_id"] for w in workers] + [h.user_id for h in households]
    return OrderPeople(
        categories=categories,
        code_to_id={c.code: c.pk for c in categories.values()},
        demo_household=demo_household,
        others=[h for h in households if h is not demo_household] or [demo_household],
        owners=owners,
        demo_workers=sorted((w for w in workers if w["is_demo"]), key=lambda w: w["id"]),
        generated=[w for w in workers if not w["is_demo"]],
        profiles=WorkerProfile.objects.in_bulk([w["id"] for w in workers]),
        users=User.objects.in_bulk(user_ids + list(owners.values())),
    )


def _times_drawn(rng: random.Random, live, now: dt.datetime, today: dt.date) -> tuple:
    """(starts_at, matched): live orders around now, past ones denser in recent months."""
    if live in (OrderStatus.IN_PROGRESS, OrderStatus.AWAITING_CONFIRMATION):
        starts_at = now - dt.timedelta(
            hours=rng.randint(1, 2) + (3 if live != "in_progress" else 0)
        )
        matched = starts_at - dt.timedelta(days=rng.randint(1, 4), hours=rng.randint(1, 8))
    elif live:
        starts_at = local_at(today + dt.timedelta(days=rng.randint(3, 12)), rng.choice([8, 9, 14]))
        matched = now - dt.timedelta(hours=rng.randint(2, 40))
    else:
        # More orders in recent months: the programme grows over the year.
        back = 12 + (HISTORY_DAYS - 14) * (1 - math.sqrt(rng.random()))
        matched = now - dt.timedelta(days=back, minutes=rng.randrange(24 * 60))
        start_day = timezone.localdate(matched) + dt.timedelta(days=rng.randint(1, 6))
        starts_at = local_at(start_day, rng.choice([8, 9, 10, 14]))
    return starts_at, matched


def _outcome_drawn(rng, *, n: int, live, now: dt.datetime, matched: dt.datetime) -> str:
    """A live order keeps its planned state; past ones mostly completed, some cancelled, and a
    few recent ones disputed."""
    if live is not None:
        return live
    if n < DEMO_CASES:
        return OrderStatus.CANCELLED if n == 4 else OrderStatus.COMPLETED
    roll = rng.random()
    recent = now - matched < dt.timedelta(days=40)
    if roll < 0.12:
        return OrderStatus.CANCELLED
    if roll < 0.15 and recent:
        return OrderStatus.DISPUTED
    return OrderStatus.COMPLETED


def _order_planned(n: int, live, *, seed: int, people: OrderPeople, busy_later: set, now):
    """Order n's plan, or None when nobody is free to take it."""
    rng = random.Random(f"{seed}-order-{n}")
    if n < DEMO_CASES:
        household = people.demo_household
        pool = people.demo_workers[:1] if n < 4 else people.demo_workers[1:3]
    else:
        household = people.others[rng.randrange(len(people.others))]
        pool = (
            [w for w in people.generated if w["id"] not in busy_later] if live else people.generated
        )
    if not pool:
        return None
    starts_at, matched = _times_drawn(rng, live, now, timezone.localdate(now))
    candidates = [w for w in pool if can_serve(w, timezone.localdate(starts_at))] or pool
    worker = candidates[rng.randrange(len(candidates))]
    trades = sorted(worker["trades"]) or ["housekeeper"]
    code = "hourly_cleaning" if "hourly_cleaning" in trades and rng.random() < 0.4 else None
    code = code or rng.choice(trades)
    if live:
        busy_later.add(worker["id"])
    wait = dt.timedelta(minutes=min(2880, int(rng.expovariate(1 / 150)) + 2))
    status = _outcome_drawn(rng, n=n, live=live, now=now, matched=matched)
    hours = rng.choice([2, 3, 3, 4])
    return PlannedOrder(
        n=n,
        rng=rng,
        household=household,
        worker=worker,
        category_id=people.code_to_id[code],
        requested=matched - wait,
        matched=matched,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=hours),
        status=status,
        price=hours * people.profiles[worker["id"]].hourly_rate,
    )


def orders_plan(*, seed: int, count: int, people: OrderPeople, now: dt.datetime) -> list:
    """The plans of `count` orders (fewer when no worker is free), the live ones last."""
    busy_later: set[int] = set()  # generated workers given an order now or to come
    live_from = max(0, count - len(LIVE_PLAN))
    plans = []
    for n in range(count):
        live = None if n < live_from else LIVE_PLAN[n - live_from]
        plan = _order_planned(n, live, seed=seed, people=people, busy_later=busy_later, now=now)
        if plan is not None:
            plans.append(plan)
    return plans


def timeline_drawn(plan: PlannedOrder, now: dt.datetime) -> Timeline:
    """When each step of the order happened, consistent with how it ended."""
    rng, status, t = plan.rng, plan.status, Timeline()
    if status != OrderStatus.PENDING_CONTRACT:
        t.signed = min(plan.matched + dt.timedelta(hours=rng.randint(1, 12)), now)
    if status == OrderStatus.CANCELLED:
        t.cancelled = plan.matched + dt.timedelta(hours=rng.randint(2, 30))
        if rng.random() < 0.5:
            t.signed = None
        elif t.signed >= t.cancelled:
            t.signed = t.cancelled - dt.timedelta(minutes=30)
    served = (OrderStatus.AWAITING_CONFIRMATION, OrderStatus.COMPLETED, OrderStatus.DISPUTED)
    if status in (OrderStatus.IN_PROGRESS, *served):
        t.checked_in = plan.starts_at + dt.timedelta(minutes=rng.randint(-10, 10))
    if status in served:
        t.finished = min(plan.ends_at + dt.timedelta(minutes=rng.randint(-5, 20)), now)
    if status == OrderStatus.COMPLETED:
        t.completed = t.finished + dt.timedelta(hours=rng.choice([1, 2, 5, 20, 48]))
    return t
