"""Credentials entered through the agencies API (and the worker's own) move the rollups in the
same transaction: reconciliation stays clean, and the counts change as the facts say."""

import datetime as dt

import pytest
from django.utils import timezone

from marketplace.models import Division
from marketplace.services.workers import worker_profile_update
from metrics.reconcile import metrics_rebuild, metrics_reconcile
from metrics.selectors import MetricsFilter, metrics_summary
from tests.conftest import client_for
from tests.marketplace.agency_helpers import PREFIX, make_world

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _summary(division_id=None) -> dict:
    return metrics_summary(
        filters=MetricsFilter(
            start=TODAY - dt.timedelta(days=30), end=TODAY, division_id=division_id
        )
    )


def test_credentials_added_through_the_agencies_api_keep_reconcile_clean():
    w = make_world()
    metrics_rebuild()  # the factories wrote credentials without the hooks
    assert metrics_reconcile().is_clean
    before = _summary()
    staff = client_for(w.staff.user)

    response = staff.post(
        PREFIX + f"workers/{w.worker.pk}/training-records/",
        {
            "course": "养老护理等级培训",
            "kind": "grade",
            "category": "elderly_carer",
            "completed_on": str(TODAY - dt.timedelta(days=2)),
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    response = staff.post(
        PREFIX + f"workers/{w.worker.pk}/certificates/",
        {
            "category": "elderly_carer",
            "number": "LC-2026-7001",
            "issuer": "临清市人力资源和社会保障局",
            "issued_on": str(TODAY - dt.timedelta(days=1)),
            "expires_on": str(TODAY + dt.timedelta(days=3 * 365)),
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    response = staff.post(
        PREFIX + f"workers/{w.worker.pk}/health-checks/",
        {"done_on": str(TODAY), "valid_until": str(TODAY + dt.timedelta(days=365))},
        format="json",
    )
    assert response.status_code == 201, response.json()

    report = metrics_reconcile()
    assert report.is_clean, report.lines()
    after = _summary()
    assert after["trained_women"] == before["trained_women"] + 1
    assert after["certified_workers"] == before["certified_workers"] + 1

    # Verification does not change what counts; the rollups stay clean.
    check_id = response.json()["id"]
    assert staff.post(PREFIX + f"health-checks/{check_id}/unverify/").status_code == 200
    assert metrics_reconcile().is_clean
    assert _summary() == after


def test_a_refused_credential_changes_no_rollup():
    w = make_world()
    metrics_rebuild()
    before = _summary()
    response = client_for(w.staff.user).post(
        PREFIX + f"workers/{w.worker.pk}/training-records/",
        {"course": "x", "kind": "nonsense", "completed_on": str(TODAY)},
        format="json",
    )
    assert response.status_code == 400
    assert _summary() == before
    assert metrics_reconcile().is_clean


def test_worker_own_training_record_and_a_division_move_keep_reconcile_clean():
    w = make_world()
    metrics_rebuild()
    response = client_for(w.worker.user).post(
        "/api/v1/workers/me/training-records/",
        {"course": "母婴护理复训", "kind": "refresher", "completed_on": str(TODAY)},
        format="json",
    )
    assert response.status_code == 201
    assert metrics_reconcile().is_clean
    other = Division.objects.exclude(pk=w.worker.division_id).first()
    worker_profile_update(worker=w.worker, division=other)
    report = metrics_reconcile()
    assert report.is_clean, report.lines()
    assert _summary(division_id=other.pk)["trained_women"] == 1
