"""Rollup rows for what the federation counts (PRODUCT.md §4).

Every row is keyed by a bucket: a calendar day or month in Asia/Shanghai, a division id and a
trade (category) id, where 0 means "none" (a worker without a division, a training record
without a trade). Ids, never names: nothing here identifies a person except the subject ids
of the distinct-count rows, which never leave the database.

Two kinds of rollup:

- Additive counters (`DailyCount`, `MonthlyCount`, the same columns): sums over a period are
  sums of rows. A query uses the monthly rows for the months the period covers whole and, for
  each partial month at its ends, its daily rows or its month row minus the days outside the
  period (metrics.selectors.period_plan). `OrderLedger` keeps what each order has added
  to the counters, so an event recomputes the order's contribution and applies the difference.
- Exact distinct counts (served households, employed workers, ...). A distinct count cannot be
  summed across days, so each subject (household or worker) has, per scope, one
  `DistinctMember` row per day it was counted, chained to its previous such day (`prev_day`).
  The number of distinct subjects with a row in [a, b] equals the number of rows with
  day in [a, b] whose previous day is before a (each subject's first row in the period).
  `DistinctDayCell` / `DistinctMonthCell` count those rows per (day or month, month of the
  previous day), so a period query sums cells with prev_month < month(a) and counts the few
  member rows whose previous day lies in [first of month(a), a). Scopes: `a` (all), `d` (per
  division), `c` (per trade), `dc` (per division and trade) — one chain each, because a
  household served in two divisions is one household county-wide but one in each division.
"""

from django.db import models

NONE_DATE = "0001-01-01"  # prev_day / prev_month of a subject's first row in a scope


class Scope(models.TextChoices):
    ALL = "a", "all"
    DIVISION = "d", "division"
    CATEGORY = "c", "category"
    DIVISION_CATEGORY = "dc", "division and category"


class DistinctKind(models.TextChoices):
    SERVED_HOUSEHOLD = "served_household", "served households"
    EMPLOYED_WORKER = "employed_worker", "workers with a signed contract"
    SERVED_WORKER = "served_worker", "workers who served"
    UNTRAINED_SERVICE = "untrained_service", "workers who served without pre-job training"
    UNCHECKED_SERVICE = "unchecked_service", "workers who served without a valid health check"
    TRAINED_WORKER = "trained_worker", "workers who completed a training course"
    CERTIFIED_WORKER = "certified_worker", "workers issued a certificate"
    HEALTH_CHECKED = "health_checked", "workers with a health check done"
    PLACED_WORKER = "placed_worker", "workers hired at a job fair or with a signed contract"


# Time from request to match: bucket upper bounds in minutes; the last bucket is open.
WAIT_BOUNDS_MINUTES = (5, 15, 30, 60, 120, 240, 480, 720, 1440, 2880, 4320, 10080)
WAIT_BUCKETS = len(WAIT_BOUNDS_MINUTES) + 1

STATUS_COLUMNS = (
    "pending_contract",
    "confirmed",
    "in_progress",
    "awaiting_confirmation",
    "completed",
    "cancelled",
    "disputed",
    "replaced",
)
COUNTER_COLUMNS = (
    "orders_created",
    *(f"status_{status}" for status in STATUS_COLUMNS),
    "match_seconds",
    *(f"wait_{index}" for index in range(WAIT_BUCKETS)),
    "signed_contracts",
    "completed_orders",
    "reviews",
    "rating_sum",
)


class CounterColumns(models.Model):
    division_id = models.PositiveIntegerField(default=0)
    category_id = models.PositiveIntegerField(default=0)
    # Orders by the day they were created (accepted offer = match), by their current status.
    orders_created = models.IntegerField(default=0)
    status_pending_contract = models.IntegerField(default=0)
    status_confirmed = models.IntegerField(default=0)
    status_in_progress = models.IntegerField(default=0)
    status_awaiting_confirmation = models.IntegerField(default=0)
    status_completed = models.IntegerField(default=0)
    status_cancelled = models.IntegerField(default=0)
    status_disputed = models.IntegerField(default=0)
    status_replaced = models.IntegerField(default=0)
    match_seconds = models.BigIntegerField(default=0)
    wait_0 = models.IntegerField(default=0)
    wait_1 = models.IntegerField(default=0)
    wait_2 = models.IntegerField(default=0)
    wait_3 = models.IntegerField(default=0)
    wait_4 = models.IntegerField(default=0)
    wait_5 = models.IntegerField(default=0)
    wait_6 = models.IntegerField(default=0)
    wait_7 = models.IntegerField(default=0)
    wait_8 = models.IntegerField(default=0)
    wait_9 = models.IntegerField(default=0)
    wait_10 = models.IntegerField(default=0)
    wait_11 = models.IntegerField(default=0)
    wait_12 = models.IntegerField(default=0)
    # Orders by the day their contract first became signed.
    signed_contracts = models.IntegerField(default=0)
    # Orders completed now, by the day they were completed.
    completed_orders = models.IntegerField(default=0)
    # Published household reviews (the household rates the worker), by publication day.
    reviews = models.IntegerField(default=0)
    rating_sum = models.IntegerField(default=0)

    class Meta:
        abstract = True


