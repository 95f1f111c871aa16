"""A trade or division code with a NUL character is a 400 naming the field, never a server
error: PostgreSQL refuses NUL in text, so the lookup itself must not run (found by the fuzzer
on POST programme/competitions/)."""

import pytest

from programme.models import Competition
from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

NUL_CODE = "house\x00keeper"


def test_competition_with_a_nul_trade_code_is_refused():
    officer = client_for(factories.FederationOfficerFactory().user)
    response = officer.post(
        "/api/v1/programme/competitions/",
        {"name": "技能大赛", "categories": [NUL_CODE], "held_on": "2027-05-01"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["field"].startswith("categories")
    assert not Competition.objects.exists()


def test_request_with_a_nul_division_code_is_refused(household_client):
    response = household_client.post(
        "/api/v1/requests/",
        {
            "category": "housekeeper",
            "division": "371581001000\x00",
            "address": "临清市青年路街道",
            "starts_at": factories.future(48).isoformat(),
            "ends_at": factories.future(51).isoformat(),
            "budget": 10000,
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["field"] == "division"


def test_worker_profile_with_a_nul_trade_code_is_refused(worker, worker_client):
    before = sorted(worker.categories.values_list("code", flat=True))
    response = worker_client.patch("/api/v1/workers/me/", {"categories": [NUL_CODE]}, format="json")
    assert response.status_code == 400
    assert response.json()["field"].startswith("categories")
    assert sorted(worker.categories.values_list("code", flat=True)) == before
