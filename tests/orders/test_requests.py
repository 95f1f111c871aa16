"""Posting, reading and cancelling service requests: validation, geocoding, idempotency, kinds."""

import datetime as dt
import threading
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import override_settings

from backend.exceptions import ValidationFailed
from notifications.models import Notification
from orders.models import Occurrence, Offer, ServiceRequest
from orders.statuses import OfferStatus, RequestStatus
from tests import factories
from tests.conftest import client_for
from tests.orders.flow_helpers import local_future, request_body

pytestmark = pytest.mark.django_db
URL = "/api/v1/requests/"
SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_household_posts_a_one_off_request_and_the_first_wave_goes_out(household_client):
    workers = [factories.WorkerFactory() for _ in range(3)]
    response = household_client.post(URL, request_body(), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "open"
    assert body["kind"] == "one_off"
    assert body["category"] == "housekeeper"
    assert body["max_distance_km"] == 20
    assert body["is_geocoded"] is False
    assert len(body["occurrences"]) == 1
    assert body["offer_wave"] == 1
    offers = Offer.objects.filter(request_id=body["id"])
    assert {o.worker_id for o in offers} == {w.pk for w in workers}
    assert all(o.status == OfferStatus.PENDING for o in offers)
    notified = Notification.objects.filter(type="offer.created").values_list("user_id", flat=True)
    assert sorted(notified) == sorted(w.user_id for w in workers)


def _past() -> str:
    return (factories.future(-1)).isoformat()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"category": "astronaut"}, "category"),
        ({"category": ""}, "category"),
        ({"division": "999999999999"}, "division"),
        ({"address": ""}, "address"),
        ({"starts_at": factories.future(-1)}, "starts_at"),
        ({"ends_at": "2020-01-01T00:00:00+08:00"}, "ends_at"),
        ({"budget": 0}, "budget"),
        ({"budget": -100}, "budget"),
        ({"budget": 12.5}, "budget"),
        ({"budget": "lots"}, "budget"),
        ({"latitude": None}, "latitude"),
        ({"longitude": None}, "longitude"),
        ({"latitude": 60.0}, "latitude"),
        ({"latitude": 10.0}, "latitude"),
        ({"longitude": 150.0}, "longitude"),
        ({"longitude": 20.0}, "longitude"),
        ({"max_distance_km": 0.1}, "max_distance_km"),
        ({"max_distance_km": 250}, "max_distance_km"),
        ({"kind": "weekly"}, "kind"),
        ({"kind": "recurring"}, "recurrence_weekdays"),
        ({"kind": "recurring", "recurrence_weekdays": [7]}, "recurrence_weekdays.0"),
        ({"kind": "placement"}, "placement_mode"),
    ],
)
def test_bad_input_is_refused_on_its_field_and_nothing_is_created(
    household_client, overrides, field
):
    factories.WorkerFactory()
    body = request_body(**overrides)
    if overrides.get("latitude", 0) is None:
        body.pop("longitude")
        body["latitude"] = None
        body["longitude"] = factories.CITY_SEAT[1]
    response = household_client.post(URL, body, format="json")
    assert response.status_code == 400, response.json()
    errors = response.json()
    assert field in errors["fields"], errors
    assert errors["field"] == field
    assert ServiceRequest.objects.count() == 0
    assert Offer.objects.count() == 0


def test_ends_before_start_names_ends_at(household_client):
    starts_at = factories.future(48)
    body = request_body(
        starts_at=starts_at, ends_at=(starts_at - dt.timedelta(hours=1)).isoformat()
    )
    response = household_client.post(URL, body, format="json")
    assert response.status_code == 400
    assert response.json()["field"] == "ends_at"


def _tuesday_at_nine(weeks_ahead: int = 1) -> dt.datetime:
    start = local_future(days=2)
    while start.weekday() != 1:
        start += dt.timedelta(days=1)
    return start + dt.timedelta(weeks=weeks_ahead - 1)


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"recurrence_weekdays": [1], "recurrence_until": None}, "recurrence_until"),
        ({"recurrence_weekdays": [3], "recurrence_until": "+21"}, "recurrence_weekdays"),
        ({"recurrence_weekdays": [1], "recurrence_until": "-1"}, "recurrence_until"),
        ({"recurrence_weekdays": [1], "recurrence_until": "+400"}, "recurrence_until"),
        ({"recurrence_weekdays": [], "recurrence_until": "+21"}, "recurrence_weekdays"),
    ],
)
def test_recurring_rules(household_client, extra, field):
    start = _tuesday_at_nine()
    until = extra.get("recurrence_until")
    if until:
        extra = {**extra, "recurrence_until": str(start.date() + dt.timedelta(days=int(until)))}
    body = request_body(starts_at=start, kind="recurring", **extra)
    response = household_client.post(URL, body, format="json")
    assert response.status_code == 400, response.json()
    assert response.json()["field"] == field
    assert ServiceRequest.objects.count() == 0


