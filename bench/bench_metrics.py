# ruff: noqa: E501  (a benchmark script: long data-loading lines read better unwrapped)
"""Metrics benchmark: the summary and breakdowns from the rollups against recomputing the same
numbers from the facts (orders, requests, contracts, reviews), in the same run.

Builds a throw-away SQLite database (or uses PostgreSQL from DATABASE_URL with --postgres),
bulk-loads `--households` households, `--workers` workers, `--contracts` orders each with a
contract (5 % amended and re-signed, 8 % never signed), their requests, completions,
cancellations and household reviews over `--days` days, plus training records, and the rollup
rows those facts imply (computed by `metrics.reconcile.rollups_from_facts`' building blocks,
streamed). Then it times random queries — the default last-12-months view, month-aligned
periods, arbitrary day ranges; no filter, a division, a trade, both — and prints p50/p95, the
number of SQL queries per call, and the ratio against the recomputation.

    .venv/bin/python bench/bench_metrics.py [--contracts 2000000] [--households 300000]
        [--workers 20000] [--days 1095] [--queries 200] [--naive-queries 5] [--warmup 20]
        [--postgres] [--db-dir DIR]

--db-dir keeps the loaded SQLite file in DIR and reuses it on the next run with the same sizes
(the full size takes ~17 min to load); with --postgres it keeps the loaded PostgreSQL database
instead of emptying it. A reused database is migrated first, so new rollup indexes are built.
Each call's line ends with met/MISSED for the issue's targets.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import random
import shutil
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


TARGET_P95_MS = 50
TARGET_RATIO = 20
TARGET_QUERIES = 8  # metrics.selectors: a bounded number whatever the period or the data size


def setup_django(*, postgres: bool, db_path: str) -> None:
    if postgres:
        os.environ["DJANGO_SETTINGS_MODULE"] = "backend.settings.local"
    else:
        os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings_bench"
        os.environ["MEIJIA_BENCH_DB"] = db_path
    import django

    django.setup()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


class Loader:
    """executemany inserts filling every other column with its default (the ORM is too slow)."""

    def __init__(self):
        from django.db import connection
        from django.utils import timezone

        self.connection = connection
        self.now = timezone.now()

    def insert(self, model, columns: list[str], rows, chunk: int = 20000) -> None:
        fields = {f.attname: f for f in model._meta.concrete_fields}
        others = [
            f for f in model._meta.concrete_fields if f.attname not in columns and not f.primary_key
        ]
        defaults = []
        for field in others:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value = self.now
            elif field.has_default() or not field.null:
                value = field.get_default()
            else:
                value = None
            defaults.append(field.get_db_prep_save(value, self.connection))
        names = [fields[c].column for c in columns] + [f.column for f in others]
        sql = (
            f'INSERT INTO "{model._meta.db_table}" ({", ".join(f"{n}" for n in names)}) '  # noqa: S608
            f"VALUES ({', '.join(['%s'] * len(names))})"
        )
        tail = tuple(defaults)
        batch = []
        with self.connection.cursor() as cursor:
            for row in rows:
                batch.append(tuple(row) + tail)
                if len(batch) >= chunk:
                    cursor.executemany(sql, batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)

    def dt(self, value):
        return self.connection.ops.adapt_datetimefield_value(value)

    def d(self, value):
        return self.connection.ops.adapt_datefield_value(value)


def analyze() -> None:
    """Planner statistics; on PostgreSQL also the visibility map, so the covering indexes give
    index-only scans as they do once autovacuum has passed over a live database."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in (
                "metrics_dailycount",
                "metrics_monthlycount",
                "metrics_distinctmember",
                "metrics_distinctdaycell",
                "metrics_distinctmonthcell",
            ):
                cursor.execute(f"VACUUM ANALYZE {table}")
        cursor.execute("ANALYZE")


