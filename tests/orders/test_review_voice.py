"""Replies, reports and hiding: the reviewed side answers once, either side reports, the
operator hides a review (it stops counting everywhere) or dismisses the report."""

import datetime as dt

import pytest
from django.utils import timezone

from backend.exceptions import Conflict
from marketplace.models import WorkerProfile
from marketplace.selectors.ratings import worker_rating
from metrics.reconcile import metrics_reconcile
from notifications.models import Notification
from orders.models import Review, ReviewReport
from orders.services.review_voice import _take_out, review_report, review_report_uphold
from orders.services.reviews import review_create, reviews_of_worker
from tests import factories
from tests.conftest import client_for
from tests.security.world import differences, state

pytestmark = pytest.mark.django_db


def reviewed_order(household_rating: int = 2, worker_rating_given: int = 5, **kwargs):
    """A completed order that both sides reviewed (so both reviews are published)."""
    order = factories.OrderFactory(
        status="completed", completed_at=timezone.now() - dt.timedelta(days=1), **kwargs
    )
    of_worker = review_create(
        order_id=order.pk, user=order.household, rating=household_rating, comment="迟到了"
    )
    of_household = review_create(
        order_id=order.pk, user=order.worker.user, rating=worker_rating_given, comment="好相处"
    )
    return order, of_worker, of_household


def reply_url(review) -> str:
    return f"/api/v1/reviews/{review.pk}/reply/"


def report_url(review) -> str:
    return f"/api/v1/reviews/{review.pk}/reports/"


# --- replies ---------------------------------------------------------------------------------


def test_the_reviewed_side_replies_once_and_the_reply_is_public():
    order, of_worker, of_household = reviewed_order()
    worker = client_for(order.worker.user)
    response = worker.post(reply_url(of_worker), {"reply": "那天堵车，抱歉"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["reply"] == "那天堵车，抱歉" and response.json()["replied_at"]
    again = worker.post(reply_url(of_worker), {"reply": "再说一次"}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "already_replied"
    assert Review.objects.get(pk=of_worker.pk).reply == "那天堵车，抱歉"
    assert Notification.objects.filter(user=order.household, payload__kind="review.replied")

    public = client_for(factories.HouseholdFactory().user).get(
        f"/api/v1/workers/{order.worker_id}/reviews/"
    )
    assert public.json()["results"][0]["reply"] == "那天堵车，抱歉"

    # the household answers the worker's review of it the same way
    household = client_for(order.household)
    answer = household.post(reply_url(of_household), {"reply": "谢谢"}, format="json")
    assert answer.status_code == 200 and answer.json()["reply"] == "谢谢"


def test_only_the_reviewed_side_may_reply():
    order, of_worker, _ = reviewed_order()
    outsiders = [
        factories.HouseholdFactory().user,
        factories.WorkerFactory().user,
        factories.AgencyStaffFactory().user,
        factories.FederationOfficerFactory().user,
        factories.operator_user(),
    ]
    before = state()
    author = client_for(order.household).post(reply_url(of_worker), {"reply": "x"}, format="json")
    assert author.status_code == 403 and author.json()["code"] == "not_reviewed_party"
    for outsider in outsiders:
        response = client_for(outsider).post(reply_url(of_worker), {"reply": "x"}, format="json")
        assert response.status_code == 404, outsider.role
    assert client_for(None).post(reply_url(of_worker), {"reply": "x"}).status_code == 401
    assert differences(before, state()) == []


@pytest.mark.parametrize("body", [{}, {"reply": ""}, {"reply": "   "}, {"reply": "长" * 501}])
def test_bad_reply_is_refused_naming_the_field(body):
    order, of_worker, _ = reviewed_order()
    response = client_for(order.worker.user).post(reply_url(of_worker), body, format="json")
    assert response.status_code == 400
    assert response.json()["field"] == "reply" and response.json()["code"]
    assert Review.objects.get(pk=of_worker.pk).replied_at is None


def test_a_hidden_review_cannot_be_answered_yet():
    order = factories.OrderFactory(
        status="completed", completed_at=timezone.now() - dt.timedelta(days=1)
    )
    review = review_create(order_id=order.pk, user=order.household, rating=1)
    # the worker has not reviewed: the household's review is not published, she cannot see it
    response = client_for(order.worker.user).post(reply_url(review), {"reply": "x"}, format="json")
    assert response.status_code == 404
    report = client_for(order.household).post(report_url(review), {"reason": "abuse"})
    assert report.status_code == 409 and report.json()["code"] == "review_not_published"


# --- reports and hiding ----------------------------------------------------------------------


def test_either_side_reports_once_and_the_operator_sees_the_queue():
    order, of_worker, _ = reviewed_order()
    worker = client_for(order.worker.user)
    body = {"reason": "personal_data", "note": "写了我的手机号"}
    response = worker.post(report_url(of_worker), body, format="json")
    assert response.status_code == 201 and response.json()["status"] == "open"
    again = worker.post(report_url(of_worker), body, format="json")
    assert again.status_code == 409 and again.json()["code"] == "already_reported"
    own = client_for(order.household).post(report_url(of_worker), {"reason": "abuse"})
    assert own.status_code == 201
    assert ReviewReport.objects.filter(review=of_worker).count() == 2

    operator = factories.operator_user()
    queue = client_for(operator).get("/api/v1/review-reports/").json()
    assert queue["count"] == 2
    first = queue["results"][0]
    assert first["reason"] == "personal_data" and first["note"] == "写了我的手机号"
    assert first["review"]["comment"] == "迟到了" and first["reporter_party"] == "worker"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "reason"),
        ({"reason": "boring"}, "reason"),
        ({"reason": "abuse", "note": "长" * 501}, "note"),
    ],
)
def test_bad_report_is_refused_naming_the_field(body, field):
    order, of_worker, _ = reviewed_order()
    response = client_for(order.worker.user).post(report_url(of_worker), body, format="json")
    assert response.status_code == 400 and response.json()["field"] == field
    assert not ReviewReport.objects.exists()