class DailyCount(CounterColumns):
    day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "division_id", "category_id"], name="metrics_daily_bucket"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} d{self.division_id} c{self.category_id}"


class MonthlyCount(CounterColumns):
    month = models.DateField()  # first day of the month

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["month", "division_id", "category_id"], name="metrics_monthly_bucket"
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} d{self.division_id} c{self.category_id}"


class OrderLedger(models.Model):
    """What one order currently adds to the counters: {"day|division|category": {column: n}}."""

    order_id = models.BigIntegerField(primary_key=True)
    contribution = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"order #{self.order_id}"


class DistinctMember(models.Model):
    kind = models.CharField(max_length=20, choices=DistinctKind.choices)
    scope = models.CharField(max_length=2, choices=Scope.choices)
    division_id = models.PositiveIntegerField(default=0)
    category_id = models.PositiveIntegerField(default=0)
    subject_id = models.BigIntegerField()
    day = models.DateField()
    prev_day = models.DateField()  # NONE_DATE for the subject's first day in this scope
    weight = models.PositiveIntegerField(default=1)  # facts behind this row (orders, records)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject_id", "scope", "division_id", "category_id", "day"],
                name="metrics_member_unique",
            )
        ]
        indexes = [
            models.Index(
                fields=["scope", "prev_day", "day", "division_id", "category_id", "kind"],
                name="metrics_member_prev",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}/{self.scope} #{self.subject_id} {self.day}"


class DistinctDayCell(models.Model):
    kind = models.CharField(max_length=20, choices=DistinctKind.choices)
    scope = models.CharField(max_length=2, choices=Scope.choices)
    division_id = models.PositiveIntegerField(default=0)
    category_id = models.PositiveIntegerField(default=0)
    day = models.DateField()
    month = models.DateField()
    prev_month = models.DateField()
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "day", "kind", "division_id", "category_id", "prev_month"],
                name="metrics_day_cell_unique",
            )
        ]
        # Covering (count is the last key column, SQLite has no INCLUDE): a period's day
        # ranges are read from the index alone.
        indexes = [
            models.Index(
                fields=[
                    "scope",
                    "day",
                    "kind",
                    "division_id",
                    "category_id",
                    "prev_month",
                    "count",
                ],
                name="metrics_day_cell_cover",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}/{self.scope} {self.day} ← {self.prev_month}: {self.count}"


class DistinctMonthCell(models.Model):
    kind = models.CharField(max_length=20, choices=DistinctKind.choices)
    scope = models.CharField(max_length=2, choices=Scope.choices)
    division_id = models.PositiveIntegerField(default=0)
    category_id = models.PositiveIntegerField(default=0)
    month = models.DateField()
    prev_month = models.DateField()
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            # The same leading columns as the covering index below, so a planner never
            # prefers this one (it would read the table for each count).
            models.UniqueConstraint(
                fields=["scope", "month", "kind", "division_id", "category_id", "prev_month"],
                name="metrics_month_cell_unique",
            )
        ]
        indexes = [
            models.Index(
                fields=[
                    "scope",
                    "month",
                    "kind",
                    "division_id",
                    "category_id",
                    "prev_month",
                    "count",
                ],
                name="metrics_month_cell_cover",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}/{self.scope} {self.month} ← {self.prev_month}: {self.count}"


class SubjectLock(models.Model):
    """One row per household or worker, locked while its distinct rows are rewritten."""

    subject_type = models.CharField(max_length=10)
    subject_id = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subject_type", "subject_id"], name="metrics_lock")
        ]

    def __str__(self) -> str:
        return f"{self.subject_type} #{self.subject_id}"
