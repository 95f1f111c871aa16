"""Request and offer transitions go through their tables and write one event per row changed."""

import datetime as dt

import pytest
from django.utils import timezone

from backend.exceptions import InvalidTransition
from orders.models import Offer, RequestEvent, ServiceRequest
from orders.services.cancellation import order_cancel
from orders.services.offers import offer_accept, offer_invite
from orders.services.periodic import run_due_work
from orders.services.transitions import offer_transition, request_transition
from orders.statuses import OfferStatus, RequestStatus
from tests import factories
from tests.conftest import client_for
from tests.orders.flow_helpers import make_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_workers(settings):
    settings.MEIJIA = {**settings.MEIJIA, "OFFER_WAVE_SIZE": 3}
    return [
        factories.WorkerFactory(base_longitude=factories.CITY_SEAT[1] + km / 89.2)
        for km in (0.5, 1, 2)
    ]


def offer_events(offer):
    return list(RequestEvent.objects.filter(offer=offer).values_list("from_status", "to_status"))


def test_each_offer_sent_writes_one_event(three_workers):
    service_request = make_request()
    offers = list(Offer.objects.filter(request=service_request))
    assert len(offers) == 3
    for offer in offers:
        assert offer_events(offer) == [("", OfferStatus.PENDING)]
    assert not RequestEvent.objects.filter(request=service_request, offer__isnull=True).exists()


def test_decline_writes_one_event_with_the_worker_and_reason(three_workers):
    service_request = make_request()
    offer = Offer.objects.get(request=service_request, worker=three_workers[0])
    before = RequestEvent.objects.count()
    response = client_for(three_workers[0].user).post(f"/api/v1/offers/{offer.pk}/decline/")
    assert response.status_code == 200, response.content
    assert RequestEvent.objects.count() == before + 1
    event = RequestEvent.objects.latest("id")
    assert (event.offer_id, event.from_status, event.to_status) == (
        offer.pk,
        OfferStatus.PENDING,
        OfferStatus.DECLINED,
    )
    assert event.actor == three_workers[0].user


def test_accept_writes_matched_accepted_and_one_withdrawal_per_other_offer(three_workers):
    service_request = make_request()
    winner = Offer.objects.get(request=service_request, worker=three_workers[0])
    others = list(Offer.objects.filter(request=service_request).exclude(pk=winner.pk))
    before = RequestEvent.objects.count()
    offer_accept(offer_id=winner.pk, worker=three_workers[0])
    assert RequestEvent.objects.count() == before + 2 + len(others)
    matched = RequestEvent.objects.get(request=service_request, offer=None, to_status="matched")
    assert matched.from_status == RequestStatus.OPEN
    assert matched.actor == three_workers[0].user
    assert offer_events(winner)[-1] == (OfferStatus.PENDING, OfferStatus.ACCEPTED)
    for offer in others:
        assert offer_events(offer) == [
            ("", OfferStatus.PENDING),
            (OfferStatus.PENDING, OfferStatus.WITHDRAWN),
        ]


def test_periodic_expiry_writes_one_event_per_offer_and_request(three_workers):
    service_request = make_request()
    offers = list(Offer.objects.filter(request=service_request))
    later = timezone.now() + dt.timedelta(hours=1)
    run_due_work(now=later)
    for offer in offers:
        assert offer_events(offer)[1] == (OfferStatus.PENDING, OfferStatus.EXPIRED)
        assert len(offer_events(offer)) == 2

    # The request's start passes: it expires once, with the next wave's offers withdrawn.
    pending = list(Offer.objects.filter(request=service_request, status=OfferStatus.PENDING))
    run_due_work(now=service_request.starts_at + dt.timedelta(minutes=1))
    run_due_work(now=service_request.starts_at + dt.timedelta(minutes=2))
    request_events = RequestEvent.objects.filter(request=service_request, offer__isnull=True)
    assert list(request_events.values_list("from_status", "to_status")) == [
        (RequestStatus.OPEN, RequestStatus.EXPIRED)
    ]
    for offer in pending:
        assert offer_events(offer)[-1][1] in (OfferStatus.EXPIRED, OfferStatus.WITHDRAWN)
        assert len(offer_events(offer)) == 2


