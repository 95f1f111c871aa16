"""Who may open which page: anonymous → login, wrong role or stranger → 404, owner → 200."""

import pytest

from orders.models import Order, ServiceRequest
from orders.statuses import OrderStatus, RequestStatus
from tests import factories
from tests.orders.flow_helpers import accepted_order, make_request
from tests.web.conftest import session_client

pytestmark = pytest.mark.django_db

HOUSEHOLD_PAGES = ["/requests/", "/requests/new/"]
WORKER_PAGES = [
    "/worker/offers/",
    "/worker/schedule/",
    "/worker/profile/",
    "/worker/profile/edit/",
    "/worker/reviews/",
]
ORDER_PAGES = [
    "/orders/{id}/",
    "/orders/{id}/contract/",
    "/orders/{id}/cancel/",
    "/orders/{id}/chat/",
]
ORDER_ACTIONS = [
    "/orders/{id}/check-in/",
    "/orders/{id}/check-out/",
    "/orders/{id}/confirm/",
    "/orders/{id}/cancel/",
    "/orders/{id}/contract/sign/",
    "/orders/{id}/review/",
    "/orders/{id}/chat/",
]


@pytest.fixture
def order() -> Order:
    return accepted_order()


@pytest.mark.parametrize(
    "path", [*HOUSEHOLD_PAGES, *WORKER_PAGES, "/orders/", "/requests/1/", "/orders/1/"]
)
def test_anonymous_is_sent_to_login(path):
    response = session_client().get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(f"/accounts/login/?next={path}")


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/accounts/register/"])
def test_public_pages_open_to_anyone(path):
    assert session_client().get(path).status_code == 200


def test_manifest_names_the_app_and_its_icons():
    response = session_client().get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/manifest+json")
    data = response.json()
    assert data["name"] == "家政美家"
    assert data["display"] == "standalone"
    assert {"192x192", "512x512"} <= {icon["sizes"] for icon in data["icons"]}
    assert data["theme_color"].startswith("#")


@pytest.mark.parametrize("path", WORKER_PAGES)
def test_household_cannot_open_worker_pages(path):
    household = factories.HouseholdFactory().user
    assert session_client(household).get(path).status_code == 404


@pytest.mark.parametrize("path", HOUSEHOLD_PAGES)
def test_worker_cannot_open_household_pages(path):
    worker = factories.WorkerFactory().user
    assert session_client(worker).get(path).status_code == 404


@pytest.mark.parametrize("path", [*HOUSEHOLD_PAGES, *WORKER_PAGES])
def test_each_role_opens_its_own_pages(path):
    user = (
        factories.HouseholdFactory().user
        if path in HOUSEHOLD_PAGES
        else factories.WorkerFactory().user
    )
    assert session_client(user).get(path).status_code == 200


def test_household_cannot_open_or_cancel_another_households_request():
    service_request = make_request()
    stranger = session_client(factories.HouseholdFactory().user)
    assert stranger.get(f"/requests/{service_request.pk}/").status_code == 404
    response = stranger.post(f"/requests/{service_request.pk}/cancel/", {"reason": "x"})
    assert response.status_code == 404
    other_worker = factories.WorkerFactory(credentials=False)
    response = stranger.post(f"/requests/{service_request.pk}/invite/", {"worker": other_worker.pk})
    assert response.status_code == 404
    service_request.refresh_from_db()
    assert service_request.status == RequestStatus.OPEN
    assert not service_request.offers.filter(worker=other_worker).exists()


def test_owner_opens_her_request_and_sees_the_matched_worker():
    worker = factories.WorkerFactory()
    service_request = make_request()
    response = session_client(service_request.household).get(f"/requests/{service_request.pk}/")
    assert response.status_code == 200
    assert f'data-match="{worker.pk}"' in response.content.decode()


@pytest.mark.parametrize("template", ORDER_PAGES)
def test_stranger_cannot_open_an_order(order, template):
    path = template.format(id=order.pk)
    for stranger in (factories.HouseholdFactory().user, factories.WorkerFactory().user):
        assert session_client(stranger).get(path).status_code == 404


@pytest.mark.parametrize("template", ORDER_ACTIONS)
def test_stranger_cannot_act_on_an_order(order, template):
    stranger = session_client(factories.HouseholdFactory().user)
    response = stranger.post(
        template.format(id=order.pk), {"reason": "x", "rating": 5, "body": "hi"}
    )
    assert response.status_code == 404
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING_CONTRACT
    assert not order.contracts.get().signatures.exists()
    assert not order.reviews.exists()


@pytest.mark.parametrize("template", ORDER_PAGES)
def test_both_parties_open_their_order(order, template):
    path = template.format(id=order.pk)
    for user in (order.household, order.worker.user):
        response = session_client(user).get(path, follow=True)
        assert response.status_code == 200


def test_household_cannot_check_in_for_the_worker(order):
    client = session_client(order.household)
    client.post(f"/orders/{order.pk}/contract/sign/")
    session_client(order.worker.user).post(f"/orders/{order.pk}/contract/sign/")
    order.refresh_from_db()
    assert order.status == OrderStatus.CONFIRMED
    response = client.post(f"/orders/{order.pk}/check-in/", follow=True)
    assert response.status_code == 200
    order.refresh_from_db()
    assert order.status == OrderStatus.CONFIRMED
    assert "您不能执行此操作" in response.content.decode()


def test_worker_cannot_accept_another_workers_offer():
    offered = factories.WorkerFactory()
    service_request = make_request()
    offer = service_request.offers.get(worker=offered)
    other = factories.WorkerFactory()
    response = session_client(other.user).post(f"/worker/offers/{offer.pk}/accept/")
    assert response.status_code == 404
    assert not ServiceRequest.objects.get(pk=service_request.pk).orders.exists()
