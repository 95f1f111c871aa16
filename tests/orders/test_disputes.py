"""Disputes: a party opens one; the agency or an operator resolves it with an outcome."""

import pytest

from marketplace.models import WorkerProfile
from orders.models import Dispute, Order
from orders.statuses import DisputeStatus, OrderStatus
from tests import factories
from tests.conftest import client_for
from tests.orders.flow_helpers import order_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency_order():
    agency = factories.AgencyFactory()
    staff = factories.AgencyStaffFactory(agency=agency)
    order = order_in(OrderStatus.AWAITING_CONFIRMATION, agency=agency)
    return order, staff


def _open(order, user, reason="打扫不干净"):
    return client_for(user).post(
        f"/api/v1/orders/{order.pk}/dispute/", {"reason": reason}, format="json"
    )


def _resolve(order, user, **body):
    return client_for(user).post(f"/api/v1/orders/{order.pk}/dispute/resolve/", body, format="json")


def test_a_party_opens_a_dispute(agency_order):
    order, _ = agency_order
    response = _open(order, order.household)
    assert response.status_code == 201, response.json()
    assert response.json()["previous_status"] == "awaiting_confirmation"
    assert Order.objects.get(pk=order.pk).status == OrderStatus.DISPUTED
    assert _open(order, order.worker.user).status_code == 409  # already disputed
    assert Dispute.objects.filter(order=order).count() == 1


def test_dispute_needs_a_reason(agency_order):
    order, _ = agency_order
    response = _open(order, order.household, reason="")
    assert response.status_code == 400
    assert response.json()["field"] == "reason"
    assert Order.objects.get(pk=order.pk).status == OrderStatus.AWAITING_CONFIRMATION


def test_agency_resolves_with_partial_refund(agency_order):
    order, staff = agency_order
    _open(order, order.household)
    too_much = _resolve(order, staff.user, outcome="partial_refund", refund_amount=order.price + 1)
    assert too_much.status_code == 400
    assert too_much.json()["field"] == "refund_amount"
    response = _resolve(
        order, staff.user, outcome="partial_refund", refund_amount=5000, note="协商"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == DisputeStatus.RESOLVED
    assert response.json()["refund_amount"] == 5000
    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED
    assert order.completed_at is not None
    assert WorkerProfile.objects.get(pk=order.worker_id).completed_jobs == 1


def test_operator_resolves_with_full_refund():
    order = order_in(OrderStatus.IN_PROGRESS)
    _open(order, order.worker.user, reason="雇主拒绝付款")
    operator = factories.operator_user()
    response = _resolve(order, operator, outcome="full_refund")
    assert response.status_code == 200
    assert response.json()["refund_amount"] == order.price
    assert Order.objects.get(pk=order.pk).status == OrderStatus.CANCELLED


def test_parties_other_than_the_agency_cannot_resolve(agency_order):
    order, _ = agency_order
    _open(order, order.household)
    assert _resolve(order, order.household, outcome="completed").status_code == 403
    assert _resolve(order, order.worker.user, outcome="completed").status_code == 403
    stranger = factories.AgencyStaffFactory()
    assert _resolve(order, stranger.user, outcome="completed").status_code == 404
    assert Order.objects.get(pk=order.pk).status == OrderStatus.DISPUTED
    assert Dispute.objects.get(order=order).status == DisputeStatus.OPEN


def test_resolving_without_an_open_dispute_is_409(agency_order):
    order, staff = agency_order
    response = _resolve(order, staff.user, outcome="completed")
    assert response.status_code == 409
    assert response.json()["current_status"] == "awaiting_confirmation"


def test_completed_order_can_be_disputed_within_the_window():
    import datetime as dt

    from django.utils import timezone

    order = order_in(OrderStatus.COMPLETED)
    Order.objects.filter(pk=order.pk).update(completed_at=timezone.now() - dt.timedelta(days=15))
    response = _open(order, order.household)
    assert response.status_code == 409
    assert response.json()["code"] == "dispute_window_closed"
    Order.objects.filter(pk=order.pk).update(completed_at=timezone.now() - dt.timedelta(days=2))
    assert _open(order, order.household).status_code == 201
