"""The whole demo county, in order: people, then a year of history, then the rollups once.

Callers must refuse production settings first (the demo password is public).
"""

import datetime as dt

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from demo.bulk import DemoSummary
from demo.county import DEFAULT_HISTORY_ORDERS, DEFAULT_HOUSEHOLDS, DEFAULT_SEED, DEFAULT_WORKERS
from demo.fairs import demo_fairs_ensure
from demo.health_checks import demo_health_sessions_ensure
from demo.history import HISTORY_DAYS, HISTORY_MARKER, earlier_health_checks, serving_workers
from demo.my_data import demo_my_data_ensure
from demo.orders import demo_orders_history_ensure
from demo.payments import demo_card_payments_write, demo_offline_payments_write
from demo.people import (
    demo_agencies_ensure,
    demo_households_ensure,
    demo_reference_data_ensure,
    demo_staff_accounts_ensure,
    demo_workers_ensure,
)
from demo.programme import (
    demo_competitions_ensure,
    demo_courses_ensure,
    demo_exams_ensure,
    programme_year,
)
from demo.receipts import demo_receipts_ensure
from demo.reviews import demo_reviews_ensure
from demo.safety import demo_safety_ensure
from demo.standing_orders import demo_standing_orders_ensure
from demo.village import demo_village_ensure
from demo.village_lists import demo_village_lists_ensure
from demo.weekly import demo_weekly_ensure
from marketplace.models import HealthCheck, User
from metrics.reconcile import metrics_rebuild
from programme.models import Course


def demo_programme_history_ensure(*, seed: int, officer: User, summary: DemoSummary) -> None:
    """Courses, completions, exams and certificates, two competitions, fifteen job fairs, the
    organised health checks and the village lists over the last 12 months. Call inside
    demo_history_ensure's transaction."""
    year = programme_year(seed=seed, officer=officer)
    chosen = demo_courses_ensure(year=year, summary=summary)
    demo_exams_ensure(year=year, chosen=chosen, summary=summary)
    demo_competitions_ensure(year=year, summary=summary)
    demo_fairs_ensure(year=year, summary=summary)
    demo_health_sessions_ensure(year=year, summary=summary)
    demo_village_lists_ensure(year=year, summary=summary)


def demo_history_ensure(*, seed: int, orders: int, operator: User, summary: DemoSummary) -> None:
    """The last 12 months of programme and marketplace, once (skipped when it exists)."""
    if Course.objects.filter(name=HISTORY_MARKER).exists():
        return
    officer = User.objects.get(username="demo-federation")
    today = timezone.localdate()
    with transaction.atomic():
        demo_programme_history_ensure(seed=seed, officer=officer, summary=summary)
        workers = serving_workers()
        since = today - dt.timedelta(days=HISTORY_DAYS + 14)
        checks = earlier_health_checks(workers, since, operator.pk)
        HealthCheck.objects.bulk_create(checks)
        summary.add("health_checks", len(checks))
        if orders and workers:
            demo_orders_history_ensure(seed=seed, count=orders, workers=workers, summary=summary)


def demo_standing_ensure(*, seed: int, summary: DemoSummary) -> None:
    """Recurring and placement orders, their payments offline and by card, safety alerts and
    appeals, once (with the standing orders)."""
    with transaction.atomic():
        standing = demo_standing_orders_ensure(seed=seed, summary=summary)
        if standing is None:
            return
        weekly, placement = standing
        offline = demo_offline_payments_write(weekly=weekly, placement=placement)
        summary.add("payments", offline + demo_card_payments_write())
        demo_safety_ensure(seed=seed, weekly=weekly, placement=placement, summary=summary)


def demo_seed(
    *,
    seed: int = DEFAULT_SEED,
    workers: int = DEFAULT_WORKERS,
    households: int = DEFAULT_HOUSEHOLDS,
    orders: int = DEFAULT_HISTORY_ORDERS,
    progress: bool = False,
) -> DemoSummary:
    """Create whatever of the demo county is missing; returns what was created."""
    summary = DemoSummary()
    password_hash = make_password(settings.MEIJIA["DEMO_PASSWORD"])
    demo_reference_data_ensure()
    operator = demo_staff_accounts_ensure(password_hash=password_hash, summary=summary)
    agencies = demo_agencies_ensure(password_hash=password_hash, summary=summary)
    demo_households_ensure(
        count=households, seed=seed, password_hash=password_hash, summary=summary
    )
    demo_workers_ensure(
        count=workers,
        seed=seed,
        agencies=agencies,
        operator=operator,
        password_hash=password_hash,
        summary=summary,
        progress=progress,
    )
    demo_history_ensure(seed=seed, orders=orders, operator=operator, summary=summary)
    demo_village_ensure(password_hash=password_hash, summary=summary)
    demo_weekly_ensure(summary=summary)
    demo_receipts_ensure(summary=summary)
    demo_reviews_ensure(summary=summary)
    demo_my_data_ensure(summary=summary)
    demo_standing_ensure(seed=seed, summary=summary)
    # Credentials and the year's history were bulk-written: the dashboard counts them from here.
    metrics_rebuild()
    return summary
