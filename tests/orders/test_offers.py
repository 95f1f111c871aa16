"""Offer waves, invitations, decline → next wave, expiry, and who may accept what."""

import datetime as dt

import pytest
from django.utils import timezone

from marketplace.models import HealthCheck
from notifications.models import Notification
from orders.models import Offer, Order, OrderEvent, ServiceRequest
from orders.services.offers import offer_accept
from orders.services.periodic import run_due_work
from orders.statuses import OfferSource, OfferStatus, RequestStatus
from tests import factories
from tests.conftest import client_for
from tests.orders.flow_helpers import make_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_waves(settings):
    settings.MEIJIA = {**settings.MEIJIA, "OFFER_WAVE_SIZE": 2}


def _worker_at(km_east: float, **kwargs):
    """A worker `km_east` kilometres east of the city seat (1° of longitude ≈ 89 km there)."""
    return factories.WorkerFactory(base_longitude=factories.CITY_SEAT[1] + km_east / 89.2, **kwargs)


def test_first_wave_goes_to_the_best_matches_with_expiry(small_waves):
    far, near, middle = _worker_at(8), _worker_at(0.5), _worker_at(3)
    before = timezone.now()
    service_request = make_request()
    offers = list(Offer.objects.filter(request=service_request).order_by("rank"))
    assert [o.worker_id for o in offers] == [near.pk, middle.pk]
    assert all(o.wave == 1 and o.source == OfferSource.MATCHING for o in offers)
    assert all(
        before + dt.timedelta(minutes=15)
        <= o.expires_at
        <= timezone.now() + dt.timedelta(minutes=15)
        for o in offers
    )
    assert not Offer.objects.filter(worker=far).exists()
    frames = Notification.objects.filter(type="offer.created")
    assert sorted(frames.values_list("user_id", flat=True)) == sorted(
        [near.user_id, middle.user_id]
    )
    payload = frames.get(user=near.user).payload
    assert payload["request"] == service_request.pk
    assert payload["offer"] == offers[0].pk


def test_decline_of_the_whole_wave_sends_the_next_wave(small_waves):
    workers = [_worker_at(km) for km in (0.5, 1, 2, 3, 4)]
    service_request = make_request()
    first = {o.worker_id: o for o in Offer.objects.filter(request=service_request)}
    assert set(first) == {workers[0].pk, workers[1].pk}

    client = client_for(workers[0].user)
    response = client.post(f"/api/v1/offers/{first[workers[0].pk].pk}/decline/")
    assert response.status_code == 200
    assert response.json()["status"] == "declined"
    assert Offer.objects.filter(request=service_request).count() == 2  # one still pending

    client_for(workers[1].user).post(f"/api/v1/offers/{first[workers[1].pk].pk}/decline/")
    second = Offer.objects.filter(request=service_request, wave=2)
    assert {o.worker_id for o in second} == {workers[2].pk, workers[3].pk}
    service_request.refresh_from_db()
    assert service_request.offer_wave == 2


def test_declining_twice_is_a_conflict(small_waves):
    worker = factories.WorkerFactory()
    offer = Offer.objects.get(request=make_request(), worker=worker)
    client = client_for(worker.user)
    assert client.post(f"/api/v1/offers/{offer.pk}/decline/").status_code == 200
    again = client.post(f"/api/v1/offers/{offer.pk}/decline/")
    assert again.status_code == 409
    assert again.json()["code"] == "declined"


def test_expired_wave_is_replaced_by_the_periodic_run(small_waves):
    workers = [_worker_at(km) for km in (0.5, 1, 2)]
    service_request = make_request()
    later = timezone.now() + dt.timedelta(minutes=16)
    counts = run_due_work(now=later)
    assert counts["offers_expired"] == 2
    assert set(
        Offer.objects.filter(request=service_request, status=OfferStatus.EXPIRED).values_list(
            "worker_id", flat=True
        )
    ) == {workers[0].pk, workers[1].pk}
    assert list(
        Offer.objects.filter(request=service_request, wave=2).values_list("worker_id", flat=True)
    ) == [workers[2].pk]


