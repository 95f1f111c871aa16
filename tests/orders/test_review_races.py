"""Simultaneous decisions on one review: two operators hiding it through two reports, and two
replies sent at once, each moves the counters or stores a reply exactly once.

Runs on the file-backed SQLite test database by default and on PostgreSQL with DATABASE_URL.
"""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from marketplace.models import WorkerProfile
from orders.models import Review, ReviewReport
from orders.services.review_voice import review_report
from orders.services.reviews import review_create
from tests import factories
from tests.conftest import client_for

THREADS = 4


def _race(calls) -> list[tuple[int, dict]]:
    barrier = threading.Barrier(len(calls))
    results: list[tuple[int, dict]] = []
    lock = threading.Lock()

    def run(client, url, body):
        try:
            barrier.wait()
            response = client.post(url, body, format="json")
            with lock:
                results.append((response.status_code, response.json()))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=call) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def _reviewed():
    order = factories.OrderFactory(
        status="completed", completed_at=timezone.now() - dt.timedelta(days=1)
    )
    review = review_create(order_id=order.pk, user=order.household, rating=2, comment="差")
    review_create(order_id=order.pk, user=order.worker.user, rating=5)
    return order, review


@pytest.mark.django_db(transaction=True)
def test_simultaneous_hides_take_the_review_out_once():
    order, review = _reviewed()
    reports = [
        review_report(review_id=review.pk, user=order.household, reason="abuse"),
        review_report(review_id=review.pk, user=order.worker.user, reason="personal_data"),
    ]
    operators = [client_for(factories.operator_user()) for _ in range(THREADS)]
    calls = [
        (client, f"/api/v1/review-reports/{reports[i % 2].pk}/hide/", {"reason": f"隐藏{i}"})
        for i, client in enumerate(operators)
    ]
    results = _race(calls)
    codes = sorted(code for code, _body in results)
    assert codes == [200] + [409] * (THREADS - 1), results
    assert all(body["code"] == "report_resolved" for code, body in results if code == 409)
    worker = WorkerProfile.objects.get(pk=order.worker_id)
    assert (worker.rating_sum, worker.rating_count) == (0, 0)
    assert set(ReviewReport.objects.values_list("status", flat=True)) == {"upheld"}


@pytest.mark.django_db(transaction=True)
def test_simultaneous_replies_store_one():
    order, review = _reviewed()
    calls = [
        (
            client_for(order.worker.user),
            f"/api/v1/reviews/{review.pk}/reply/",
            {"reply": f"回复{i}"},
        )
        for i in range(THREADS)
    ]
    results = _race(calls)
    codes = sorted(code for code, _body in results)
    assert codes == [200] + [409] * (THREADS - 1), results
    winner = next(body for code, body in results if code == 200)
    assert Review.objects.get(pk=review.pk).reply == winner["reply"]
