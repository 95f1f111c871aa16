"""A worker's pending offers are recorded as seen the first time her app shows them: once per
offer, on the request's history, never for another worker's offers or for closed ones."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from orders.models import Offer, RequestEvent, RequestEventKind
from orders.services.offers import offer_accept, offer_decline
from orders.services.transitions import offers_seen_record
from orders.statuses import OfferStatus
from tests import factories
from tests.conftest import client_for
from tests.orders.flow_helpers import make_request
from tests.web.conftest import session_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_workers(settings):
    settings.MEIJIA = {**settings.MEIJIA, "OFFER_WAVE_SIZE": 2}
    return [
        factories.WorkerFactory(base_longitude=factories.CITY_SEAT[1] + km / 89.2)
        for km in (0.5, 1)
    ]


def seen_events(offer):
    return RequestEvent.objects.filter(offer=offer, kind=RequestEventKind.SEEN)


def test_listing_her_offers_records_each_pending_one_as_seen_once(two_workers):
    service_request = make_request()
    mine = Offer.objects.get(request=service_request, worker=two_workers[0])
    theirs = Offer.objects.get(request=service_request, worker=two_workers[1])
    client = client_for(two_workers[0].user)

    first = client.get("/api/v1/offers/").json()["results"]
    assert [o["id"] for o in first] == [mine.pk]
    assert first[0]["seen_at"] is not None
    [event] = seen_events(mine)
    assert (event.actor, event.from_status, event.to_status) == (
        two_workers[0].user,
        OfferStatus.PENDING,
        OfferStatus.PENDING,
    )
    with CaptureQueriesContext(connection) as again:
        client.get("/api/v1/offers/")
    assert seen_events(mine).count() == 1
    assert not any(q["sql"].lstrip().upper().startswith("UPDATE") for q in again.captured_queries)
    # Another worker's offer is untouched until she looks herself.
    assert Offer.objects.get(pk=theirs.pk).seen_at is None
    assert not seen_events(theirs).exists()


def test_closed_offers_are_not_recorded_as_seen(two_workers):
    service_request = make_request()
    offer = Offer.objects.get(request=service_request, worker=two_workers[0])
    offer_decline(offer_id=offer.pk, worker=two_workers[0])
    client_for(two_workers[0].user).get("/api/v1/offers/")
    assert Offer.objects.get(pk=offer.pk).seen_at is None
    assert not seen_events(offer).exists()


def test_two_pages_loaded_at_once_record_one_event(two_workers):
    make_request()
    stale_a = list(Offer.objects.filter(worker=two_workers[0]))
    stale_b = list(Offer.objects.filter(worker=two_workers[0]))
    assert len(offers_seen_record(offers=stale_a, actor=two_workers[0].user)) == 1
    assert offers_seen_record(offers=stale_b, actor=two_workers[0].user) == []
    assert RequestEvent.objects.filter(kind=RequestEventKind.SEEN).count() == 1


def test_the_web_offers_page_records_seen_too(two_workers):
    service_request = make_request()
    offer = Offer.objects.get(request=service_request, worker=two_workers[0])
    response = session_client(two_workers[0].user).get("/worker/offers/")
    assert response.status_code == 200
    assert Offer.objects.get(pk=offer.pk).seen_at is not None
    assert seen_events(offer).count() == 1


def test_the_household_sees_in_the_order_history_that_she_had_seen_it(two_workers):
    service_request = make_request()
    winner = Offer.objects.get(request=service_request, worker=two_workers[0])
    client_for(two_workers[0].user).get("/api/v1/offers/")
    order = offer_accept(offer_id=winner.pk, worker=two_workers[0])
    body = client_for(service_request.household).get(f"/api/v1/orders/{order.pk}/").json()
    history = [(e["offer"], e["kind"], e["to_status"]) for e in body["request_history"]]
    sent = history.index((winner.pk, "status", OfferStatus.PENDING))
    seen = history.index((winner.pk, "seen", OfferStatus.PENDING))
    accepted = history.index((winner.pk, "status", OfferStatus.ACCEPTED))
    assert sent < seen < accepted
