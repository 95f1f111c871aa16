"""The period queries against a brute-force oracle on synthetic facts spanning three years."""

import datetime as dt
import random
from collections import Counter

import pytest

from backend.localtime import local_day
from metrics.facts import OrderFacts, worker_kind_facts
from metrics.models import DistinctKind
from metrics.reconcile import rollups_from_facts, rollups_replace
from metrics.selectors import MetricsFilter, metrics_breakdown, metrics_summary, months_between
from tests.metrics.helpers import SHANGHAI

pytestmark = pytest.mark.django_db

START = dt.date(2023, 1, 1)
DAYS = 3 * 365


def synthetic(seed: int):
    rng = random.Random(seed)
    households, workers = {}, {}
    orders = []
    for order_id in range(1, 1500):
        division, category = rng.randint(1, 4), rng.randint(1, 3)
        day = START + dt.timedelta(days=rng.randrange(DAYS))
        created = dt.datetime.combine(day, dt.time(rng.randrange(24), 0), tzinfo=SHANGHAI)
        status = rng.choice(["completed", "completed", "cancelled", "confirmed"])
        completed = (
            created + dt.timedelta(days=rng.randrange(60)) if status == "completed" else None
        )
        signed = created + dt.timedelta(hours=rng.randrange(500)) if status != "cancelled" else None
        orders.append(
            OrderFacts(
                order_id=order_id,
                division_id=division,
                category_id=category,
                household_id=rng.randint(1, 120),
                worker_id=rng.randint(1, 40),
                status=status,
                created_at=created,
                request_created_at=created - dt.timedelta(minutes=rng.randrange(3000)),
                starts_at=created + dt.timedelta(days=1),
                completed_at=completed,
                first_signed_at=signed,
            )
        )
    for facts in orders:
        if facts.completed_at:
            households.setdefault(facts.household_id, []).append(
                (facts.division_id, facts.category_id, local_day(facts.completed_at))
            )
    for worker_id in range(1, 41):
        mine = [o for o in orders if o.worker_id == worker_id]
        workers[worker_id] = worker_kind_facts(
            signed=[
                (o.division_id, o.category_id, local_day(o.first_signed_at))
                for o in mine
                if o.first_signed_at
            ],
            served=[],
            pre_job_days=[],
            health_checks=[],
            trainings=[
                (
                    rng.randint(0, 4),
                    rng.randint(0, 3),
                    START + dt.timedelta(days=rng.randrange(DAYS)),
                )
                for _ in range(rng.randrange(4))
            ],
            certificates=[],
        )
    return orders, households, workers


def oracle_distinct(facts_by_subject, start, end, division=None, category=None, key=None):
    seen = {}
    for subject, facts in facts_by_subject.items():
        for fact_division, fact_category, day in facts:
            if not start <= day <= end:
                continue
            if division is not None and fact_division != division:
                continue
            if category is not None and fact_category != category:
                continue
            bucket = key(fact_division, fact_category, day) if key else None
            seen.setdefault(bucket, set()).add(subject)
    return {bucket: len(subjects) for bucket, subjects in seen.items()}