def test_cancelling_a_request_writes_one_event_and_a_second_try_is_409(three_workers):
    service_request = make_request()
    client = client_for(service_request.household)
    url = f"/api/v1/requests/{service_request.pk}/cancel/"
    assert client.post(url, {"reason": "不需要了"}, format="json").status_code == 200
    cancelled = RequestEvent.objects.filter(request=service_request, offer__isnull=True)
    assert list(cancelled.values_list("from_status", "to_status", "reason")) == [
        (RequestStatus.OPEN, RequestStatus.CANCELLED, "不需要了")
    ]
    withdrawn = RequestEvent.objects.filter(request=service_request, to_status="withdrawn")
    assert withdrawn.count() == 3
    before = RequestEvent.objects.count()
    again = client.post(url, {"reason": "不需要了"}, format="json")
    assert again.status_code == 409
    assert again.json()["current_status"] == RequestStatus.CANCELLED
    assert RequestEvent.objects.count() == before


def test_a_transition_the_table_does_not_allow_changes_and_writes_nothing(three_workers):
    service_request = make_request()
    offer = Offer.objects.filter(request=service_request).first()
    request_transition(request_id=service_request.pk, to_status=RequestStatus.EXPIRED, actor=None)
    before = RequestEvent.objects.count()
    with pytest.raises(InvalidTransition):
        request_transition(request_id=service_request.pk, to_status=RequestStatus.OPEN, actor=None)
    offer_transition(offer_id=offer.pk, to_status=OfferStatus.DECLINED, actor=None)
    with pytest.raises(InvalidTransition):
        offer_transition(offer_id=offer.pk, to_status=OfferStatus.ACCEPTED, actor=None)
    assert RequestEvent.objects.count() == before + 1
    assert ServiceRequest.objects.get(pk=service_request.pk).status == RequestStatus.EXPIRED
    assert Offer.objects.get(pk=offer.pk).status == OfferStatus.DECLINED


def test_the_order_shows_its_offer_history(three_workers):
    service_request = make_request()
    winner = Offer.objects.get(request=service_request, worker=three_workers[0])
    order = offer_accept(offer_id=winner.pk, worker=three_workers[0])
    body = client_for(service_request.household).get(f"/api/v1/orders/{order.pk}/").json()
    history = [(e["offer"], e["to_status"]) for e in body["request_history"]]
    assert (winner.pk, OfferStatus.PENDING) in history
    assert (winner.pk, OfferStatus.ACCEPTED) in history
    assert (None, RequestStatus.MATCHED) in history
    assert sum(1 for _offer, status in history if status == OfferStatus.WITHDRAWN) == 2


def test_an_invitation_writes_one_sent_event_by_the_household(settings):
    settings.MEIJIA = {**settings.MEIJIA, "OFFER_WAVE_SIZE": 1}
    near, invited = (
        factories.WorkerFactory(base_longitude=factories.CITY_SEAT[1] + km / 89.2)
        for km in (0.5, 1)
    )
    service_request = make_request()
    offer, created = offer_invite(
        request_id=service_request.pk, household=service_request.household, worker_id=invited.pk
    )
    assert created
    [event] = RequestEvent.objects.filter(offer=offer)
    assert (event.from_status, event.to_status) == ("", OfferStatus.PENDING)
    assert event.actor == service_request.household


def test_cancelling_the_order_reopens_the_request_with_one_event(three_workers):
    service_request = make_request()
    winner = Offer.objects.get(request=service_request, worker=three_workers[0])
    order = offer_accept(offer_id=winner.pk, worker=three_workers[0])
    before = RequestEvent.objects.filter(request=service_request, offer__isnull=True).count()
    order_cancel(order_id=order.pk, actor=service_request.household, reason="改期")
    reopened = RequestEvent.objects.filter(request=service_request, offer__isnull=True)
    assert reopened.count() == before + 1
    last = reopened.latest("id")
    assert (last.from_status, last.to_status, last.reason) == (
        RequestStatus.MATCHED,
        RequestStatus.OPEN,
        "改期",
    )
    assert last.actor == service_request.household
