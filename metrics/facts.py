"""What the rollups are made of: facts read from the marketplace, and pure functions that turn
facts into counter contributions and distinct-count chains.

The hooks (metrics.services) and the reconciliation (metrics.reconcile) both go through these
functions, so an event and a rebuild cannot count the same fact differently.

Definitions (PRODUCT.md §4; days are Asia/Shanghai calendar days; an order's division and
trade are its request's):
- signed contracts: orders, on the day their contract first became signed (an amended and
  re-signed order counts once, on its first signing day);
- employed workers: distinct workers of those orders, on the same day;
- served households / served workers: distinct households / workers with an order that is
  `completed` now, on the day it was completed (a completed order later disputed leaves the
  count until the dispute resolves as completed; a full refund cancels it for good);
- pre-job training rate / health-check rate: of the served workers, the share none of whose
  completed orders in the period started (Asia/Shanghai date of `starts_at`) before her first
  pre-job training record was completed / outside every health check's validity;
- trained women / certified: distinct workers with a training record completed / a certificate
  issued on that day (division: the worker's division; trade: the record's trade, 0 if none);
- the programme funnel (metrics.funnel): candidates (village list rows, by the day they were
  added) → registered (worker accounts, by the day they joined) → trained → certified →
  health-checked (distinct workers with a health check done that day; trade: each of her
  trades, 0 if none) → placed (distinct workers hired at a job fair — she accepted the agency's
  roster invitation — on the day she accepted, trade the opening's; or with a signed contract,
  as employed workers);
- orders by status, cancellation rate, time from request to match: orders by the day they were
  created (an accepted offer creates the order: that is the match), counted in their current
  status; wait = order created − request created;
- average rating: published reviews written by households (how households rate workers),
  on the day they were published.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from backend.localtime import local_day
from metrics.models import WAIT_BOUNDS_MINUTES, DistinctKind, Scope

NONE_DAY = dt.date(1, 1, 1)

HOUSEHOLD_KINDS = (DistinctKind.SERVED_HOUSEHOLD.value,)
WORKER_KINDS = (
    DistinctKind.EMPLOYED_WORKER.value,
    DistinctKind.SERVED_WORKER.value,
    DistinctKind.UNTRAINED_SERVICE.value,
    DistinctKind.UNCHECKED_SERVICE.value,
    DistinctKind.TRAINED_WORKER.value,
    DistinctKind.CERTIFIED_WORKER.value,
    DistinctKind.HEALTH_CHECKED.value,
    DistinctKind.PLACED_WORKER.value,
)


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def wait_bucket(seconds: int) -> int:
    minutes = seconds / 60
    for index, bound in enumerate(WAIT_BOUNDS_MINUTES):
        if minutes < bound:
            return index
    return len(WAIT_BOUNDS_MINUTES)


def bucket_key(day: dt.date, division_id: int, category_id: int) -> str:
    return f"{day.isoformat()}|{division_id}|{category_id}"


def parse_bucket_key(key: str) -> tuple[dt.date, int, int]:
    day, division_id, category_id = key.split("|")
    return dt.date.fromisoformat(day), int(division_id), int(category_id)


# --- orders → counters --------------------------------------------------------------------


@dataclass(frozen=True)
class OrderFacts:
    order_id: int
    division_id: int
    category_id: int
    household_id: int
    worker_id: int
    status: str
    created_at: dt.datetime
    request_created_at: dt.datetime
    starts_at: dt.datetime
    completed_at: dt.datetime | None
    first_signed_at: dt.datetime | None
    household_rating: int | None = None
    household_review_published_at: dt.datetime | None = None


def order_contribution(facts: OrderFacts) -> dict[str, dict[str, int]]:
    """What one order adds to the counters: {bucket key: {column: amount}} (no zeros)."""
    out: dict[str, dict[str, int]] = defaultdict(dict)
    division, category = facts.division_id, facts.category_id

    created = out[bucket_key(local_day(facts.created_at), division, category)]
    created["orders_created"] = 1
    created[f"status_{facts.status}"] = 1
    wait = max(0, int((facts.created_at - facts.request_created_at).total_seconds()))
    if wait:
        created["match_seconds"] = wait
    created[f"wait_{wait_bucket(wait)}"] = 1

    if facts.first_signed_at is not None:
        signed = out[bucket_key(local_day(facts.first_signed_at), division, category)]
        signed["signed_contracts"] = 1
    if facts.status == "completed" and facts.completed_at is not None:
        done = out[bucket_key(local_day(facts.completed_at), division, category)]
        done["completed_orders"] = 1
    if facts.household_review_published_at is not None and facts.household_rating:
        reviewed = out[
            bucket_key(local_day(facts.household_review_published_at), division, category)
        ]
        reviewed["reviews"] = reviewed.get("reviews", 0) + 1
        reviewed["rating_sum"] = reviewed.get("rating_sum", 0) + facts.household_rating
    return {key: dict(columns) for key, columns in out.items()}


def contribution_delta(
    old: dict[str, dict[str, int]], new: dict[str, dict[str, int]]
) -> dict[str, dict[str, int]]:
    delta: dict[str, dict[str, int]] = {}
    for key in set(old) | set(new):
        before, after = old.get(key, {}), new.get(key, {})
        changes = {
            column: after.get(column, 0) - before.get(column, 0)
            for column in set(before) | set(after)
        }
        changes = {column: amount for column, amount in changes.items() if amount}
        if changes:
            delta[key] = changes
    return delta


# --- subjects → distinct chains -----------------------------------------------------------

Fact = tuple[int, int, dt.date]  # (division id, category id, day)
MemberKey = tuple[str, str, int, int, dt.date]  # (kind, scope, division, category, day)


def scope_keys(division_id: int, category_id: int) -> list[tuple[str, int, int]]:
    return [
        (Scope.ALL.value, 0, 0),
        (Scope.DIVISION.value, division_id, 0),
        (Scope.CATEGORY.value, 0, category_id),
        (Scope.DIVISION_CATEGORY.value, division_id, category_id),
    ]


def chain_members(kind: str, facts: Iterable[Fact]) -> dict[MemberKey, tuple[int, dt.date]]:
    """One subject's member rows of one kind: {key: (weight, previous day in the scope)}."""
    weights: Counter = Counter()
    for division_id, category_id, day in facts:
        for scope, division, category in scope_keys(division_id, category_id):
            weights[(scope, division, category, day)] += 1
    by_scope: dict[tuple[str, int, int], list[dt.date]] = defaultdict(list)
    for scope, division, category, day in weights:
        by_scope[(scope, division, category)].append(day)
    members: dict[MemberKey, tuple[int, dt.date]] = {}
    for (scope, division, category), days in by_scope.items():
        previous = NONE_DAY
        for day in sorted(days):
            members[(kind, scope, division, category, day)] = (
                weights[(scope, division, category, day)],
                previous,
            )
            previous = day
    return members


