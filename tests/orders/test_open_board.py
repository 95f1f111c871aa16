"""抢单大厅: a worker browses the open requests she may serve near her, soonest first, and
takes one at once (where the household allowed it) or applies; every way settles through the
offers' first-accept-wins path."""

import datetime as dt
import threading

import pytest
from django.db import connection

from marketplace.models import HealthCheck, HouseholdBlock
from marketplace.selectors.eligibility import worker_eligibility
from marketplace.selectors.standing import WorkerStanding
from notifications.models import Notification
from orders.models import Offer, Order, RequestApplication, ServiceRequest
from orders.selectors import busy_visits
from orders.services.time_off import time_off_add
from orders.statuses import OfferSource, OfferStatus, RequestStatus
from tests import factories
from tests.conftest import client_for
from tests.orders.flow_helpers import local_future

pytestmark = pytest.mark.django_db


def _open_request(*, hours: float = 48, km_east: float = 0, instant=False, **fields):
    """An open request with no offers sent (nobody matched it yet)."""
    starts_at = factories.future(hours)
    service_request = factories.ServiceRequestFactory(
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=3),
        longitude=factories.CITY_SEAT[1] + km_east / 89.2,
        allows_instant_accept=instant,
        **fields,
    )
    return service_request


def _board(worker):
    response = client_for(worker.user).get("/api/v1/workers/me/open-requests/")
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_she_sees_open_requests_near_her_that_she_may_serve_soonest_first():
    worker = factories.WorkerFactory(service_radius_km=10)
    later = _open_request(hours=72)
    sooner = _open_request(hours=30, km_east=3)
    _open_request(hours=40, km_east=30)  # beyond her radius
    _open_request(hours=40, category=factories.category("maternity_nurse"))  # not her trade
    _open_request(hours=-1)  # already started
    matched = _open_request(hours=50)
    ServiceRequest.objects.filter(pk=matched.pk).update(status=RequestStatus.MATCHED)
    blocked = _open_request(hours=45)
    HouseholdBlock.objects.create(worker=worker, household=blocked.household)
    rows = _board(worker)
    assert [row["id"] for row in rows] == [sooner.pk, later.pk]
    assert rows[0]["distance_km"] == pytest.approx(3, abs=0.2)
    assert set(rows[0]) >= {"category", "division_name", "starts_at", "budget"}
    assert not {"address", "household", "latitude", "description"} & set(rows[0])


def test_the_board_skips_what_she_may_not_serve_then():
    worker = factories.WorkerFactory()
    day = local_future(days=5, hour=9)
    leave_request = factories.ServiceRequestFactory(
        starts_at=day, ends_at=day + dt.timedelta(hours=2)
    )
    time_off_add(worker=worker, starts_on=day.date(), ends_on=day.date())
    fine = _open_request(hours=30)
    assert [row["id"] for row in _board(worker)] == [fine.pk]
    HealthCheck.objects.filter(worker=worker).delete()
    assert _board(worker) == []
    assert leave_request.status == RequestStatus.OPEN


def test_the_board_agrees_with_the_eligibility_rules():
    worker = factories.WorkerFactory()
    time_off_add(
        worker=worker, starts_on=local_future(days=6).date(), ends_on=local_future(days=6).date()
    )
    cases = [local_future(days=d, hour=h) for d in (2, 6, 9) for h in (3, 9, 22)]
    standing = WorkerStanding.load(
        worker=worker, busy=busy_visits, window=(cases[0], cases[-1] + dt.timedelta(days=1))
    )
    for start in cases:
        slots = [(start, start + dt.timedelta(hours=3))]
        category = factories.category()
        exact = worker_eligibility(worker=worker, category=category, slots=slots, busy=busy_visits)
        assert (not standing.reasons(category=category, slots=slots)) == exact.is_eligible, start


def test_instant_take_makes_the_order_through_the_offer_path():
    worker = factories.WorkerFactory()
    service_request = _open_request(instant=True)
    response = client_for(worker.user).post(f"/api/v1/open-requests/{service_request.pk}/take/")
    assert response.status_code == 201, response.content
    assert response.json()["result"] == "order"
    order = Order.objects.get(pk=response.json()["order"])
    assert order.worker_id == worker.pk
    offer = Offer.objects.get(request=service_request, worker=worker)
    assert (offer.source, offer.status) == (OfferSource.OPEN_BOARD, OfferStatus.ACCEPTED)
    service_request.refresh_from_db()
    assert service_request.status == RequestStatus.MATCHED
    again = client_for(factories.WorkerFactory().user).post(
        f"/api/v1/open-requests/{service_request.pk}/take/"
    )
    assert again.status_code == 409 and again.json()["code"] == "taken"


def test_without_instant_accept_she_applies_and_the_household_accepts():
    first, second = factories.WorkerFactory(), factories.WorkerFactory()
    service_request = _open_request()
    for worker in (first, second):
        response = client_for(worker.user).post(f"/api/v1/open-requests/{service_request.pk}/take/")
        assert response.status_code == 201
        assert response.json()["result"] == "application"
    twice = client_for(first.user).post(f"/api/v1/open-requests/{service_request.pk}/take/")
    assert twice.json()["application"]["id"] == RequestApplication.objects.get(worker=first).pk
    assert RequestApplication.objects.count() == 2
    assert not Order.objects.exists()
    assert (
        Notification.objects.filter(
            user=service_request.household, payload__kind="request.application"
        ).count()
        == 2
    )
    household = client_for(service_request.household)
    listed = household.get(f"/api/v1/requests/{service_request.pk}/applications/").json()
    assert [row["worker"] for row in listed["results"]] == [first.pk, second.pk]
    assert "phone" not in listed["results"][0]
    chosen = listed["results"][1]["id"]
    accepted = household.post(
        f"/api/v1/requests/{service_request.pk}/applications/{chosen}/accept/"
    )
    assert accepted.status_code == 201, accepted.content
    assert Order.objects.get().worker_id == second.pk
    statuses = dict(RequestApplication.objects.values_list("worker_id", "status"))
    assert statuses == {first.pk: "declined", second.pk: "accepted"}
    repeat = household.post(f"/api/v1/requests/{service_request.pk}/applications/{chosen}/accept/")
    assert repeat.status_code == 409


