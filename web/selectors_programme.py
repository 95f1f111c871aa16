"""What the programme offers one woman on her phone: courses, exams and health checks near
her (her town first, her trades first), and her own enrolments, results and bookings."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q

from marketplace.models import WorkerProfile
from programme.models import (
    BookingStatus,
    Course,
    CourseStatus,
    Enrolment,
    EnrolmentStatus,
    Exam,
    ExamRegistration,
    ExamStatus,
    HealthCheckBooking,
    HealthCheckSession,
    HealthCheckSessionStatus,
)

NEAR_LIMIT = 20


def _nearness(worker: WorkerProfile, trade_ids: set[int]):
    """Her town first (online courses count as hers), then her trades, then the soonest."""

    def key(row):
        division_id = getattr(row, "division_id", None)
        in_town = division_id is None or division_id == worker.division_id
        in_trade = getattr(row, "category_id", None) in trade_ids
        return (not in_town, not in_trade, row.sort_on, row.pk)

    return key


def courses_near(*, worker: WorkerProfile, today: dt.date) -> list[Course]:
    """Open courses she can still join, nearest first, with `seats_left` and `is_mine`."""
    trade_ids = set(worker.categories.values_list("pk", flat=True))
    mine = set(
        Enrolment.objects.filter(worker=worker)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .values_list("course_id", flat=True)
    )
    courses = list(
        Course.objects.filter(status=CourseStatus.OPEN, ends_on__gte=today)
        .select_related("category", "division")
        .order_by("starts_on", "pk")[:200]
    )
    for course in courses:
        course.sort_on = course.starts_on
        course.seats_left = max(0, course.capacity - course.enrolled_count)
        course.is_mine = course.pk in mine
    return sorted(courses, key=_nearness(worker, trade_ids))[:NEAR_LIMIT]


def her_enrolments(*, worker: WorkerProfile) -> list[Enrolment]:
    """Her enrolments with the days she attended (`present_days` of `recorded_days`)."""
    return list(
        Enrolment.objects.filter(worker=worker)
        .select_related("course", "course__category", "course__division")
        .annotate(
            recorded_days=Count("attendance"),
            present_days=Count("attendance", filter=Q(attendance__is_present=True)),
        )
        .order_by("-enrolled_at", "-pk")[:50]
    )


def exams_near(*, worker: WorkerProfile, today: dt.date) -> list[Exam]:
    trade_ids = set(worker.categories.values_list("pk", flat=True))
    exams = list(
        Exam.objects.filter(status=ExamStatus.OPEN, held_on__gte=today)
        .select_related("category", "division")
        .order_by("held_on", "pk")[:100]
    )
    for exam in exams:
        exam.sort_on = exam.held_on
    return sorted(exams, key=_nearness(worker, trade_ids))[:10]


def her_exam_registrations(*, worker: WorkerProfile) -> list[ExamRegistration]:
    return list(
        ExamRegistration.objects.filter(worker=worker)
        .select_related("exam", "exam__category", "certificate")
        .order_by("-exam__held_on", "-pk")[:50]
    )


def health_sessions_near(*, worker: WorkerProfile, today: dt.date) -> list[HealthCheckSession]:
    booked = set(
        HealthCheckBooking.objects.filter(worker=worker)
        .exclude(status=BookingStatus.CANCELLED)
        .values_list("session_id", flat=True)
    )
    sessions = list(
        HealthCheckSession.objects.filter(status=HealthCheckSessionStatus.OPEN, held_on__gte=today)
        .select_related("division")
        .order_by("held_on", "pk")[:100]
    )
    for session in sessions:
        session.sort_on = session.held_on
        session.is_mine = session.pk in booked
    return sorted(sessions, key=_nearness(worker, set()))[:10]


def her_health_bookings(*, worker: WorkerProfile) -> list[HealthCheckBooking]:
    return list(
        HealthCheckBooking.objects.filter(worker=worker)
        .select_related("session", "session__division")
        .order_by("-session__held_on", "-pk")[:20]
    )