def build(args, rng: random.Random) -> dict:
    from django.core.management import call_command
    from django.db import transaction
    from django.db.models import Max, Min

    from marketplace.models import Category, Division, TrainingRecord, User, WorkerProfile
    from metrics.facts import (
        NONE_DAY,
        OrderFacts,
        bucket_key,
        chain_members,
        local_day,
        month_of,
        order_contribution,
    )
    from metrics.models import (
        COUNTER_COLUMNS,
        DailyCount,
        DistinctDayCell,
        DistinctKind,
        DistinctMember,
        DistinctMonthCell,
        MonthlyCount,
    )
    from orders.models import Contract, Order, Review, ServiceRequest

    call_command("migrate", verbosity=0)
    load = Loader()
    divisions = list(Division.objects.values_list("pk", flat=True))
    categories = list(Category.objects.values_list("pk", flat=True))
    if Order.objects.count() == args.contracts and DistinctMember.objects.exists():
        # A kept database (--db-dir) from an earlier run with the same sizes.
        first, last = Order.objects.aggregate(
            first=Min("created_at"), last=Max("created_at")
        ).values()
        print(f"  reusing the {args.contracts:,} contracts already loaded")
        analyze()
        return {
            "start": local_day(first),
            "end": local_day(last),
            "divisions": divisions,
            "categories": categories,
        }
    assert not Order.objects.exists(), "the kept database holds another population"
    end = dt.datetime.now(tz=dt.UTC).replace(microsecond=0)
    start = end - dt.timedelta(days=args.days)
    t0 = time.perf_counter()
    with transaction.atomic():
        first_user = (User.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        load.insert(
            User,
            ["id", "username", "password", "role", "is_active", "date_joined"],
            (
                (
                    first_user + i,
                    f"b{first_user + i}",
                    "!",
                    "household" if i < args.households else "worker",
                    True,
                    load.dt(start),
                )
                for i in range(args.households + args.workers)
            ),
        )
        household_ids = list(range(first_user, first_user + args.households))
        load.insert(
            WorkerProfile,
            ["id", "user_id", "real_name", "phone", "division_id"],
            (
                (i + 1, first_user + args.households + i, "w", "13700000000", rng.choice(divisions))
                for i in range(args.workers)
            ),
        )
        worker_division = {i + 1: rng.choice(divisions) for i in range(args.workers)}
    print(f"  people loaded in {time.perf_counter() - t0:.0f} s")

    daily: dict = defaultdict(Counter)
    households: dict[int, list] = defaultdict(list)
    employed: dict[int, list] = defaultdict(list)
    served: dict[int, list] = defaultdict(list)
    span = args.days * 86400
    statuses = (
        ["completed"] * 70
        + ["cancelled"] * 12
        + ["confirmed"] * 10
        + ["disputed"] * 3
        + ["pending_contract"] * 5
    )

    def facts_rows():
        for order_id in range(1, args.contracts + 1):
            requested = start + dt.timedelta(seconds=rng.randrange(span))
            created = requested + dt.timedelta(minutes=int(rng.expovariate(1 / 240)))
            status = rng.choice(statuses)
            division, category = rng.choice(divisions), rng.choice(categories)
            starts_at = created + dt.timedelta(days=rng.randint(1, 10))
            completed = starts_at + dt.timedelta(hours=4) if status == "completed" else None
            signed = (
                None
                if status in ("pending_contract",) or rng.random() < 0.03
                else created + dt.timedelta(hours=rng.randint(1, 20))
            )
            facts = OrderFacts(
                order_id=order_id,
                division_id=division,
                category_id=category,
                household_id=rng.choice(household_ids),
                worker_id=rng.randint(1, args.workers),
                status=status,
                created_at=created,
                request_created_at=requested,
                starts_at=starts_at,
                completed_at=completed,
                first_signed_at=signed,
                household_rating=rng.randint(3, 5) if completed and rng.random() < 0.5 else None,
                household_review_published_at=completed + dt.timedelta(days=2)
                if completed
                else None,
            )
            yield facts

    t0 = time.perf_counter()
    with transaction.atomic():
        requests, orders, contracts, reviews = [], [], [], []

        def flush():
            load.insert(
                ServiceRequest,
                [
                    "id",
                    "household_id",
                    "category_id",
                    "division_id",
                    "address",
                    "latitude",
                    "longitude",
                    "starts_at",
                    "ends_at",
                    "budget",
                    "max_distance_km",
                    "status",
                    "created_at",
                    "matched_at",
                ],
                requests,
            )
            load.insert(
                Order,
                [
                    "id",
                    "request_id",
                    "household_id",
                    "worker_id",
                    "status",
                    "price",
                    "starts_at",
                    "ends_at",
                    "completed_at",
                    "created_at",
                    "updated_at",
                ],
                orders,
            )
            load.insert(
                Contract,
                ["order_id", "version", "text", "text_sha256", "status", "signed_at", "created_at"],
                contracts,
            )
            load.insert(
                Review,
                ["order_id", "author_id", "author_party", "rating", "published_at", "created_at"],
                reviews,
            )
            for batch in (requests, orders, contracts, reviews):
                batch.clear()

        for f in facts_rows():
            ends = f.starts_at + dt.timedelta(hours=3)
            requests.append(
                (
                    f.order_id,
                    f.household_id,
                    f.category_id,
                    f.division_id,
                    "-",
                    36.8,
                    115.7,
                    load.dt(f.starts_at),
                    load.dt(ends),
                    15000,
                    20,
                    "matched",
                    load.dt(f.request_created_at),
                    load.dt(f.created_at),
                )
            )
            orders.append(
                (
                    f.order_id,
                    f.order_id,
                    f.household_id,
                    f.worker_id,
                    f.status,
                    15000,
                    load.dt(f.starts_at),
                    load.dt(ends),
                    load.dt(f.completed_at) if f.completed_at else None,
                    load.dt(f.created_at),
                    load.dt(f.created_at),
                )
            )
            if f.first_signed_at:
                amended = rng.random() < 0.05
                contracts.append(
                    (
                        f.order_id,
                        1,
                        "",
                        "",
                        "superseded" if amended else "signed",
                        load.dt(f.first_signed_at),
                        load.dt(f.created_at),
                    )
                )
                if amended:
                    contracts.append(
                        (
                            f.order_id,
                            2,
                            "",
                            "",
                            "signed",
                            load.dt(f.first_signed_at + dt.timedelta(hours=5)),
                            load.dt(f.first_signed_at),
                        )
                    )
            else:
                contracts.append(
                    (f.order_id, 1, "", "", "awaiting_signatures", None, load.dt(f.created_at))
                )
            if f.household_rating:
                reviews.append(
                    (
                        f.order_id,
                        f.household_id,
                        "household",
                        f.household_rating,
                        load.dt(f.household_review_published_at),
                        load.dt(f.household_review_published_at),
                    )
                )
            for key, columns in order_contribution(f).items():
                daily[key].update(columns)
            if f.first_signed_at:
                employed[f.worker_id].append(
                    (f.division_id, f.category_id, local_day(f.first_signed_at))
                )
            if f.completed_at:
                fact = (f.division_id, f.category_id, local_day(f.completed_at))
                households[f.household_id].append(fact)
                served[f.worker_id].append(fact)
            if len(orders) >= 20000:
                flush()
        flush()
        trainings = []
        for worker_id in range(1, args.workers + 1):
            for _ in range(rng.randint(1, 3)):
                day = (start + dt.timedelta(seconds=rng.randrange(span))).date()
                trainings.append((worker_id, rng.choice(categories), day))
        load.insert(
            TrainingRecord,
            ["worker_id", "course", "kind", "category_id", "completed_on"],
            ((w, "课程", "pre_job", c, load.d(d)) for w, c, d in trainings),
        )
    print(
        f"  {args.contracts:,} orders, contracts, requests, reviews loaded in {time.perf_counter() - t0:.0f} s"
    )

    t0 = time.perf_counter()
    with transaction.atomic():
        monthly: dict = defaultdict(Counter)
        rows = []
        for key, columns in daily.items():
            day, division, category = key.split("|")
            day = dt.date.fromisoformat(day)
            monthly[(month_of(day), int(division), int(category))].update(columns)
            rows.append(
                (
                    load.d(day),
                    int(division),
                    int(category),
                    *[columns.get(c, 0) for c in COUNTER_COLUMNS],
                )
            )
        load.insert(DailyCount, ["day", "division_id", "category_id", *COUNTER_COLUMNS], rows)
        load.insert(
            MonthlyCount,
            ["month", "division_id", "category_id", *COUNTER_COLUMNS],
            (
                (load.d(m), d, c, *[cols.get(x, 0) for x in COUNTER_COLUMNS])
                for (m, d, c), cols in monthly.items()
            ),
        )
        day_cells: Counter = Counter()
        month_cells: Counter = Counter()
        trained: dict[int, list] = defaultdict(list)
        for worker_id, category, day in trainings:
            trained[worker_id].append((worker_division[worker_id], category, day))

        def members():
            for kind, subjects in (
                (DistinctKind.SERVED_HOUSEHOLD, households),
                (DistinctKind.EMPLOYED_WORKER, employed),
                (DistinctKind.SERVED_WORKER, served),
                (DistinctKind.TRAINED_WORKER, trained),
            ):
                for subject, facts in subjects.items():
                    for (kind_, scope, d, c, day), (weight, prev) in chain_members(
                        kind.value, facts
                    ).items():
                        prev_month = month_of(prev)
                        day_cells[(kind_, scope, d, c, day, prev_month)] += 1
                        month_cells[(kind_, scope, d, c, month_of(day), prev_month)] += 1
                        yield (kind_, scope, d, c, subject, load.d(day), load.d(prev), weight)

        load.insert(
            DistinctMember,
            [
                "kind",
                "scope",
                "division_id",
                "category_id",
                "subject_id",
                "day",
                "prev_day",
                "weight",
            ],
            members(),
        )
        load.insert(
            DistinctDayCell,
            ["kind", "scope", "division_id", "category_id", "day", "month", "prev_month", "count"],
            (
                (k, s, d, c, load.d(day), load.d(month_of(day)), load.d(pm), n)
                for (k, s, d, c, day, pm), n in day_cells.items()
            ),
        )
        load.insert(
            DistinctMonthCell,
            ["kind", "scope", "division_id", "category_id", "month", "prev_month", "count"],
            (
                (k, s, d, c, load.d(m), load.d(pm), n)
                for (k, s, d, c, m, pm), n in month_cells.items()
            ),
        )
    print(
        f"  rollups: {DistinctMember.objects.count():,} member rows, {len(day_cells):,} day cells, {len(month_cells):,} month cells, {len(daily):,} daily rows; built in {time.perf_counter() - t0:.0f} s"
    )
    _ = NONE_DAY, bucket_key
    analyze()
    return {
        "start": local_day(start),
        "end": local_day(end),
        "divisions": divisions,
        "categories": categories,
    }


def recompute(filters, group: str | None) -> dict:
    """The naive way: the same headline numbers straight from the facts tables."""
    from django.db.models import Avg, Count, F, Min, Q

    from metrics.facts import LOCAL_TZ
    from orders.models import Order, Review

    start = dt.datetime.combine(filters.start, dt.time(), tzinfo=LOCAL_TZ)
    end = dt.datetime.combine(filters.end + dt.timedelta(days=1), dt.time(), tzinfo=LOCAL_TZ)
    orders = Order.objects.all()
    if filters.division_id:
        orders = orders.filter(request__division_id=filters.division_id)
    if filters.category_id:
        orders = orders.filter(request__category_id=filters.category_id)
    key = {
        "division": "request__division_id",
        "category": "request__category_id",
        "month": None,
    }.get(group or "", None)
    keys = [key] if key else []
    signed = orders.annotate(first=Min("contracts__signed_at")).filter(
        first__gte=start, first__lt=end
    )
    out = {
        "signed": list(signed.values(*keys).annotate(n=Count("id")).order_by())
        if keys
        else signed.count(),
        "employed": list(
            signed.values(*keys).annotate(n=Count("worker_id", distinct=True)).order_by()
        )
        if keys
        else signed.values("worker_id").distinct().count(),
        "served": list(
            orders.filter(status="completed", completed_at__gte=start, completed_at__lt=end)
            .values(*keys)
            .annotate(n=Count("household_id", distinct=True))
            .order_by()
        ),
        "by_status": list(
            orders.filter(created_at__gte=start, created_at__lt=end)
            .values("status", *keys)
            .annotate(n=Count("id"), wait=Avg(F("created_at") - F("request__created_at")))
            .order_by()
        ),
        "rating": list(
            Review.objects.filter(
                Q(author_party="household"),
                published_at__gte=start,
                published_at__lt=end,
                order__in=orders,
            )
            .aggregate(a=Avg("rating"))
            .items()
        ),
    }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--contracts", type=int, default=2_000_000)
    parser.add_argument("--households", type=int, default=300_000)
    parser.add_argument("--workers", type=int, default=20_000)
    parser.add_argument("--days", type=int, default=1095)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--naive-queries", type=int, default=5)
    parser.add_argument(
        "--warmup", type=int, default=20, help="untimed rounds of every call before timing"
    )
    parser.add_argument(
        "--postgres",
        action="store_true",
        help="use DATABASE_URL (emptied first unless it holds a kept run of the same sizes)",
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--db-dir",
        help="keep the SQLite database in this folder and reuse it on the next run (same sizes); "
        "with --postgres: keep the loaded database instead of emptying it",
    )
    args = parser.parse_args()

    if args.db_dir and not args.postgres:
        os.makedirs(args.db_dir, exist_ok=True)
        workdir = args.db_dir
    else:
        workdir = tempfile.mkdtemp(prefix="meijia-bench-metrics-")
    name = (
        f"metrics-{args.contracts}-{args.households}-{args.workers}-{args.days}-{args.seed}.sqlite3"
    )
    setup_django(postgres=args.postgres, db_path=os.path.join(workdir, name))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from metrics.selectors import MetricsFilter, metrics_breakdown, metrics_summary

    if args.postgres and not args.db_dir:
        from django.core.management import call_command

        call_command("flush", interactive=False, verbosity=0)
    rng = random.Random(args.seed)
    print(
        f"metrics bench on {connection.vendor}: {args.contracts:,} contracts, {args.households:,} households, {args.workers:,} workers, {args.days} days"
    )
    world = build(args, rng)
    start, end = world["start"], world["end"]
    rng = random.Random(args.seed + 1)  # the same queries whether the data was loaded or kept

    def random_filter() -> MetricsFilter:
        kind = rng.random()
        if kind < 0.3:  # the dashboard default: last 12 months to today
            months = end.year * 12 + end.month - 1 - 11
            first, last = dt.date(months // 12, months % 12 + 1, 1), end
        elif kind < 0.6:  # whole months
            first = (start + dt.timedelta(days=rng.randrange((end - start).days - 400))).replace(
                day=1
            )
            months = first.year * 12 + first.month - 1 + rng.choice([1, 3, 12])
            last = dt.date(months // 12, months % 12 + 1, 1) - dt.timedelta(days=1)
        else:  # arbitrary days
            first = start + dt.timedelta(days=rng.randrange((end - start).days - 10))
            last = min(end, first + dt.timedelta(days=rng.randint(0, 500)))
        division = rng.choice([None, None, rng.choice(world["divisions"])])
        category = rng.choice([None, None, rng.choice(world["categories"])])
        return MetricsFilter(start=first, end=last, division_id=division, category_id=category)

    for _ in range(args.warmup):  # untimed: a serving database has its pages cached
        metrics_summary(filters=random_filter())
        for group in ("division", "category", "month"):
            metrics_breakdown(filters=random_filter(), by=group)
    results = []
    for label, group in (
        ("summary", None),
        ("breakdown by division", "division"),
        ("breakdown by category", "category"),
        ("breakdown by month", "month"),
    ):
        times, queries = [], []
        for _ in range(args.queries):
            filters = random_filter()
            with CaptureQueriesContext(connection) as captured:
                t0 = time.perf_counter()
                if group:
                    metrics_breakdown(filters=filters, by=group)
                else:
                    metrics_summary(filters=filters)
                times.append((time.perf_counter() - t0) * 1000)
            queries.append(len(captured.captured_queries))
        naive = []
        for _ in range(args.naive_queries):
            filters = random_filter()
            t0 = time.perf_counter()
            recompute(filters, group)
            naive.append((time.perf_counter() - t0) * 1000)
        p50, p95 = percentile(times, 0.5), percentile(times, 0.95)
        n50, n95 = percentile(naive, 0.5), percentile(naive, 0.95)
        results.append((label, p50, p95, max(queries), n50, n95, n50 / p50))
    print(
        f"{'':24} {'rollups p50':>12} {'p95':>9} {'queries':>8} {'recompute p50':>14} {'p95':>9} {'ratio p50':>10}  targets"
    )
    all_met = True
    for label, p50, p95, q, n50, n95, ratio in results:
        verdicts = [
            ("p95", p95 <= TARGET_P95_MS),
            ("ratio", ratio >= TARGET_RATIO),
            ("queries", q <= TARGET_QUERIES),
        ]
        all_met = all_met and all(ok for _name, ok in verdicts)
        shown = ", ".join(f"{name} {'met' if ok else 'MISSED'}" for name, ok in verdicts)
        print(
            f"{label:24} {p50:10.1f}ms {p95:7.1f}ms {q:8d} {n50:12.0f}ms {n95:7.0f}ms {ratio:9.0f}x  {shown}"
        )
    if not args.postgres and not args.db_dir:
        shutil.rmtree(workdir, ignore_errors=True)  # gigabytes at full size
    print(
        f"(rollups: {args.queries} random queries each; recompute: {args.naive_queries} each; "
        f"targets: p95 ≤ {TARGET_P95_MS} ms, ratio of medians ≥ {TARGET_RATIO}x, ≤ {TARGET_QUERIES} SQL queries per call)"
    )
    print("all targets met" if all_met else "a target was MISSED")


if __name__ == "__main__":
    main()
