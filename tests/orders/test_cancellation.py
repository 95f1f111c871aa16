"""The cancellation fee rule, its preview, no-shows, and what happens to the request."""

import datetime as dt

import pytest
from django.conf import settings

from marketplace.models import WorkerProfile
from orders.models import Offer, Order, OrderEvent, ServiceRequest
from orders.statuses import OfferStatus, OrderStatus, RequestStatus
from tests import factories
from tests.conftest import client_for
from tests.orders.flow_helpers import order_in

pytestmark = pytest.mark.django_db


def _cancel(order, user, **params):
    query = "?preview=1" if params.pop("preview", False) else ""
    return client_for(user).post(f"/api/v1/orders/{order.pk}/cancel/{query}", params, format="json")


def test_household_cancels_free_before_the_window_and_the_request_reopens():
    spare = factories.WorkerFactory()
    order = order_in(OrderStatus.CONFIRMED, starts_at=factories.future(72))
    Offer.objects.filter(worker=spare).delete()  # so the new wave has someone to ask
    preview = _cancel(order, order.household, preview=True)
    assert preview.status_code == 200
    assert preview.json()["fee"] == 0
    assert preview.json()["is_late"] is False
    assert Order.objects.get(pk=order.pk).status == OrderStatus.CONFIRMED  # preview only

    response = _cancel(order, order.household, reason="家里有事")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "cancelled"
    assert body["cancellation_fee"] == 0
    assert body["cancelled_by_party"] == "household"
    assert body["events"][-1]["reason"] == "家里有事"
    service_request = ServiceRequest.objects.get(pk=order.request_id)
    assert service_request.status == RequestStatus.OPEN
    assert service_request.occurrences.filter(worker__isnull=False).count() == 0
    new_wave = Offer.objects.filter(request=service_request, status=OfferStatus.PENDING)
    assert list(new_wave.values_list("worker_id", flat=True)) == [spare.pk]


def test_household_late_cancellation_costs_the_fee_percent():
    order = order_in(OrderStatus.CONFIRMED, starts_at=factories.future(5), budget=15000)
    percent = settings.MEIJIA["LATE_CANCELLATION_FEE_PERCENT"]
    preview = _cancel(order, order.household, preview=True).json()
    assert preview["is_late"] is True
    assert preview["fee"] == 15000 * percent // 100 == 3000
    response = _cancel(order, order.household, reason="临时出差")
    assert response.json()["cancellation_fee"] == 3000
    assert OrderEvent.objects.filter(order=order).last().data["fee"] == 3000


def test_worker_late_cancellation_is_free_but_counted():
    order = order_in(OrderStatus.PENDING_CONTRACT, starts_at=factories.future(5))
    preview = _cancel(order, order.worker.user, preview=True).json()
    assert (preview["fee"], preview["counts_late_cancellation"]) == (0, True)
    response = _cancel(order, order.worker.user, reason="身体不适")
    assert response.status_code == 200
    assert response.json()["cancellation_fee"] == 0
    assert WorkerProfile.objects.get(pk=order.worker_id).late_cancellations == 1


def test_worker_early_cancellation_is_not_counted():
    order = order_in(OrderStatus.CONFIRMED, starts_at=factories.future(72))
    _cancel(order, order.worker.user, reason="另有安排")
    assert WorkerProfile.objects.get(pk=order.worker_id).late_cancellations == 0


def test_cancel_needs_a_reason_and_changes_nothing_without_one():
    order = order_in(OrderStatus.CONFIRMED)
    response = _cancel(order, order.household, reason="  ")
    assert response.status_code == 400
    assert response.json()["field"] == "reason"
    assert Order.objects.get(pk=order.pk).status == OrderStatus.CONFIRMED


def test_preview_of_an_order_that_cannot_be_cancelled_says_so():
    order = order_in(OrderStatus.IN_PROGRESS)
    preview = _cancel(order, order.household, preview=True).json()
    assert preview["allowed"] is False
    assert preview["current_status"] == "in_progress"
    assert _cancel(order, order.household, reason="x").status_code == 409


def test_worker_no_show_reported_by_the_household():
    order = order_in(OrderStatus.CONFIRMED, starts_at=factories.future(1))
    Order.objects.filter(pk=order.pk).update(starts_at=order.starts_at - dt.timedelta(hours=2))
    url = f"/api/v1/orders/{order.pk}/no-show/"
    response = client_for(order.household).post(url, {"party": "worker"}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "cancelled"
    assert body["no_show_party"] == "worker"
    assert body["cancellation_fee"] == 0
    assert WorkerProfile.objects.get(pk=order.worker_id).no_shows == 1


def test_household_no_show_costs_the_full_price():
    order = order_in(OrderStatus.CONFIRMED, starts_at=factories.future(1))
    Order.objects.filter(pk=order.pk).update(starts_at=order.starts_at - dt.timedelta(hours=2))
    url = f"/api/v1/orders/{order.pk}/no-show/"
    response = client_for(order.worker.user).post(url, {"party": "household"}, format="json")
    assert response.status_code == 200
    assert response.json()["cancellation_fee"] == order.price
    assert response.json()["no_show_party"] == "household"


def test_no_show_before_the_start_or_about_oneself_is_refused():
    order = order_in(OrderStatus.CONFIRMED, starts_at=factories.future(3))
    url = f"/api/v1/orders/{order.pk}/no-show/"
    early = client_for(order.household).post(url, {"party": "worker"}, format="json")
    assert early.status_code == 409
    assert early.json()["code"] == "too_early"
    own = client_for(order.worker.user).post(url, {"party": "worker"}, format="json")
    assert own.status_code == 403
    assert Order.objects.get(pk=order.pk).status == OrderStatus.CONFIRMED
    assert WorkerProfile.objects.get(pk=order.worker_id).no_shows == 0


def test_cancelling_a_matched_request_goes_through_the_order():
    order = order_in(OrderStatus.CONFIRMED, starts_at=factories.future(5))
    response = client_for(order.household).post(
        f"/api/v1/requests/{order.request_id}/cancel/", {"reason": "不需要了"}
    )
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert order.cancellation_fee == order.price * 20 // 100
