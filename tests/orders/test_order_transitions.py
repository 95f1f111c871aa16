"""Each order transition through the API; each disallowed one gives 409 and changes nothing."""

import datetime as dt

import pytest
from django.utils import timezone

from marketplace.models import WorkerProfile
from notifications.models import Notification
from orders.models import Order, OrderEvent
from orders.statuses import OrderStatus
from tests import factories
from tests.conftest import client_for
from tests.orders.flow_helpers import check_in_body, order_in

pytestmark = pytest.mark.django_db


def _url(order, action):
    return f"/api/v1/orders/{order.pk}/{action}/"


def _snapshot(order):
    row = Order.objects.filter(pk=order.pk).values().get()
    row.pop("updated_at")
    return row, OrderEvent.objects.filter(order=order).count()


def test_check_in_complete_confirm_walk_the_order_to_completed():
    order = order_in(OrderStatus.CONFIRMED, starts_at=factories.future(1))
    worker_client = client_for(order.worker.user)
    household_client = client_for(order.household)
    jobs_before = order.worker.completed_jobs

    response = worker_client.post(_url(order, "check-in"), check_in_body(order), format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "in_progress"
    assert response.json()["checked_in_at"]

    # Checked in early (the window opens before the start): no check-out before the start.
    before = _snapshot(order)
    response = worker_client.post(_url(order, "complete"))
    assert response.status_code == 409 and response.json()["code"] == "before_start"
    assert _snapshot(order) == before
    started = timezone.now() - dt.timedelta(minutes=1)
    Order.objects.filter(pk=order.pk).update(starts_at=started)
    order.occurrences.update(starts_at=started)

    response = worker_client.post(_url(order, "complete"))
    assert response.status_code == 200
    assert response.json()["status"] == "awaiting_confirmation"
    assert response.json()["worker_finished_at"]

    response = household_client.post(_url(order, "confirm"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "completed"
    assert body["completed_at"]
    assert WorkerProfile.objects.get(pk=order.worker_id).completed_jobs == jobs_before + 1

    history = [(e["from_status"], e["to_status"]) for e in body["events"]]
    assert history[-3:] == [
        ("confirmed", "in_progress"),
        ("in_progress", "awaiting_confirmation"),
        ("awaiting_confirmation", "completed"),
    ]
    assert body["events"][-1]["actor"]["id"] == order.household_id
    assert body["events"][-3]["actor"]["id"] == order.worker.user_id
    pushed = Notification.objects.filter(type="order.updated", payload__to_status="completed")
    assert set(pushed.values_list("user_id", flat=True)) == {
        order.household_id,
        order.worker.user_id,
    }


# (action, party acting, statuses it is allowed from)
ACTIONS = [
    ("check-in", "worker", {OrderStatus.CONFIRMED}),
    ("complete", "worker", {OrderStatus.IN_PROGRESS}),
    ("confirm", "household", {OrderStatus.AWAITING_CONFIRMATION}),
    ("cancel", "household", {OrderStatus.PENDING_CONTRACT, OrderStatus.CONFIRMED}),
    ("cancel", "worker", {OrderStatus.PENDING_CONTRACT, OrderStatus.CONFIRMED}),
    (
        "dispute",
        "household",
        {OrderStatus.IN_PROGRESS, OrderStatus.AWAITING_CONFIRMATION, OrderStatus.COMPLETED},
    ),
]
DISALLOWED = [
    (action, party, status)
    for action, party, allowed in ACTIONS
    for status in OrderStatus.values
    if status not in allowed
]


@pytest.mark.parametrize(("action", "party", "status"), DISALLOWED)
def test_disallowed_transitions_give_409_and_change_nothing(action, party, status):
    order = order_in(status, starts_at=factories.future(1))
    user = order.worker.user if party == "worker" else order.household
    before = _snapshot(order)
    notifications = Notification.objects.count()
    response = client_for(user).post(_url(order, action), {"reason": "测试"}, format="json")
    assert response.status_code == 409, response.json()
    assert response.json()["current_status"] == status
    assert response.json()["code"] == "invalid_transition"
    assert _snapshot(order) == before
    assert Notification.objects.count() == notifications


@pytest.mark.parametrize(
    ("action", "party", "status"),
    [
        ("check-in", "household", OrderStatus.CONFIRMED),
        ("complete", "household", OrderStatus.IN_PROGRESS),
        ("confirm", "worker", OrderStatus.AWAITING_CONFIRMATION),
    ],
)
def test_the_wrong_party_gets_403_and_nothing_changes(action, party, status):
    order = order_in(status, starts_at=factories.future(1))
    user = order.worker.user if party == "worker" else order.household
    before = _snapshot(order)
    response = client_for(user).post(_url(order, action))
    assert response.status_code == 403
    assert _snapshot(order) == before


def test_check_in_opens_two_hours_before_the_start():
    order = order_in(OrderStatus.CONFIRMED, starts_at=factories.future(5))
    before = _snapshot(order)
    response = client_for(order.worker.user).post(
        _url(order, "check-in"), check_in_body(order), format="json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "too_early"
    assert _snapshot(order) == before


def test_order_detail_shows_history_contract_and_cancellation_preview():
    order = order_in(OrderStatus.PENDING_CONTRACT)
    response = client_for(order.household).get(f"/api/v1/orders/{order.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert body["party"] == "household"
    assert body["events"][0]["to_status"] == "pending_contract"
    assert body["events"][0]["actor"]["id"] == order.worker.user_id
    assert body["cancellation"]["fee"] == 0
    assert body["cancellation"]["allowed"] is True
    if body["contract"] is not None:  # drafted by orders.services.contracts
        assert body["contract"]["status"] == "awaiting_signatures"
        assert len(body["contract"]["text_sha256"]) == 64


def test_order_list_filters_by_status():
    order = order_in(OrderStatus.CONFIRMED)
    client = client_for(order.worker.user)
    assert client.get("/api/v1/orders/").json()["count"] == 1
    assert client.get("/api/v1/orders/", {"status": "confirmed"}).json()["count"] == 1
    assert client.get("/api/v1/orders/", {"status": "completed"}).json()["count"] == 0


def test_order_transition_service_refuses_and_records_nothing():
    from backend.exceptions import InvalidTransition
    from orders.services.orders import order_transition

    order = order_in(OrderStatus.COMPLETED)
    with pytest.raises(InvalidTransition) as error:
        order_transition(order_id=order.pk, to_status=OrderStatus.IN_PROGRESS, actor=None)
    assert error.value.extra["current_status"] == "completed"
    assert OrderEvent.objects.filter(order=order, to_status="in_progress").count() == 0
    moved = order_transition(
        order_id=order.pk,
        to_status=OrderStatus.DISPUTED,
        actor=order.household,
        reason="质量问题",
        data={"k": 1},
        updates={"settlement_amount": 5},
    )
    assert moved.status == "disputed"
    assert moved.settlement_amount == 5
    event = OrderEvent.objects.filter(order=order).last()
    assert (event.from_status, event.to_status, event.reason, event.data) == (
        "completed",
        "disputed",
        "质量问题",
        {"k": 1},
    )
    assert event.created_at <= timezone.now() + dt.timedelta(seconds=1)
