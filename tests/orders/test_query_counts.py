"""The list endpoints run a number of queries that does not grow with the rows returned."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from orders.models import Offer
from orders.statuses import OrderStatus
from tests import factories
from tests.conftest import client_for
from tests.orders.flow_helpers import make_request, order_in

pytestmark = pytest.mark.django_db


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"page_size": 50})
    assert response.status_code == 200, response.json()
    return len(queries)


def test_matches_query_count_is_constant(household_client, django_assert_max_num_queries):
    for _ in range(2):
        factories.WorkerFactory()
    small = make_request(household=household_client.user)
    few = _count(household_client, f"/api/v1/requests/{small.pk}/matches/")
    for _ in range(18):
        factories.WorkerFactory()
    large = make_request(household=household_client.user)
    url = f"/api/v1/requests/{large.pk}/matches/"
    assert household_client.get(url).json()["count"] == 20
    with django_assert_max_num_queries(few):
        household_client.get(url, {"page_size": 50})


def test_offers_query_count_is_constant(django_assert_max_num_queries):
    worker = factories.WorkerFactory()
    client = client_for(worker.user)
    for _ in range(2):
        make_request()
    few = _count(client, "/api/v1/offers/")
    for _ in range(18):
        make_request()
    assert Offer.objects.filter(worker=worker).count() == 20
    with django_assert_max_num_queries(few):
        client.get("/api/v1/offers/", {"page_size": 50})


def test_orders_query_count_is_constant(django_assert_max_num_queries):
    household = factories.HouseholdFactory().user
    client = client_for(household)
    for hours in (48, 60):
        order_in(OrderStatus.CONFIRMED, household=household, starts_at=factories.future(hours))
    few = _count(client, "/api/v1/orders/")
    for index in range(18):
        order_in(
            OrderStatus.CONFIRMED, household=household, starts_at=factories.future(80 + 12 * index)
        )
    assert client.get("/api/v1/orders/").json()["count"] == 20
    with django_assert_max_num_queries(few):
        client.get("/api/v1/orders/", {"page_size": 50})


def test_requests_list_query_count_is_constant(household_client, django_assert_max_num_queries):
    for _ in range(2):
        make_request(household=household_client.user)
    few = _count(household_client, "/api/v1/requests/")
    for _ in range(18):
        make_request(household=household_client.user)
    with django_assert_max_num_queries(few):
        household_client.get("/api/v1/requests/", {"page_size": 50})
