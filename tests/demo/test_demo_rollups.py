import datetime as dt

import pytest

from demo.seed import demo_seed
from metrics.reconcile import metrics_reconcile
from metrics.selectors import MetricsFilter, metrics_summary

pytestmark = pytest.mark.django_db


def test_seeded_demo_rollups_agree_with_the_facts():
    demo_seed(workers=12, households=4, orders=40)
    assert metrics_reconcile().is_clean
    today = dt.date.today()
    summary = metrics_summary(
        filters=MetricsFilter(start=today - dt.timedelta(days=3 * 365), end=today)
    )
    assert summary["trained_women"] > 0
