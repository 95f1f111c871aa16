"""Agency dispatch: an open request offered to one of the agency's roster workers, who
confirms through the ordinary offer accept (first accept wins)."""

import datetime as dt

import pytest
from django.utils import timezone

from marketplace.models import Category
from notifications.models import Notification
from orders.models import Offer, Order
from orders.services.dispatch import offer_dispatch
from orders.statuses import OfferSource, OfferStatus
from tests import factories
from tests.conftest import client_for
from tests.marketplace.agency_helpers import PREFIX, make_world, snapshot

pytestmark = pytest.mark.django_db


def _dispatch(client, request_id, worker_id):
    return client.post(
        PREFIX + "dispatch/", {"request": request_id, "worker": worker_id}, format="json"
    )


def test_dispatch_creates_a_dispatch_offer_the_worker_accepts():
    w = make_world()
    service_request = factories.ServiceRequestFactory()
    response = _dispatch(client_for(w.staff.user), service_request.pk, w.worker.pk)
    assert response.status_code == 201, response.json()
    offer = Offer.objects.get(pk=response.json()["id"])
    assert (offer.source, offer.status, offer.created_by_id) == (
        OfferSource.DISPATCH,
        OfferStatus.PENDING,
        w.staff.user_id,
    )
    note = Notification.objects.get(user=w.worker.user, type="offer.created")
    assert note.payload["offer"] == offer.pk and note.payload["source"] == "dispatch"
    assert note.payload["agency"] == w.agency.pk

    # The worker sees it among her offers and confirms it.
    worker_client = client_for(w.worker.user)
    offers = worker_client.get("/api/v1/offers/").json()["results"]
    assert [o["id"] for o in offers] == [offer.pk]
    accepted = worker_client.post(f"/api/v1/offers/{offer.pk}/accept/")
    assert accepted.status_code == 201, accepted.json()
    order = Order.objects.get(offer=offer)
    assert order.agency_id == w.agency.pk
    # And the agency sees the order.
    listed = client_for(w.owner.user).get(PREFIX + "orders/").json()["results"]
    assert [o["id"] for o in listed] == [order.pk]


def test_dispatching_again_returns_the_pending_offer():
    w = make_world()
    service_request = factories.ServiceRequestFactory()
    client = client_for(w.staff.user)
    first = _dispatch(client, service_request.pk, w.worker.pk)
    second = _dispatch(client, service_request.pk, w.worker.pk)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert Offer.objects.count() == 1


def test_a_declined_dispatch_cannot_be_repeated():
    w = make_world()
    service_request = factories.ServiceRequestFactory()
    offer, _ = offer_dispatch(
        agency=w.agency, actor=w.staff.user, request_id=service_request.pk, worker_id=w.worker.pk
    )
    client_for(w.worker.user).post(f"/api/v1/offers/{offer.pk}/decline/", {}, format="json")
    response = _dispatch(client_for(w.staff.user), service_request.pk, w.worker.pk)
    assert response.status_code == 409 and response.json()["code"] == "already_offered"


def test_ineligible_worker_gets_409_with_reasons_and_nothing_changes():
    w = make_world()
    w.certificate.verified_at = None
    w.certificate.save()
    service_request = factories.ServiceRequestFactory(latitude=37.5, longitude=116.5)
    before = snapshot()
    response = _dispatch(client_for(w.staff.user), service_request.pk, w.worker.pk)
    assert response.status_code == 409
    assert response.json()["code"] == "not_eligible"
    assert response.json()["reasons"] == ["certificate_unverified", "too_far"]
    assert snapshot() == before


def test_busy_worker_is_not_eligible():
    w = make_world()
    service_request = factories.ServiceRequestFactory()
    factories.OrderFactory(
        worker=w.worker,
        request=factories.ServiceRequestFactory(
            status="matched", starts_at=service_request.starts_at, ends_at=service_request.ends_at
        ),
        status="confirmed",
    )
    response = _dispatch(client_for(w.staff.user), service_request.pk, w.worker.pk)
    assert response.status_code == 409
    assert "busy" in response.json()["reasons"]


def test_trade_the_worker_does_not_hold_is_refused():
    w = make_world()
    service_request = factories.ServiceRequestFactory(
        category=Category.objects.get(code="maternity_nurse")
    )
    response = _dispatch(client_for(w.staff.user), service_request.pk, w.worker.pk)
    assert response.status_code == 409
    assert response.json()["reasons"][:2] == ["trade_not_held", "no_certificate"]


@pytest.mark.parametrize("status", ["matched", "cancelled", "expired"])
def test_request_must_be_open(status):
    w = make_world()
    service_request = factories.ServiceRequestFactory(status=status)
    before = snapshot()
    response = _dispatch(client_for(w.staff.user), service_request.pk, w.worker.pk)
    assert response.status_code == 409
    assert response.json()["code"] == "request_not_open"
    assert snapshot() == before


@pytest.mark.parametrize("roster_status", ["invited", "ended", None])
def test_worker_must_be_on_the_active_roster(roster_status):
    w = make_world()
    other = factories.WorkerFactory()
    if roster_status:
        factories.RosterEntryFactory(agency=w.agency, worker=other, status=roster_status)
    service_request = factories.ServiceRequestFactory()
    before = snapshot()
    response = _dispatch(client_for(w.staff.user), service_request.pk, other.pk)
    assert response.status_code == 400
    assert response.json()["field"] == "worker"
    assert snapshot() == before


def test_unknown_request_names_the_field():
    w = make_world()
    response = _dispatch(client_for(w.staff.user), 999999, w.worker.pk)
    assert response.status_code == 400 and response.json()["field"] == "request"


def test_dispatch_and_a_matching_offer_race_first_accept_wins():
    w = make_world()
    rival = factories.WorkerFactory()
    service_request = factories.ServiceRequestFactory()
    mine, _ = offer_dispatch(
        agency=w.agency, actor=w.owner.user, request_id=service_request.pk, worker_id=w.worker.pk
    )
    theirs = Offer.objects.create(
        request=service_request,
        worker=rival,
        expires_at=timezone.now() + dt.timedelta(minutes=15),
    )
    assert client_for(rival.user).post(f"/api/v1/offers/{theirs.pk}/accept/").status_code == 201
    late = client_for(w.worker.user).post(f"/api/v1/offers/{mine.pk}/accept/")
    assert late.status_code == 409 and late.json()["code"] == "taken"
    # The request is no longer open: dispatching anyone else is refused.
    again = _dispatch(client_for(w.owner.user), service_request.pk, w.worker.pk)
    assert again.status_code == 409
