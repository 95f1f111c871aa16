"""The periodic command: offer and request expiry, auto-confirm, review windows; no double work."""

import datetime as dt
import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from marketplace.models import WorkerProfile
from orders.models import Offer, Order, OrderEvent, ServiceRequest
from orders.services.periodic import run_due_work
from orders.statuses import OfferStatus, OrderStatus, RequestStatus
from tests import factories
from tests.orders.flow_helpers import make_request, order_in


def _finished_hours_ago(order, hours):
    Order.objects.filter(pk=order.pk).update(
        worker_finished_at=timezone.now() - dt.timedelta(hours=hours)
    )


@pytest.mark.django_db
def test_command_auto_confirms_after_48_hours_and_is_idempotent():
    due = order_in(OrderStatus.AWAITING_CONFIRMATION)
    fresh = order_in(OrderStatus.AWAITING_CONFIRMATION)
    _finished_hours_ago(due, 49)
    _finished_hours_ago(fresh, 47)
    out = StringIO()
    call_command("run_periodic", stdout=out)
    assert "orders_auto_confirmed=1" in out.getvalue()
    due.refresh_from_db()
    fresh.refresh_from_db()
    assert due.status == OrderStatus.COMPLETED
    assert due.completed_at is not None
    assert fresh.status == OrderStatus.AWAITING_CONFIRMATION
    event = OrderEvent.objects.filter(order=due).last()
    assert (event.from_status, event.to_status, event.actor_id) == (
        "awaiting_confirmation",
        "completed",
        None,
    )
    assert WorkerProfile.objects.get(pk=due.worker_id).completed_jobs == 1
    out = StringIO()
    call_command("run_periodic", stdout=out)
    assert "orders_auto_confirmed=0" in out.getvalue()
    assert WorkerProfile.objects.get(pk=due.worker_id).completed_jobs == 1


@pytest.mark.django_db
def test_command_expires_offers_and_requests_whose_start_passed():
    worker = factories.WorkerFactory()
    service_request = make_request(starts_at=factories.future(1))
    offer = Offer.objects.get(request=service_request, worker=worker)
    counts = run_due_work(now=timezone.now() + dt.timedelta(minutes=20))
    assert counts["offers_expired"] == 1
    assert Offer.objects.get(pk=offer.pk).status == OfferStatus.EXPIRED
    assert ServiceRequest.objects.get(pk=service_request.pk).status == RequestStatus.OPEN
    counts = run_due_work(now=timezone.now() + dt.timedelta(hours=2))
    assert counts["requests_expired"] == 1
    service_request.refresh_from_db()
    assert service_request.status == RequestStatus.EXPIRED
    assert service_request.closed_at is not None
    assert run_due_work(now=timezone.now() + dt.timedelta(hours=3))["requests_expired"] == 0


@pytest.mark.django_db
def test_matched_requests_do_not_expire():
    order = order_in(OrderStatus.CONFIRMED, starts_at=factories.future(1))
    run_due_work(now=timezone.now() + dt.timedelta(hours=2))
    assert ServiceRequest.objects.get(pk=order.request_id).status == RequestStatus.MATCHED


@pytest.mark.django_db
def test_review_windows_are_closed_by_the_run():
    counts = run_due_work()
    assert "review_windows_closed" in counts


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_change_each_row_once():
    factories.WorkerFactory()
    orders = [order_in(OrderStatus.AWAITING_CONFIRMATION) for _ in range(4)]
    for order in orders:
        _finished_hours_ago(order, 50)
    requests = [make_request(starts_at=factories.future(1)) for _ in range(3)]
    later = timezone.now() + dt.timedelta(hours=2)
    barrier = threading.Barrier(2)
    results = []

    def run():
        try:
            barrier.wait()
            results.append(run_due_work(now=later))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(results) == 2
    assert sum(r["orders_auto_confirmed"] for r in results) == 4
    assert sum(r["requests_expired"] for r in results) == 3
    for order in orders:
        assert OrderEvent.objects.filter(order=order, to_status="completed").count() == 1
    assert sum(WorkerProfile.objects.values_list("completed_jobs", flat=True)) == 4
    assert (
        ServiceRequest.objects.filter(
            pk__in=[r.pk for r in requests], status=RequestStatus.EXPIRED
        ).count()
        == 3
    )
