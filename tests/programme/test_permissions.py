"""Who may do what in the programme, endpoint by endpoint.

anonymous → 401; households → 403 everywhere; workers read open things and their own rows;
agency staff manage openings and applications; officers and operators manage the rest. A
refused write changes nothing.
"""

import pytest

from programme.models import Candidate, Competition, Course, Exam, JobFair, JobOpening
from tests import factories
from tests.conftest import client_for
from tests.programme import helpers

pytestmark = pytest.mark.django_db
P = "/api/v1/programme/"

READS = [
    "courses/",
    "enrolments/",
    "candidates/",
    "exams/",
    "exam-registrations/",
    "competitions/",
    "fairs/",
    "openings/",
    "applications/",
]
# path → roles allowed to GET (operators behave as officers).
READ_ALLOWED = {
    "courses/": {"federation", "operator", "worker"},
    "enrolments/": {"federation", "operator", "worker"},
    "candidates/": {"federation", "operator"},
    "exams/": {"federation", "operator", "worker"},
    "exam-registrations/": {"federation", "operator", "worker"},
    "competitions/": {"federation", "operator", "worker"},
    "fairs/": {"federation", "operator", "worker", "agency"},
    "openings/": {"federation", "operator", "worker", "agency"},
    "applications/": {"federation", "operator", "worker", "agency"},
}
ROLES = ["household", "worker", "agency", "federation", "operator"]


def user_of(role):
    return {
        "household": lambda: factories.HouseholdFactory().user,
        "worker": lambda: factories.WorkerFactory().user,
        "agency": lambda: factories.AgencyStaffFactory().user,
        "federation": lambda: factories.FederationOfficerFactory().user,
        "operator": factories.operator_user,
    }[role]()


@pytest.mark.parametrize("path", READS)
def test_anonymous_gets_401(anon_client, path):
    assert anon_client.get(P + path).status_code == 401


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", READS)
def test_read_table(role, path):
    response = client_for(user_of(role)).get(P + path)
    expected = 200 if role in READ_ALLOWED[path] else 403
    assert response.status_code == expected, (role, path, response.content)


def write_cases():
    """(path builder, body, roles allowed, model counted to show nothing changed)."""
    return [
        (
            lambda: "courses/",
            lambda: {
                "name": "育婴员培训",
                "category": "infant_carer",
                "kind": "pre_job",
                "mode": "online",
                "starts_on": str(helpers.today()),
                "ends_on": str(helpers.today()),
                "capacity": 10,
            },
            {"federation", "operator"},
            Course,
        ),
        (
            lambda: "candidates/",
            lambda: {
                "name": "赵桂兰",
                "phone": "13900009999",
                "division": helpers.SEAT,
                "village": "前屯村",
            },
            {"federation", "operator"},
            Candidate,
        ),
        (
            lambda: "exams/",
            lambda: {"name": "考试", "category": "elderly_carer", "held_on": str(helpers.today())},
            {"federation", "operator"},
            Exam,
        ),
        (
            lambda: "competitions/",
            lambda: {
                "name": "竞赛",
                "categories": ["elderly_carer"],
                "held_on": str(helpers.today()),
            },
            {"federation", "operator"},
            Competition,
        ),
        (
            lambda: "fairs/",
            lambda: {"name": "招聘会", "mode": "online", "held_on": str(helpers.today())},
            {"federation", "operator"},
            JobFair,
        ),
        (
            lambda: "openings/",
            lambda: {"title": "保洁", "category": "hourly_cleaning"},
            {"agency"},
            JobOpening,
        ),
    ]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", range(6))
def test_create_table(role, case):
    path, body, allowed, model = write_cases()[case]
    user = user_of(role)
    response = client_for(user).post(P + path(), body(), format="json")
    if role in allowed:
        assert response.status_code == 201, response.content
        assert model.objects.count() == 1
    else:
        assert response.status_code == 403, (role, response.content)
        assert model.objects.count() == 0


@pytest.mark.parametrize("role", ["household", "agency", "worker"])
def test_officer_actions_refused_to_others_and_nothing_changes(role):
    officer = helpers.officer()
    course, _ = helpers.running_course(actor=officer)
    worker = factories.WorkerFactory()
    from programme.services import courses as course_services

    enrolment = course_services.course_enrol(course_id=course.pk, actor=officer, worker=worker)
    course_services.course_transition(course_id=course.pk, to_status="running", actor=officer)
    client = client_for(worker.user if role == "worker" else user_of(role))
    calls = [
        (f"courses/{course.pk}/transition/", {"status": "cancelled"}),
        (f"courses/{course.pk}/attendance/", {"session_on": str(helpers.today()), "entries": []}),
        (f"enrolments/{enrolment.pk}/complete/", {"result": "passed"}),
        ("candidates/import/", {}),
    ]
    for path, body in calls:
        assert client.post(P + path, body, format="json").status_code == 403, path
    course.refresh_from_db()
    enrolment.refresh_from_db()
    assert course.status == "running"
    assert enrolment.result == ""
    assert not worker.training_records.filter(course=course.name).exists()


def test_household_cannot_enrol_apply_or_register(household_client):
    course = helpers.course()
    exam = helpers.exam()
    assert household_client.post(f"{P}courses/{course.pk}/enrol/").status_code == 403
    assert household_client.post(f"{P}exams/{exam.pk}/register/").status_code == 403
    course.refresh_from_db()
    assert course.enrolled_count == 0


def test_worker_cannot_read_candidates_or_other_workers_registrations(worker_client):
    exam = helpers.exam()
    other = factories.WorkerFactory()
    from programme.services import exams as exam_services

    registration = exam_services.exam_register(exam_id=exam.pk, worker=other, actor=other.user)
    assert worker_client.get(f"{P}exam-registrations/").json()["count"] == 0
    response = worker_client.post(f"{P}exam-registrations/{registration.pk}/result/", {"score": 99})
    assert response.status_code == 403
    registration.refresh_from_db()
    assert registration.score is None
