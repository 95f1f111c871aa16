"""Organised health checks through the API: officers schedule, women book (capacity holds),
officers enter results and a pass writes the health-check credential matching uses."""

import datetime as dt

import pytest

from marketplace.models import HealthCheck
from marketplace.selectors.eligibility import worker_eligibility
from programme.models import BookingStatus, HealthCheckBooking, HealthCheckSession
from programme.services import health_checks as services
from tests import factories
from tests.conftest import client_for
from tests.programme import helpers

pytestmark = pytest.mark.django_db
P = "/api/v1/programme/"


def session(**kwargs):
    values = {
        "actor": helpers.officer(),
        "name": "青年路街道集中体检",
        "division": factories.division(),
        "place": "街道卫生院",
        "held_on": helpers.today(),
        "capacity": 2,
    }
    values.update(kwargs)
    return services.health_check_session_create(**values)


def test_officer_schedules_and_bad_input_names_the_field(federation_client, worker_client):
    body = {
        "name": "集中体检",
        "division": helpers.SEAT,
        "place": "卫生院",
        "held_on": str(helpers.today()),
        "capacity": 0,
    }
    bad = federation_client.post(f"{P}health-check-sessions/", body, format="json")
    assert bad.status_code == 400 and bad.json()["field"] == "capacity"
    assert not HealthCheckSession.objects.exists()
    denied = worker_client.post(f"{P}health-check-sessions/", {**body, "capacity": 5})
    assert denied.status_code == 403
    created = federation_client.post(
        f"{P}health-check-sessions/", {**body, "capacity": 5}, format="json"
    )
    assert created.status_code == 201, created.json()
    assert created.json()["seats_left"] == 5
    listed = worker_client.get(f"{P}health-check-sessions/").json()["results"]
    assert [row["id"] for row in listed] == [created.json()["id"]]


@pytest.mark.parametrize("role", ["household", "agency", "anonymous"])
def test_other_roles_cannot_book_or_list_bookings(role, household, agency_staff):
    the_session = session()
    users = {"household": household.user, "agency": agency_staff.user, "anonymous": None}
    client = client_for(users[role]) if users[role] else client_for(None)
    response = client.post(f"{P}health-check-sessions/{the_session.pk}/book/")
    assert response.status_code in (401, 403, 404)
    assert client.get(f"{P}health-check-bookings/").status_code in (401, 403)
    assert not HealthCheckBooking.objects.exists()


def test_booking_holds_capacity_and_a_pass_writes_her_health_check(federation_client):
    the_session = session(capacity=1)
    first, second = factories.WorkerFactory(credentials=False), factories.WorkerFactory()
    booked = client_for(first.user).post(f"{P}health-check-sessions/{the_session.pk}/book/")
    assert booked.status_code == 201, booked.json()
    full = client_for(second.user).post(f"{P}health-check-sessions/{the_session.pk}/book/")
    assert full.status_code == 409 and full.json()["code"] == "session_full"
    again = client_for(first.user).post(f"{P}health-check-sessions/{the_session.pk}/book/")
    assert again.json()["code"] == "already_booked"
    # She sees only her own bookings; another worker cannot cancel hers.
    assert client_for(second.user).get(f"{P}health-check-bookings/").json()["count"] == 0
    booking_id = booked.json()["id"]
    stranger = client_for(second.user).post(f"{P}health-check-bookings/{booking_id}/cancel/")
    assert stranger.status_code == 404
    assert not HealthCheck.objects.filter(worker=first).exists()
    assert "no_health_check" in worker_eligibility(worker=first, category=None).reasons

    worker_result = client_for(first.user).post(
        f"{P}health-check-bookings/{booking_id}/result/", {"result": "passed"}
    )
    assert worker_result.status_code == 403
    bad = federation_client.post(
        f"{P}health-check-bookings/{booking_id}/result/", {"result": "fine"}, format="json"
    )
    assert bad.status_code == 400 and bad.json()["field"] == "result"
    until = helpers.today() + dt.timedelta(days=200)
    recorded = federation_client.post(
        f"{P}health-check-bookings/{booking_id}/result/",
        {"result": "passed", "valid_until": str(until)},
        format="json",
    )
    assert recorded.status_code == 200, recorded.json()
    assert recorded.json()["status"] == BookingStatus.PASSED
    check = HealthCheck.objects.get(worker=first)
    assert (check.done_on, check.valid_until, check.is_verified) == (
        helpers.today(),
        until,
        True,
    )
    assert "no_health_check" not in worker_eligibility(worker=first, category=None).reasons
    # The same result again changes nothing; another result is refused.
    federation_client.post(
        f"{P}health-check-bookings/{booking_id}/result/", {"result": "passed"}, format="json"
    )
    assert HealthCheck.objects.filter(worker=first).count() == 1
    other = federation_client.post(
        f"{P}health-check-bookings/{booking_id}/result/", {"result": "failed"}, format="json"
    )
    assert other.status_code == 409 and other.json()["code"] == "result_recorded"


def test_cancel_gives_the_place_back_and_results_wait_for_the_day(federation_client):
    the_session = session(capacity=1, held_on=helpers.today() + dt.timedelta(days=3))
    worker = factories.WorkerFactory()
    booking = services.health_check_book(session_id=the_session.pk, worker=worker)
    early = federation_client.post(
        f"{P}health-check-bookings/{booking.pk}/result/", {"result": "passed"}, format="json"
    )
    assert early.status_code == 409 and early.json()["code"] == "session_not_held"
    cancelled = client_for(worker.user).post(f"{P}health-check-bookings/{booking.pk}/cancel/")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    the_session.refresh_from_db()
    assert the_session.booked_count == 0
    other = factories.WorkerFactory()
    assert services.health_check_book(session_id=the_session.pk, worker=other).pk


def test_booking_list_query_count_is_bounded(federation_client, django_assert_max_num_queries):
    the_session = session(capacity=10)
    for _ in range(5):
        services.health_check_book(session_id=the_session.pk, worker=factories.WorkerFactory())
    with django_assert_max_num_queries(8):
        response = federation_client.get(f"{P}health-check-bookings/")
    assert response.json()["count"] == 5
