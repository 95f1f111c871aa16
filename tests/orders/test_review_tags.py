"""Review tags: each trade's set is data, a household picks from its order's trade, and her
public tag counts leave out hidden and unpublished reviews."""

import datetime as dt

import pytest
from django.utils import timezone

from marketplace import reference_data
from marketplace.models import Category, ReviewTag
from orders.models import Review
from orders.services.review_voice import review_report, review_report_uphold
from orders.services.reviews import review_create
from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def completed_order(category_code: str = "housekeeper", **kwargs):
    category = Category.objects.get(code=category_code)
    return factories.OrderFactory(
        request=factories.ServiceRequestFactory(category=category, status="matched"),
        status="completed",
        completed_at=timezone.now() - dt.timedelta(days=1),
        **kwargs,
    )


def test_every_trade_has_its_tag_set_from_the_data_table():
    for category in Category.objects.all():
        codes = list(category.review_tags.values_list("code", flat=True))
        assert codes == [code for code, _zh, _en in reference_data.REVIEW_TAGS[category.code]]
    names = set(ReviewTag.objects.values_list("name_zh", flat=True))
    assert {"准时", "干净", "细心", "有耐心", "专业", "沟通好"} <= names


def test_review_tags_endpoint_lists_the_trade_in_both_languages():
    client = client_for(factories.HouseholdFactory().user)
    body = client.get("/api/v1/review-tags/?category=elderly_carer").json()
    assert [tag["name"] for tag in body["results"]][:2] == ["有耐心", "细心"]
    english = client.get("/api/v1/review-tags/?category=elderly_carer", HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["results"][0]["name"] == "Patient"
    bad = client.get("/api/v1/review-tags/?category=plumber")
    assert bad.status_code == 400 and bad.json()["field"] == "category"
    assert client_for(None).get("/api/v1/review-tags/?category=housekeeper").status_code == 401


def test_household_tags_its_review_and_counts_show_on_her_profile():
    worker = factories.WorkerFactory()
    first = completed_order(worker=worker)
    second = completed_order(worker=worker)
    hidden = completed_order(worker=worker)
    unpublished = completed_order(worker=worker)
    client = client_for(first.household)
    response = client.post(
        f"/api/v1/orders/{first.pk}/reviews/",
        {"rating": 5, "comment": "很好", "tags": ["punctual", "clean"]},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert [tag["name"] for tag in response.json()["tags"]] == ["准时", "干净"]
    review_create(order_id=second.pk, user=second.household, rating=4, tags=["punctual"])
    bad = review_create(order_id=hidden.pk, user=hidden.household, rating=1, tags=["quick"])
    review_create(order_id=unpublished.pk, user=unpublished.household, rating=5, tags=["careful"])
    for order in (first, second, hidden):
        review_create(order_id=order.pk, user=worker.user, rating=5)
    report = review_report(review_id=bad.pk, user=worker.user, reason="abuse")
    review_report_uphold(report_id=report.pk, operator=factories.operator_user(), reason="辱骂")

    viewer = client_for(factories.HouseholdFactory().user)
    counts = viewer.get(f"/api/v1/workers/{worker.pk}/review-tags/").json()
    assert counts == {
        "worker": worker.pk,
        "tags": [
            {"code": "punctual", "name": "准时", "count": 2},
            {"code": "clean", "name": "干净", "count": 1},
        ],
    }
    listed = viewer.get(f"/api/v1/workers/{worker.pk}/reviews/").json()["results"]
    assert {tag["code"] for item in listed for tag in item["tags"]} == {"punctual", "clean"}
    missing = viewer.get("/api/v1/workers/999999/review-tags/")
    assert missing.status_code == 404


@pytest.mark.parametrize(
    "tags",
    [["good_meals"], ["no_such_tag"], ["punctual"] * 1 + ["a", "b", "c", "d", "e", "f"]],
)
def test_tags_of_another_trade_or_too_many_are_refused_and_nothing_is_written(tags):
    order = completed_order("housekeeper")  # good_meals is a maternity nurse's tag
    response = client_for(order.household).post(
        f"/api/v1/orders/{order.pk}/reviews/", {"rating": 5, "tags": tags}, format="json"
    )
    assert response.status_code == 400 and response.json()["field"] == "tags"
    assert not Review.objects.exists()


def test_the_worker_does_not_tag_the_household():
    order = completed_order()
    response = client_for(order.worker.user).post(
        f"/api/v1/orders/{order.pk}/reviews/", {"rating": 5, "tags": ["punctual"]}, format="json"
    )
    assert response.status_code == 400 and response.json()["field"] == "tags"
    assert not Review.objects.exists()


def test_worker_review_list_query_count_is_bounded(django_assert_max_num_queries):
    worker = factories.WorkerFactory()
    viewer = client_for(factories.HouseholdFactory().user)

    def add(count: int) -> None:
        for _ in range(count):
            order = completed_order(worker=worker)
            review_create(order_id=order.pk, user=order.household, rating=5, tags=["clean"])
            review_create(order_id=order.pk, user=worker.user, rating=5)

    add(2)
    with django_assert_max_num_queries(7):
        assert viewer.get(f"/api/v1/workers/{worker.pk}/reviews/").json()["count"] == 2
    add(4)
    with django_assert_max_num_queries(7):
        assert viewer.get(f"/api/v1/workers/{worker.pk}/reviews/").json()["count"] == 6
    with django_assert_max_num_queries(4):
        viewer.get(f"/api/v1/workers/{worker.pk}/review-tags/")
