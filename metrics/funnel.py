"""The first two stages of the programme funnel, counted straight from their rows.

Candidates (village list rows, by the day an officer added them; division: the candidate's;
trade: each trade she wants, 0 if none) and registered women (worker accounts, by the day
they joined; division: hers; trade: each of her trades, 0 if none) are one row per woman, so
the number of women at these stages is a COUNT over a few thousand rows at most — no rollup
is kept for them, so there is nothing that could drift from a recomputation. The later stages
(trained, certified, health-checked, placed) are distinct counts over many facts per woman and
come from the rollups (metrics.facts), which metrics_reconcile checks.

An officer checks a figure by hand: the console's candidate list filtered by town and added
date; the workers registered in the period; the course completions, exam passes, health-check
results and hired applications of the period.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from backend.localtime import local_day, local_zone
from marketplace.models import WorkerProfile
from metrics.facts import month_of
from programme.models import Candidate

STAGES = ("candidates", "registered", "trained", "certified", "health_checked", "placed")


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    zone = local_zone()
    first = dt.datetime.combine(start, dt.time.min, tzinfo=zone)
    after = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return first, after


def _rows(model, moment_field: str, trade_model, trade_field: str, filters):
    """(pk, division id, local day, [trade ids]) of the rows in the period and filters."""
    first, after = _bounds(filters.start, filters.end)
    rows = model.objects.filter(**{f"{moment_field}__gte": first, f"{moment_field}__lt": after})
    if filters.division_id is not None:
        rows = rows.filter(division_id=filters.division_id)
    found = list(rows.values_list("pk", "division_id", moment_field).order_by())
    trades: dict[int, list[int]] = defaultdict(list)
    owner = f"{model._meta.model_name}_id"
    if found:  # two queries per stage at most
        links = trade_model.objects.filter(**{f"{owner}__in": [row[0] for row in found]})
        for owner_id, category_id in links.values_list(owner, trade_field).order_by():
            trades[owner_id].append(category_id)
    for pk, division_id, moment in found:
        categories = trades.get(pk) or [0]
        if filters.category_id is not None:
            if filters.category_id not in categories:
                continue
            categories = [filters.category_id]
        yield pk, division_id or 0, local_day(moment), categories


def _count(stage: str, rows, by: str | None, out: dict) -> None:
    seen: set = set()
    for pk, division_id, day, categories in rows:
        if by == "category":
            buckets = categories
        elif by == "division":
            buckets = [division_id]
        elif by == "month":
            buckets = [month_of(day)]
        else:
            buckets = [None]
        for bucket in buckets:
            if (bucket, pk) not in seen:
                seen.add((bucket, pk))
                out[bucket][stage] += 1


def funnel_head_counts(filters, by: str | None = None) -> dict:
    """{bucket (None for the whole period, or a division id, trade id, first day of a month):
    Counter(candidates=…, registered=…)}."""
    out: dict = defaultdict(Counter)
    _count(
        "candidates",
        _rows(Candidate, "created_at", Candidate.wanted_categories.through, "category_id", filters),
        by,
        out,
    )
    registered = _rows(
        WorkerProfile,
        "user__date_joined",
        WorkerProfile.categories.through,
        "category_id",
        filters,
    )
    _count("registered", registered, by, out)
    return out
