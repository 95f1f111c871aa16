"""Keep the metrics rollups in step with the events they count.

Every hook runs inside the caller's transaction (the event and its counts commit or roll back
together) and is idempotent: it recomputes the affected order's contribution, or the affected
household's / worker's distinct rows, from the facts and applies only the difference. Counters
move with F() updates; a missing row is inserted in a savepoint and a lost insert race falls
back to the F() update, so concurrent events never lose a count (SQLite and PostgreSQL).

Locks (metrics.locks): the order's ledger row, then one `SubjectLock` row per household / worker
whose distinct rows change (always after the domain rows the caller locked).
"""

from __future__ import annotations

from collections import Counter

from django.db import IntegrityError, transaction
from django.db.models import F

from metrics.facts import (
    HOUSEHOLD_KINDS,
    WORKER_KINDS,
    Fact,
    chain_members,
    contribution_delta,
    month_of,
    order_contribution,
    parse_bucket_key,
)
from metrics.locks import lock_order_ledger, lock_subject
from metrics.models import (
    DailyCount,
    DistinctDayCell,
    DistinctMember,
    DistinctMonthCell,
    MonthlyCount,
)
from metrics.sources import household_facts, order_facts, worker_facts


def _upsert_add(model, key: dict, deltas: dict[str, int], extra: dict | None = None) -> None:
    """Add `deltas` to the row at `key`, creating it when missing (race-safe)."""
    deltas = {column: amount for column, amount in deltas.items() if amount}
    if not deltas:
        return
    updates = {column: F(column) + amount for column, amount in deltas.items()}
    if model.objects.filter(**key).update(**updates):
        return
    try:
        with transaction.atomic():
            model.objects.create(**key, **(extra or {}), **deltas)
    except IntegrityError:
        model.objects.filter(**key).update(**updates)


def _apply_counter_delta(delta: dict[str, dict[str, int]]) -> None:
    monthly: dict[tuple, Counter] = {}
    for key in sorted(delta):
        day, division_id, category_id = parse_bucket_key(key)
        _upsert_add(
            DailyCount,
            {"day": day, "division_id": division_id, "category_id": category_id},
            delta[key],
        )
        monthly.setdefault((month_of(day), division_id, category_id), Counter()).update(delta[key])
    for (month, division_id, category_id), changes in sorted(monthly.items()):
        _upsert_add(
            MonthlyCount,
            {"month": month, "division_id": division_id, "category_id": category_id},
            dict(changes),
        )


def _sync_subject(
    *, subject_type: str, subject_id: int, kinds: tuple[str, ...], facts: dict[str, list[Fact]]
) -> None:
    """Rewrite one subject's distinct rows of `kinds` to match `facts`; move the cells."""
    lock_subject(subject_type, subject_id)
    existing = {
        (row.kind, row.scope, row.division_id, row.category_id, row.day): row
        for row in DistinctMember.objects.filter(kind__in=kinds, subject_id=subject_id)
    }
    desired = {}
    for kind in kinds:
        desired.update(chain_members(kind, facts.get(kind, ())))

    day_cells: Counter = Counter()
    month_cells: Counter = Counter()

    def move(key, previous, amount):
        kind, scope, division, category, day = key
        day_cells[(kind, scope, division, category, day, month_of(previous))] += amount
        month_cells[(kind, scope, division, category, month_of(day), month_of(previous))] += amount

    gone = [row.pk for key, row in existing.items() if key not in desired]
    for key, row in existing.items():
        if key not in desired:
            move(key, row.prev_day, -1)
    new_rows = []
    for key, (weight, previous) in desired.items():
        row = existing.get(key)
        if row is None:
            kind, scope, division, category, day = key
            new_rows.append(
                DistinctMember(
                    kind=kind,
                    scope=scope,
                    division_id=division,
                    category_id=category,
                    subject_id=subject_id,
                    day=day,
                    prev_day=previous,
                    weight=weight,
                )
            )
            move(key, previous, 1)
        elif row.prev_day != previous or row.weight != weight:
            if row.prev_day != previous:
                move(key, row.prev_day, -1)
                move(key, previous, 1)
            DistinctMember.objects.filter(pk=row.pk).update(prev_day=previous, weight=weight)
    if gone:
        DistinctMember.objects.filter(pk__in=gone).delete()
    if new_rows:
        DistinctMember.objects.bulk_create(new_rows)

    for (kind, scope, division, category, day, prev_month), amount in sorted(day_cells.items()):
        _upsert_add(
            DistinctDayCell,
            {
                "kind": kind,
                "scope": scope,
                "division_id": division,
                "category_id": category,
                "day": day,
                "prev_month": prev_month,
            },
            {"count": amount},
            extra={"month": month_of(day)},
        )
    for (kind, scope, division, category, month, prev_month), amount in sorted(month_cells.items()):
        _upsert_add(
            DistinctMonthCell,
            {
                "kind": kind,
                "scope": scope,
                "division_id": division,
                "category_id": category,
                "month": month,
                "prev_month": prev_month,
            },
            {"count": amount},
        )


def metrics_sync_household(*, household_id: int) -> None:
    """Recompute one household's served-household rows from its completed orders."""
    facts = household_facts(household_ids=[household_id]).get(household_id, [])
    _sync_subject(
        subject_type="household",
        subject_id=household_id,
        kinds=HOUSEHOLD_KINDS,
        facts={HOUSEHOLD_KINDS[0]: facts},
    )


def metrics_sync_worker(*, worker_id: int) -> None:
    """Recompute one worker's distinct rows (employed, served, rates, trained, certified)."""
    facts = worker_facts(worker_ids=[worker_id]).get(worker_id, {})
    _sync_subject(subject_type="worker", subject_id=worker_id, kinds=WORKER_KINDS, facts=facts)


def _subject_part(contribution: dict) -> dict:
    return {
        key: (columns.get("completed_orders", 0), columns.get("signed_contracts", 0))
        for key, columns in contribution.items()
        if columns.get("completed_orders") or columns.get("signed_contracts")
    }


def metrics_record_order_changed(*, order_id: int) -> None:
    """Bring the counters and distinct rows in line with one order's facts (idempotent).

    Call in the transaction of the event: order created (offer accepted), status changed,
    contract signed, review published. Locks the order's ledger row.
    """
    with transaction.atomic():
        facts = next(order_facts(order_ids=[order_id]), None)
        if facts is None:
            return
        new = order_contribution(facts)
        ledger = lock_order_ledger(order_id)
        old = ledger.contribution or {}
        if old == new:
            return
        _apply_counter_delta(contribution_delta(old, new))
        ledger.contribution = new
        ledger.save(update_fields=["contribution"])
        if _subject_part(old) != _subject_part(new):
            metrics_sync_household(household_id=facts.household_id)
            metrics_sync_worker(worker_id=facts.worker_id)


def metrics_record_worker_changed(*, worker_id: int) -> None:
    """Bring one worker's distinct rows in line with her facts: her credentials or training
    changed (trained, certified, and the training and health-check rates of her service)."""
    with transaction.atomic():
        metrics_sync_worker(worker_id=worker_id)
