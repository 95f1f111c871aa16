"""Courses through the API: create, update, transitions; enrolment rules; completion."""

import datetime as dt

import pytest

from marketplace.models import TrainingRecord
from programme.models import Course, CourseStatus, Enrolment, EnrolmentStatus
from programme.services import courses as course_services
from tests import factories
from tests.conftest import client_for
from tests.programme import helpers

pytestmark = pytest.mark.django_db
COURSES = "/api/v1/programme/courses/"


def course_body(**overrides):
    body = {
        "name": "月嫂岗前培训（康庄镇）",
        "category": "maternity_nurse",
        "kind": "pre_job",
        "mode": "offline",
        "division": helpers.SEAT,
        "place": "康庄镇妇女之家",
        "starts_on": str(helpers.today() + dt.timedelta(days=7)),
        "ends_on": str(helpers.today() + dt.timedelta(days=14)),
        "capacity": 30,
        "teacher": "张老师",
    }
    body.update(overrides)
    return body


def test_officer_creates_lists_and_updates_a_course(federation_client):
    response = federation_client.post(COURSES, course_body(), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "planned"
    assert body["category"]["code"] == "maternity_nurse"
    assert body["seats_left"] == 30
    course = Course.objects.get(pk=body["id"])
    assert course.created_by == federation_client.user

    response = federation_client.patch(
        f"{COURSES}{course.pk}/", {"capacity": 40, "teacher": "李老师"}, format="json"
    )
    assert response.status_code == 200
    course.refresh_from_db()
    assert (course.capacity, course.teacher) == (40, "李老师")

    listed = federation_client.get(COURSES, {"category": "maternity_nurse", "status": "planned"})
    assert [row["id"] for row in listed.json()["results"]] == [course.pk]
    assert federation_client.get(COURSES, {"category": "housekeeper"}).json()["count"] == 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"ends_on": str(helpers.today() - dt.timedelta(days=30))}, "ends_on"),
        ({"division": None}, "division"),
        ({"place": ""}, "place"),
        ({"capacity": 0}, "capacity"),
        ({"category": "astronaut"}, "category"),
    ],
)
def test_bad_course_input_names_the_field_and_creates_nothing(federation_client, overrides, field):
    response = federation_client.post(COURSES, course_body(**overrides), format="json")
    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert not Course.objects.exists()


def test_online_course_needs_no_place(federation_client):
    body = course_body(mode="online", division=None, place="")
    assert federation_client.post(COURSES, body, format="json").status_code == 201


def test_transitions_follow_the_table(federation_client):
    course = helpers.course(status=CourseStatus.PLANNED)
    url = f"{COURSES}{course.pk}/transition/"
    assert federation_client.post(url, {"status": "finished"}).json()["code"] == (
        "invalid_transition"
    )
    for target in ("open", "running", "finished"):
        response = federation_client.post(url, {"status": target})
        assert response.status_code == 200, response.json()
    response = federation_client.post(url, {"status": "cancelled"})
    assert response.status_code == 409
    course.refresh_from_db()
    assert course.status == CourseStatus.FINISHED


