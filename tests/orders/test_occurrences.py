"""Visits of a request: list, move one, cancel one or from one on; busy checks see them all."""

import datetime as dt

import pytest
from django.utils import timezone

from orders.models import Occurrence, OrderEvent
from orders.selectors import is_worker_busy
from orders.statuses import OccurrenceStatus, OrderStatus, RequestStatus
from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def recurring_order(weeks: int = 4, **kwargs):
    start = factories.future(48)
    service_request = factories.ServiceRequestFactory(
        status="matched",
        kind="recurring",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=3),
        recurrence_weekdays=[start.weekday()],
        recurrence_until=(start + dt.timedelta(days=7 * weeks)).date(),
        occurrences=False,
    )
    for week in range(weeks):
        visit = start + dt.timedelta(days=7 * week)
        service_request.occurrences.create(
            starts_at=visit, ends_at=visit + dt.timedelta(hours=3), original_starts_at=visit
        )
    return factories.OrderFactory(
        request=service_request, price=service_request.budget * weeks, **kwargs
    )


def visits(order):
    return list(Occurrence.objects.filter(request=order.request).order_by("original_starts_at"))


def with_agency(order):
    agency = factories.AgencyFactory()
    factories.RosterEntryFactory(agency=agency, worker=order.worker)
    order.agency = agency
    order.save()
    return factories.AgencyStaffFactory(agency=agency).user


def move_url(visit) -> str:
    return f"/api/v1/occurrences/{visit.pk}/move/"


def cancel_url(visit) -> str:
    return f"/api/v1/occurrences/{visit.pk}/cancel/"


def test_list_permission_table(anon_client):
    order = recurring_order()
    staff = with_agency(order)
    url = f"/api/v1/requests/{order.request_id}/occurrences/"
    assert anon_client.get(url).status_code == 401
    for outsider in (factories.HouseholdFactory().user, factories.WorkerFactory().user):
        assert client_for(outsider).get(url).status_code == 404
    for party in (order.household, order.worker.user, staff):
        response = client_for(party).get(url)
        assert response.status_code == 200 and response.json()["count"] == 4


