"""Time off (请假): matching, invitations, accepts and recurring visits respect it; visits
already booked in the range are flagged to the household and the agency, not dropped."""

import datetime as dt

import pytest
from django.utils import timezone

from backend.exceptions import Conflict
from marketplace.models import TimeOff
from marketplace.selectors.eligibility import ON_LEAVE, worker_eligibility
from notifications.models import Notification
from orders.models import Occurrence, Offer
from orders.selectors import busy_visits
from orders.services.occurrences import occurrence_move
from orders.services.offers import offer_accept
from orders.services.time_off import time_off_add
from orders.statuses import OccurrenceStatus, OrderStatus, RequestKind
from tests import factories
from tests.conftest import client_for
from tests.orders.flow_helpers import local_future, make_request, order_in

pytestmark = pytest.mark.django_db


def _day(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


def _add(client, first: int, last: int, **extra):
    return client.post(
        "/api/v1/workers/me/time-off/",
        {"starts_on": _day(first).isoformat(), "ends_on": _day(last).isoformat(), **extra},
        format="json",
    )


def test_worker_marks_lists_and_withdraws_days_off():
    worker = factories.WorkerFactory()
    client = client_for(worker.user)
    created = _add(client, 3, 5, reason="回家过年")
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["starts_on"], body["ends_on"], body["reason"]) == (
        _day(3).isoformat(),
        _day(5).isoformat(),
        "回家过年",
    )
    assert body["flagged_visits"] == []
    assert [row["id"] for row in client.get("/api/v1/workers/me/time-off/").json()["results"]] == [
        body["id"]
    ]
    assert client.delete(f"/api/v1/workers/me/time-off/{body['id']}/").status_code == 204
    assert not TimeOff.objects.exists()


@pytest.mark.parametrize(
    ("first", "last", "field"),
    [(-1, 2, "starts_on"), (4, 3, "ends_on"), (1, 400, "ends_on"), (400, 401, "starts_on")],
)
def test_bad_dates_name_the_field_and_change_nothing(first, last, field):
    client = client_for(factories.WorkerFactory().user)
    response = _add(client, first, last)
    assert response.status_code == 400
    assert response.json()["field"] == field
    assert not TimeOff.objects.exists()


def test_overlapping_time_off_is_refused():
    client = client_for(factories.WorkerFactory().user)
    assert _add(client, 3, 6).status_code == 201
    response = _add(client, 5, 8)
    assert response.status_code == 400 and response.json()["field"] == "starts_on"
    assert TimeOff.objects.count() == 1


@pytest.mark.parametrize("role", ["anonymous", "household", "agency", "federation", "operator"])
def test_only_workers_keep_time_off(role):
    users = {
        "anonymous": None,
        "household": factories.HouseholdFactory().user,
        "agency": factories.AgencyStaffFactory().user,
        "federation": factories.FederationOfficerFactory().user,
        "operator": factories.operator_user(),
    }
    client = client_for(users[role])
    expected = 401 if role == "anonymous" else 403
    assert client.get("/api/v1/workers/me/time-off/").status_code == expected
    assert _add(client, 3, 4).status_code == expected
    assert not TimeOff.objects.exists()


def test_another_worker_cannot_withdraw_her_time_off():
    worker = factories.WorkerFactory()
    time_off, _ = time_off_add(worker=worker, starts_on=_day(3), ends_on=_day(4))
    other = client_for(factories.WorkerFactory().user)
    assert other.delete(f"/api/v1/workers/me/time-off/{time_off.pk}/").status_code == 404
    assert TimeOff.objects.filter(pk=time_off.pk).exists()


def test_matching_skips_her_on_leave_days_and_only_those():
    on_leave, other = factories.WorkerFactory(), factories.WorkerFactory()
    time_off_add(worker=on_leave, starts_on=_day(3), ends_on=_day(3))
    during = make_request(starts_at=local_future(days=3, hour=9))
    assert set(Offer.objects.filter(request=during).values_list("worker_id", flat=True)) == {
        other.pk
    }
    after = make_request(starts_at=local_future(days=4, hour=9))
    assert on_leave.pk in set(
        Offer.objects.filter(request=after).values_list("worker_id", flat=True)
    )
    slot = [(local_future(days=3, hour=23), local_future(days=3, hour=23) + dt.timedelta(hours=2))]
    reasons = worker_eligibility(
        worker=on_leave, category=factories.category(), slots=slot, busy=busy_visits
    ).reasons
    assert reasons == [ON_LEAVE]  # a visit reaching into her first day off is refused too


def test_a_recurring_request_with_a_visit_in_her_time_off_is_not_offered_to_her():
    worker = factories.WorkerFactory()
    time_off_add(worker=worker, starts_on=_day(10), ends_on=_day(10))
    starts_at = local_future(days=3, hour=9)
    weekly = make_request(
        starts_at=starts_at,
        kind=RequestKind.RECURRING,
        recurrence_weekdays=(starts_at.weekday(),),
        recurrence_until=_day(20),
    )
    assert not Offer.objects.filter(request=weekly, worker=worker).exists()