def test_a_worker_cannot_accept_an_expired_offer():
    worker = factories.WorkerFactory()
    service_request = make_request()
    offer = Offer.objects.get(request=service_request, worker=worker)
    Offer.objects.filter(pk=offer.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = client_for(worker.user).post(f"/api/v1/offers/{offer.pk}/accept/")
    assert response.status_code == 409
    assert response.json()["code"] == "expired"
    offer.refresh_from_db()
    assert offer.status == OfferStatus.EXPIRED
    assert not Order.objects.exists()
    assert ServiceRequest.objects.get(pk=service_request.pk).status == RequestStatus.OPEN


def test_a_worker_cannot_accept_an_offer_that_is_not_hers():
    owner, other = factories.WorkerFactory(), factories.WorkerFactory()
    service_request = make_request()
    offer = Offer.objects.get(request=service_request, worker=owner)
    Offer.objects.filter(request=service_request, worker=other).delete()
    response = client_for(other.user).post(f"/api/v1/offers/{offer.pk}/accept/")
    assert response.status_code == 404
    decline = client_for(other.user).post(f"/api/v1/offers/{offer.pk}/decline/")
    assert decline.status_code == 404
    offer.refresh_from_db()
    assert offer.status == OfferStatus.PENDING
    assert not Order.objects.exists()


def test_a_worker_who_became_busy_cannot_accept():
    worker = factories.WorkerFactory()
    starts_at = factories.future(72)
    first = make_request(starts_at=starts_at)
    second = make_request(starts_at=starts_at + dt.timedelta(hours=1))
    offer_first = Offer.objects.get(request=first, worker=worker)
    offer_second = Offer.objects.get(request=second, worker=worker)
    offer_accept(offer_id=offer_first.pk, worker=worker)
    response = client_for(worker.user).post(f"/api/v1/offers/{offer_second.pk}/accept/")
    assert response.status_code == 409
    assert response.json()["code"] == "busy"
    assert Order.objects.filter(request=second).count() == 0
    assert ServiceRequest.objects.get(pk=second.pk).status == RequestStatus.OPEN
    assert Offer.objects.get(pk=offer_second.pk).status == OfferStatus.PENDING


def test_a_worker_whose_health_check_lapsed_is_not_eligible():
    worker = factories.WorkerFactory()
    offer = Offer.objects.get(request=make_request(), worker=worker)
    HealthCheck.objects.filter(worker=worker).update(
        valid_until=timezone.localdate() - dt.timedelta(days=1)
    )
    response = client_for(worker.user).post(f"/api/v1/offers/{offer.pk}/accept/")
    assert response.status_code == 409
    assert response.json()["code"] == "not_eligible"
    assert response.json()["reasons"]
    assert not Order.objects.exists()


def test_accept_creates_the_order_with_its_terms_and_first_event():
    agency = factories.AgencyFactory()
    staff = factories.AgencyStaffFactory(agency=agency)
    worker = factories.WorkerFactory()
    factories.RosterEntryFactory(agency=agency, worker=worker)
    loser = factories.WorkerFactory()
    service_request = make_request(budget=18000)
    offer = Offer.objects.get(request=service_request, worker=worker)
    response = client_for(worker.user).post(f"/api/v1/offers/{offer.pk}/accept/")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "pending_contract"
    assert body["price"] == 18000
    assert body["agency"]["id"] == agency.pk
    assert body["events"][0]["from_status"] == ""
    assert body["events"][0]["to_status"] == "pending_contract"
    order = Order.objects.get(pk=body["id"])
    assert order.offer_id == offer.pk
    assert list(order.occurrences.values_list("worker_id", flat=True)) == [worker.pk]
    service_request.refresh_from_db()
    assert service_request.status == RequestStatus.MATCHED
    assert Offer.objects.get(request=service_request, worker=loser).status == OfferStatus.WITHDRAWN
    assert Notification.objects.filter(user=loser.user, type="offer.withdrawn").exists()
    updated = Notification.objects.filter(type="order.updated", payload__order=order.pk)
    assert set(updated.values_list("user_id", flat=True)) == {
        service_request.household_id,
        worker.user_id,
        staff.user_id,
    }
    assert OrderEvent.objects.filter(order=order).count() == 1
    # The loser is told plainly.
    taken = client_for(loser.user).post(
        f"/api/v1/offers/{Offer.objects.get(worker=loser).pk}/accept/"
    )
    assert taken.status_code == 409
    assert taken.json()["code"] == "taken"


def test_recurring_price_is_per_visit_and_placement_by_unit():
    from orders.pricing import order_price_for

    request = ServiceRequest(kind="recurring", budget=8000)
    assert order_price_for(request, visits=6) == 48000
    start = factories.future(48)
    placement = ServiceRequest(
        kind="placement",
        budget=1,
        starts_at=start,
        ends_at=start + dt.timedelta(days=26),
        placement_price_unit="day",
        placement_unit_price=50_000,
    )
    assert order_price_for(placement, visits=1) == 1_300_000
    placement.placement_price_unit = "month"
    placement.placement_unit_price = 600_000
    placement.ends_at = start + dt.timedelta(days=45)
    assert order_price_for(placement, visits=1) == 900_000


def test_placement_accept_sets_trial_end():
    worker = factories.WorkerFactory(trades=["maternity_nurse"])
    start = factories.future(96)
    service_request = make_request(
        category="maternity_nurse",
        starts_at=start,
        ends_at=start + dt.timedelta(days=26),
        kind="placement",
        placement_mode="live_in",
        placement_price_unit="day",
        placement_unit_price=50_000,
        trial_days=3,
    )
    offer = Offer.objects.get(request=service_request, worker=worker)
    order = offer_accept(offer_id=offer.pk, worker=worker)
    assert order.trial_ends_at == start + dt.timedelta(days=3)
    assert order.price == 26 * 50_000
    assert order.ends_at == start + dt.timedelta(days=26)


# --- invitations ---------------------------------------------------------------------------


def test_household_invites_a_matched_worker(household_client, settings):
    settings.MEIJIA = {**settings.MEIJIA, "OFFER_WAVE_SIZE": 1}
    first, invited = _worker_at(0.5), _worker_at(2)
    service_request = make_request(household=household_client.user)
    assert not Offer.objects.filter(worker=invited).exists()
    url = f"/api/v1/requests/{service_request.pk}/invite/"
    response = household_client.post(url, {"worker": invited.pk}, format="json")
    assert response.status_code == 201, response.json()
    offer = Offer.objects.get(worker=invited)
    assert offer.source == OfferSource.INVITATION
    assert offer.created_by == household_client.user
    assert Notification.objects.filter(user=invited.user, type="offer.created").exists()
    again = household_client.post(url, {"worker": invited.pk}, format="json")
    assert again.status_code == 200
    assert again.json()["id"] == offer.pk
    assert Offer.objects.filter(worker=invited).count() == 1
    assert first.pk != invited.pk


def test_invite_of_a_worker_who_is_not_a_match_is_refused_on_worker(household_client):
    far = _worker_at(150)
    uncertified = factories.WorkerFactory(credentials=False)
    service_request = make_request(household=household_client.user)
    url = f"/api/v1/requests/{service_request.pk}/invite/"
    for worker_id in (far.pk, uncertified.pk, 999999):
        response = household_client.post(url, {"worker": worker_id}, format="json")
        assert response.status_code == 400
        assert response.json()["field"] == "worker"
    assert Offer.objects.filter(source=OfferSource.INVITATION).count() == 0


def test_invite_after_a_decline_is_a_conflict(household_client):
    worker = factories.WorkerFactory()
    service_request = make_request(household=household_client.user)
    offer = Offer.objects.get(worker=worker)
    client_for(worker.user).post(f"/api/v1/offers/{offer.pk}/decline/")
    response = household_client.post(
        f"/api/v1/requests/{service_request.pk}/invite/", {"worker": worker.pk}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "already_offered"


def test_matches_list_is_ranked_with_distance_and_credentials(household_client):
    near, far = _worker_at(1), _worker_at(10)
    factories.WorkerFactory(credentials=False)
    service_request = make_request(household=household_client.user)
    response = household_client.get(f"/api/v1/requests/{service_request.pk}/matches/")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["count"] == 2
    first, second = body["results"]
    assert (first["worker"], second["worker"]) == (near.pk, far.pk)
    assert 0.9 < first["distance_km"] < 1.1
    assert first["score"] >= second["score"]
    assert first["is_health_check_valid"] is True
    assert [c["category"] for c in first["certificates"]] == ["housekeeper"]
    assert first["offer_status"] == "pending"
    assert {"rating", "completed_jobs", "hourly_rate"} <= set(first)


def test_offer_list_is_the_workers_own_with_status_filter():
    worker, other = factories.WorkerFactory(), factories.WorkerFactory()
    make_request()
    declined = Offer.objects.get(request=make_request(), worker=worker)
    client = client_for(worker.user)
    client.post(f"/api/v1/offers/{declined.pk}/decline/")
    body = client.get("/api/v1/offers/").json()
    assert body["count"] == 2
    assert {o["id"] for o in body["results"]} == set(
        Offer.objects.filter(worker=worker).values_list("pk", flat=True)
    )
    assert "address" not in body["results"][0]["request"]
    pending = client.get("/api/v1/offers/", {"status": "pending"}).json()
    assert pending["count"] == 1
    assert pending["results"][0]["status"] == "pending"
    assert client.get("/api/v1/offers/", {"status": "bogus"}).json()["count"] == 0
    assert client_for(other.user).get("/api/v1/offers/").json()["count"] == 2


def test_accepting_when_the_request_was_cancelled_is_refused():
    worker = factories.WorkerFactory()
    service_request = make_request()
    offer = Offer.objects.get(worker=worker)
    client_for(service_request.household).post(
        f"/api/v1/requests/{service_request.pk}/cancel/", {"reason": "不需要了"}
    )
    response = client_for(worker.user).post(f"/api/v1/offers/{offer.pk}/accept/")
    assert response.status_code == 409
    assert response.json()["code"] == "taken"  # withdrawn offers read as taken
    assert not Order.objects.exists()