def test_move_a_visit_records_event_and_busy_time_follows():
    order = recurring_order(status=OrderStatus.CONFIRMED)
    second = visits(order)[1]
    old_slot = (second.starts_at, second.ends_at)
    new_start = second.starts_at + dt.timedelta(days=1, hours=2)
    new_slot = (new_start, new_start + dt.timedelta(hours=2))
    assert not is_worker_busy(worker_id=order.worker_id, slots=[new_slot], exclude_order_id=None)

    response = client_for(order.household).post(
        move_url(second),
        {
            "starts_at": new_slot[0].isoformat(),
            "ends_at": new_slot[1].isoformat(),
            "reason": "家里有事",
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    second.refresh_from_db()
    assert (second.starts_at, second.ends_at) == new_slot
    assert second.original_starts_at == old_slot[0] and second.change_reason == "家里有事"
    event = OrderEvent.objects.get(order=order, data__action="moved")
    assert event.from_status == event.to_status == OrderStatus.CONFIRMED
    assert event.data["occurrence"] == second.pk
    assert event.data["moved_from"][0] == old_slot[0].isoformat()
    # Busy checks read the visits: the new time blocks, the old one is free.
    assert is_worker_busy(worker_id=order.worker_id, slots=[new_slot], exclude_order_id=None)
    assert not is_worker_busy(worker_id=order.worker_id, slots=[old_slot], exclude_order_id=None)


def test_move_refused_when_worker_busy_elsewhere_or_overlapping_own_visit():
    order = recurring_order(status=OrderStatus.CONFIRMED)
    first, second = visits(order)[:2]
    elsewhere_start = second.starts_at + dt.timedelta(days=2)
    other_request = factories.ServiceRequestFactory(
        status="matched", starts_at=elsewhere_start, ends_at=elsewhere_start + dt.timedelta(hours=3)
    )
    factories.OrderFactory(request=other_request, worker=order.worker, status=OrderStatus.CONFIRMED)
    client = client_for(order.household)
    clash = client.post(
        move_url(second),
        {
            "starts_at": (elsewhere_start + dt.timedelta(hours=1)).isoformat(),
            "ends_at": (elsewhere_start + dt.timedelta(hours=4)).isoformat(),
        },
        format="json",
    )
    assert clash.status_code == 409 and clash.json()["code"] == "busy"
    onto_own = client.post(
        move_url(second),
        {"starts_at": first.starts_at.isoformat(), "ends_at": first.ends_at.isoformat()},
        format="json",
    )
    assert onto_own.status_code == 409 and onto_own.json()["code"] == "busy"
    second.refresh_from_db()
    assert second.starts_at == second.original_starts_at
    assert not OrderEvent.objects.filter(order=order).exists()


def test_move_permissions_and_rules(anon_client):
    order = recurring_order()
    staff = with_agency(order)
    visit = visits(order)[2]
    new_start = visit.starts_at + dt.timedelta(hours=5)
    body = {
        "starts_at": new_start.isoformat(),
        "ends_at": (new_start + dt.timedelta(hours=1)).isoformat(),
    }
    assert anon_client.post(move_url(visit), body, format="json").status_code == 401
    assert (
        client_for(factories.HouseholdFactory().user).post(move_url(visit), body).status_code == 404
    )
    assert (
        client_for(order.worker.user).post(move_url(visit), body, format="json").status_code == 403
    )
    visit.refresh_from_db()
    assert visit.starts_at == visit.original_starts_at
    assert client_for(staff).post(move_url(visit), body, format="json").status_code == 200

    past = client_for(order.household).post(
        move_url(visit),
        {
            "starts_at": (timezone.now() - dt.timedelta(hours=1)).isoformat(),
            "ends_at": body["ends_at"],
        },
        format="json",
    )
    assert past.status_code == 400 and past.json()["field"] == "starts_at"
    backwards = client_for(order.household).post(
        move_url(visit), {"starts_at": body["ends_at"], "ends_at": body["starts_at"]}, format="json"
    )
    assert backwards.status_code == 400 and backwards.json()["field"] == "ends_at"


def test_started_visit_cannot_be_moved():
    order = recurring_order(status=OrderStatus.IN_PROGRESS)
    visit = visits(order)[0]
    Occurrence.objects.filter(pk=visit.pk).update(
        starts_at=timezone.now() - dt.timedelta(minutes=5)
    )
    start = factories.future(100)
    response = client_for(order.household).post(
        move_url(visit),
        {"starts_at": start.isoformat(), "ends_at": (start + dt.timedelta(hours=1)).isoformat()},
        format="json",
    )
    assert response.status_code == 409 and response.json()["code"] == "occurrence_started"


def test_cancel_this_visit_frees_time_and_reprices():
    order = recurring_order(status=OrderStatus.CONFIRMED)
    third = visits(order)[2]
    slot = (third.starts_at, third.ends_at)
    assert is_worker_busy(worker_id=order.worker_id, slots=[slot], exclude_order_id=None)
    response = client_for(order.household).post(
        cancel_url(third), {"reason": "出差", "scope": "this"}, format="json"
    )
    assert response.status_code == 200
    assert [item["id"] for item in response.json()["cancelled"]] == [third.pk]
    statuses = [visit.status for visit in visits(order)]
    assert statuses == ["scheduled", "scheduled", "cancelled", "scheduled"]
    assert not is_worker_busy(worker_id=order.worker_id, slots=[slot], exclude_order_id=None)
    order.refresh_from_db()
    assert order.status == OrderStatus.CONFIRMED
    assert order.price == order.request.budget * 3
    event = OrderEvent.objects.get(order=order, data__action="cancelled")
    assert event.data["cancelled"] == [third.pk] and event.reason == "出差"


def test_cancel_from_here_cancels_later_visits_only():
    order = recurring_order(status=OrderStatus.CONFIRMED)
    second = visits(order)[1]
    response = client_for(order.household).post(
        cancel_url(second), {"reason": "不需要了", "scope": "from_here"}, format="json"
    )
    assert response.status_code == 200 and len(response.json()["cancelled"]) == 3
    assert [visit.status for visit in visits(order)] == [
        "scheduled",
        "cancelled",
        "cancelled",
        "cancelled",
    ]
    order.refresh_from_db()
    first = visits(order)[0]
    assert order.status == OrderStatus.CONFIRMED
    assert (order.starts_at, order.ends_at) == (first.starts_at, first.ends_at)


def test_cancelling_every_visit_cancels_the_order_and_request():
    order = recurring_order(status=OrderStatus.CONFIRMED)
    response = client_for(order.household).post(
        cancel_url(visits(order)[0]), {"reason": "搬家", "scope": "from_here"}, format="json"
    )
    assert response.status_code == 200
    order.refresh_from_db()
    order.request.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED and order.cancelled_by_party == "household"
    assert order.request.status == RequestStatus.CANCELLED
    assert OrderEvent.objects.filter(order=order, to_status=OrderStatus.CANCELLED).exists()
    assert not Occurrence.objects.filter(
        request=order.request, status=OccurrenceStatus.SCHEDULED
    ).exists()


def test_cancel_permissions_and_validation(anon_client):
    order = recurring_order()
    visit = visits(order)[1]
    body = {"reason": "x", "scope": "this"}
    assert anon_client.post(cancel_url(visit), body, format="json").status_code == 401
    assert (
        client_for(factories.WorkerFactory().user).post(cancel_url(visit), body).status_code == 404
    )
    assert (
        client_for(order.worker.user).post(cancel_url(visit), body, format="json").status_code
        == 403
    )
    bad_scope = client_for(order.household).post(
        cancel_url(visit), {"reason": "x", "scope": "all"}, format="json"
    )
    assert bad_scope.status_code == 400 and bad_scope.json()["field"] == "scope"
    no_reason = client_for(order.household).post(
        cancel_url(visit), {"scope": "this"}, format="json"
    )
    assert no_reason.status_code == 400 and no_reason.json()["field"] == "reason"
    assert all(v.status == "scheduled" for v in visits(order))
    twice = client_for(order.household)
    assert twice.post(cancel_url(visit), body, format="json").status_code == 200
    again = twice.post(cancel_url(visit), body, format="json")
    assert again.status_code == 409 and again.json()["code"] == "occurrence_cancelled"
