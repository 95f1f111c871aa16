"""Placement replacement in the trial: settlement, split visit, request reopened for the rest."""

import datetime as dt

import pytest
from django.utils import timezone

from marketplace.models import Category
from orders.models import Occurrence, Offer, OrderEvent
from orders.pricing import days_served
from orders.services.placements import rest_of_term_start
from orders.statuses import OccurrenceStatus, OrderStatus, RequestStatus
from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def placement_order(
    *,
    started_hours_ago: float = 48,
    trial_days: int = 7,
    unit: str = "day",
    unit_price: int = 30000,
    status: str = OrderStatus.IN_PROGRESS,
    kind: str = "placement",
):
    starts_at = (timezone.now() - dt.timedelta(hours=started_hours_ago)).replace(microsecond=0)
    ends_at = starts_at + dt.timedelta(days=26)
    service_request = factories.ServiceRequestFactory(
        status="matched",
        kind=kind,
        category=Category.objects.get(code="maternity_nurse"),
        starts_at=starts_at,
        ends_at=ends_at,
        placement_mode="live_in",
        placement_price_unit=unit,
        placement_unit_price=unit_price,
        trial_days=trial_days,
    )
    worker = factories.WorkerFactory(trades=["maternity_nurse"])
    offer = Offer.objects.create(  # her accepted offer, as offer acceptance leaves it
        request=service_request, worker=worker, status="accepted", expires_at=starts_at
    )
    return factories.OrderFactory(
        request=service_request,
        offer=offer,
        worker=worker,
        status=status,
        price=unit_price * 26 if unit == "day" else unit_price * 26 // 30,
        trial_ends_at=starts_at + dt.timedelta(days=trial_days),
        checked_in_at=starts_at if status == OrderStatus.IN_PROGRESS else None,
    )


def url(order) -> str:
    return f"/api/v1/orders/{order.pk}/replace/"


def test_days_served_counts_started_days():
    start = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)  # 17:00 in Shanghai
    assert days_served(starts_at=start, until=start - dt.timedelta(hours=1)) == 0
    assert days_served(starts_at=start, until=start + dt.timedelta(hours=1)) == 1
    # 2026-03-01 17:00 → 2026-03-03 15:00 Shanghai: the 1st, 2nd and 3rd.
    assert days_served(starts_at=start, until=start + dt.timedelta(days=1, hours=22)) == 3


def test_replace_within_trial_settles_splits_and_reopens():
    order = placement_order(started_hours_ago=48)
    first_worker = order.worker
    candidate = factories.WorkerFactory(trades=["maternity_nurse"])
    response = client_for(order.household).post(url(order), {"reason": "不够细心"}, format="json")
    assert response.status_code == 200, response.json()
    order.refresh_from_db()
    assert order.status == OrderStatus.REPLACED
    assert order.settlement_amount == 3 * 30000  # three started days at ¥300 a day
    event = OrderEvent.objects.get(order=order, to_status=OrderStatus.REPLACED)
    assert event.from_status == OrderStatus.IN_PROGRESS and event.data["days_served"] == 3

    served, rest = Occurrence.objects.filter(request=order.request).order_by("starts_at")
    assert served.worker == first_worker and served.order == order
    assert served.status == OccurrenceStatus.SCHEDULED and served.ends_at <= timezone.now()
    assert rest.worker is None and rest.order is None and rest.status == OccurrenceStatus.SCHEDULED
    assert rest.ends_at == order.request.ends_at
    expected_rest = rest_of_term_start(order=order, now=timezone.now())
    assert rest.starts_at == expected_rest > timezone.now()

    service_request = order.request
    service_request.refresh_from_db()
    assert service_request.status == RequestStatus.OPEN
    assert service_request.starts_at == rest.starts_at
    assert response.json()["request"]["status"] == "open"
    # Matching reopened for the rest of the term: a new wave, never to the replaced worker.
    wave = Offer.objects.filter(request=service_request, status="pending")
    assert set(wave.values_list("worker_id", flat=True)) == {candidate.pk}


def test_month_price_settles_per_thirtieth():
    order = placement_order(unit="month", unit_price=600000, started_hours_ago=24)
    assert client_for(order.household).post(url(order), {"reason": "换人"}).status_code == 200
    order.refresh_from_db()
    assert order.settlement_amount == 2 * 600000 // 30  # two started days


def test_after_trial_refused_and_nothing_changes():
    order = placement_order(started_hours_ago=24 * 8, trial_days=7)
    response = client_for(order.household).post(url(order), {"reason": "换人"}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "trial_over"
    order.refresh_from_db()
    order.request.refresh_from_db()
    assert order.status == OrderStatus.IN_PROGRESS and order.settlement_amount is None
    assert order.request.status == RequestStatus.MATCHED
    assert Occurrence.objects.filter(request=order.request).count() == 1


def test_no_trial_means_no_replacement_right():
    order = placement_order(trial_days=0)
    response = client_for(order.household).post(url(order), {"reason": "换人"}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "trial_over"


def test_not_a_placement():
    order = placement_order(kind="one_off")
    response = client_for(order.household).post(url(order), {"reason": "换人"}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "not_placement"


def test_order_not_in_progress_gets_409_with_status():
    order = placement_order(status=OrderStatus.AWAITING_CONFIRMATION)
    response = client_for(order.household).post(url(order), {"reason": "换人"}, format="json")
    assert response.status_code == 409
    assert response.json()["current_status"] == OrderStatus.AWAITING_CONFIRMATION


def test_replace_permission_table(anon_client):
    order = placement_order()
    agency = factories.AgencyFactory()
    factories.RosterEntryFactory(agency=agency, worker=order.worker)
    order.agency = agency
    order.save()
    staff = factories.AgencyStaffFactory(agency=agency).user
    body = {"reason": "换人"}
    assert anon_client.post(url(order), body, format="json").status_code == 401
    for outsider in (factories.HouseholdFactory().user, factories.WorkerFactory().user):
        assert client_for(outsider).post(url(order), body, format="json").status_code == 404
    for party in (order.worker.user, staff):
        assert client_for(party).post(url(order), body, format="json").status_code == 403
    missing = client_for(order.household).post(url(order), {}, format="json")
    assert missing.status_code == 400 and missing.json()["field"] == "reason"
    order.refresh_from_db()
    assert order.status == OrderStatus.IN_PROGRESS
    assert Occurrence.objects.filter(request=order.request).count() == 1


def test_replacement_worker_takes_only_the_rest_of_the_term():
    from orders.services.offers import offer_accept

    order = placement_order(started_hours_ago=48)
    first_worker = order.worker
    candidate = factories.WorkerFactory(trades=["maternity_nurse"])
    assert client_for(order.household).post(url(order), {"reason": "换人"}).status_code == 200
    offer = Offer.objects.get(request=order.request, worker=candidate, status="pending")
    new_order = offer_accept(offer_id=offer.pk, worker=candidate)

    served, rest = Occurrence.objects.filter(request=order.request).order_by("starts_at")
    assert (served.worker, served.order) == (first_worker, order)  # hers stays hers
    assert (rest.worker, rest.order) == (candidate, new_order)
    assert (new_order.starts_at, new_order.ends_at) == (rest.starts_at, rest.ends_at)
    assert new_order.starts_at > timezone.now()
