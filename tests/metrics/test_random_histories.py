"""Random histories through the real services: the rollups always equal the recomputation."""

import datetime as dt
import random

import pytest

from backend.exceptions import DomainError
from marketplace.models import Category, Division
from metrics.reconcile import metrics_rebuild, metrics_reconcile
from metrics.selectors import MetricsFilter, metrics_summary, month_end
from metrics.services import metrics_record_worker_changed
from orders.models import Order
from orders.services.cancellation import order_cancel
from orders.services.contracts import contract_amend
from orders.services.disputes import order_dispute_open, order_dispute_resolve
from orders.services.reviews import review_create, review_windows_close
from tests import factories
from tests.metrics.helpers import Clock, at, book, serve, sign_all

pytestmark = pytest.mark.django_db

TRADES = ["housekeeper", "hourly_cleaning"]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_history_reconciles(monkeypatch, settings, seed):
    settings.MEIJIA = {**settings.MEIJIA, "OFFER_TTL_MINUTES": 600}
    rng = random.Random(seed)
    clock = Clock(monkeypatch)
    divisions = list(Division.objects.values_list("code", flat=True)[:4])
    households = [factories.HouseholdFactory() for _ in range(4)]
    workers = [factories.WorkerFactory() for _ in range(3)]
    operator = factories.operator_user()
    metrics_rebuild()  # the factories wrote credentials without the services

    today = factories.today()
    first_day = max(today + dt.timedelta(days=1), month_end(today) - dt.timedelta(days=4))
    for index in range(24):
        day = first_day + dt.timedelta(days=index // 3)
        starts_at = at(day, 7 + 4 * (index % 3))
        requested = starts_at - dt.timedelta(hours=rng.randint(8, 40))
        order = book(
            clock=clock,
            household=rng.choice(households),
            worker=rng.choice(workers),
            when=requested,
            accepted=requested + dt.timedelta(minutes=rng.randint(0, 300)),
            starts_at=starts_at,
            category=rng.choice(TRADES),
            division=rng.choice(divisions),
        )
        signed_at = clock.moment + dt.timedelta(minutes=10)
        roll = rng.random()
        if roll < 0.12:
            clock.set(signed_at)
            order_cancel(order_id=order.pk, actor=order.household, reason="不需要了")
            continue
        sign_all(clock=clock, order=order, when=signed_at)
        if rng.random() < 0.3:
            clock.set(signed_at + dt.timedelta(minutes=5))
            contract_amend(
                order_id=order.pk,
                user=order.household,
                changes={"price": rng.randint(10000, 30000)},
                reason="调整价格",
            )
            if rng.random() < 0.7:
                sign_all(clock=clock, order=order, when=signed_at + dt.timedelta(minutes=20))
        if roll < 0.22:
            clock.set(signed_at + dt.timedelta(minutes=30))
            order_cancel(order_id=order.pk, actor=order.worker.user, reason="家中有事")
            continue
        finished = order.starts_at + dt.timedelta(hours=3)
        serve(clock=clock, order=order, finished=finished)
        if rng.random() < 0.5:
            review_create(order_id=order.pk, user=order.household, rating=rng.randint(1, 5))
        if rng.random() < 0.4:
            review_create(order_id=order.pk, user=order.worker.user, rating=rng.randint(1, 5))
        if rng.random() < 0.25:
            clock.set(finished + dt.timedelta(hours=5))
            try:
                order_dispute_open(order_id=order.pk, actor=order.household, reason="有争议")
            except DomainError:
                pass
            else:
                outcome = rng.choice(["completed", "partial_refund", "full_refund", "open"])
                if outcome != "open":
                    order_dispute_resolve(
                        order_id=order.pk, actor=operator, outcome=outcome, refund_amount=100
                    )
        if rng.random() < 0.2:
            record = factories.TrainingRecordFactory(
                worker=rng.choice(workers),
                kind=rng.choice(["refresher", "grade"]),
                category=Category.objects.get(code=rng.choice(TRADES)),
                completed_on=day,
            )
            metrics_record_worker_changed(worker_id=record.worker_id)
    clock.set(at(first_day + dt.timedelta(days=30), 12))
    review_windows_close()

    report = metrics_reconcile()
    assert report.is_clean, report.lines()
    assert Order.objects.count() >= 24
    whole = metrics_summary(
        filters=MetricsFilter(
            start=today - dt.timedelta(days=3), end=first_day + dt.timedelta(days=40)
        )
    )
    assert whole["orders"] == Order.objects.count()
    assert whole["served_households"] == len(
        set(Order.objects.filter(status="completed").values_list("household_id", flat=True))
    )
