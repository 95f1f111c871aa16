"""Verification: staff of the worker's agency (or an operator) verify her identity and
credentials, recording who and when; a worker's own entries wait unverified; validation."""

import datetime as dt

import pytest
from django.utils import timezone

from marketplace.models import Category, Certificate, HealthCheck, TrainingRecord
from marketplace.selectors.eligibility import worker_eligibility
from tests import factories
from tests.conftest import client_for
from tests.marketplace.agency_helpers import PREFIX, make_world, snapshot

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _certificate_body(**overrides) -> dict:
    body = {
        "category": "elderly_carer",
        "number": "LC-2026-0042",
        "issuer": "临清市人力资源和社会保障局",
        "level": "初级",
        "issued_on": str(TODAY - dt.timedelta(days=30)),
        "expires_on": str(TODAY + dt.timedelta(days=3 * 365)),
    }
    body.update(overrides)
    return body


def test_staff_verify_identity_recording_who_and_when():
    w = make_world()
    unverified = factories.WorkerFactory(is_verified=False, verified_at=None)
    factories.RosterEntryFactory(agency=w.agency, worker=unverified)
    response = client_for(w.staff.user).post(
        PREFIX + f"workers/{unverified.pk}/verify-identity/", {}, format="json"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["is_verified"] is True
    assert body["verified_by"] == {"id": w.staff.user_id, "name": str(w.staff.user)}
    unverified.refresh_from_db()
    assert unverified.verified_by_id == w.staff.user_id
    assert abs((timezone.now() - unverified.verified_at).total_seconds()) < 60

    response = client_for(w.staff.user).post(
        PREFIX + f"workers/{unverified.pk}/verify-identity/", {"is_verified": False}, format="json"
    )
    unverified.refresh_from_db()
    assert (unverified.is_verified, unverified.verified_by_id, unverified.verified_at) == (
        False,
        None,
        None,
    )


def test_only_active_roster_workers_can_be_verified_by_staff():
    w = make_world()
    invited = factories.WorkerFactory(is_verified=False, verified_at=None)
    factories.RosterEntryFactory(agency=w.agency, worker=invited, status="invited")
    ended = factories.WorkerFactory(is_verified=False, verified_at=None)
    factories.RosterEntryFactory(agency=w.agency, worker=ended, status="ended")
    before = snapshot()
    client = client_for(w.owner.user)
    for worker in (invited, ended):
        assert client.post(PREFIX + f"workers/{worker.pk}/verify-identity/").status_code == 404
        assert client.get(PREFIX + f"workers/{worker.pk}/credentials/").status_code == 404
    assert snapshot() == before


def test_operator_verifies_any_worker():
    w = make_world()
    loner = factories.WorkerFactory(is_verified=False, verified_at=None)
    operator = factories.operator_user()
    response = client_for(operator).post(
        f"/api/v1/agencies/{w.agency.pk}/workers/{loner.pk}/verify-identity/"
    )
    assert response.status_code == 200
    loner.refresh_from_db()
    assert loner.is_verified and loner.verified_by_id == operator.pk


def test_credentials_listing_shows_every_kind_with_verifier():
    w = make_world()
    body = client_for(w.staff.user).get(PREFIX + f"workers/{w.worker.pk}/credentials/").json()
    assert [c["id"] for c in body["certificates"]] == [w.certificate.pk]
    assert [c["id"] for c in body["training_records"]] == [w.training.pk]
    assert [c["id"] for c in body["health_checks"]] == [w.health_check.pk]
    assert body["status"]["certificate"] == "valid"
    assert body["certificates"][0]["is_verified"] is True
    assert "id_card_number" not in body


def test_staff_entry_from_paper_is_verified_at_once():
    w = make_world()
    client = client_for(w.staff.user)
    response = client.post(
        PREFIX + f"workers/{w.worker.pk}/certificates/", _certificate_body(), format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["is_verified"] is True and body["verified_by"]["id"] == w.staff.user_id
    assert body["category"] == "elderly_carer"
    response = client.post(
        PREFIX + f"workers/{w.worker.pk}/training-records/",
        {
            "course": "养老护理等级培训",
            "kind": "grade",
            "category": "elderly_carer",
            "completed_on": str(TODAY),
        },
        format="json",
    )
    assert response.status_code == 201 and response.json()["is_verified"] is True
    response = client.post(
        PREFIX + f"workers/{w.worker.pk}/health-checks/",
        {
            "done_on": str(TODAY),
            "valid_until": str(TODAY + dt.timedelta(days=365)),
            "institution": "临清市人民医院",
        },
        format="json",
    )
    assert response.status_code == 201 and response.json()["verified_by"]["id"] == w.staff.user_id


@pytest.mark.parametrize(
    "path,body,field",
    [
        ("certificates", _certificate_body(category="astronaut"), "category"),
        (
            "certificates",
            _certificate_body(expires_on=str(TODAY - dt.timedelta(days=30))),
            "expires_on",
        ),
        ("certificates", _certificate_body(issued_on="2026-02-30"), "issued_on"),
        ("certificates", _certificate_body(issued_on=str(TODAY + dt.timedelta(1))), "issued_on"),
        ("certificates", _certificate_body(number=""), "number"),
        (
            "health-checks",
            {"done_on": str(TODAY), "valid_until": str(TODAY)},
            "valid_until",
        ),
        (
            "health-checks",
            {"done_on": str(TODAY + dt.timedelta(2)), "valid_until": str(TODAY + dt.timedelta(9))},
            "done_on",
        ),
        (
            "training-records",
            {"course": "x", "kind": "nap", "completed_on": str(TODAY)},
            "kind",
        ),
        (
            "training-records",
            {"course": "x", "kind": "pre_job", "category": "nope", "completed_on": str(TODAY)},
            "category",
        ),
    ],
)
def test_credential_validation_names_the_field_and_stores_nothing(path, body, field):
    w = make_world()
    before = snapshot()
    response = client_for(w.staff.user).post(
        PREFIX + f"workers/{w.worker.pk}/{path}/", body, format="json"
    )
    assert response.status_code == 400, response.json()
    assert field in response.json()["fields"]
    assert snapshot() == before


def test_duplicate_certificate_number_of_an_issuer_is_refused_on_number():
    w = make_world()
    body = _certificate_body(number=w.certificate.number, issuer=w.certificate.issuer)
    before = snapshot()
    response = client_for(w.staff.user).post(
        PREFIX + f"workers/{w.worker.pk}/certificates/", body, format="json"
    )
    assert response.status_code == 400
    assert response.json()["field"] == "number"
    assert snapshot() == before
    # The same number from another issuer is a different certificate.
    body["issuer"] = "聊城市人社局"
    response = client_for(w.staff.user).post(
        PREFIX + f"workers/{w.worker.pk}/certificates/", body, format="json"
    )
    assert response.status_code == 201


def test_worker_adds_her_own_credentials_unverified_then_staff_verify_them():
    w = make_world()
    client = client_for(w.worker.user)
    response = client.post("/api/v1/workers/me/certificates/", _certificate_body(), format="json")
    assert response.status_code == 201
    certificate_id = response.json()["id"]
    assert response.json()["is_verified"] is False and response.json()["verified_by"] is None
    check = client.post(
        "/api/v1/workers/me/health-checks/",
        {"done_on": str(TODAY), "valid_until": str(TODAY + dt.timedelta(days=365))},
        format="json",
    ).json()
    training = client.post(
        "/api/v1/workers/me/training-records/",
        {"course": "母婴护理复训", "kind": "refresher", "completed_on": str(TODAY)},
        format="json",
    ).json()
    listed = client.get("/api/v1/workers/me/certificates/").json()
    assert {c["id"] for c in listed} == {w.certificate.pk, certificate_id}

    # Unverified, it does not count: she is not eligible as an elderly carer.
    w.worker.categories.add(Category.objects.get(code="elderly_carer"))
    elderly = Category.objects.get(code="elderly_carer")
    assert "certificate_unverified" in worker_eligibility(worker=w.worker, category=elderly).reasons
    roster = client_for(w.staff.user).get(PREFIX + "roster/").json()["results"]
    assert roster[0]["credentials"]["awaiting_verification"] == 3

    staff = client_for(w.staff.user)
    for path, pk in (
        ("certificates", certificate_id),
        ("health-checks", check["id"]),
        ("training-records", training["id"]),
    ):
        response = staff.post(PREFIX + f"{path}/{pk}/verify/")
        assert response.status_code == 200
        assert response.json()["verified_by"]["id"] == w.staff.user_id
    assert worker_eligibility(worker=w.worker, category=elderly).is_eligible
    certificate = Certificate.objects.get(pk=certificate_id)
    assert certificate.verified_by_id == w.staff.user_id and certificate.verified_at is not None


def test_unverify_and_revoke_take_a_certificate_out_of_eligibility():
    w = make_world()
    housekeeper = Category.objects.get(code="housekeeper")
    staff = client_for(w.staff.user)
    assert staff.post(PREFIX + f"certificates/{w.certificate.pk}/unverify/").status_code == 200
    assert worker_eligibility(worker=w.worker, category=housekeeper).reasons == [
        "certificate_unverified"
    ]
    assert staff.post(PREFIX + f"certificates/{w.certificate.pk}/verify/").status_code == 200
    response = staff.post(
        PREFIX + f"certificates/{w.certificate.pk}/revoke/", {"reason": "证书造假"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["is_revoked"] is True and response.json()["revoked_reason"] == "证书造假"
    assert worker_eligibility(worker=w.worker, category=housekeeper).reasons == [
        "certificate_revoked"
    ]
    # A revoked certificate cannot be verified again, nor revoked twice.
    assert staff.post(PREFIX + f"certificates/{w.certificate.pk}/verify/").status_code == 409
    again = staff.post(
        PREFIX + f"certificates/{w.certificate.pk}/revoke/", {"reason": "再次"}, format="json"
    )
    assert again.status_code == 409


def test_revoke_needs_a_reason():
    w = make_world()
    before = snapshot()
    response = client_for(w.owner.user).post(
        PREFIX + f"certificates/{w.certificate.pk}/revoke/", {"reason": ""}, format="json"
    )
    assert response.status_code == 400 and response.json()["field"] == "reason"
    assert snapshot() == before


def test_unverified_health_check_and_training_do_not_count():
    w = make_world()
    staff = client_for(w.staff.user)
    staff.post(PREFIX + f"health-checks/{w.health_check.pk}/unverify/")
    staff.post(PREFIX + f"training-records/{w.training.pk}/unverify/")
    assert HealthCheck.objects.get(pk=w.health_check.pk).verified_at is None
    assert TrainingRecord.objects.get(pk=w.training.pk).verified_by is None
    reasons = worker_eligibility(worker=w.worker, category=None).reasons
    assert reasons == ["no_pre_job_training", "no_health_check"]


def test_credentials_of_workers_outside_the_roster_are_not_found():
    w = make_world()
    outsider = factories.WorkerFactory()
    certificate = outsider.certificates.get()
    before = snapshot()
    client = client_for(w.owner.user)
    assert client.post(PREFIX + f"certificates/{certificate.pk}/verify/").status_code == 404
    assert (
        client.post(
            PREFIX + f"workers/{outsider.pk}/certificates/", _certificate_body(), format="json"
        ).status_code
        == 404
    )
    assert snapshot() == before
