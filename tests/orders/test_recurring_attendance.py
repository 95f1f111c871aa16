"""Recurring orders are attended visit by visit: check in and out of each visit through the API.

The visits of these orders lie a few minutes to hours apart (the service layer does not care
that the weekly pattern would space them a week apart), so their check-in windows (open 2 h
before a visit) can be reached without faking the clock.
"""

import datetime as dt

import pytest
from django.utils import timezone

from marketplace.models import WorkerProfile
from notifications.models import Notification
from orders.models import Occurrence, Order, OrderEvent
from orders.statuses import OccurrenceStatus, OrderStatus, RequestKind
from tests import factories
from tests.conftest import client_for
from tests.orders.flow_helpers import check_in_body, order_in

pytestmark = pytest.mark.django_db


def begun(visit) -> None:
    """Time passes to just after the visit's booked start (it keeps its length)."""
    visit.refresh_from_db()
    shift = timezone.now() - dt.timedelta(seconds=30) - visit.starts_at
    Occurrence.objects.filter(pk=visit.pk).update(
        starts_at=visit.starts_at + shift, ends_at=visit.ends_at + shift
    )


def recurring_order(slots, *, status=OrderStatus.CONFIRMED) -> Order:
    """A recurring order with one visit per (start offset, length) pair, in minutes from now."""
    now = timezone.now().replace(microsecond=0)
    times = [
        (now + dt.timedelta(minutes=start), now + dt.timedelta(minutes=start + length))
        for start, length in slots
    ]
    service_request = factories.ServiceRequestFactory(
        status="matched",
        kind=RequestKind.RECURRING,
        starts_at=times[0][0],
        ends_at=times[0][1],
        recurrence_weekdays=[times[0][0].weekday()],
        recurrence_until=times[-1][0].date(),
        occurrences=False,
    )
    for starts_at, ends_at in times:
        service_request.occurrences.create(
            starts_at=starts_at, ends_at=ends_at, original_starts_at=starts_at
        )
    return factories.OrderFactory(
        request=service_request,
        status=status,
        price=service_request.budget * len(times),
        starts_at=times[0][0],
        ends_at=times[-1][1],
    )


def visits(order) -> list[Occurrence]:
    return list(Occurrence.objects.filter(order=order).order_by("starts_at"))


def url(order, action: str) -> str:
    return f"/api/v1/orders/{order.pk}/{action}/"


def snapshot(order):
    row = Order.objects.filter(pk=order.pk).values().get()
    row.pop("updated_at")
    attendance = list(
        Occurrence.objects.filter(request=order.request_id)
        .order_by("pk")
        .values_list("pk", "checked_in_at", "checked_out_at")
    )
    return row, attendance, OrderEvent.objects.filter(order=order).count()


def attendance_of(body) -> list[str]:
    return [visit["attendance"] for visit in body["occurrences"]]


