"""The programme on a woman's phone: courses near her to enrol in (a waiting list when full),
her enrolments, attendance and completions, exam dates and results, her certificates, and the
federation's health checks to book. The same services as the API (`/api/v1/programme/…`)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backend.exceptions import DomainError, NotFound
from marketplace.models import Role
from programme.models import (
    BookingStatus,
    CompletionResult,
    EnrolmentStatus,
    ExamResult,
    Prize,
)
from programme.services import courses as course_services
from programme.services import health_checks as health_services
from programme.services.competition_scoring import round_means
from programme.services.waiting_list import waiting_position
from web import selectors_programme as selectors
from web.views.common import refused, role_required

worker_only = role_required(Role.WORKER)
HOME = "/worker/programme/"


def _competition_results(worker) -> list:
    """Her last ten competitions; once awarded, her round scores (her judges' mean), total,
    rank and prize."""
    entries = list(
        worker.competition_entries.select_related("competition")
        .prefetch_related("scores", "competition__rounds")
        .order_by("-competition__held_on")[:10]
    )
    for entry in entries:
        entry.round_results = round_means(entry.competition.rounds.all(), entry.scores.all())
    return entries


@worker_only
def programme_home(request):
    worker = request.user.worker
    today = timezone.localdate()
    enrolments = selectors.her_enrolments(worker=worker)
    for enrolment in enrolments:
        enrolment.queue_position = waiting_position(enrolment)
    context = {
        "courses": selectors.courses_near(worker=worker, today=today),
        "enrolments": enrolments,
        "exams": selectors.exams_near(worker=worker, today=today),
        "registrations": selectors.her_exam_registrations(worker=worker),
        "certificates": list(worker.certificates.select_related("category")[:20]),
        "competition_entries": _competition_results(worker),
        "prizes": Prize.choices,
        "enrolment_statuses": EnrolmentStatus.choices,
        "completion_results": CompletionResult.choices,
        "exam_results": ExamResult.choices,
    }
    return render(request, "web/programme/women/home.html", context)


@worker_only
def health_checks(request):
    worker = request.user.worker
    context = {
        "sessions": selectors.health_sessions_near(worker=worker, today=timezone.localdate()),
        "bookings": selectors.her_health_bookings(worker=worker),
        "booking_statuses": BookingStatus.choices,
    }
    return render(request, "web/programme/women/health_checks.html", context)


@worker_only
@require_POST
def course_enrol(request, course_id: int):
    try:
        enrolment = course_services.course_enrol(
            course_id=course_id,
            actor=request.user,
            worker=request.user.worker,
            wait_if_full=True,
        )
    except DomainError as error:
        return refused(request, error, HOME)
    if enrolment.status == EnrolmentStatus.WAITING:
        messages.info(request, _("名额已满，您已进入候补名单，有空位时会通知您。"))
    else:
        messages.success(request, _("报名成功。"))
    return redirect("web:programme-women")


@worker_only
@require_POST
def enrolment_withdraw(request, enrolment_id: int):
    if not request.user.worker.enrolments.filter(pk=enrolment_id).exists():
        return refused(request, _not_found(), HOME)
    try:
        course_services.enrolment_withdraw(enrolment_id=enrolment_id, actor=request.user)
    except DomainError as error:
        return refused(request, error, HOME)
    messages.info(request, _("已退出该课程。"))
    return redirect("web:programme-women")


@worker_only
@require_POST
def health_check_book(request, session_id: int):
    try:
        health_services.health_check_book(session_id=session_id, worker=request.user.worker)
    except DomainError as error:
        return refused(request, error, "/worker/health-checks/")
    messages.success(request, _("预约成功，请按时到场体检。"))
    return redirect("web:health-checks-women")


@worker_only
@require_POST
def health_check_cancel(request, booking_id: int):
    try:
        health_services.health_check_booking_cancel(
            booking_id=booking_id, worker=request.user.worker
        )
    except DomainError as error:
        return refused(request, error, "/worker/health-checks/")
    messages.info(request, _("已取消预约。"))
    return redirect("web:health-checks-women")


def _not_found() -> NotFound:
    return NotFound(_("报名记录不存在。"))


ROUTES = [
    path("worker/programme/", programme_home, name="programme-women"),
    path("worker/programme/courses/<int:course_id>/enrol/", course_enrol, name="course-enrol"),
    path(
        "worker/programme/enrolments/<int:enrolment_id>/withdraw/",
        enrolment_withdraw,
        name="enrolment-withdraw",
    ),
    path("worker/health-checks/", health_checks, name="health-checks-women"),
    path(
        "worker/health-checks/<int:session_id>/book/",
        health_check_book,
        name="health-check-book",
    ),
    path(
        "worker/health-checks/bookings/<int:booking_id>/cancel/",
        health_check_cancel,
        name="health-check-cancel",
    ),
]
