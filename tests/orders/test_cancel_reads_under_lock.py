"""Cancellation, no-show and dispute outcomes read the order as it is under its row lock: a
change committed between the first read and the lock (a moved start, a new price) decides the
fee or refund, not the stale read."""

import datetime as dt

import pytest
from django.utils import timezone

from orders.models import Order
from orders.services import cancellation, disputes
from orders.statuses import OrderStatus
from tests import factories
from tests.conftest import client_for
from tests.orders.flow_helpers import order_in

pytestmark = pytest.mark.django_db


def change_after_first_read(monkeypatch, module, name: str, **changes):
    """Wrap the service's first read so that a concurrent writer commits right after it."""
    original = getattr(module, name)

    def read_then_someone_writes(*args, **kwargs):
        found = original(*args, **kwargs)
        order = found[0] if isinstance(found, tuple) else found
        Order.objects.filter(pk=order.pk).update(**changes)
        return found

    monkeypatch.setattr(module, name, read_then_someone_writes)


def test_a_start_moved_into_the_late_window_meanwhile_is_charged(monkeypatch):
    order = order_in(OrderStatus.CONFIRMED, starts_at=factories.future(72), budget=15000)
    soon = timezone.now() + dt.timedelta(hours=3)
    change_after_first_read(monkeypatch, cancellation, "order_for_party", starts_at=soon)
    response = client_for(order.household).post(
        f"/api/v1/orders/{order.pk}/cancel/", {"reason": "家里有事"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["cancellation_fee"] == 3000  # late, on the moved start
    assert Order.objects.get(pk=order.pk).cancellation_fee == 3000


def test_a_price_changed_meanwhile_decides_the_no_show_fee(monkeypatch):
    order = order_in(OrderStatus.CONFIRMED, starts_at=factories.future(1), budget=15000)
    Order.objects.filter(pk=order.pk).update(starts_at=order.starts_at - dt.timedelta(hours=2))
    change_after_first_read(monkeypatch, cancellation, "order_for_party", price=18000)
    response = client_for(order.worker.user).post(
        f"/api/v1/orders/{order.pk}/no-show/", {"party": "household"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["cancellation_fee"] == 18000


def test_a_cancellation_that_won_meanwhile_leaves_the_loser_a_409(monkeypatch):
    order = order_in(OrderStatus.CONFIRMED, starts_at=factories.future(72))
    change_after_first_read(
        monkeypatch, cancellation, "order_for_party", status=OrderStatus.CANCELLED, price=1
    )
    response = client_for(order.household).post(
        f"/api/v1/orders/{order.pk}/cancel/", {"reason": "x"}, format="json"
    )
    assert response.status_code == 409
    assert Order.objects.get(pk=order.pk).cancellation_fee == 0  # nothing written by the loser


def test_a_full_refund_refunds_the_price_as_it_is_under_the_lock(monkeypatch):
    order = order_in(OrderStatus.IN_PROGRESS, budget=15000)
    client_for(order.worker.user).post(
        f"/api/v1/orders/{order.pk}/dispute/", {"reason": "雇主拒绝付款"}, format="json"
    )
    change_after_first_read(monkeypatch, disputes, "_resolver_order", price=12000)
    response = client_for(factories.operator_user()).post(
        f"/api/v1/orders/{order.pk}/dispute/resolve/", {"outcome": "full_refund"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["refund_amount"] == 12000