def test_recurring_request_has_one_occurrence_per_visit_at_the_local_time(household_client):
    start = _tuesday_at_nine()  # Tuesday 09:00 Shanghai
    until = start.date() + dt.timedelta(days=20)  # three weeks less a day: ends on a Monday
    body = request_body(
        starts_at=start,
        ends_at=(start + dt.timedelta(hours=2, minutes=30)).isoformat(),
        kind="recurring",
        recurrence_weekdays=[1, 3],  # Tuesday and Thursday
        recurrence_until=str(until),
    )
    response = household_client.post(URL, body, format="json")
    assert response.status_code == 201, response.json()
    occurrences = list(Occurrence.objects.filter(request_id=response.json()["id"]))
    assert len(occurrences) == 6  # 3 Tuesdays + 3 Thursdays
    for occurrence in occurrences:
        local = occurrence.starts_at.astimezone(SHANGHAI)
        assert local.weekday() in (1, 3)
        assert (local.hour, local.minute) == (9, 0)
        assert occurrence.ends_at - occurrence.starts_at == dt.timedelta(hours=2, minutes=30)
        assert local.date() <= until
    assert occurrences[0].starts_at == start
    assert response.json()["recurrence_weekdays"] == [1, 3]


def test_recurrence_keeps_wall_clock_time_across_a_dst_change():
    """China has no DST today; the generator must still keep wall time where a zone has it."""
    from orders.services import requests as request_services

    berlin = ZoneInfo("Europe/Berlin")
    with override_settings(TIME_ZONE="Europe/Berlin"):
        start = dt.datetime(2030, 3, 26, 9, 0, tzinfo=berlin)  # Tuesday, winter time
        slots = request_services.recurrence_slots(
            starts_at=start,
            ends_at=start + dt.timedelta(hours=2),
            weekdays=[1],
            until=dt.date(2030, 4, 2),  # Tuesday after the change on Sunday 31 March
        )
    assert [s.astimezone(berlin).hour for s, _ in slots] == [9, 9]
    assert slots[1][0] - slots[0][0] == dt.timedelta(days=7, hours=-1)


def test_placement_request_has_one_occurrence_for_the_term(household_client):
    start = local_future(days=5, hour=8)
    body = request_body(
        category="maternity_nurse",
        starts_at=start,
        ends_at=(start + dt.timedelta(days=26)).isoformat(),
        budget=1_300_000,
        kind="placement",
        placement_mode="live_in",
        placement_price_unit="day",
        placement_unit_price=50_000,
        trial_days=3,
    )
    response = household_client.post(URL, body, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["kind"] == "placement"
    assert body["trial_days"] == 3
    assert len(body["occurrences"]) == 1
    occurrence = body["occurrences"][0]
    assert dt.datetime.fromisoformat(occurrence["ends_at"]) - dt.datetime.fromisoformat(
        occurrence["starts_at"]
    ) == dt.timedelta(days=26)


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"placement_price_unit": "day", "placement_unit_price": 0}, "placement_unit_price"),
        ({"placement_price_unit": "day"}, "placement_unit_price"),
        ({"placement_unit_price": 50_000}, "placement_price_unit"),
        (
            {"placement_price_unit": "day", "placement_unit_price": 50_000, "trial_days": 26},
            "trial_days",
        ),
        (
            {"placement_price_unit": "day", "placement_unit_price": 50_000, "hours": 12},
            "ends_at",
        ),
    ],
)
def test_placement_rules(household_client, extra, field):
    start = local_future(days=5, hour=8)
    hours = extra.pop("hours", 26 * 24)
    body = request_body(
        category="maternity_nurse",
        starts_at=start,
        ends_at=(start + dt.timedelta(hours=hours)).isoformat(),
        kind="placement",
        placement_mode="live_in",
        **extra,
    )
    response = household_client.post(URL, body, format="json")
    assert response.status_code == 400, response.json()
    assert response.json()["field"] == field
    assert ServiceRequest.objects.count() == 0


def test_one_off_longer_than_a_day_is_refused(household_client):
    start = factories.future(48)
    body = request_body(starts_at=start, ends_at=(start + dt.timedelta(hours=30)).isoformat())
    response = household_client.post(URL, body, format="json")
    assert response.status_code == 400
    assert response.json()["field"] == "ends_at"


# --- geocoding -----------------------------------------------------------------------------