def test_she_cannot_accept_an_offer_for_a_day_she_took_off():
    worker = factories.WorkerFactory()
    service_request = make_request(starts_at=local_future(days=3, hour=9))
    offer = Offer.objects.get(request=service_request, worker=worker)
    time_off_add(worker=worker, starts_on=_day(3), ends_on=_day(3))
    response = client_for(worker.user).post(f"/api/v1/offers/{offer.pk}/accept/")
    assert response.status_code == 409
    assert response.json()["code"] == "not_eligible"
    assert ON_LEAVE in response.json()["reasons"]


def test_booked_visits_in_the_range_are_flagged_to_household_and_agency_not_dropped():
    agency = factories.AgencyFactory()
    staff = factories.AgencyStaffFactory(agency=agency)
    order = order_in(OrderStatus.CONFIRMED, agency=agency, starts_at=local_future(days=4, hour=9))
    visit = order.occurrences.get()
    response = _add(client_for(order.worker.user), 4, 6)
    assert response.json()["flagged_visits"] == [visit.pk]
    visit.refresh_from_db()
    assert visit.status == OccurrenceStatus.SCHEDULED and visit.order_id == order.pk
    told = Notification.objects.filter(payload__kind="visit.worker_on_leave")
    assert sorted(told.values_list("user_id", flat=True)) == sorted(
        [order.household_id, staff.user_id]
    )
    detail = client_for(order.household).get(f"/api/v1/orders/{order.pk}/").json()
    assert [o["needs_substitute"] for o in detail["occurrences"]] == [True]
    listed = client_for(staff.user).get("/api/v1/agencies/me/substitutes-needed/").json()
    assert [row["id"] for row in listed["results"]] == [visit.pk]
    assert "address" not in listed["results"][0] and "household" not in listed["results"][0]
    other_agency = client_for(factories.AgencyStaffFactory().user)
    assert other_agency.get("/api/v1/agencies/me/substitutes-needed/").json()["count"] == 0


def test_moving_the_visit_out_of_her_time_off_clears_the_flag_and_into_it_is_refused():
    order = order_in(OrderStatus.CONFIRMED, starts_at=local_future(days=4, hour=9))
    visit = order.occurrences.get()
    time_off_add(worker=order.worker, starts_on=_day(4), ends_on=_day(5))
    with pytest.raises(Conflict) as refused:
        occurrence_move(
            occurrence_id=visit.pk,
            user=order.household,
            starts_at=local_future(days=5, hour=9),
            ends_at=local_future(days=5, hour=12),
        )
    assert refused.value.code == "on_leave"
    occurrence_move(
        occurrence_id=visit.pk,
        user=order.household,
        starts_at=local_future(days=7, hour=9),
        ends_at=local_future(days=7, hour=12),
    )
    visit.refresh_from_db()
    assert visit.worker_time_off_id is None


def test_withdrawing_time_off_clears_the_flags_and_tells_the_parties():
    order = order_in(OrderStatus.CONFIRMED, starts_at=local_future(days=4, hour=9))
    time_off, visits = time_off_add(worker=order.worker, starts_on=_day(4), ends_on=_day(4))
    assert len(visits) == 1
    client_for(order.worker.user).delete(f"/api/v1/workers/me/time-off/{time_off.pk}/")
    assert not Occurrence.objects.filter(worker_time_off__isnull=False).exists()
    assert Notification.objects.filter(
        user=order.household, payload__kind="visit.worker_back"
    ).exists()


def test_the_agency_list_costs_the_same_queries_for_one_row_or_many(
    django_assert_max_num_queries,
):
    agency = factories.AgencyFactory()
    staff = factories.AgencyStaffFactory(agency=agency)
    client = client_for(staff.user)

    def flagged_order(days: int):
        order = order_in(
            OrderStatus.CONFIRMED, agency=agency, starts_at=local_future(days=days, hour=9)
        )
        time_off_add(worker=order.worker, starts_on=_day(days), ends_on=_day(days))

    flagged_order(4)
    with django_assert_max_num_queries(8) as one:
        assert client.get("/api/v1/agencies/me/substitutes-needed/").json()["count"] == 1
    for days in (5, 6, 7):
        flagged_order(days)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get("/api/v1/agencies/me/substitutes-needed/").json()["count"] == 4


def test_offer_accept_still_works_around_her_time_off():
    worker = factories.WorkerFactory()
    time_off_add(worker=worker, starts_on=_day(3), ends_on=_day(3))
    service_request = make_request(starts_at=local_future(days=5, hour=9))
    offer = Offer.objects.get(request=service_request, worker=worker)
    assert offer_accept(offer_id=offer.pk, worker=worker).worker_id == worker.pk


def test_booking_her_again_on_a_day_off_says_she_is_on_leave():
    finished = order_in(OrderStatus.COMPLETED)
    time_off_add(worker=finished.worker, starts_on=_day(6), ends_on=_day(6))
    starts_at = local_future(days=6, hour=9)
    response = client_for(finished.household).post(
        f"/api/v1/orders/{finished.pk}/rebook/",
        {
            "starts_at": starts_at.isoformat(),
            "ends_at": (starts_at + dt.timedelta(hours=2)).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["reasons"] == ["on_leave"]
