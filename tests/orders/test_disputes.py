"""Disputes: a party opens one; the agency or an operator resolves it with an outcome."""

import pytest

from marketplace.models import WorkerProfile
from orders.models import Dispute, Occurrence, Offer, Order, ServiceRequest
from orders.selectors import is_worker_busy
from orders.statuses import DisputeStatus, OccurrenceStatus, OrderStatus, RequestStatus
from tests import factories
from tests.conftest import client_for
from tests.orders.flow_helpers import check_in_body, order_in

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


def _resolve_full_refund(order):
    response = _resolve(order, factories.operator_user(), outcome="full_refund", note="全额退款")
    assert response.status_code == 200, response.json()
    return response


def test_full_refund_after_the_service_began_closes_the_request():
    """The worker checked in (the real path), so the request closes as after a late cancel."""
    order = order_in(OrderStatus.CONFIRMED, starts_at=factories.future(1))
    worker = client_for(order.worker.user)
    assert (
        worker.post(
            f"/api/v1/orders/{order.pk}/check-in/", check_in_body(order), format="json"
        ).status_code
        == 200
    )
    assert _open(order, order.household).status_code == 201

    _resolve_full_refund(order)
    order.refresh_from_db()
    service_request = ServiceRequest.objects.get(pk=order.request_id)
    assert order.status == OrderStatus.CANCELLED
    assert service_request.status == RequestStatus.CANCELLED
    assert service_request.closed_at is not None
    assert service_request.cancel_reason == "全额退款"
    assert Offer.objects.filter(request=order.request_id, status="pending").count() == 0
    # The attended visit stays on the order with its check-in.
    detail = client_for(order.household).get(f"/api/v1/orders/{order.pk}/").json()
    assert [visit["attendance"] for visit in detail["occurrences"]] == ["checked_in"]
    request_detail = client_for(order.household).get(f"/api/v1/requests/{order.request_id}/")
    assert request_detail.json()["status"] == "cancelled"


def test_full_refund_of_a_recurring_order_keeps_served_visits_and_frees_the_rest():
    from tests.orders.test_recurring_attendance import recurring_order, visits

    order = recurring_order([(-10, 30), (24 * 60, 60), (48 * 60, 60)])
    first, second, third = visits(order)
    worker = client_for(order.worker.user)
    worker.post(f"/api/v1/orders/{order.pk}/check-in/", check_in_body(order), format="json")
    worker.post(f"/api/v1/orders/{order.pk}/complete/")
    assert _open(order, order.household).status_code == 201
    assert is_worker_busy(
        worker_id=order.worker_id, slots=[(second.starts_at, second.ends_at)], exclude_order_id=None
    )

    _resolve_full_refund(order)
    assert ServiceRequest.objects.get(pk=order.request_id).status == RequestStatus.CANCELLED
    rows = {
        row["pk"]: row
        for row in Occurrence.objects.filter(request=order.request_id).values(
            "pk", "order_id", "status", "checked_out_at"
        )
    }
    assert rows[first.pk]["order_id"] == order.pk and rows[first.pk]["checked_out_at"]
    assert rows[first.pk]["status"] == OccurrenceStatus.SCHEDULED
    for visit in (second, third):
        assert (rows[visit.pk]["order_id"], rows[visit.pk]["status"]) == (
            None,
            OccurrenceStatus.CANCELLED,
        )
    assert not is_worker_busy(
        worker_id=order.worker_id, slots=[(second.starts_at, second.ends_at)], exclude_order_id=None
    )


def test_full_refund_before_any_visit_was_attended_reopens_a_future_request():
    """As order_cancel: nothing was served and the start is ahead → matched → open, new wave."""
    order = order_in(OrderStatus.IN_PROGRESS, starts_at=factories.future(48))
    others = [factories.WorkerFactory() for _ in range(2)]
    _open(order, order.household)
    _resolve_full_refund(order)
    service_request = ServiceRequest.objects.get(pk=order.request_id)
    assert service_request.status == RequestStatus.OPEN
    assert service_request.matched_at is None
    assert set(
        Offer.objects.filter(request=service_request, status="pending").values_list(
            "worker_id", flat=True
        )
    ) >= {worker.pk for worker in others}
    assert Occurrence.objects.get(request=service_request).order_id is None


@pytest.mark.parametrize("outcome", ["completed", "partial_refund"])
def test_other_outcomes_leave_the_request_matched(agency_order, outcome):
    order, staff = agency_order
    _open(order, order.household)
    response = _resolve(order, staff.user, outcome=outcome, refund_amount=100)
    assert response.status_code == 200
    assert ServiceRequest.objects.get(pk=order.request_id).status == RequestStatus.MATCHED
    assert Occurrence.objects.get(request=order.request_id).order_id == order.pk
