"""Object ownership: anonymous 401; another household, worker or agency 404; the role table."""

import pytest

from orders.models import Offer, Order, ServiceRequest
from orders.statuses import OfferStatus, OrderStatus
from tests import factories
from tests.conftest import client_for
from tests.orders.flow_helpers import make_request, order_in, request_body

pytestmark = pytest.mark.django_db

ORDER_ENDPOINTS = [
    ("get", ""),
    ("post", "check-in/"),
    ("post", "complete/"),
    ("post", "confirm/"),
    ("post", "cancel/"),
    ("post", "cancel/?preview=1"),
    ("post", "no-show/"),
    ("post", "dispute/"),
    ("post", "dispute/resolve/"),
]


@pytest.fixture
def order_with_outsiders():
    agency = factories.AgencyFactory()
    factories.AgencyStaffFactory(agency=agency)
    order = order_in(OrderStatus.CONFIRMED, agency=agency, starts_at=factories.future(1))
    other = order_in(
        OrderStatus.CONFIRMED, agency=factories.AgencyFactory(), starts_at=factories.future(200)
    )
    other_staff = factories.AgencyStaffFactory(agency=other.agency)
    outsiders = {
        "other household": other.household,
        "other worker": other.worker.user,
        "other agency staff": other_staff.user,
        "federation": factories.FederationOfficerFactory().user,
    }
    return order, outsiders


@pytest.mark.parametrize(("method", "suffix"), ORDER_ENDPOINTS)
def test_a_party_of_another_order_gets_404_on_every_order_endpoint(
    order_with_outsiders, method, suffix
):
    order, outsiders = order_with_outsiders
    before = Order.objects.filter(pk=order.pk).values().get()
    body = {"reason": "x", "party": "worker", "outcome": "completed"}
    for name, user in outsiders.items():
        response = getattr(client_for(user), method)(
            f"/api/v1/orders/{order.pk}/{suffix}", body, format="json"
        )
        assert response.status_code == 404, (name, response.status_code, response.json())
    assert Order.objects.filter(pk=order.pk).values().get() == before


@pytest.mark.parametrize(("method", "suffix"), ORDER_ENDPOINTS)
def test_anonymous_gets_401_on_every_order_endpoint(anon_client, method, suffix):
    order = order_in(OrderStatus.CONFIRMED)
    response = getattr(anon_client, method)(f"/api/v1/orders/{order.pk}/{suffix}")
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/requests/"),
        ("post", "/api/v1/requests/"),
        ("get", "/api/v1/requests/1/"),
        ("post", "/api/v1/requests/1/cancel/"),
        ("get", "/api/v1/requests/1/matches/"),
        ("post", "/api/v1/requests/1/invite/"),
        ("get", "/api/v1/offers/"),
        ("post", "/api/v1/offers/1/accept/"),
        ("post", "/api/v1/offers/1/decline/"),
        ("get", "/api/v1/orders/"),
    ],
)
def test_anonymous_gets_401_on_request_and_offer_endpoints(anon_client, method, path):
    assert getattr(anon_client, method)(path).status_code == 401


def test_another_household_gets_404_on_every_request_endpoint():
    worker = factories.WorkerFactory()
    service_request = make_request()
    stranger = client_for(factories.HouseholdFactory().user)
    base = f"/api/v1/requests/{service_request.pk}/"
    assert stranger.get(base).status_code == 404
    assert stranger.get(f"{base}matches/").status_code == 404
    assert stranger.post(f"{base}cancel/", {"reason": "x"}).status_code == 404
    assert stranger.post(f"{base}invite/", {"worker": worker.pk}).status_code == 404
    assert ServiceRequest.objects.get(pk=service_request.pk).status == "open"
    assert stranger.get("/api/v1/requests/").json()["count"] == 0


def test_another_worker_gets_404_on_an_offer():
    owner, stranger = factories.WorkerFactory(), factories.WorkerFactory()
    service_request = make_request()
    offer = Offer.objects.get(request=service_request, worker=owner)
    Offer.objects.filter(worker=stranger).delete()
    client = client_for(stranger.user)
    assert client.post(f"/api/v1/offers/{offer.pk}/accept/").status_code == 404
    assert client.post(f"/api/v1/offers/{offer.pk}/decline/").status_code == 404
    assert client.get("/api/v1/offers/").json()["count"] == 0
    assert Offer.objects.get(pk=offer.pk).status == OfferStatus.PENDING


@pytest.mark.parametrize(
    ("role", "method", "path", "expected"),
    [
        ("worker", "post", "/api/v1/requests/", 403),
        ("agency", "post", "/api/v1/requests/", 403),
        ("federation", "post", "/api/v1/requests/", 403),
        ("worker", "get", "/api/v1/requests/", 403),
        ("household", "get", "/api/v1/offers/", 403),
        ("agency", "get", "/api/v1/offers/", 403),
        ("household", "post", "/api/v1/offers/1/accept/", 403),
        ("household", "get", "/api/v1/orders/", 200),
        ("worker", "get", "/api/v1/orders/", 200),
        ("agency", "get", "/api/v1/orders/", 200),
        ("federation", "get", "/api/v1/orders/", 200),
    ],
)
def test_role_table(role, method, path, expected, request):
    client = request.getfixturevalue(f"{role}_client")
    body = request_body() if method == "post" and path.endswith("requests/") else {}
    response = getattr(client, method)(path, body, format="json")
    assert response.status_code == expected, response.json()
    assert ServiceRequest.objects.count() == 0


def test_agency_staff_sees_its_agencys_orders_only():
    agency = factories.AgencyFactory()
    staff = factories.AgencyStaffFactory(agency=agency)
    mine = order_in(OrderStatus.CONFIRMED, agency=agency)
    order_in(OrderStatus.CONFIRMED, starts_at=factories.future(300))
    body = client_for(staff.user).get("/api/v1/orders/").json()
    assert [o["id"] for o in body["results"]] == [mine.pk]
    detail = client_for(staff.user).get(f"/api/v1/orders/{mine.pk}/")
    assert detail.status_code == 200
    assert detail.json()["party"] == "agency"


def test_operator_admin_pages_for_every_orders_model_load(client):
    order = order_in(OrderStatus.CONFIRMED)
    client.force_login(factories.operator_user())
    for model in (
        "servicerequest",
        "offer",
        "order",
        "orderevent",
        "dispute",
        "contract",
        "occurrence",
        "review",
    ):
        response = client.get(f"/admin/orders/{model}/", {"q": "1"})
        assert response.status_code == 200, model
    assert client.get(f"/admin/orders/order/{order.pk}/change/").status_code == 200
    assert client.get(f"/admin/orders/servicerequest/{order.request_id}/change/").status_code == 200