def test_three_visits_checked_in_and_out_one_by_one():
    # Visit 1 is running now; visits 2 and 3 start within the next 2 hours (windows open).
    order = recurring_order([(-10, 30), (40, 20), (70, 20)])
    first, second, third = visits(order)
    worker = client_for(order.worker.user)
    household = client_for(order.household)
    jobs_before = order.worker.completed_jobs

    response = worker.post(url(order, "check-in"), check_in_body(order), format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "in_progress"
    assert body["checked_in_at"]
    assert attendance_of(body) == ["checked_in", "upcoming", "upcoming"]
    assert body["occurrences"][0]["id"] == first.pk
    assert body["occurrences"][0]["checked_in_at"]
    assert body["occurrences"][0]["checked_out_at"] is None
    assert (body["events"][-1]["from_status"], body["events"][-1]["to_status"]) == (
        "confirmed",
        "in_progress",
    )
    assert body["events"][-1]["data"] == {"occurrence": first.pk, "action": "checked_in"}

    # Checking in twice for the same visit (implicitly or by id), or into another visit while
    # one is open, is refused and changes nothing.
    before = snapshot(order)
    for payload, code in [
        ({}, "already_checked_in"),
        ({"occurrence": first.pk}, "already_checked_in"),
        ({"occurrence": second.pk}, "visit_in_progress"),
    ]:
        response = worker.post(
            url(order, "check-in"), check_in_body(order, **payload), format="json"
        )
        assert response.status_code == 409, payload
        assert response.json()["code"] == code
    assert snapshot(order) == before

    response = worker.post(url(order, "complete"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "in_progress"  # two visits are still to come
    assert body["worker_finished_at"] is None
    assert attendance_of(body) == ["checked_out", "upcoming", "upcoming"]
    last = body["events"][-1]
    assert (last["from_status"], last["to_status"], last["data"]) == (
        "in_progress",
        "in_progress",
        {"occurrence": first.pk, "action": "checked_out"},
    )
    pushed = Notification.objects.filter(type="order.updated", payload__event=last["id"])
    assert set(pushed.values_list("user_id", flat=True)) == {
        order.household_id,
        order.worker.user_id,
    }
    assert pushed.first().payload["action"] == "checked_out"
    assert pushed.first().payload["occurrence"] == first.pk

    # Out of order: visit 3 cannot be checked in while visit 2 is still due.
    before = snapshot(order)
    response = worker.post(
        url(order, "check-in"), check_in_body(order, occurrence=third.pk), format="json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "out_of_order"
    assert response.json()["due"] == second.pk
    assert snapshot(order) == before

    assert worker.post(url(order, "check-in"), check_in_body(order), format="json").json()[
        "occurrences"
    ][1]["attendance"] == ("checked_in")
    # Checked in early, she cannot check out before the visit's booked start.
    before = snapshot(order)
    response = worker.post(url(order, "complete"), {"occurrence": second.pk}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "before_start"
    assert snapshot(order) == before
    begun(second)
    response = worker.post(url(order, "complete"), {"occurrence": second.pk}, format="json")
    assert response.json()["status"] == "in_progress"
    # A repeated check-out finds no visit checked in.
    response = worker.post(url(order, "complete"))
    assert response.status_code == 409
    assert response.json()["code"] == "not_checked_in"

    response = worker.post(
        url(order, "check-in"), check_in_body(order, occurrence=third.pk), format="json"
    )
    assert response.status_code == 200
    assert attendance_of(response.json()) == ["checked_out", "checked_out", "checked_in"]
    begun(third)
    response = worker.post(url(order, "complete"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "awaiting_confirmation"  # the last visit is checked out
    assert body["worker_finished_at"]
    assert attendance_of(body) == ["checked_out"] * 3
    assert all(v["checked_in_at"] <= v["checked_out_at"] for v in body["occurrences"])
    assert [(e["from_status"], e["to_status"], e["data"].get("action")) for e in body["events"]][
        -6:
    ] == [
        ("confirmed", "in_progress", "checked_in"),
        ("in_progress", "in_progress", "checked_out"),
        ("in_progress", "in_progress", "checked_in"),
        ("in_progress", "in_progress", "checked_out"),
        ("in_progress", "in_progress", "checked_in"),
        ("in_progress", "awaiting_confirmation", "checked_out"),
    ]

    # The household sees the same attendance and confirms once for the whole series.
    detail = household.get(f"/api/v1/orders/{order.pk}/").json()
    assert attendance_of(detail) == ["checked_out"] * 3
    assert household.post(url(order, "confirm")).json()["status"] == "completed"
    assert WorkerProfile.objects.get(pk=order.worker_id).completed_jobs == jobs_before + 1


def test_a_missed_visit_is_passed_over_and_cannot_be_attended_afterwards():
    # Visit 1 ended unattended an hour ago; visit 2 is running; visit 3 is tomorrow.
    order = recurring_order([(-180, 60), (-10, 60), (24 * 60, 60)])
    first, second, third = visits(order)
    worker = client_for(order.worker.user)

    response = worker.post(url(order, "check-in"), check_in_body(order), format="json")
    assert response.status_code == 200
    assert attendance_of(response.json()) == ["missed", "checked_in", "upcoming"]
    assert worker.post(url(order, "complete")).json()["status"] == "in_progress"

    before = snapshot(order)
    response = worker.post(
        url(order, "check-in"), check_in_body(order, occurrence=first.pk), format="json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "out_of_order"  # a later visit was already attended
    response = worker.post(url(order, "check-in"), check_in_body(order), format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "too_early"  # the next due visit is tomorrow
    assert response.json()["occurrence"] == third.pk
    opens_at = dt.datetime.fromisoformat(response.json()["opens_at"])
    assert opens_at == third.starts_at - dt.timedelta(hours=2)
    response = worker.post(url(order, "complete"))
    assert response.status_code == 409
    assert response.json()["code"] == "not_checked_in"
    assert snapshot(order) == before


def test_first_visit_check_in_opens_two_hours_before_it():
    order = recurring_order([(125, 60), (24 * 60, 60), (48 * 60, 60)])
    before = snapshot(order)
    response = client_for(order.worker.user).post(
        url(order, "check-in"), check_in_body(order), format="json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "too_early"
    assert snapshot(order) == before
    assert Order.objects.get(pk=order.pk).status == OrderStatus.CONFIRMED


def test_when_the_remaining_visits_are_cancelled_the_last_check_out_finishes_the_order():
    order = recurring_order([(-10, 30), (24 * 60, 60), (48 * 60, 60)])
    _, second, _ = visits(order)
    worker = client_for(order.worker.user)
    worker.post(url(order, "check-in"), check_in_body(order), format="json")
    assert worker.post(url(order, "complete")).json()["status"] == "in_progress"

    response = client_for(order.household).post(
        f"/api/v1/occurrences/{second.pk}/cancel/",
        {"reason": "家里有事，后面不需要了", "scope": "from_here"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    response = worker.post(url(order, "complete"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "awaiting_confirmation"
    assert attendance_of(body) == ["checked_out", "cancelled", "cancelled"]


def test_attendance_permission_table(anon_client):
    order = recurring_order([(-10, 30), (40, 20), (70, 20)])
    other = recurring_order([(-10, 30), (40, 20), (70, 20)])
    before = snapshot(order)
    assert (
        anon_client.post(url(order, "check-in"), check_in_body(order), format="json").status_code
        == 401
    )
    assert (
        client_for(order.household)
        .post(url(order, "check-in"), check_in_body(order), format="json")
        .status_code
        == 403
    )
    assert (
        client_for(other.worker.user)
        .post(url(order, "check-in"), check_in_body(order), format="json")
        .status_code
        == 404
    )
    assert client_for(factories.HouseholdFactory().user).post(
        url(order, "complete")
    ).status_code == (404)
    # Her own order, but a visit of another order.
    response = client_for(order.worker.user).post(
        url(order, "check-in"), check_in_body(order, occurrence=visits(other)[0].pk), format="json"
    )
    assert response.status_code == 404
    response = client_for(order.worker.user).post(
        url(order, "check-in"), {"occurrence": "first"}, format="json"
    )
    assert response.status_code == 400
    assert "occurrence" in response.json()["fields"]
    assert snapshot(order) == before


def test_a_cancelled_visit_cannot_be_checked_in():
    order = recurring_order([(-10, 30), (40, 20), (70, 20)])
    first = visits(order)[0]
    Occurrence.objects.filter(pk=first.pk).update(status=OccurrenceStatus.CANCELLED)
    response = client_for(order.worker.user).post(
        url(order, "check-in"), check_in_body(order, occurrence=first.pk), format="json"
    )
    assert response.status_code == 404
    # Without an id the next scheduled visit is checked in.
    response = client_for(order.worker.user).post(
        url(order, "check-in"), check_in_body(order), format="json"
    )
    assert response.status_code == 200
    assert attendance_of(response.json()) == ["cancelled", "checked_in", "upcoming"]


@pytest.mark.parametrize("kind", [RequestKind.ONE_OFF, RequestKind.PLACEMENT])
def test_one_off_and_placement_keep_one_check_in_and_record_it_on_their_visit(kind):
    if kind == RequestKind.ONE_OFF:
        order = order_in(OrderStatus.CONFIRMED, starts_at=factories.future(1))
    else:
        service_request = factories.ServiceRequestFactory(
            status="matched",
            kind=RequestKind.PLACEMENT,
            starts_at=factories.future(1),
            ends_at=factories.future(1 + 26 * 24),
        )
        order = factories.OrderFactory(request=service_request, status=OrderStatus.CONFIRMED)
    worker = client_for(order.worker.user)
    response = worker.post(url(order, "check-in"), check_in_body(order), format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "in_progress"
    assert attendance_of(body) == ["checked_in"]
    assert body["occurrences"][0]["checked_in_at"] == body["checked_in_at"]
    response = worker.post(url(order, "check-in"), check_in_body(order), format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"
    response = worker.post(url(order, "complete"))
    assert response.status_code == 409 and response.json()["code"] == "before_start"
    Order.objects.filter(pk=order.pk).update(starts_at=timezone.now() - dt.timedelta(minutes=1))
    response = worker.post(url(order, "complete"))
    body = response.json()
    assert body["status"] == "awaiting_confirmation"
    assert body["occurrences"][0]["checked_out_at"] == body["worker_finished_at"]
    assert attendance_of(body) == ["checked_out"]
