"""The endpoints the apps poll answer exactly what a fresh serializer per response gave (they now
render through serializers built once per thread, backend.api.rendering), for every role, and
with a fixed number of queries: no COUNT(*) when the page is not full, no auth query per
request (the user comes from the cached snapshot), no worker-profile query for IsWorker."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.renderers import JSONRenderer
from rest_framework.test import APIClient

from chat.services import chat_message_send
from marketplace.serializers import MeSerializer
from notifications.models import Notification
from notifications.serializers import NotificationOutput
from orders import selectors
from orders.apis.serializers.offers import OfferSerializer
from orders.apis.serializers.orders import OrderSerializer
from orders.apis.serializers.requests import RequestSerializer
from orders.models import Offer, ServiceRequest
from orders.statuses import OrderStatus
from tests import factories
from tests.conftest import client_for
from tests.orders.flow_helpers import make_request, order_in

pytestmark = pytest.mark.django_db


def as_json(data):
    return json.loads(JSONRenderer().render(data))


class Viewer:
    """Stands for the request in a serializer's context (OrderSerializer reads the user)."""

    def __init__(self, user):
        self.user = user


@pytest.fixture
def county():
    """Orders in several states for one household, one worker and one agency, with offers,
    requests, chat and inbox rows."""
    staff = factories.AgencyStaffFactory()
    confirmed = order_in(OrderStatus.CONFIRMED, agency=staff.agency, starts_at=factories.future(50))
    household, worker = confirmed.household, confirmed.worker
    for status, hours in ((OrderStatus.COMPLETED, 70), (OrderStatus.PENDING_CONTRACT, 90)):
        order_in(status, household=household, starts_at=factories.future(hours))
    make_request(household=household, starts_at=factories.future(120))
    chat_message_send(order_id=confirmed.pk, sender=household, body="到了吗？", client_id=None)
    return {"household": household, "worker": worker.user, "staff": staff.user}


def results(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_lists_answer_what_a_fresh_serializer_gives_for_every_role(county):
    for role in ("household", "worker", "staff"):
        user = county[role]
        orders = selectors.order_list_of_user(user=user)
        assert orders.exists()
        expected = OrderSerializer(orders, many=True, context={"request": Viewer(user)}).data
        assert results(client_for(user), "/api/v1/orders/") == as_json(expected)
        inbox = Notification.objects.filter(user=user).order_by("-id")
        assert results(client_for(user), "/api/v1/notifications/") == as_json(
            NotificationOutput(inbox, many=True).data
        )
        me = client_for(user).get("/api/v1/me/").json()
        assert me == as_json(MeSerializer(type(user).objects.get(pk=user.pk)).data)

    worker_offers = Offer.objects.filter(worker__user=county["worker"]).order_by("-created_at")
    answered = results(client_for(county["worker"]), "/api/v1/offers/")
    assert answered and answered == as_json(
        OfferSerializer(worker_offers.select_related("request"), many=True).data
    )
    requests = selectors.requests_of_household(user=county["household"])
    assert results(client_for(county["household"]), "/api/v1/requests/") == as_json(
        RequestSerializer(requests, many=True).data
    )
    assert ServiceRequest.objects.filter(household=county["household"]).count() == 4


POLLED = {
    # endpoint: (role, queries) — session-free token requests, the auth snapshot cached.
    "/api/v1/offers/": ("worker", 1),
    "/api/v1/orders/": ("household", 4),  # orders with requests; workers, households, agencies
    "/api/v1/requests/": ("household", 3),  # the requests, their visits, their orders
    "/api/v1/notifications/": ("household", 1),
    "/api/v1/me/": ("household", 2),  # the household profile and its division
}


@pytest.mark.parametrize("url", POLLED)
def test_polled_endpoints_run_a_fixed_number_of_queries(county, url):
    role, expected = POLLED[url]
    client = client_for(county[role])
    client.get(url)  # the first call loads the auth snapshot (and records offers as seen)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert len(queries) == expected, [q["sql"] for q in queries.captured_queries]


def test_a_full_page_still_counts_and_links_the_next(county):
    household = county["household"]
    client = client_for(household)
    for number in range(3):
        make_request(household=household, starts_at=factories.future(140 + 10 * number))
    page = client.get("/api/v1/requests/", {"page_size": 3}).json()
    assert page["count"] == 7 and page["next"] and page["previous"] is None
    last = client.get("/api/v1/requests/", {"page_size": 3, "page": 3}).json()
    assert last["count"] == 7 and last["next"] is None and len(last["results"]) == 1
    past = client.get("/api/v1/requests/", {"page_size": 3, "page": 4})
    assert past.status_code == 404
    assert APIClient().get("/api/v1/requests/").status_code == 401
