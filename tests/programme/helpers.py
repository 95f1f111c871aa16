"""Builders for programme rows (through the services, as officers would)."""

import datetime as dt

from django.utils import timezone

from marketplace.models import Category, Division, TrainingKind
from programme.models import CourseMode, CourseStatus
from programme.services import courses as course_services
from programme.services import exams as exam_services
from tests import factories

SEAT = "371581001000"


def today() -> dt.date:
    return timezone.localdate()


def officer():
    return factories.FederationOfficerFactory().user


def course(*, actor=None, capacity=10, status=CourseStatus.OPEN, trade="housekeeper", **kwargs):
    values = {
        "name": "家政服务员岗前培训",
        "category": Category.objects.get(code=trade),
        "kind": TrainingKind.PRE_JOB,
        "mode": CourseMode.OFFLINE,
        "division": Division.objects.get(code=SEAT),
        "place": "青年路街道妇女之家",
        "starts_on": today() + dt.timedelta(days=3),
        "ends_on": today() + dt.timedelta(days=10),
        "capacity": capacity,
        "teacher": "王老师",
    }
    values.update(kwargs)
    return course_services.course_create(actor=actor or officer(), status=status, **values)


def running_course(*, actor=None, **kwargs):
    """A course that started yesterday and is running."""
    actor = actor or officer()
    built = course(
        actor=actor,
        starts_on=today() - dt.timedelta(days=5),
        ends_on=today() + dt.timedelta(days=2),
        **kwargs,
    )
    return built, actor


def exam(*, actor=None, trade="maternity_nurse", held_on=None, **kwargs):
    return exam_services.exam_create(
        actor=actor or officer(),
        name="母婴护理员资格考试",
        category=Category.objects.get(code=trade),
        held_on=held_on or today(),
        place="临清市职业中专",
        pass_mark=kwargs.pop("pass_mark", 60),
        **kwargs,
    )