def test_without_a_point_the_address_is_geocoded(household_client, monkeypatch):
    calls = []

    def fake_geocode(address, *, division=None):
        calls.append((address, division.code))
        return SimpleNamespace(latitude=36.86, longitude=115.71)

    monkeypatch.setattr("marketplace.geocoding.geocode", fake_geocode)
    body = request_body()
    body.pop("latitude")
    body.pop("longitude")
    response = household_client.post(URL, body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["is_geocoded"] is True
    assert (response.json()["latitude"], response.json()["longitude"]) == (36.86, 115.71)
    assert calls == [(body["address"], "371581001000")]


def test_embedded_gazetteer_geocodes_to_the_division_point(household_client):
    body = request_body(division="371581001000")
    body.pop("latitude")
    body.pop("longitude")
    response = household_client.post(URL, body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["is_geocoded"] is True
    assert 36 < response.json()["latitude"] < 37.5
    assert 115 < response.json()["longitude"] < 116.5


def test_an_address_the_geocoder_cannot_place_is_refused_on_address(household_client, monkeypatch):
    def not_found(address, *, division=None):
        raise ValidationFailed("找不到该地址。", field="address")

    monkeypatch.setattr("marketplace.geocoding.geocode", not_found)
    body = request_body()
    body.pop("latitude")
    body.pop("longitude")
    response = household_client.post(URL, body, format="json")
    assert response.status_code == 400
    assert response.json()["field"] == "address"
    assert ServiceRequest.objects.count() == 0


def test_a_given_point_is_not_geocoded(household_client, monkeypatch):
    def boom(*args, **kwargs):
        raise AssertionError("geocoder called")

    monkeypatch.setattr("marketplace.geocoding.geocode", boom)
    response = household_client.post(URL, request_body(), format="json")
    assert response.status_code == 201


# --- idempotency ---------------------------------------------------------------------------


def test_the_same_idempotency_key_twice_creates_one_request(household_client):
    factories.WorkerFactory()
    body = request_body()
    first = household_client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    second = household_client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == 201
    assert second.status_code == 200
    assert first.json()["id"] == second.json()["id"]
    assert ServiceRequest.objects.count() == 1
    assert Offer.objects.count() == 1  # one wave, not two


def test_idempotency_keys_are_per_household(household_client):
    other = client_for(factories.HouseholdFactory().user)
    body = request_body()
    a = household_client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="same")
    b = other.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="same")
    assert a.status_code == b.status_code == 201
    assert a.json()["id"] != b.json()["id"]
    third = household_client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="other")
    assert third.status_code == 201
    assert ServiceRequest.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_simultaneous_posts_with_one_key_create_one_request():
    user = factories.HouseholdFactory().user
    factories.WorkerFactory()
    body = request_body()
    barrier = threading.Barrier(6)
    results = []

    def post():
        try:
            client = client_for(user)
            barrier.wait()
            response = client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="race")
            results.append((response.status_code, response.json().get("id")))
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(code for code, _ in results) == [200] * 5 + [201]
    assert len({request_id for _, request_id in results}) == 1
    assert ServiceRequest.objects.count() == 1
    assert Occurrence.objects.count() == 1
    assert Offer.objects.count() == 1


# --- reading and cancelling ----------------------------------------------------------------


def test_list_shows_only_own_requests_paginated(household_client):
    mine = [
        household_client.post(URL, request_body(), format="json").json()["id"] for _ in range(3)
    ]
    other = client_for(factories.HouseholdFactory().user)
    other.post(URL, request_body(), format="json")
    response = household_client.get(URL, {"page_size": 2})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert body["next"]
    assert {r["id"] for r in body["results"]} <= set(mine)


def test_detail_is_for_the_owner_only(household_client, worker_client):
    request_id = household_client.post(URL, request_body(), format="json").json()["id"]
    assert household_client.get(f"{URL}{request_id}/").status_code == 200
    other = client_for(factories.HouseholdFactory().user)
    assert other.get(f"{URL}{request_id}/").status_code == 404
    assert worker_client.get(f"{URL}{request_id}/").status_code == 403


def test_cancel_an_open_request_withdraws_its_offers(household_client):
    worker = factories.WorkerFactory()
    request_id = household_client.post(URL, request_body(), format="json").json()["id"]
    response = household_client.post(f"{URL}{request_id}/cancel/", {"reason": "计划有变"})
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "cancelled"
    assert response.json()["cancel_reason"] == "计划有变"
    offer = Offer.objects.get(request_id=request_id, worker=worker)
    assert offer.status == OfferStatus.WITHDRAWN
    assert Notification.objects.filter(user=worker.user, type="offer.withdrawn").exists()
    again = household_client.post(f"{URL}{request_id}/cancel/", {"reason": "再取消"})
    assert again.status_code == 409
    assert again.json()["current_status"] == "cancelled"


def test_cancel_needs_a_reason_and_the_owner(household_client):
    request_id = household_client.post(URL, request_body(), format="json").json()["id"]
    assert household_client.post(f"{URL}{request_id}/cancel/", {}).json()["field"] == "reason"
    other = client_for(factories.HouseholdFactory().user)
    assert other.post(f"{URL}{request_id}/cancel/", {"reason": "x"}).status_code == 404
    assert ServiceRequest.objects.get(pk=request_id).status == RequestStatus.OPEN