def test_refusals_say_why_and_change_nothing():
    service_request = _open_request(instant=True, km_east=40)
    worker = factories.WorkerFactory(service_radius_km=10)
    far = client_for(worker.user).post(f"/api/v1/open-requests/{service_request.pk}/take/")
    assert far.status_code == 409 and far.json()["code"] == "too_far"
    uncertified = factories.WorkerFactory(credentials=False)
    near = _open_request(instant=True)
    refused = client_for(uncertified.user).post(f"/api/v1/open-requests/{near.pk}/take/")
    assert refused.status_code == 409 and refused.json()["code"] == "not_eligible"
    missing = client_for(worker.user).post("/api/v1/open-requests/999999/take/")
    assert missing.status_code == 404
    assert not Offer.objects.exists() and not Order.objects.exists()
    assert not RequestApplication.objects.exists()


@pytest.mark.parametrize("role", ["anonymous", "household", "agency", "federation", "operator"])
def test_only_workers_browse_and_take(role):
    service_request = _open_request(instant=True)
    users = {
        "anonymous": None,
        "household": service_request.household,
        "agency": factories.AgencyStaffFactory().user,
        "federation": factories.FederationOfficerFactory().user,
        "operator": factories.operator_user(),
    }
    client = client_for(users[role])
    expected = 401 if role == "anonymous" else 403
    assert client.get("/api/v1/workers/me/open-requests/").status_code == expected
    assert client.post(f"/api/v1/open-requests/{service_request.pk}/take/").status_code == expected
    assert not Offer.objects.exists()


def test_another_household_cannot_see_or_accept_applications():
    worker = factories.WorkerFactory()
    service_request = _open_request()
    client_for(worker.user).post(f"/api/v1/open-requests/{service_request.pk}/take/")
    application = RequestApplication.objects.get()
    stranger = client_for(factories.HouseholdFactory().user)
    assert stranger.get(f"/api/v1/requests/{service_request.pk}/applications/").status_code == 404
    accept = stranger.post(
        f"/api/v1/requests/{service_request.pk}/applications/{application.pk}/accept/"
    )
    assert accept.status_code == 404
    toggled = stranger.post(
        f"/api/v1/requests/{service_request.pk}/instant-accept/", {"allowed": True}, format="json"
    )
    assert toggled.status_code == 404
    service_request.refresh_from_db()
    assert not service_request.allows_instant_accept and not Order.objects.exists()


def test_household_switches_instant_accept():
    service_request = _open_request()
    client = client_for(service_request.household)
    url = f"/api/v1/requests/{service_request.pk}/instant-accept/"
    assert client.post(url, {"allowed": True}, format="json").json()["allows_instant_accept"]
    bad = client.post(url, {"allowed": "maybe"}, format="json")
    assert bad.status_code == 400 and bad.json()["field"] == "allowed"
    service_request.refresh_from_db()
    assert service_request.allows_instant_accept is True


def test_the_board_costs_the_same_queries_for_few_or_many_requests(
    django_assert_max_num_queries,
):
    worker = factories.WorkerFactory()
    client = client_for(worker.user)
    _open_request(hours=30)
    with django_assert_max_num_queries(14) as few:
        assert len(client.get("/api/v1/workers/me/open-requests/").json()["results"]) == 1
    for hours in range(31, 43):
        _open_request(hours=hours)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get("/api/v1/workers/me/open-requests/").json()["results"]) == 13


THREADS = 8


@pytest.mark.django_db(transaction=True)
def test_simultaneous_takes_and_an_offer_accept_give_one_order():
    """Eight workers take an instant request from the board while a ninth accepts her pushed
    offer, all at once: exactly one order, every other caller a clear 409."""
    service_request = _open_request(instant=True)
    racers = [factories.WorkerFactory() for _ in range(THREADS)]
    offered = factories.WorkerFactory()
    offer = Offer.objects.create(
        request=service_request,
        worker=offered,
        expires_at=factories.future(1),
        distance_km=0,
    )
    calls = [
        (client_for(w.user), f"/api/v1/open-requests/{service_request.pk}/take/") for w in racers
    ]
    calls.append((client_for(offered.user), f"/api/v1/offers/{offer.pk}/accept/"))
    barrier = threading.Barrier(len(calls))
    results, lock = [], threading.Lock()

    def call(client, url):
        try:
            barrier.wait()
            response = client.post(url)
            with lock:
                results.append((response.status_code, response.json()))
        finally:
            connection.close()

    threads = [threading.Thread(target=call, args=pair) for pair in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    codes = sorted(code for code, _ in results)
    assert codes == [201] + [409] * THREADS, results
    assert {body["code"] for code, body in results if code == 409} <= {"taken", "expired"}
    assert Order.objects.count() == 1
    order = Order.objects.get()
    pending = Offer.objects.filter(request=service_request, status=OfferStatus.PENDING)
    assert not pending.exists()
    assert Offer.objects.get(request=service_request, worker=order.worker).status == "accepted"
