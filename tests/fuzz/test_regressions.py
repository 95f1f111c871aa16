"""One regression test per server error or schema mismatch the schemathesis run found."""

import pytest
from rest_framework.test import APIClient

from marketplace.models import TrainingKind, TrainingRecord
from tests import factories
from tests.conftest import client_for

pytestmark = [pytest.mark.security, pytest.mark.django_db]


def test_options_on_a_view_without_a_serializer_class_is_not_a_500():
    """OPTIONS /agencies/me/certificates/{id}/revoke/ raised DRF's serializer_class assertion."""
    staff = factories.AgencyStaffFactory()
    response = client_for(staff.user).options("/api/v1/agencies/me/certificates/1/revoke/")
    assert response.status_code == 200
    assert response.json()["name"]
    # Views with a serializer still describe their form.
    described = client_for(factories.HouseholdFactory().user).options("/api/v1/requests/")
    assert described.status_code == 200 and "actions" in described.json()


def test_training_record_without_a_trade_matches_its_schema(django_db_blocker):
    """A training record of a course with no trade has category null; the schema said string."""
    worker = factories.WorkerFactory()
    record = TrainingRecord.objects.create(
        worker=worker,
        course="家政服务岗前培训",
        kind=TrainingKind.PRE_JOB,
        provider="临清市妇联",
        completed_on="2026-01-05",
    )
    assert record.category_id is None
    rows = client_for(worker.user).get("/api/v1/workers/me/training-records/").json()
    assert {row["category"] for row in rows} >= {None}
    schema = APIClient().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    category = schema["components"]["schemas"]["VerifiableTrainingRecord"]["properties"]["category"]
    assert category.get("nullable") is True


def test_worker_roster_lists_are_documented_as_paginated_lists():
    """GET workers/me/roster/ and invitations/ answer {count, results}; the schema said one."""
    schema = APIClient().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    for path in ("/api/v1/workers/me/roster/", "/api/v1/workers/me/invitations/"):
        ref = schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"][
            "schema"
        ]["$ref"].rsplit("/", 1)[-1]
        assert {"count", "results"} <= set(schema["components"]["schemas"][ref]["properties"])
    body = client_for(factories.WorkerFactory().user).get("/api/v1/workers/me/roster/").json()
    assert body == {"count": 0, "next": None, "previous": None, "results": []}


def test_blocks_and_appeals_lists_are_documented_as_paginated_lists():
    """GET workers/me/blocks/ and appeals/ answer {count, results}; the schema said an array."""
    schema = APIClient().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    for path in ("/api/v1/workers/me/blocks/", "/api/v1/appeals/"):
        ref = schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"][
            "schema"
        ]["$ref"].rsplit("/", 1)[-1]
        assert {"count", "results"} <= set(schema["components"]["schemas"][ref]["properties"])
    body = client_for(factories.WorkerFactory().user).get("/api/v1/workers/me/blocks/").json()
    assert body == {"count": 0, "next": None, "previous": None, "results": []}


def test_metrics_views_are_documented():
    """The three metrics views had no schema (spectacular W002 in check --deploy)."""
    schema = APIClient().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    summary = schema["paths"]["/api/v1/metrics/summary/"]["get"]
    assert {p["name"] for p in summary["parameters"]} >= {"from", "to", "division", "category"}
    export = schema["paths"]["/api/v1/metrics/export.csv"]["get"]["responses"]["200"]["content"]
    assert "text/csv" in export