def cell_contributions(
    members: dict[MemberKey, tuple[int, dt.date]],
) -> tuple[Counter, Counter]:
    """Day cells {(kind, scope, division, category, day, prev_month): n} and month cells."""
    day_cells: Counter = Counter()
    month_cells: Counter = Counter()
    for (kind, scope, division, category, day), (_weight, previous) in members.items():
        prev_month = month_of(previous)
        day_cells[(kind, scope, division, category, day, prev_month)] += 1
        month_cells[(kind, scope, division, category, month_of(day), prev_month)] += 1
    return day_cells, month_cells


@dataclass(frozen=True)
class ServedOrder:
    """A completed order as the worker rates see it."""

    division_id: int
    category_id: int
    completed_day: dt.date
    start_day: dt.date


def worker_kind_facts(
    *,
    signed: Iterable[Fact],
    served: Iterable[ServedOrder],
    pre_job_days: Iterable[dt.date],
    health_checks: Iterable[tuple[dt.date, dt.date]],
    trainings: Iterable[Fact],
    certificates: Iterable[Fact],
    health_facts: Iterable[Fact] = (),
    hires: Iterable[Fact] = (),
) -> dict[str, list[Fact]]:
    """One worker's facts per distinct kind."""
    first_pre_job = min(pre_job_days, default=None)
    checks = list(health_checks)
    served = list(served)
    signed = list(signed)
    untrained, unchecked = [], []
    for order in served:
        fact = (order.division_id, order.category_id, order.completed_day)
        if first_pre_job is None or first_pre_job > order.start_day:
            untrained.append(fact)
        if not any(done <= order.start_day <= until for done, until in checks):
            unchecked.append(fact)
    return {
        DistinctKind.EMPLOYED_WORKER.value: list(signed),
        DistinctKind.SERVED_WORKER.value: [
            (o.division_id, o.category_id, o.completed_day) for o in served
        ],
        DistinctKind.UNTRAINED_SERVICE.value: untrained,
        DistinctKind.UNCHECKED_SERVICE.value: unchecked,
        DistinctKind.TRAINED_WORKER.value: list(trainings),
        DistinctKind.CERTIFIED_WORKER.value: list(certificates),
        DistinctKind.HEALTH_CHECKED.value: list(health_facts),
        DistinctKind.PLACED_WORKER.value: [*hires, *signed],
    }