def test_periods_filters_and_breakdowns_match_the_oracle():
    orders, households, workers = synthetic(7)
    rollups_replace(rollups_from_facts(orders=orders, households=households, workers=workers))
    employed = {w: kinds[DistinctKind.EMPLOYED_WORKER] for w, kinds in workers.items()}
    trained = {w: kinds[DistinctKind.TRAINED_WORKER] for w, kinds in workers.items()}
    rng = random.Random(11)
    keys = {
        "division": lambda d, c, day: d,
        "category": lambda d, c, day: c,
        "month": lambda d, c, day: day.replace(day=1),
    }
    for _round in range(60):
        start = START + dt.timedelta(days=rng.randrange(DAYS))
        end = start + dt.timedelta(days=rng.choice([0, 1, 13, 31, 45, 200, 400, 900]))
        division = rng.choice([None, None, rng.randint(1, 4)])
        category = rng.choice([None, None, rng.randint(1, 3)])
        filters = MetricsFilter(start=start, end=end, division_id=division, category_id=category)
        result = metrics_summary(filters=filters)
        args = (start, end, division, category)
        assert result["served_households"] == oracle_distinct(households, *args).get(None, 0)
        assert result["employed_workers"] == oracle_distinct(employed, *args).get(None, 0)
        assert result["trained_women"] == oracle_distinct(trained, *args).get(None, 0)
        signed = sum(
            1
            for o in orders
            if o.first_signed_at
            and start <= local_day(o.first_signed_at) <= end
            and division in (None, o.division_id)
            and category in (None, o.category_id)
        )
        assert result["signed_contracts"] == signed
        by = rng.choice(list(keys))
        breakdown = metrics_breakdown(filters=filters, by=by)
        expected = oracle_distinct(households, *args, key=keys[by])
        got = {k: v["served_households"] for k, v in breakdown.items() if v["served_households"]}
        assert got == {k: v for k, v in expected.items() if v}, (by, args)
        if by == "month":
            assert set(breakdown) >= set(months_between(start, end))
        statuses = Counter(
            o.status
            for o in orders
            if start <= local_day(o.created_at) <= end
            and division in (None, o.division_id)
            and category in (None, o.category_id)
        )
        assert {k: v for k, v in result["orders_by_status"].items() if v} == dict(statuses)


def test_query_count_is_bounded(django_assert_max_num_queries):
    orders, households, workers = synthetic(3)
    rollups_replace(rollups_from_facts(orders=orders, households=households, workers=workers))
    filters = MetricsFilter(start=dt.date(2023, 2, 17), end=dt.date(2025, 6, 3), division_id=2)
    # 8 for the rollups, and at most 2 for each of the funnel's head counts (metrics.funnel).
    with django_assert_max_num_queries(12):
        metrics_summary(filters=filters)
    for by in ("division", "category", "month"):
        with django_assert_max_num_queries(12):
            metrics_breakdown(filters=filters, by=by)


def test_partial_months_read_from_either_side_match_the_oracle():
    """Starts early and late in a month, ends early and late, both in one month: every
    breakdown of every distinct kind and the counters agree with the oracle (the selectors
    read a long partial month as its month row minus the days outside, and the chain strip
    from its shorter side)."""
    orders, households, workers = synthetic(5)
    rollups_replace(rollups_from_facts(orders=orders, households=households, workers=workers))
    employed = {w: kinds[DistinctKind.EMPLOYED_WORKER] for w, kinds in workers.items()}
    keys = {
        None: None,
        "division": lambda d, c, day: d,
        "category": lambda d, c, day: c,
        "month": lambda d, c, day: day.replace(day=1),
    }
    rng = random.Random(23)
    for _round in range(80):
        month = dt.date(2023 + rng.randrange(3), rng.randint(1, 12), 1)
        start = month + dt.timedelta(days=rng.choice([0, 1, 9, 14, 16, 22, 27]))
        if rng.random() < 0.3:  # inside one month
            end = min(
                start + dt.timedelta(days=rng.choice([0, 3, 12, 20])),
                START.replace(year=2025, month=12, day=31),
            )
            end = min(end, (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1))
        else:
            end = start + dt.timedelta(days=rng.choice([20, 40, 75, 130, 370]))
        division = rng.choice([None, rng.randint(1, 4)])
        category = rng.choice([None, rng.randint(1, 3)])
        filters = MetricsFilter(start=start, end=end, division_id=division, category_id=category)
        args = (start, end, division, category)
        for by, key in keys.items():
            result = (
                {None: metrics_summary(filters=filters)}
                if by is None
                else metrics_breakdown(filters=filters, by=by)
            )
            for name, subjects in (
                ("served_households", households),
                ("employed_workers", employed),
            ):
                want = {k: v for k, v in oracle_distinct(subjects, *args, key=key).items() if v}
                got = {k: v[name] for k, v in result.items() if v[name]}
                assert got == want, (name, by, args)
            signed = Counter(
                key(o.division_id, o.category_id, local_day(o.first_signed_at)) if key else None
                for o in orders
                if o.first_signed_at
                and start <= local_day(o.first_signed_at) <= end
                and division in (None, o.division_id)
                and category in (None, o.category_id)
            )
            got = {k: v["signed_contracts"] for k, v in result.items() if v["signed_contracts"]}
            assert got == dict(signed), (by, args)
