"""Booking her again: favourites, "再约一次" (her alone first, then normal matching), the
households that came back to her, and that return in the ranking."""

import datetime as dt

import pytest
from django.utils import timezone

from marketplace.models import HealthCheck, WorkerProfile
from marketplace.selectors import ranking
from notifications.models import Notification
from orders.models import AskedAgain, FavouriteWorker, Offer, ServiceRequest
from orders.services.offers import offer_accept, offer_decline, offer_expire
from orders.statuses import OfferSource, OfferStatus, OrderStatus, RequestStatus
from tests import factories
from tests.conftest import client_for
from tests.orders.flow_helpers import make_request, order_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_waves(settings):
    settings.MEIJIA = {**settings.MEIJIA, "OFFER_WAVE_SIZE": 2}


@pytest.fixture
def finished():
    return order_in(OrderStatus.COMPLETED)


def _better_workers(count: int):
    """Workers at the same place with a far better record: they top any normal ranking."""
    return [
        factories.WorkerFactory(rating_sum=50, rating_count=10, completed_jobs=40)
        for _ in range(count)
    ]


def _rebook_body(hours_ahead: float = 72, **extra) -> dict:
    starts_at = factories.future(hours_ahead)
    return {
        "starts_at": starts_at.isoformat(),
        "ends_at": (starts_at + dt.timedelta(hours=3)).isoformat(),
        **extra,
    }


# --- favourites ---------------------------------------------------------------------------


