"""Recompute every rollup from the facts, compare with the stored rows, optionally replace them.

`metrics_reconcile(fix=False)` is what `manage.py metrics_reconcile [--fix]` runs. Zero-valued
rows are equal to missing rows. A fix replaces all rollup tables inside one transaction; run
it when no events are being written (PostgreSQL would let a concurrent event's increment land
on rows the fix then deletes).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction

from metrics.facts import (
    HOUSEHOLD_KINDS,
    Fact,
    OrderFacts,
    cell_contributions,
    chain_members,
    month_of,
    order_contribution,
    parse_bucket_key,
)
from metrics.models import (
    COUNTER_COLUMNS,
    DailyCount,
    DistinctDayCell,
    DistinctMember,
    DistinctMonthCell,
    MonthlyCount,
    OrderLedger,
)
from metrics.sources import household_facts, order_facts, worker_facts


@dataclass
class Rollups:
    daily: dict = field(default_factory=dict)  # (day, division, category) → Counter
    monthly: dict = field(default_factory=dict)  # (month, division, category) → Counter
    ledger: dict = field(default_factory=dict)  # order id → contribution
    members: dict = field(default_factory=dict)  # (kind, subject, scope, div, cat, day) → (w, prev)
    day_cells: Counter = field(default_factory=Counter)
    month_cells: Counter = field(default_factory=Counter)


def rollups_from_facts(
    *,
    orders: Iterable[OrderFacts],
    households: dict[int, list[Fact]],
    workers: dict[int, dict[str, list[Fact]]],
    keep_ledger: bool = True,
) -> Rollups:
    """The rollup rows the given facts imply (pure; the benchmark uses it too)."""
    out = Rollups()
    for facts in orders:
        contribution = order_contribution(facts)
        if keep_ledger:
            out.ledger[facts.order_id] = contribution
        for key, columns in contribution.items():
            day, division, category = parse_bucket_key(key)
            out.daily.setdefault((day, division, category), Counter()).update(columns)
            out.monthly.setdefault((month_of(day), division, category), Counter()).update(columns)

    def add_subject(subject_id: int, kind: str, facts: list[Fact]) -> None:
        members = chain_members(kind, facts)
        for (kind_, scope, division, category, day), value in members.items():
            out.members[(kind_, subject_id, scope, division, category, day)] = value
        day_cells, month_cells = cell_contributions(members)
        out.day_cells.update(day_cells)
        out.month_cells.update(month_cells)

    for household_id, facts in households.items():
        add_subject(household_id, HOUSEHOLD_KINDS[0], facts)
    for worker_id, kinds in workers.items():
        for kind, facts in kinds.items():
            if facts:
                add_subject(worker_id, kind, facts)
    return out


def expected_rollups() -> Rollups:
    return rollups_from_facts(
        orders=order_facts(), households=household_facts(), workers=worker_facts()
    )


def stored_rollups() -> Rollups:
    out = Rollups()
    for model, target, key_field in (
        (DailyCount, out.daily, "day"),
        (MonthlyCount, out.monthly, "month"),
    ):
        for row in model.objects.values(key_field, "division_id", "category_id", *COUNTER_COLUMNS):
            key = (row[key_field], row["division_id"], row["category_id"])
            target[key] = Counter({c: row[c] for c in COUNTER_COLUMNS})
    out.ledger = dict(OrderLedger.objects.values_list("order_id", "contribution"))
    for row in DistinctMember.objects.values_list(
        "kind", "subject_id", "scope", "division_id", "category_id", "day", "weight", "prev_day"
    ).iterator(chunk_size=5000):
        out.members[row[:6]] = (row[6], row[7])
    for row in DistinctDayCell.objects.values_list(
        "kind", "scope", "division_id", "category_id", "day", "prev_month", "count"
    ).iterator(chunk_size=5000):
        out.day_cells[row[:6]] += row[6]
    for row in DistinctMonthCell.objects.values_list(
        "kind", "scope", "division_id", "category_id", "month", "prev_month", "count"
    ).iterator(chunk_size=5000):
        out.month_cells[row[:6]] += row[6]
    return out


def _nonzero_counters(table: dict) -> dict:
    cleaned = {}
    for key, columns in table.items():
        columns = {c: v for c, v in columns.items() if v}
        if columns:
            cleaned[key] = columns
    return cleaned


def _nonzero(counter: Counter) -> dict:
    return {key: value for key, value in counter.items() if value}


def _diff(name: str, expected: dict, stored: dict, limit: int) -> list[str]:
    lines = []
    for key in sorted(set(expected) | set(stored), key=repr):
        want, have = expected.get(key), stored.get(key)
        if want != have:
            lines.append(f"{name} {key}: expected {want}, stored {have}")
    return lines[:limit] + ([f"{name}: … {len(lines) - limit} more"] if len(lines) > limit else [])


@dataclass
class ReconcileReport:
    differences: dict[str, list[str]]
    fixed: bool

    @property
    def is_clean(self) -> bool:
        return not any(self.differences.values())

    def lines(self) -> list[str]:
        return [line for lines in self.differences.values() for line in lines]


def compare(expected: Rollups, stored: Rollups, limit: int = 20) -> dict[str, list[str]]:
    ledger_expected = {k: v for k, v in expected.ledger.items() if v}
    ledger_stored = {k: v for k, v in stored.ledger.items() if v}
    return {
        "daily": _diff(
            "daily", _nonzero_counters(expected.daily), _nonzero_counters(stored.daily), limit
        ),
        "monthly": _diff(
            "monthly",
            _nonzero_counters(expected.monthly),
            _nonzero_counters(stored.monthly),
            limit,
        ),
        "ledger": _diff("ledger", ledger_expected, ledger_stored, limit),
        "members": _diff("member", expected.members, stored.members, limit),
        "day_cells": _diff(
            "day cell", _nonzero(expected.day_cells), _nonzero(stored.day_cells), limit
        ),
        "month_cells": _diff(
            "month cell", _nonzero(expected.month_cells), _nonzero(stored.month_cells), limit
        ),
    }


def rollup_instances(rollups: Rollups) -> dict:
    """Model instances for every non-zero rollup row, by model."""
    return {
        DailyCount: [
            DailyCount(day=day, division_id=d, category_id=c, **cols)
            for (day, d, c), cols in _nonzero_counters(rollups.daily).items()
        ],
        MonthlyCount: [
            MonthlyCount(month=month, division_id=d, category_id=c, **cols)
            for (month, d, c), cols in _nonzero_counters(rollups.monthly).items()
        ],
        OrderLedger: [
            OrderLedger(order_id=order_id, contribution=contribution)
            for order_id, contribution in rollups.ledger.items()
        ],
        DistinctMember: [
            DistinctMember(
                kind=kind,
                subject_id=subject,
                scope=scope,
                division_id=d,
                category_id=c,
                day=day,
                weight=weight,
                prev_day=previous,
            )
            for (kind, subject, scope, d, c, day), (weight, previous) in rollups.members.items()
        ],
        DistinctDayCell: [
            DistinctDayCell(
                kind=kind,
                scope=scope,
                division_id=d,
                category_id=c,
                day=day,
                month=month_of(day),
                prev_month=prev_month,
                count=n,
            )
            for (kind, scope, d, c, day, prev_month), n in _nonzero(rollups.day_cells).items()
        ],
        DistinctMonthCell: [
            DistinctMonthCell(
                kind=kind,
                scope=scope,
                division_id=d,
                category_id=c,
                month=month,
                prev_month=prev_month,
                count=n,
            )
            for (kind, scope, d, c, month, prev_month), n in _nonzero(rollups.month_cells).items()
        ],
    }


def rollups_replace(rollups: Rollups) -> None:
    with transaction.atomic():
        for model, rows in rollup_instances(rollups).items():
            model.objects.all().delete()
            model.objects.bulk_create(rows, batch_size=2000)


def metrics_reconcile(*, fix: bool = False, limit: int = 20) -> ReconcileReport:
    """Recompute the rollups from the facts and report (and with `fix`, repair) differences."""
    with transaction.atomic():
        expected = expected_rollups()
        differences = compare(expected, stored_rollups(), limit=limit)
        clean = not any(differences.values())
        if fix and not clean:
            rollups_replace(expected)
    return ReconcileReport(differences=differences, fixed=fix and not clean)


def metrics_rebuild() -> None:
    """Replace every rollup row by the recomputation (demo seeding, bulk imports)."""
    with transaction.atomic():
        rollups_replace(expected_rollups())
