"""SOS reaches exactly the worker's agency staff live and in their inbox (operators when she has
no agency); the safety timer alerts once per visit from the periodic command."""

import datetime as dt
import threading

import pytest
from channels.db import database_sync_to_async
from channels.layers import channel_layers
from django.db import close_old_connections
from django.test import Client
from django.utils import timezone

from notifications.models import Notification
from orders.models import Occurrence, Order, SafetyAlert
from orders.services.periodic import run_due_work
from orders.services.sos import SAFETY_OVERDUE, SAFETY_SOS, safety_overdue_alerts_due
from orders.statuses import OrderStatus
from tests import factories
from tests.conftest import client_for
from tests.notifications.sockets import connected, receive


@pytest.fixture(autouse=True)
def fresh_channel_layer():
    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


def order_in_service(*, agency=None, roster_agency=None):
    order = factories.OrderFactory(status=OrderStatus.IN_PROGRESS, agency=agency)
    if roster_agency is not None:
        factories.RosterEntryFactory(agency=roster_agency, worker=order.worker)
    now = timezone.now()
    Order.objects.filter(pk=order.pk).update(checked_in_at=now)
    Occurrence.objects.filter(order=order).update(checked_in_at=now)
    return order


@database_sync_to_async
def sos_setup():
    staff = factories.AgencyStaffFactory()
    colleague = factories.AgencyStaffFactory(agency=staff.agency)
    stranger_staff = factories.AgencyStaffFactory()
    order = order_in_service(agency=staff.agency)
    return order, [staff.user, colleague.user], [stranger_staff.user, order.household]


@database_sync_to_async
def raise_sos(order, **body):
    return client_for(order.worker.user).post(
        f"/api/v1/orders/{order.pk}/sos/", body, format="json"
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_sos_reaches_exactly_her_agency_staff_live_and_in_the_inbox():
    order, staff, others = await sos_setup()
    sockets = [await connected(user) for user in staff + others]
    try:
        response = await raise_sos(order, latitude=36.85, longitude=115.7, accuracy_m=12)
        assert response.status_code == 201
        for communicator in sockets[:2]:
            frame = await receive(communicator)
            assert frame["type"] == SAFETY_SOS
            assert (frame["order"], frame["latitude"], frame["longitude"]) == (
                order.pk,
                36.85,
                115.7,
            )
            assert frame["at"] and frame["worker_name"] == order.worker.real_name
        for communicator in sockets[2:]:
            assert await communicator.receive_nothing(timeout=0.3)
    finally:
        for communicator in sockets:
            await communicator.disconnect()
    inbox = await database_sync_to_async(
        lambda: sorted(
            Notification.objects.filter(type=SAFETY_SOS).values_list("user_id", flat=True)
        )
    )()
    assert inbox == sorted(user.pk for user in staff)


@pytest.mark.django_db
def test_sos_without_order_agency_goes_to_her_roster_agency_else_operators():
    staff = factories.AgencyStaffFactory()
    order = order_in_service(roster_agency=staff.agency)
    assert client_for(order.worker.user).post(f"/api/v1/orders/{order.pk}/sos/").status_code == 201
    assert list(Notification.objects.filter(type=SAFETY_SOS).values_list("user_id", flat=True)) == [
        staff.user.pk
    ]
    operator = factories.operator_user()
    lone = order_in_service()
    assert client_for(lone.worker.user).post(f"/api/v1/orders/{lone.pk}/sos/").status_code == 201
    alert = SafetyAlert.objects.get(order=lone)
    assert operator.pk in alert.recipients and staff.user.pk not in alert.recipients


@pytest.mark.django_db
def test_only_the_worker_during_service_may_raise_sos(anon_client):
    order = order_in_service()
    url = f"/api/v1/orders/{order.pk}/sos/"
    assert anon_client.post(url).status_code == 401
    assert client_for(order.household).post(url).status_code == 403
    assert client_for(factories.WorkerFactory().user).post(url).status_code == 404
    done = factories.OrderFactory(status=OrderStatus.COMPLETED)
    response = client_for(done.worker.user).post(f"/api/v1/orders/{done.pk}/sos/")
    assert response.status_code == 409 and response.json()["code"] == "not_in_service"
    assert not SafetyAlert.objects.exists()


@pytest.mark.django_db
def test_web_sos_button_on_the_worker_page():
    staff = factories.AgencyStaffFactory()
    order = order_in_service(agency=staff.agency)
    client = Client()
    client.force_login(order.worker.user)
    assert 'data-action="sos"' in client.get(f"/orders/{order.pk}/").content.decode()
    client.post(f"/orders/{order.pk}/sos/", {"latitude": "36.8", "longitude": "115.7"})
    alert = SafetyAlert.objects.get(order=order)
    assert (alert.latitude, alert.longitude) == (36.8, 115.7)
    staff_client = Client()
    staff_client.force_login(staff.user)
    assert order.worker.real_name in staff_client.get("/safety/alerts/").content.decode()


def _overdue_order(staff):
    order = order_in_service(agency=staff.agency)
    visit = Occurrence.objects.get(order=order)
    return order, visit


@pytest.mark.django_db
def test_timer_alerts_once_per_visit_after_the_set_time(settings):
    settings.MEIJIA = {**settings.MEIJIA, "SAFETY_OVERDUE_MINUTES": 60}
    staff = factories.AgencyStaffFactory()
    order, visit = _overdue_order(staff)
    assert run_due_work(now=visit.ends_at + dt.timedelta(minutes=59))["safety_overdue_alerts"] == 0
    assert run_due_work(now=visit.ends_at + dt.timedelta(minutes=61))["safety_overdue_alerts"] == 1
    assert run_due_work(now=visit.ends_at + dt.timedelta(minutes=90))["safety_overdue_alerts"] == 0
    assert list(
        Notification.objects.filter(type=SAFETY_OVERDUE).values_list("user_id", flat=True)
    ) == [staff.user.pk]
    # A checked-out visit never alerts.
    other, other_visit = _overdue_order(staff)
    Occurrence.objects.filter(pk=other_visit.pk).update(checked_out_at=other_visit.ends_at)
    assert safety_overdue_alerts_due(now=other_visit.ends_at + dt.timedelta(hours=3)) == 0


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_runs_alert_once():
    staff = factories.AgencyStaffFactory()
    order, visit = _overdue_order(staff)
    later = visit.ends_at + dt.timedelta(hours=3)
    counts = []

    def run():
        close_old_connections()
        try:
            counts.append(safety_overdue_alerts_due(now=later))
        except Exception as error:  # noqa: BLE001 (SQLite busy under load counts as no alert)
            counts.append(type(error).__name__)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert SafetyAlert.objects.filter(order=order, kind="overdue").count() == 1
    assert Notification.objects.filter(type=SAFETY_OVERDUE).count() == 1
    assert sum(c for c in counts if isinstance(c, int)) == 1