def test_household_keeps_lists_and_forgets_a_worker_who_served_it(finished):
    client = client_for(finished.household)
    created = client.post("/api/v1/favourites/", {"worker": finished.worker_id}, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["worker"] == finished.worker_id
    assert created.json()["last_finished_order"] == finished.pk
    again = client.post("/api/v1/favourites/", {"worker": finished.worker_id}, format="json")
    assert again.status_code == 200
    assert FavouriteWorker.objects.filter(household=finished.household).count() == 1
    listed = client.get("/api/v1/favourites/").json()
    assert [row["worker"] for row in listed["results"]] == [finished.worker_id]
    assert listed["results"][0]["name"] == finished.worker.real_name
    assert client.delete(f"/api/v1/favourites/{finished.worker_id}/").status_code == 204
    assert client.delete(f"/api/v1/favourites/{finished.worker_id}/").status_code == 404
    assert not FavouriteWorker.objects.exists()


def test_a_worker_who_never_served_the_household_cannot_be_kept(finished):
    stranger = factories.WorkerFactory()
    response = client_for(finished.household).post(
        "/api/v1/favourites/", {"worker": stranger.pk}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["field"] == "worker"
    bad = client_for(finished.household).post("/api/v1/favourites/", {"worker": "x"}, format="json")
    assert bad.status_code == 400
    assert not FavouriteWorker.objects.exists()


@pytest.mark.parametrize("role", ["anonymous", "worker", "agency", "federation", "operator"])
def test_only_households_reach_favourites_and_rebooking(role, finished):
    users = {
        "anonymous": None,
        "worker": finished.worker.user,
        "agency": factories.AgencyStaffFactory().user,
        "federation": factories.FederationOfficerFactory().user,
        "operator": factories.operator_user(),
    }
    client = client_for(users[role]) if users[role] else client_for(None)
    expected = 401 if role == "anonymous" else 403
    calls = [
        client.get("/api/v1/favourites/"),
        client.post("/api/v1/favourites/", {"worker": finished.worker_id}, format="json"),
        client.post(f"/api/v1/orders/{finished.pk}/rebook/", _rebook_body(), format="json"),
    ]
    assert [c.status_code for c in calls] == [expected] * 3
    assert not FavouriteWorker.objects.exists()
    assert ServiceRequest.objects.count() == 1


def test_another_household_cannot_rebook_or_see_the_order(finished):
    other = factories.HouseholdFactory().user
    response = client_for(other).post(
        f"/api/v1/orders/{finished.pk}/rebook/", _rebook_body(), format="json"
    )
    assert response.status_code == 404
    assert ServiceRequest.objects.count() == 1
    assert not AskedAgain.objects.exists()


# --- 再约一次 -----------------------------------------------------------------------------


def test_rebooking_offers_her_alone_first_even_when_others_rank_higher(small_waves, finished):
    _better_workers(3)
    client = client_for(finished.household)
    response = client.post(
        f"/api/v1/orders/{finished.pk}/rebook/", _rebook_body(budget=18000), format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["preferred_worker"] == finished.worker_id
    assert body["rebooked_from"] == finished.pk
    assert body["budget"] == 18000
    assert body["address"] == finished.request.address
    offers = list(Offer.objects.filter(request_id=body["id"]))
    assert [(o.worker_id, o.source, o.status) for o in offers] == [
        (finished.worker_id, OfferSource.REBOOKING, OfferStatus.PENDING)
    ]
    pushed = Notification.objects.filter(user=finished.worker.user, type="offer.created").latest(
        "pk"
    )
    assert pushed.payload["request"] == body["id"] and pushed.payload["asked_again"] is True
    worker = WorkerProfile.objects.get(pk=finished.worker_id)
    assert worker.asked_again_count == 1
    order = offer_accept(offer_id=offers[0].pk, worker=worker)
    assert order.worker_id == worker.pk and order.price == 18000


def test_when_she_declines_the_request_goes_on_to_normal_matching(small_waves, finished):
    others = _better_workers(3)
    response = client_for(finished.household).post(
        f"/api/v1/orders/{finished.pk}/rebook/", _rebook_body(), format="json"
    )
    offer = Offer.objects.get(request_id=response.json()["id"])
    offer_decline(offer_id=offer.pk, worker=finished.worker)
    wave = Offer.objects.filter(request_id=offer.request_id, status=OfferStatus.PENDING)
    assert sorted(o.worker_id for o in wave) == sorted(w.pk for w in others[:2])
    assert {o.wave for o in wave} == {2}
    assert {o.source for o in wave} == {OfferSource.MATCHING}


def test_when_she_does_not_answer_in_time_the_request_goes_on_to_matching(small_waves, finished):
    others = _better_workers(2)
    response = client_for(finished.household).post(
        f"/api/v1/orders/{finished.pk}/rebook/", _rebook_body(), format="json"
    )
    offer = Offer.objects.get(request_id=response.json()["id"])
    assert offer_expire(offer_id=offer.pk) is False  # not due yet: nothing happens
    later = offer.expires_at + dt.timedelta(seconds=1)
    assert offer_expire(offer_id=offer.pk, now=later) is True
    offer.refresh_from_db()
    assert offer.status == OfferStatus.EXPIRED
    wave = Offer.objects.filter(request_id=offer.request_id, status=OfferStatus.PENDING)
    assert sorted(o.worker_id for o in wave) == sorted(w.pk for w in others)


def test_rebooking_still_protects_the_household(finished):
    HealthCheck.objects.filter(worker=finished.worker).update(
        valid_until=timezone.localdate() - dt.timedelta(days=1)
    )
    response = client_for(finished.household).post(
        f"/api/v1/orders/{finished.pk}/rebook/", _rebook_body(), format="json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "worker_unavailable"
    assert response.json()["reasons"] == []  # her health record is not the household's to read
    assert ServiceRequest.objects.count() == 1
    assert not Offer.objects.filter(source=OfferSource.REBOOKING).exists()
    assert WorkerProfile.objects.get(pk=finished.worker_id).asked_again_count == 0


def test_rebooking_into_a_busy_time_says_she_is_busy(finished):
    starts_at = factories.future(96)
    factories.OrderFactory(
        worker=finished.worker,
        status=OrderStatus.CONFIRMED,
        request__starts_at=starts_at,
        request__ends_at=starts_at + dt.timedelta(hours=3),
    )
    body = {
        "starts_at": (starts_at + dt.timedelta(hours=1)).isoformat(),
        "ends_at": (starts_at + dt.timedelta(hours=2)).isoformat(),
    }
    response = client_for(finished.household).post(
        f"/api/v1/orders/{finished.pk}/rebook/", body, format="json"
    )
    assert response.status_code == 409
    assert response.json()["reasons"] == ["busy"]


def test_only_a_finished_order_can_be_booked_again():
    order = order_in(OrderStatus.CONFIRMED)
    response = client_for(order.household).post(
        f"/api/v1/orders/{order.pk}/rebook/", _rebook_body(), format="json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "order_not_finished"


def test_bad_times_name_the_field_and_change_nothing(finished):
    client = client_for(finished.household)
    starts_at = factories.future(72)
    backwards = {
        "starts_at": starts_at.isoformat(),
        "ends_at": (starts_at - dt.timedelta(hours=1)).isoformat(),
    }
    response = client.post(f"/api/v1/orders/{finished.pk}/rebook/", backwards, format="json")
    assert response.status_code == 400
    assert response.json()["field"] == "ends_at"
    missing = client.post(f"/api/v1/orders/{finished.pk}/rebook/", {}, format="json")
    assert missing.status_code == 400
    assert ServiceRequest.objects.count() == 1


def test_the_same_idempotency_key_books_once(finished):
    client = client_for(finished.household)
    body = _rebook_body()
    first = client.post(
        f"/api/v1/orders/{finished.pk}/rebook/", body, format="json", HTTP_IDEMPOTENCY_KEY="k1"
    )
    second = client.post(
        f"/api/v1/orders/{finished.pk}/rebook/", body, format="json", HTTP_IDEMPOTENCY_KEY="k1"
    )
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert AskedAgain.objects.get().times == 1


# --- the households that came back --------------------------------------------------------


def test_worker_sees_which_households_asked_for_her_again(finished):
    client = client_for(finished.household)
    for hours in (72, 120):
        assert (
            client.post(
                f"/api/v1/orders/{finished.pk}/rebook/", _rebook_body(hours), format="json"
            ).status_code
            == 201
        )
    worker = WorkerProfile.objects.get(pk=finished.worker_id)
    assert worker.asked_again_count == 1  # one household, however often it comes back
    rows = client_for(worker.user).get("/api/v1/workers/me/asked-again/").json()["results"]
    assert len(rows) == 1
    assert rows[0]["household"] == str(finished.household)
    assert rows[0]["times"] == 2
    assert rows[0]["last_request_status"] == RequestStatus.OPEN
    assert client_for(finished.household).get("/api/v1/workers/me/asked-again/").status_code == 403
    assert client_for(None).get("/api/v1/workers/me/asked-again/").status_code == 401
    other_worker = factories.WorkerFactory()
    assert client_for(other_worker.user).get("/api/v1/workers/me/asked-again/").json()["count"] == 0


def test_lists_cost_the_same_queries_for_one_row_or_many(finished, django_assert_max_num_queries):
    household = finished.household
    FavouriteWorker.objects.create(household=household, worker=finished.worker)
    client = client_for(household)
    with django_assert_max_num_queries(6) as one:
        assert client.get("/api/v1/favourites/").status_code == 200
    for _ in range(4):
        order = factories.OrderFactory(
            household=household, request__household=household, status=OrderStatus.COMPLETED
        )
        FavouriteWorker.objects.create(household=household, worker=order.worker)
        AskedAgain.objects.create(
            worker=finished.worker,
            household=factories.HouseholdFactory().user,
            last_asked_at=timezone.now(),
        )
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get("/api/v1/favourites/").json()["count"] == 5
    worker_client = client_for(finished.worker.user)
    with django_assert_max_num_queries(6):
        assert worker_client.get("/api/v1/workers/me/asked-again/").json()["count"] == 4


# --- ranking ------------------------------------------------------------------------------


def test_households_coming_back_raise_her_in_the_ranking():
    plain, returned = factories.WorkerFactory(), factories.WorkerFactory()
    assert plain.pk < returned.pk  # equal scores would put `plain` first
    WorkerProfile.objects.filter(pk=returned.pk).update(asked_again_count=3)
    service_request = make_request()
    offers = list(Offer.objects.filter(request=service_request).order_by("rank"))
    assert [o.worker_id for o in offers[:2]] == [returned.pk, plain.pk]
    assert offers[0].score - offers[1].score == pytest.approx(
        ranking.WEIGHT_RELIABILITY * ranking.RETURN_SHARE * 0.5
    )


def test_the_schema_documents_the_rebooking_endpoints(client):
    paths = client.get("/api/schema/?format=json").json()["paths"]
    for path in (
        "/api/v1/favourites/",
        "/api/v1/favourites/{worker_id}/",
        "/api/v1/orders/{order_id}/rebook/",
        "/api/v1/workers/me/asked-again/",
    ):
        assert path in paths
