"""Read the metrics from the rollups: a summary, or a breakdown by division, trade or month.

A period [start, end] (Asia/Shanghai days, both included) is split into the months it covers
whole (monthly rows) and at most two partial months at its ends (daily rows). Distinct counts
follow the chain rule in metrics.models: a subject is counted once per bucket, on its first
member row in the bucket. At most 8 queries per call, whatever the period or the data size.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, Q, Sum

from metrics.facts import month_of
from metrics.models import (
    COUNTER_COLUMNS,
    STATUS_COLUMNS,
    WAIT_BOUNDS_MINUTES,
    WAIT_BUCKETS,
    DailyCount,
    DistinctDayCell,
    DistinctKind,
    DistinctMember,
    DistinctMonthCell,
    MonthlyCount,
    Scope,
)

GROUPS = ("division", "category", "month")
GROUP_FIELDS = {"division": "division_id", "category": "category_id", "month": "month"}


@dataclass(frozen=True)
class MetricsFilter:
    start: dt.date
    end: dt.date
    division_id: int | None = None
    category_id: int | None = None


def month_end(month: dt.date) -> dt.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def months_between(start: dt.date, end: dt.date) -> list[dt.date]:
    months, month = [], month_of(start)
    while month <= end:
        months.append(month)
        month = next_month(month)
    return months


def period_parts(start: dt.date, end: dt.date) -> tuple[list[dt.date], list[tuple]]:
    """(months covered whole, partial ranges (first, last) each inside one month)."""
    full, partial = [], []
    for month in months_between(start, end):
        first, last = max(start, month), min(end, month_end(month))
        if first == month and last == month_end(month):
            full.append(month)
        else:
            partial.append((first, last))
    return full, partial


def _bucket_filter(filters: MetricsFilter) -> dict:
    out = {}
    if filters.division_id is not None:
        out["division_id"] = filters.division_id
    if filters.category_id is not None:
        out["category_id"] = filters.category_id
    return out


def _counters(filters: MetricsFilter, group: str | None) -> dict:
    """{bucket: Counter(column → sum)} from monthly rows for whole months, daily otherwise."""
    full, partial = period_parts(filters.start, filters.end)
    sums = {column: Sum(column) for column in COUNTER_COLUMNS}
    where = _bucket_filter(filters)
    out: dict = defaultdict(Counter)

    def collect(rows, fixed_bucket=None):
        for row in rows:
            bucket = fixed_bucket if fixed_bucket is not None else row.get(group_field)
            out[bucket].update({c: row[c] or 0 for c in COUNTER_COLUMNS})

    group_field = GROUP_FIELDS.get(group) if group else None

    def run(rows, fixed_bucket=None):
        if group_field is None or fixed_bucket is not None:
            collect([rows.aggregate(**sums)], fixed_bucket)
        else:
            collect(rows.values(group_field).annotate(**sums).order_by())

    if full:
        run(MonthlyCount.objects.filter(month__in=full, **where))
    for first, last in partial:
        rows = DailyCount.objects.filter(day__range=(first, last), **where)
        run(rows, month_of(first) if group == "month" else None)
    return out


def _scope(filters: MetricsFilter, group: str | None) -> str:
    by_division = filters.division_id is not None or group == "division"
    by_category = filters.category_id is not None or group == "category"
    if by_division and by_category:
        return Scope.DIVISION_CATEGORY
    if by_division:
        return Scope.DIVISION
    if by_category:
        return Scope.CATEGORY
    return Scope.ALL


def _distinct(filters: MetricsFilter, group: str | None) -> dict:
    """{bucket: Counter(kind → distinct subjects)} by the chain rule."""
    start, end = filters.start, filters.end
    first_month = month_of(start)
    full, partial = period_parts(start, end)
    scope = _scope(filters, group)
    where = {"scope": scope, "kind__in": DistinctKind.values, **_bucket_filter(filters)}
    # A scope without divisions (or trades) keeps 0 there: say so, the indexes lead with it.
    if scope in (Scope.ALL, Scope.CATEGORY):
        where["division_id"] = 0
    if scope in (Scope.ALL, Scope.DIVISION):
        where["category_id"] = 0
    group_field = GROUP_FIELDS.get(group) if group else None
    # "Before the bucket": before the first month of the period, or (by month) before the
    # cell's own month.
    before = Q(prev_month__lt=F("month")) if group == "month" else Q(prev_month__lt=first_month)
    keys = ["kind", *([group_field] if group_field else [])]
    out: dict = defaultdict(Counter)

    def collect(rows, fixed_bucket=None):
        for row in rows:
            bucket = fixed_bucket if fixed_bucket is not None else row.get(group_field)
            out[bucket][row["kind"]] += row["n"] or 0

    if full:
        collect(
            DistinctMonthCell.objects.filter(before, month__in=full, **where)
            .values(*keys)
            .annotate(n=Sum("count"))
        )
    for first, last in partial:  # one range per query: each stays an index range scan
        collect(
            DistinctDayCell.objects.filter(before, day__range=(first, last), **where)
            .values(*keys)
            .annotate(n=Sum("count"))
        )
    if start != first_month:
        # Members whose previous day is in this month but before the period: still firsts.
        last = min(end, month_end(first_month)) if group == "month" else end
        rows = DistinctMember.objects.filter(
            prev_day__gte=first_month, prev_day__lt=start, day__range=(start, last), **where
        )
        member_keys = [k for k in keys if k != "month"]
        collect(
            rows.values(*member_keys).annotate(n=Count("id")),
            first_month if group == "month" else None,
        )
    return out


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _median_hours(waits: list[int]) -> float | None:
    """Median wait, interpolated inside its bucket (bucket bounds in WAIT_BOUNDS_MINUTES)."""
    total = sum(waits)
    if not total:
        return None
    half = total / 2
    seen = 0
    for index, count in enumerate(waits):
        if count and seen + count >= half:
            low = WAIT_BOUNDS_MINUTES[index - 1] if index else 0
            if index >= len(WAIT_BOUNDS_MINUTES):
                return round(low / 60, 2)
            high = WAIT_BOUNDS_MINUTES[index]
            return round((low + (high - low) * (half - seen) / count) / 60, 2)
        seen += count
    return None


def assemble(counters: Counter, distinct: Counter) -> dict:
    """The metric values of one bucket (aggregates only)."""
    served_workers = distinct[DistinctKind.SERVED_WORKER]
    orders = counters["orders_created"]
    waits = [counters[f"wait_{index}"] for index in range(WAIT_BUCKETS)]
    matches = sum(waits)
    reviews = counters["reviews"]
    return {
        "signed_contracts": counters["signed_contracts"],
        "served_households": distinct[DistinctKind.SERVED_HOUSEHOLD],
        "employed_workers": distinct[DistinctKind.EMPLOYED_WORKER],
        "trained_women": distinct[DistinctKind.TRAINED_WORKER],
        "certified_workers": distinct[DistinctKind.CERTIFIED_WORKER],
        "served_workers": served_workers,
        "pre_job_training_rate": _ratio(
            served_workers - distinct[DistinctKind.UNTRAINED_SERVICE], served_workers
        ),
        "health_check_rate": _ratio(
            served_workers - distinct[DistinctKind.UNCHECKED_SERVICE], served_workers
        ),
        "orders": orders,
        "orders_by_status": {status: counters[f"status_{status}"] for status in STATUS_COLUMNS},
        "completed_orders": counters["completed_orders"],
        "cancellation_rate": _ratio(counters["status_cancelled"], orders),
        "reviews": reviews,
        "average_rating": round(counters["rating_sum"] / reviews, 2) if reviews else None,
        "time_from_request_to_match": {
            "unit": "hours",
            "matches": matches,
            "average": round(counters["match_seconds"] / matches / 3600, 2) if matches else None,
            "median": _median_hours(waits),
        },
        "funnel": {
            "trained": distinct[DistinctKind.TRAINED_WORKER],
            "certified": distinct[DistinctKind.CERTIFIED_WORKER],
            "placed": distinct[DistinctKind.EMPLOYED_WORKER],
        },
    }


def metrics_summary(*, filters: MetricsFilter) -> dict:
    counters = _counters(filters, None).get(None, Counter())
    distinct = _distinct(filters, None).get(None, Counter())
    return assemble(counters, distinct)


def metrics_breakdown(*, filters: MetricsFilter, by: str) -> dict:
    """{bucket value (division id, category id or first day of month): metrics}."""
    counters = _counters(filters, by)
    distinct = _distinct(filters, by)
    buckets = set(counters) | set(distinct)
    if by == "month":
        buckets |= set(months_between(filters.start, filters.end))
    return {
        bucket: assemble(counters.get(bucket, Counter()), distinct.get(bucket, Counter()))
        for bucket in buckets
    }
