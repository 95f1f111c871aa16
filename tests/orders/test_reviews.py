"""Reviews: once per side, within the window, hidden until both sides reviewed or it closed."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from backend.exceptions import Conflict
from marketplace.models import WorkerProfile
from notifications.models import Notification
from orders.models import Review
from orders.services.reviews import review_create, review_windows_close
from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def completed_order(days_ago: float = 1, **kwargs):
    return factories.OrderFactory(
        status="completed", completed_at=timezone.now() - dt.timedelta(days=days_ago), **kwargs
    )


def url(order) -> str:
    return f"/api/v1/orders/{order.pk}/reviews/"


def test_first_review_hidden_second_publishes_both_and_moves_rating():
    order = completed_order()
    first = review_create(order_id=order.pk, user=order.household, rating=5, comment="很细致")
    assert first.published_at is None
    worker = WorkerProfile.objects.get(pk=order.worker_id)
    assert (worker.rating_sum, worker.rating_count) == (0, 0)  # hidden reviews do not count
    assert Notification.objects.filter(
        user=order.worker.user, payload__kind="review.received"
    ).exists()

    second = review_create(order_id=order.pk, user=order.worker.user, rating=4, comment="")
    assert second.published_at is not None
    assert Review.objects.filter(order=order, published_at__isnull=True).count() == 0
    worker.refresh_from_db()
    assert (worker.rating_sum, worker.rating_count) == (5, 1)  # only household → worker counts


def test_visibility_through_api():
    order = completed_order()
    household, worker = client_for(order.household), client_for(order.worker.user)
    response = household.post(url(order), {"rating": 3, "comment": "一般"}, format="json")
    assert response.status_code == 201 and response.json()["is_published"] is False
    own = household.get(url(order)).json()
    assert own["count"] == 1 and own["results"][0]["rating"] == 3
    assert worker.get(url(order)).json()["count"] == 0  # she cannot see it before answering

    assert worker.post(url(order), {"rating": 5}, format="json").status_code == 201
    for client in (household, worker):
        body = client.get(url(order)).json()
        assert body["count"] == 2
        assert all(item["is_published"] for item in body["results"])


def test_review_permission_table(anon_client):
    order = completed_order()
    agency = factories.AgencyFactory()
    factories.RosterEntryFactory(agency=agency, worker=order.worker)
    staff = factories.AgencyStaffFactory(agency=agency).user
    order.agency = agency
    order.save()
    body = {"rating": 1, "comment": "差"}
    assert anon_client.post(url(order), body, format="json").status_code == 401
    assert anon_client.get(url(order)).status_code == 401
    for outsider in (factories.HouseholdFactory().user, factories.WorkerFactory().user):
        assert client_for(outsider).post(url(order), body, format="json").status_code == 404
        assert client_for(outsider).get(url(order)).status_code == 404
    response = client_for(staff).post(url(order), body, format="json")
    assert response.status_code == 403  # agency staff cannot review
    assert client_for(staff).get(url(order)).status_code == 200
    assert not Review.objects.exists()


def test_not_completed_order_cannot_be_reviewed():
    order = factories.OrderFactory(status="in_progress")
    response = client_for(order.household).post(url(order), {"rating": 5}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "order_not_completed"
    assert not Review.objects.exists()


def test_window_closed():
    order = completed_order(days_ago=14.01)
    response = client_for(order.household).post(url(order), {"rating": 5}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "review_window_closed"
    assert not Review.objects.exists()
    inside = completed_order(days_ago=13.9)
    assert client_for(inside.household).post(url(inside), {"rating": 5}).status_code == 201


def test_once_per_side():
    order = completed_order()
    client = client_for(order.household)
    assert client.post(url(order), {"rating": 4}, format="json").status_code == 201
    again = client.post(url(order), {"rating": 1}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "already_reviewed"
    assert Review.objects.get().rating == 4
    with pytest.raises(Conflict):
        review_create(order_id=order.pk, user=order.household, rating=2)


@pytest.mark.parametrize("rating", [0, 6, -1, "five", None, 4.5])
def test_rating_validation(rating):
    order = completed_order()
    response = client_for(order.household).post(url(order), {"rating": rating}, format="json")
    assert response.status_code == 400 and response.json()["field"] == "rating"
    assert not Review.objects.exists()


def test_comment_length():
    order = completed_order()
    client = client_for(order.household)
    response = client.post(url(order), {"rating": 5, "comment": "好" * 1001}, format="json")
    assert response.status_code == 400 and response.json()["field"] == "comment"
    assert client.post(url(order), {"rating": 5, "comment": "好" * 1000}).status_code == 201


def test_window_close_publishes_once_and_is_idempotent():
    order = completed_order(days_ago=10)
    review_create(order_id=order.pk, user=order.household, rating=2, comment="迟到")
    other = completed_order(days_ago=10)
    review_create(order_id=other.pk, user=other.worker.user, rating=5)
    assert review_windows_close(now=timezone.now()) == 0  # windows still open

    later = timezone.now() + dt.timedelta(days=5)
    assert review_windows_close(now=later) == 2
    assert review_windows_close(now=later) == 0
    assert not Review.objects.filter(published_at__isnull=True).exists()
    worker = WorkerProfile.objects.get(pk=order.worker_id)
    assert (worker.rating_sum, worker.rating_count) == (2, 1)
    untouched = WorkerProfile.objects.get(pk=other.worker_id)  # a worker→household review
    assert (untouched.rating_sum, untouched.rating_count) == (0, 0)
    # Now visible to the worker.
    body = client_for(order.worker.user).get(url(order)).json()
    assert body["count"] == 1 and body["results"][0]["comment"] == "迟到"


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_window_closers_count_each_review_once():
    orders = [completed_order(days_ago=20) for _ in range(4)]
    for order in orders:
        Review.objects.create(
            order=order, author=order.household, author_party="household", rating=5
        )
    results, errors = [], []
    barrier = threading.Barrier(2)

    def run():
        try:
            barrier.wait()
            results.append(review_windows_close(now=timezone.now()))
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sum(results) == 4
    assert (
        sum(WorkerProfile.objects.filter(orders__in=orders).values_list("rating_count", flat=True))
        == 4
    )


def test_worker_reviews_public_list(anon_client):
    order = completed_order()
    order.household.display_name = "王女士"
    order.household.save()
    review_create(order_id=order.pk, user=order.household, rating=5, comment="推荐")
    hidden = completed_order(worker=order.worker)
    review_create(order_id=hidden.pk, user=hidden.household, rating=1, comment="未公开")
    review_create(order_id=order.pk, user=order.worker.user, rating=5)
    worker_url = f"/api/v1/workers/{order.worker_id}/reviews/"
    assert anon_client.get(worker_url).status_code == 401
    response = client_for(factories.HouseholdFactory().user).get(worker_url)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1  # the hidden one and the worker's own review are not listed
    item = body["results"][0]
    assert item["author"] == {"display_name": "王女士"}
    assert item["comment"] == "推荐" and item["category"] == "housekeeper"
    assert "phone" not in str(body) and order.household.username not in str(body)
    assert client_for(order.household).get("/api/v1/workers/999999/reviews/").status_code == 404