def test_report_queue_and_decisions_are_for_operators_only():
    order, of_worker, _ = reviewed_order()
    report = review_report(review_id=of_worker.pk, user=order.worker.user, reason="abuse")
    callers = [
        order.household,
        order.worker.user,
        factories.AgencyStaffFactory().user,
        factories.FederationOfficerFactory().user,
    ]
    before = state()
    for user in callers:
        client = client_for(user)
        assert client.get("/api/v1/review-reports/").status_code == 403
        hide = client.post(f"/api/v1/review-reports/{report.pk}/hide/", {"reason": "辱骂"})
        assert hide.status_code == 403
        assert client.post(f"/api/v1/review-reports/{report.pk}/dismiss/").status_code == 403
    assert client_for(None).get("/api/v1/review-reports/").status_code == 401
    assert differences(before, state()) == []
    queue = client_for(factories.operator_user()).get("/api/v1/review-reports/?status=nonsense")
    assert queue.status_code == 400 and queue.json()["field"] == "status"


def test_hiding_takes_the_review_out_of_every_rating_and_tells_the_author_why():
    order, of_worker, _ = reviewed_order(household_rating=1)
    reviewed_order(household_rating=5, worker=order.worker)  # her second order, rated 5
    worker = WorkerProfile.objects.get(pk=order.worker_id)
    assert (worker.rating_sum, worker.rating_count) == (6, 2)
    officer = client_for(factories.FederationOfficerFactory().user)
    assert officer.get("/api/v1/metrics/summary/").json()["reviews"] == 2

    first = review_report(review_id=of_worker.pk, user=order.worker.user, reason="abuse")
    second = review_report(review_id=of_worker.pk, user=order.household, reason="abuse")
    operator = client_for(factories.operator_user())
    missing = operator.post(f"/api/v1/review-reports/{first.pk}/hide/", {}, format="json")
    assert missing.status_code == 400 and missing.json()["field"] == "reason"
    response = operator.post(
        f"/api/v1/review-reports/{first.pk}/hide/", {"reason": "含人身攻击"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "upheld" and response.json()["review"]["is_hidden"]
    assert ReviewReport.objects.get(pk=second.pk).status == "upheld"  # closed with it
    again = operator.post(f"/api/v1/review-reports/{second.pk}/hide/", {"reason": "再次"})
    assert again.status_code == 409 and again.json()["code"] == "report_resolved"

    worker.refresh_from_db()
    assert (worker.rating_sum, worker.rating_count) == (5, 1)
    assert str(worker_rating(worker).value) == "5.0"
    assert [r.rating for r in reviews_of_worker(worker_id=worker.pk)] == [5]
    summary = officer.get("/api/v1/metrics/summary/").json()
    assert summary["reviews"] == 1 and summary["average_rating"] == 5.0
    assert metrics_reconcile().is_clean

    url = f"/api/v1/orders/{order.pk}/reviews/"
    seen_by_author = client_for(order.household).get(url).json()["results"]
    own = next(item for item in seen_by_author if item["id"] == of_worker.pk)
    assert own["is_hidden"] and own["hidden_reason"] == "含人身攻击"
    seen_by_worker = client_for(order.worker.user).get(url).json()["results"]
    assert of_worker.pk not in [item["id"] for item in seen_by_worker]
    assert Notification.objects.filter(user=order.household, payload__kind="review.hidden")
    reply = client_for(order.worker.user).post(reply_url(of_worker), {"reply": "x"})
    assert reply.status_code == 409 and reply.json()["code"] == "review_hidden"


def test_hiding_twice_moves_the_counters_once():
    order, of_worker, _ = reviewed_order(household_rating=3)
    operator = factories.operator_user()
    report = review_report(review_id=of_worker.pk, user=order.worker.user, reason="abuse")
    review_report_uphold(report_id=report.pk, operator=operator, reason="辱骂")
    with pytest.raises(Conflict) as late:
        review_report(review_id=of_worker.pk, user=order.household, reason="abuse")
    assert late.value.code == "review_hidden"
    review = Review.objects.select_related("order").get(pk=of_worker.pk)
    assert _take_out(review=review, operator=operator, reason="再次", now=timezone.now()) is False
    worker = WorkerProfile.objects.get(pk=order.worker_id)
    assert (worker.rating_sum, worker.rating_count) == (0, 0)
    assert Review.objects.get(pk=of_worker.pk).hidden_reason == "辱骂"


def test_dismissing_keeps_the_review_counted():
    order, of_worker, _ = reviewed_order(household_rating=4)
    report = review_report(review_id=of_worker.pk, user=order.worker.user, reason="abuse")
    operator = client_for(factories.operator_user())
    response = operator.post(
        f"/api/v1/review-reports/{report.pk}/dismiss/", {"note": "属于正常评价"}, format="json"
    )
    assert response.status_code == 200 and response.json()["status"] == "dismissed"
    assert Review.objects.get(pk=of_worker.pk).hidden_at is None
    worker = WorkerProfile.objects.get(pk=order.worker_id)
    assert (worker.rating_sum, worker.rating_count) == (4, 1)
    assert operator.get("/api/v1/review-reports/").json()["count"] == 0
    assert operator.get("/api/v1/review-reports/?status=dismissed").json()["count"] == 1


def test_report_queue_query_count_is_bounded(django_assert_max_num_queries):
    operator = client_for(factories.operator_user())
    for _ in range(3):
        order, of_worker, _ = reviewed_order()
        review_report(review_id=of_worker.pk, user=order.worker.user, reason="abuse")
    with django_assert_max_num_queries(8):
        assert operator.get("/api/v1/review-reports/").json()["count"] == 3
    for _ in range(3):
        order, of_worker, _ = reviewed_order()
        review_report(review_id=of_worker.pk, user=order.worker.user, reason="abuse")
    with django_assert_max_num_queries(8):
        assert operator.get("/api/v1/review-reports/").json()["count"] == 6


def test_hiding_the_workers_review_of_a_household_leaves_her_counters():
    order, of_worker, of_household = reviewed_order(household_rating=4)
    report = review_report(review_id=of_household.pk, user=order.household, reason="abuse")
    review_report_uphold(report_id=report.pk, operator=factories.operator_user(), reason="辱骂")
    worker = WorkerProfile.objects.get(pk=order.worker_id)
    assert (worker.rating_sum, worker.rating_count) == (4, 1)
    assert Review.objects.get(pk=of_household.pk).hidden_at is not None
    assert metrics_reconcile().is_clean
    url = f"/api/v1/orders/{order.pk}/reviews/"
    seen_by_household = client_for(order.household).get(url).json()["results"]
    assert [item["id"] for item in seen_by_household] == [of_worker.pk]