def test_capacity_cannot_drop_below_enrolled(federation_client):
    course = helpers.course(capacity=2)
    for _ in range(2):
        worker = factories.WorkerFactory()
        course_services.course_enrol(course_id=course.pk, actor=worker.user, worker=worker)
    response = federation_client.patch(f"{COURSES}{course.pk}/", {"capacity": 1}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "capacity_below_enrolled"
    course.refresh_from_db()
    assert course.capacity == 2


def test_worker_enrols_herself_once(worker_client, worker):
    course = helpers.course(capacity=5)
    response = worker_client.post(f"{COURSES}{course.pk}/enrol/")
    assert response.status_code == 201, response.json()
    assert response.json()["worker"]["id"] == worker.pk
    again = worker_client.post(f"{COURSES}{course.pk}/enrol/")
    assert again.status_code == 409
    assert again.json()["code"] == "already_enrolled"
    course.refresh_from_db()
    assert course.enrolled_count == 1
    mine = worker_client.get("/api/v1/programme/enrolments/").json()
    assert [row["course"]["id"] for row in mine["results"]] == [course.pk]


def test_full_course_says_so(worker_client):
    course = helpers.course(capacity=1)
    other = factories.WorkerFactory()
    course_services.course_enrol(course_id=course.pk, actor=other.user, worker=other)
    response = worker_client.post(f"{COURSES}{course.pk}/enrol/")
    assert response.status_code == 409
    assert response.json()["code"] == "course_full"
    assert Enrolment.objects.count() == 1


def test_enrolment_only_while_open_and_before_the_end(worker_client):
    planned = helpers.course(status=CourseStatus.PLANNED)
    # A planned course is not visible to workers at all.
    assert worker_client.post(f"{COURSES}{planned.pk}/enrol/").status_code == 404
    ended = helpers.course(
        starts_on=helpers.today() - dt.timedelta(days=10),
        ends_on=helpers.today() - dt.timedelta(days=1),
    )
    response = worker_client.post(f"{COURSES}{ended.pk}/enrol/")
    assert response.status_code == 409
    assert response.json()["code"] == "course_ended"
    running, actor = helpers.running_course()
    course_services.course_transition(course_id=running.pk, to_status="running", actor=actor)
    worker = factories.WorkerFactory()
    with pytest.raises(Exception) as refused:
        course_services.course_enrol(course_id=running.pk, actor=worker.user, worker=worker)
    assert refused.value.code == "course_not_open"
    assert not Enrolment.objects.exists()


def test_withdraw_frees_the_seat_and_reenrol_reuses_the_row(worker_client, worker):
    course = helpers.course(capacity=1)
    enrolment_id = worker_client.post(f"{COURSES}{course.pk}/enrol/").json()["id"]
    response = worker_client.post(f"/api/v1/programme/enrolments/{enrolment_id}/withdraw/")
    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"
    course.refresh_from_db()
    assert course.enrolled_count == 0
    again = worker_client.post(f"{COURSES}{course.pk}/enrol/")
    assert again.status_code == 201
    assert again.json()["id"] == enrolment_id
    course.refresh_from_db()
    assert course.enrolled_count == 1


def test_officer_enrols_a_worker_or_a_candidate(federation_client):
    course = helpers.course()
    worker = factories.WorkerFactory()
    candidate = factories_candidate()
    url = f"{COURSES}{course.pk}/enrol/"
    assert federation_client.post(url, {"worker": worker.pk}).status_code == 201
    response = federation_client.post(url, {"candidate": candidate.pk})
    assert response.status_code == 201
    assert response.json()["candidate"]["id"] == candidate.pk
    assert federation_client.post(url, {}).status_code == 400
    course.refresh_from_db()
    assert course.enrolled_count == 2


def factories_candidate(**kwargs):
    from marketplace.models import Division
    from programme.models import Candidate

    values = {
        "name": "赵桂兰",
        "phone": "13900001111",
        "division": Division.objects.get(code=helpers.SEAT),
        "village": "前屯村",
        "grid_officer": "刘主任",
    }
    values.update(kwargs)
    return Candidate.objects.create(**values)


def test_attendance_per_session_day(federation_client):
    course, actor = helpers.running_course()
    worker = factories.WorkerFactory()
    enrolment = course_services.course_enrol(course_id=course.pk, actor=actor, worker=worker)
    url = f"{COURSES}{course.pk}/attendance/"
    day = str(helpers.today() - dt.timedelta(days=1))
    body = {"session_on": day, "entries": [{"enrolment": enrolment.pk, "is_present": True}]}
    assert federation_client.post(url, body, format="json").status_code == 200
    body["entries"][0]["is_present"] = False
    assert federation_client.post(url, body, format="json").status_code == 200
    rows = federation_client.get(url).json()["results"]
    assert [(r["session_on"], r["is_present"]) for r in rows] == [(day, False)]

    future = {**body, "session_on": str(helpers.today() + dt.timedelta(days=1))}
    assert federation_client.post(url, future, format="json").json()["field"] == "session_on"
    before = {**body, "session_on": str(course.starts_on - dt.timedelta(days=1))}
    assert federation_client.post(url, before, format="json").json()["field"] == "session_on"
    stranger = {**body, "entries": [{"enrolment": 999999, "is_present": True}]}
    assert federation_client.post(url, stranger, format="json").json()["field"] == "entries"


def test_completion_writes_one_training_record(federation_client, federation_officer):
    course, actor = helpers.running_course()
    worker = factories.WorkerFactory(credentials=False)
    enrolment = course_services.course_enrol(course_id=course.pk, actor=actor, worker=worker)
    course_services.course_transition(course_id=course.pk, to_status="running", actor=actor)
    url = f"/api/v1/programme/enrolments/{enrolment.pk}/complete/"
    for _ in range(3):
        response = federation_client.post(url, {"result": "passed"})
        assert response.status_code == 200, response.json()
    record = TrainingRecord.objects.get(worker=worker)
    assert record.course == course.name
    assert record.kind == "pre_job"
    assert record.category == course.category
    assert record.provider == "临清市妇联"
    assert record.completed_on == helpers.today()
    assert record.verified_by == federation_officer.user
    assert record.verified_at is not None
    enrolment.refresh_from_db()
    assert enrolment.training_record == record
    flip = federation_client.post(url, {"result": "failed"})
    assert flip.status_code == 409
    assert flip.json()["code"] == "completion_recorded"
    assert TrainingRecord.objects.filter(worker=worker).count() == 1


def test_failed_completion_writes_nothing_and_open_course_refuses(federation_client):
    course = helpers.course()
    worker = factories.WorkerFactory(credentials=False)
    enrolment = course_services.course_enrol(course_id=course.pk, actor=worker.user, worker=worker)
    url = f"/api/v1/programme/enrolments/{enrolment.pk}/complete/"
    early = federation_client.post(url, {"result": "passed"})
    assert early.status_code == 409
    assert early.json()["code"] == "course_not_started"
    Course.objects.filter(pk=course.pk).update(status=CourseStatus.FINISHED)
    assert federation_client.post(url, {"result": "failed"}).status_code == 200
    assert not TrainingRecord.objects.filter(worker=worker).exists()
    enrolment.refresh_from_db()
    assert enrolment.result == "failed"
    assert enrolment.status == EnrolmentStatus.ENROLLED


def test_cancelling_a_course_notifies_the_enrolled(federation_client):
    from notifications.models import Notification

    course = helpers.course()
    worker = factories.WorkerFactory()
    course_services.course_enrol(course_id=course.pk, actor=worker.user, worker=worker)
    response = federation_client.post(f"{COURSES}{course.pk}/transition/", {"status": "cancelled"})
    assert response.status_code == 200
    assert Notification.objects.filter(user=worker.user, payload__kind="course.cancelled").exists()


def test_other_workers_enrolment_is_not_found(worker_client):
    course = helpers.course()
    other = factories.WorkerFactory()
    enrolment = course_services.course_enrol(course_id=course.pk, actor=other.user, worker=other)
    response = worker_client.post(f"/api/v1/programme/enrolments/{enrolment.pk}/withdraw/")
    assert response.status_code == 404
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ENROLLED


def test_client_for_used(worker):
    assert client_for(worker.user).get(COURSES).status_code == 200
