"""Read the metrics from the rollups: a summary, or a breakdown by division, trade or month.

A period [start, end] (Asia/Shanghai days, both included) is split into the months it covers
whole (monthly rows) and at most two partial months at its ends, each read from its shorter
side: its own days (daily rows), or its month row minus the days outside the period. Distinct
counts follow the chain rule in metrics.models: a subject is counted once per bucket, on its
first member row in the bucket. At most 7 queries per call, whatever the period or the data
size, and none reads more than about half a month of daily rows or member strips.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, Q, Sum

from metrics.facts import month_of
from metrics.funnel import funnel_head_counts
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


@dataclass(frozen=True)
class PeriodPlan:
    """How a period is read: month rows added, day ranges added, day ranges subtracted.

    A partial month covering more than half of its days is read as its month row minus the
    days outside the period (at most two ranges, one query), so no query reads more than about
    half a month of day rows: month row = sum of its day rows, for counters and cells alike.
    """

    months: list[dt.date]  # month rows to add (whole months and complemented partial months)
    day_parts: list[tuple[dt.date, list[tuple], int]]  # (month, day ranges, sign), one per month


def period_plan(start: dt.date, end: dt.date) -> PeriodPlan:
    full, partial = period_parts(start, end)
    months, day_parts = list(full), []
    for first, last in partial:
        month = month_of(first)
        inside = (last - first).days + 1
        if inside * 2 <= (month_end(month) - month).days + 1:
            day_parts.append((month, [(first, last)], 1))
            continue
        months.append(month)
        outside = []
        if first > month:
            outside.append((month, first - dt.timedelta(days=1)))
        if last < month_end(month):
            outside.append((last + dt.timedelta(days=1), month_end(month)))
        day_parts.append((month, outside, -1))
    return PeriodPlan(months=sorted(months), day_parts=day_parts)


def _day_ranges(ranges: list[tuple]) -> Q:
    condition = Q()
    for first, last in ranges:
        condition |= Q(day__range=(first, last))
    return condition


def _bucket_filter(filters: MetricsFilter) -> dict:
    out = {}
    if filters.division_id is not None:
        out["division_id"] = filters.division_id
    if filters.category_id is not None:
        out["category_id"] = filters.category_id
    return out


def _counters(filters: MetricsFilter, group: str | None) -> dict:
    """{bucket: Counter(column → sum)} from month rows and (added or subtracted) day rows."""
    plan = period_plan(filters.start, filters.end)
    sums = {column: Sum(column) for column in COUNTER_COLUMNS}
    where = _bucket_filter(filters)
    out: dict = defaultdict(Counter)
    group_field = GROUP_FIELDS.get(group) if group else None

    def collect(rows, sign=1, fixed_bucket=None):
        for row in rows:
            bucket = fixed_bucket if fixed_bucket is not None else row.get(group_field)
            counter = out[bucket]
            for column in COUNTER_COLUMNS:
                counter[column] += sign * (row[column] or 0)

    def run(rows, sign=1, fixed_bucket=None):
        if group_field is None or fixed_bucket is not None:
            collect([rows.aggregate(**sums)], sign, fixed_bucket)
        else:
            collect(rows.values(group_field).annotate(**sums).order_by(), sign)

    if plan.months:
        run(MonthlyCount.objects.filter(month__in=plan.months, **where))
    for month, ranges, sign in plan.day_parts:
        rows = DailyCount.objects.filter(_day_ranges(ranges), **where)
        run(rows, sign, month if group == "month" else None)
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
    """{bucket: Counter(kind → distinct subjects)} by the chain rule.

    A subject counts in a bucket on its first member row there: the rows whose previous day is
    before the bucket's first day. Cells answer "previous month before the first month"; the
    rest is a strip of member rows with the previous day in the first month. The strip is read
    from its shorter side: [first of month, start) added, or — when the start is late in its
    month — cells with the previous month up to the first month, minus the member rows whose
    previous day is in [start, end of that month] (such a row's day is after the start).
    """
    start, end = filters.start, filters.end
    first_month = month_of(start)
    plan = period_plan(start, end)
    scope = _scope(filters, group)
    where = {"scope": scope, "kind__in": DistinctKind.values, **_bucket_filter(filters)}
    # A scope without divisions (or trades) keeps 0 there: say so, the indexes lead with it.
    if scope in (Scope.ALL, Scope.CATEGORY):
        where["division_id"] = 0
    if scope in (Scope.ALL, Scope.DIVISION):
        where["category_id"] = 0
    group_field = GROUP_FIELDS.get(group) if group else None
    strip_days = (start - first_month).days
    late_start = strip_days * 2 > (month_end(first_month) - first_month).days + 1
    # "Before the bucket": before the first month of the period, or (by month) before the
    # cell's own month; with a late start, the first month itself is in (and corrected below).
    if group == "month":
        before = Q(prev_month__lt=F("month"))
        if late_start:
            before |= Q(month=first_month, prev_month=first_month)
    elif late_start:
        before = Q(prev_month__lte=first_month)
    else:
        before = Q(prev_month__lt=first_month)
    keys = ["kind", *([group_field] if group_field else [])]
    out: dict = defaultdict(Counter)

    def collect(rows, sign=1, fixed_bucket=None):
        for row in rows:
            bucket = fixed_bucket if fixed_bucket is not None else row.get(group_field)
            out[bucket][row["kind"]] += sign * (row["n"] or 0)

    if plan.months:
        collect(
            DistinctMonthCell.objects.filter(before, month__in=plan.months, **where)
            .values(*keys)
            .annotate(n=Sum("count"))
        )
    for _month, ranges, sign in plan.day_parts:  # one month per query: short index ranges
        collect(
            DistinctDayCell.objects.filter(before, _day_ranges(ranges), **where)
            .values(*keys)
            .annotate(n=Sum("count")),
            sign,
        )
    if strip_days:
        last = min(end, month_end(first_month)) if group == "month" else end
        if late_start:
            rows = DistinctMember.objects.filter(
                prev_day__gte=start, prev_day__lte=month_end(first_month), day__lte=last, **where
            )
            sign = -1
        else:
            # One index seek per previous day, then the day range inside it: the rows of
            # subjects seen again before the start are never read.
            days = [first_month + dt.timedelta(days=n) for n in range(strip_days)]
            rows = DistinctMember.objects.filter(
                prev_day__in=days, day__range=(start, last), **where
            )
            sign = 1
        member_keys = [k for k in keys if k != "month"]
        collect(
            rows.values(*member_keys).annotate(n=Count("*")),  # index-only on PostgreSQL
            sign,
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
            "candidates": distinct["candidates"],
            "registered": distinct["registered"],
            "trained": distinct[DistinctKind.TRAINED_WORKER],
            "certified": distinct[DistinctKind.CERTIFIED_WORKER],
            "health_checked": distinct[DistinctKind.HEALTH_CHECKED],
            "placed": distinct[DistinctKind.PLACED_WORKER],
        },
    }


def metrics_summary(*, filters: MetricsFilter) -> dict:
    counters = _counters(filters, None).get(None, Counter())
    distinct = _distinct(filters, None).get(None, Counter())
    distinct.update(funnel_head_counts(filters).get(None, Counter()))
    return assemble(counters, distinct)


def metrics_breakdown(*, filters: MetricsFilter, by: str) -> dict:
    """{bucket value (division id, category id or first day of month): metrics}."""
    counters = _counters(filters, by)
    distinct = _distinct(filters, by)
    for bucket, heads in funnel_head_counts(filters, by).items():
        distinct[bucket].update(heads)
    buckets = set(counters) | set(distinct)
    if by == "month":
        buckets |= set(months_between(filters.start, filters.end))
    return {
        bucket: assemble(counters.get(bucket, Counter()), distinct.get(bucket, Counter()))
        for bucket in buckets
    }
