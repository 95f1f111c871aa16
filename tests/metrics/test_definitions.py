"""Each metric's definition on hand-built histories driven through the real services."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from backend.localtime import local_day
from marketplace.models import HealthCheck
from metrics.models import DailyCount
from metrics.reconcile import metrics_rebuild, metrics_reconcile
from metrics.selectors import MetricsFilter, metrics_breakdown, metrics_summary, month_end
from metrics.services import metrics_record_worker_changed
from orders.services.cancellation import order_cancel
from orders.services.contracts import contract_amend
from orders.services.disputes import order_dispute_open, order_dispute_resolve
from orders.services.reviews import review_create
from tests import factories
from tests.metrics.helpers import SHANGHAI, Clock, at, book, serve, sign_all

pytestmark = pytest.mark.django_db

OTHER_DIVISION = "371581002000"


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


@pytest.fixture
def boundary():
    """The first day of next month: histories straddle it (credentials from the factories
    are valid from 30 days ago to almost a year ahead)."""
    today = factories.today()
    return month_end(today) + dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def baseline(db):
    """Factories write credentials without the services: start from a rebuilt rollup."""
    yield


def summary(start, end, **filters):
    return metrics_summary(filters=MetricsFilter(start=start, end=end, **filters))


def test_signed_in_one_month_completed_in_the_next_lands_in_each(clock, boundary):
    household, worker = factories.HouseholdFactory(), factories.WorkerFactory()
    metrics_rebuild()
    signing_day = boundary - dt.timedelta(days=1)
    order = book(
        clock=clock,
        household=household,
        worker=worker,
        when=at(signing_day, 8),
        starts_at=at(boundary, 9),
    )
    sign_all(clock=clock, order=order, when=at(signing_day, 20))
    serve(clock=clock, order=order, finished=at(boundary, 12))

    first_month = signing_day.replace(day=1)
    before = summary(first_month, signing_day)
    after = summary(boundary, month_end(boundary))
    assert (before["signed_contracts"], before["employed_workers"]) == (1, 1)
    assert (before["served_households"], before["completed_orders"]) == (0, 0)
    assert (after["signed_contracts"], after["employed_workers"]) == (0, 0)
    assert (after["served_households"], after["served_workers"]) == (1, 1)
    by_month = metrics_breakdown(
        filters=MetricsFilter(start=first_month, end=month_end(boundary)), by="month"
    )
    assert by_month[first_month]["signed_contracts"] == 1
    assert by_month[first_month]["served_households"] == 0
    assert by_month[boundary]["signed_contracts"] == 0
    assert by_month[boundary]["served_households"] == 1
    assert metrics_reconcile().is_clean


def test_household_served_twice_counts_once(clock, boundary):
    household = factories.HouseholdFactory()
    workers = [factories.WorkerFactory(), factories.WorkerFactory()]
    metrics_rebuild()
    day = boundary - dt.timedelta(days=3)
    first = book(
        clock=clock, household=household, worker=workers[0], when=at(day, 7), starts_at=at(day, 9)
    )
    second = book(
        clock=clock,
        household=household,
        worker=workers[1],
        when=at(day, 7, 30),
        starts_at=at(boundary, 9),
        division=OTHER_DIVISION,
    )
    for order in (first, second):
        sign_all(clock=clock, order=order, when=at(day, 8))
    serve(clock=clock, order=first, finished=at(day, 12))
    serve(clock=clock, order=second, finished=at(boundary, 12))

    whole = summary(day, boundary)
    assert whole["served_households"] == 1
    assert whole["served_workers"] == 2
    assert whole["completed_orders"] == 2
    assert summary(day, day)["served_households"] == 1
    assert summary(boundary, boundary)["served_households"] == 1
    by_division = metrics_breakdown(filters=MetricsFilter(start=day, end=boundary), by="division")
    counts = {key: value["served_households"] for key, value in by_division.items()}
    assert sum(counts.values()) == 2  # one in each division, once county-wide
    by_month = metrics_breakdown(filters=MetricsFilter(start=day, end=boundary), by="month")
    assert by_month[day.replace(day=1)]["served_households"] == 1
    assert by_month[boundary]["served_households"] == 1
    assert metrics_reconcile().is_clean


def test_amended_and_resigned_contract_counts_once_on_first_signing(clock, boundary):
    household, worker = factories.HouseholdFactory(), factories.WorkerFactory()
    metrics_rebuild()
    day = factories.today() + dt.timedelta(days=1)
    order = book(
        clock=clock,
        household=household,
        worker=worker,
        when=at(day, 8),
        starts_at=at(day + dt.timedelta(days=5), 9),
    )
    sign_all(clock=clock, order=order, when=at(day, 9))
    clock.set(at(day + dt.timedelta(days=1), 9))
    contract_amend(order_id=order.pk, user=household.user, changes={"price": 20000}, reason="加时")
    sign_all(clock=clock, order=order, when=at(day + dt.timedelta(days=2), 9))

    assert order.contracts.filter(signed_at__isnull=False).count() == 2
    assert summary(day, day)["signed_contracts"] == 1
    assert summary(day + dt.timedelta(days=2), day + dt.timedelta(days=2))["signed_contracts"] == 0
    assert summary(day, day + dt.timedelta(days=9))["signed_contracts"] == 1
    assert summary(day, day + dt.timedelta(days=9))["employed_workers"] == 1
    assert metrics_reconcile().is_clean


def test_dispute_takes_a_completed_order_out_until_resolved(clock):
    household, worker = factories.HouseholdFactory(), factories.WorkerFactory()
    operator = factories.operator_user()
    metrics_rebuild()
    day = factories.today() + dt.timedelta(days=1)
    order = book(
        clock=clock, household=household, worker=worker, when=at(day, 7), starts_at=at(day, 9)
    )
    sign_all(clock=clock, order=order, when=at(day, 8))
    serve(clock=clock, order=order, finished=at(day, 12))
    assert summary(day, day)["served_households"] == 1

    clock.set(at(day + dt.timedelta(days=2), 9))
    order_dispute_open(order_id=order.pk, actor=household.user, reason="质量问题")
    disputed = summary(day, day)
    assert disputed["served_households"] == 0
    assert disputed["orders_by_status"]["disputed"] == 1
    order_dispute_resolve(order_id=order.pk, actor=operator, outcome="completed")
    resolved = summary(day, day)
    assert resolved["served_households"] == 1  # on the original completion day
    assert resolved["orders_by_status"]["completed"] == 1
    assert metrics_reconcile().is_clean


def test_orders_by_status_cancellation_rate_rating_and_wait(clock, settings):
    settings.MEIJIA = {**settings.MEIJIA, "OFFER_TTL_MINUTES": 600}
    household, worker = factories.HouseholdFactory(), factories.WorkerFactory()
    metrics_rebuild()
    day = factories.today() + dt.timedelta(days=1)
    kept = book(
        clock=clock,
        household=household,
        worker=worker,
        when=at(day, 6),
        accepted=at(day, 8),  # two hours to match
        starts_at=at(day, 10),
    )
    dropped = book(
        clock=clock,
        household=household,
        worker=worker,
        when=at(day, 7),
        accepted=at(day, 7, 30),  # half an hour
        starts_at=at(day + dt.timedelta(days=3), 10),
    )
    clock.set(at(day, 8, 10))
    order_cancel(order_id=dropped.pk, actor=household.user, reason="改期", reopen_request=False)
    sign_all(clock=clock, order=kept, when=at(day, 8, 20))
    serve(clock=clock, order=kept, finished=at(day, 13))
    clock.set(at(day, 18))
    review_create(order_id=kept.pk, user=household.user, rating=4)
    assert summary(day, day)["reviews"] == 0  # hidden until both sides reviewed
    review_create(order_id=kept.pk, user=worker.user, rating=2)

    result = summary(day, day)
    assert result["orders"] == 2
    assert result["orders_by_status"]["cancelled"] == 1
    assert result["orders_by_status"]["completed"] == 1
    assert result["cancellation_rate"] == 0.5
    assert result["reviews"] == 1 and result["average_rating"] == 4.0  # households' ratings
    wait = result["time_from_request_to_match"]
    assert wait["matches"] == 2 and wait["unit"] == "hours"
    assert wait["average"] == 1.25
    assert 0.5 <= wait["median"] <= 2
    assert result["signed_contracts"] == 1
    assert metrics_reconcile().is_clean


def test_rates_of_the_workers_who_served(clock):
    household = factories.HouseholdFactory()
    checked, unchecked = factories.WorkerFactory(), factories.WorkerFactory()
    metrics_rebuild()
    day = factories.today() + dt.timedelta(days=1)
    for hour, worker in ((8, checked), (13, unchecked)):
        order = book(
            clock=clock,
            household=household,
            worker=worker,
            when=at(day, hour - 2),
            starts_at=at(day, hour),
        )
        sign_all(clock=clock, order=order, when=at(day, hour - 1))
        serve(clock=clock, order=order, finished=at(day, hour + 2))
    assert summary(day, day)["health_check_rate"] == 1.0
    # Her only health check turns out not to have been on file: she served without one.
    HealthCheck.objects.filter(worker=unchecked).delete()
    metrics_record_worker_changed(worker_id=unchecked.pk)
    result = summary(day, day)
    assert result["served_workers"] == 2
    assert result["health_check_rate"] == 0.5
    assert result["pre_job_training_rate"] == 1.0
    assert (
        summary(day + dt.timedelta(days=1), day + dt.timedelta(days=1))["health_check_rate"] is None
    )
    assert metrics_reconcile().is_clean


def test_trained_women_are_distinct_workers_by_completion_day():
    worker = factories.WorkerFactory(credentials=False)
    other = factories.WorkerFactory(credentials=False)
    metrics_rebuild()
    day = factories.today() - dt.timedelta(days=3)
    records = [
        factories.TrainingRecordFactory(worker=worker, completed_on=day, kind="pre_job"),
        factories.TrainingRecordFactory(
            worker=worker, completed_on=day + dt.timedelta(days=1), kind="grade"
        ),
        factories.TrainingRecordFactory(worker=other, completed_on=day - dt.timedelta(days=40)),
    ]
    for record in records:
        metrics_record_worker_changed(worker_id=record.worker_id)
    assert summary(day, day + dt.timedelta(days=1))["trained_women"] == 1
    assert summary(day - dt.timedelta(days=40), day)["trained_women"] == 2
    assert summary(day - dt.timedelta(days=40), day)["funnel"]["trained"] == 2
    assert metrics_reconcile().is_clean


def test_local_day_is_the_shanghai_calendar_day():
    late = dt.datetime(2025, 3, 31, 23, 30, tzinfo=SHANGHAI)
    assert local_day(late.astimezone(dt.UTC)) == dt.date(2025, 3, 31)
    assert local_day(dt.datetime(2025, 3, 31, 16, 30, tzinfo=dt.UTC)) == dt.date(2025, 4, 1)


def test_reconcile_reports_and_fixes_a_tampered_rollup(clock, capsys):
    household, worker = factories.HouseholdFactory(), factories.WorkerFactory()
    metrics_rebuild()
    day = factories.today() + dt.timedelta(days=1)
    order = book(
        clock=clock, household=household, worker=worker, when=at(day, 7), starts_at=at(day, 9)
    )
    sign_all(clock=clock, order=order, when=at(day, 8))
    call_command("metrics_reconcile")
    DailyCount.objects.filter(signed_contracts=1).update(signed_contracts=5)
    with pytest.raises(CommandError):
        call_command("metrics_reconcile")
    assert "signed_contracts" in capsys.readouterr().out
    call_command("metrics_reconcile", "--fix")
    assert metrics_reconcile().is_clean
    assert summary(day, day)["signed_contracts"] == 1
