"""A course's waiting list: a woman who asks for a full course waits in the order she asked,
and the first one waiting takes a seat that is given back (programme.services.courses)."""

from __future__ import annotations

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.models import User, WorkerProfile
from notifications.events import NOTIFICATION, send_event_on_commit
from programme.models import Course, CourseStatus, Enrolment, EnrolmentStatus


def enrolment_wait(
    *, course: Course, worker: WorkerProfile, existing: Enrolment | None, actor: User
) -> Enrolment:
    """Put her on the course's waiting list (a withdrawn enrolment of hers waits again).

    The caller is inside a transaction; the unique constraint refuses a second row.
    """
    now = timezone.now()
    if existing is not None:
        Enrolment.objects.filter(pk=existing.pk, status=EnrolmentStatus.WITHDRAWN).update(
            status=EnrolmentStatus.WAITING, enrolled_at=now, enrolled_by=actor
        )
        existing.refresh_from_db()
        return existing
    return Enrolment.objects.create(
        course=course,
        worker=worker,
        status=EnrolmentStatus.WAITING,
        enrolled_at=now,
        enrolled_by=actor,
    )


def waiting_position(enrolment: Enrolment) -> int | None:
    """Her place in the queue (1 = next), None when she is not waiting."""
    if enrolment.status != EnrolmentStatus.WAITING:
        return None
    ahead = Enrolment.objects.filter(
        course_id=enrolment.course_id, status=EnrolmentStatus.WAITING
    ).filter(enrolled_at__lt=enrolment.enrolled_at)
    return ahead.count() + 1


def waiting_promote(*, course_id: int) -> Enrolment | None:
    """Give a free seat to the first woman waiting, if the course is still taking people.

    The caller holds the course row lock (programme/locks.py); the seat is claimed with the
    same conditional UPDATE as an enrolment.
    """
    first = (
        Enrolment.objects.filter(course_id=course_id, status=EnrolmentStatus.WAITING)
        .select_related("worker", "course")
        .order_by("enrolled_at", "pk")
        .first()
    )
    if first is None:
        return None
    claimed = Course.objects.filter(
        pk=course_id,
        status__in=(CourseStatus.OPEN, CourseStatus.RUNNING),
        enrolled_count__lt=F("capacity"),
    ).update(enrolled_count=F("enrolled_count") + 1, updated_at=timezone.now())
    if not claimed:
        return None
    Enrolment.objects.filter(pk=first.pk, status=EnrolmentStatus.WAITING).update(
        status=EnrolmentStatus.ENROLLED
    )
    first.status = EnrolmentStatus.ENROLLED
    if first.worker_id is not None:
        send_event_on_commit(
            event_type=NOTIFICATION,
            recipients=[first.worker.user_id],
            payload={
                "kind": "course.seat",
                "course": course_id,
                "message": _("「%(name)s」有空位了，您已从候补转为正式报名。")
                % {"name": first.course.name},
            },
        )
    return first
