"""Exams: registration, results, the certificate a pass issues, and eligibility after it."""

import datetime as dt

import pytest

from marketplace.models import Certificate, HealthCheck, TrainingKind, TrainingRecord
from marketplace.selectors.eligibility import worker_eligibility
from programme.models import ExamRegistration
from programme.services import exams as exam_services
from tests import factories
from tests.programme import helpers

pytestmark = pytest.mark.django_db
EXAMS = "/api/v1/programme/exams/"


def test_officer_creates_an_exam_and_worker_registers(federation_client, worker_client, worker):
    body = {
        "name": "养老护理员资格考试",
        "category": "elderly_carer",
        "held_on": str(helpers.today() + dt.timedelta(days=5)),
        "place": "临清市职业中专",
        "pass_mark": 70,
    }
    response = federation_client.post(EXAMS, body, format="json")
    assert response.status_code == 201, response.json()
    exam_id = response.json()["id"]
    assert response.json()["issuer"] == "临清市妇联"
    assert worker_client.get(EXAMS).json()["count"] == 1
    registered = worker_client.post(f"{EXAMS}{exam_id}/register/")
    assert registered.status_code == 201
    again = worker_client.post(f"{EXAMS}{exam_id}/register/")
    assert again.json()["code"] == "already_registered"
    too_early = federation_client.post(
        f"/api/v1/programme/exam-registrations/{registered.json()['id']}/result/", {"score": 90}
    )
    assert too_early.status_code == 409
    assert too_early.json()["code"] == "exam_not_held"
    assert not Certificate.objects.filter(worker=worker, category__code="elderly_carer").exists()


def test_pass_issues_one_certificate_that_makes_her_eligible(federation_client):
    officer = federation_client.user
    exam = helpers.exam(actor=officer, level="初级")
    worker = factories.WorkerFactory(trades=[], credentials=False)
    TrainingRecord.objects.create(
        worker=worker,
        course="母婴护理岗前培训",
        kind=TrainingKind.PRE_JOB,
        completed_on=helpers.today() - dt.timedelta(days=20),
        verified_at=exam.created_at,
    )
    HealthCheck.objects.create(
        worker=worker,
        done_on=helpers.today() - dt.timedelta(days=10),
        valid_until=helpers.today() + dt.timedelta(days=300),
        verified_at=exam.created_at,
    )
    slots = [factories_slot()]
    before = worker_eligibility(worker=worker, category=exam.category, slots=slots)
    assert not before.is_eligible

    registration = exam_services.exam_register(exam_id=exam.pk, worker=worker, actor=officer)
    url = f"/api/v1/programme/exam-registrations/{registration.pk}/result/"
    for _ in range(3):
        response = federation_client.post(url, {"score": 75})
        assert response.status_code == 200, response.json()
    body = response.json()
    assert body["result"] == "passed"
    certificate = Certificate.objects.get(worker=worker)
    assert body["certificate"]["number"] == certificate.number
    assert certificate.number == f"LQ-MN-{exam.held_on.year}-000001"
    assert certificate.issuer == "临清市妇联"
    assert certificate.level == "初级"
    assert certificate.issued_on == exam.held_on
    assert certificate.expires_on == exam.held_on.replace(year=exam.held_on.year + 3)
    assert certificate.verified_by == officer
    assert certificate.category == exam.category

    worker.refresh_from_db()
    after = worker_eligibility(worker=worker, category=exam.category, slots=slots)
    assert after.is_eligible, after.reasons

    flip = federation_client.post(url, {"score": 10})
    assert flip.status_code == 409
    assert flip.json()["code"] == "result_recorded"
    assert Certificate.objects.filter(worker=worker).count() == 1


def factories_slot():
    start = factories.future(72)
    return (start, start + dt.timedelta(hours=3))


def test_fail_issues_nothing_and_numbers_follow_the_sequence(federation_client, settings):
    settings.MEIJIA = {**settings.MEIJIA, "CERTIFICATE_VALID_YEARS": 2}
    officer = federation_client.user
    exam = helpers.exam(actor=officer)
    workers = [factories.WorkerFactory(credentials=False) for _ in range(3)]
    registrations = [
        exam_services.exam_register(exam_id=exam.pk, worker=w, actor=officer) for w in workers
    ]
    scores = [59, 60, 100]
    for registration, score in zip(registrations, scores, strict=True):
        exam_services.exam_result_record(
            registration_id=registration.pk, score=score, actor=officer
        )
    results = dict(ExamRegistration.objects.values_list("worker_id", "result"))
    assert [results[w.pk] for w in workers] == ["failed", "passed", "passed"]
    assert not Certificate.objects.filter(worker=workers[0]).exists()
    numbers = sorted(Certificate.objects.values_list("number", flat=True))
    year = exam.held_on.year
    assert numbers == [f"LQ-MN-{year}-000001", f"LQ-MN-{year}-000002"]
    assert Certificate.objects.filter(expires_on=exam.held_on.replace(year=year + 2)).count() == 2
    bad = federation_client.post(
        f"/api/v1/programme/exam-registrations/{registrations[0].pk}/result/", {"score": 101}
    )
    assert bad.status_code == 400


def test_officer_registers_a_worker_and_worker_sees_only_her_results(
    federation_client, worker_client, worker
):
    exam = helpers.exam(actor=federation_client.user)
    other = factories.WorkerFactory()
    response = federation_client.post(f"{EXAMS}{exam.pk}/register/", {"worker": other.pk})
    assert response.status_code == 201
    worker_client.post(f"{EXAMS}{exam.pk}/register/")
    mine = worker_client.get("/api/v1/programme/exam-registrations/").json()["results"]
    assert [row["worker"]["id"] for row in mine] == [worker.pk]
    officer_view = federation_client.get(
        "/api/v1/programme/exam-registrations/", {"exam": exam.pk}
    ).json()
    assert officer_view["count"] == 2


def test_closed_exam_refuses_registration(worker_client):
    exam = helpers.exam(held_on=helpers.today() - dt.timedelta(days=1))
    response = worker_client.post(f"{EXAMS}{exam.pk}/register/")
    assert response.status_code == 409
    assert response.json()["code"] == "exam_closed"
    assert not ExamRegistration.objects.exists()
