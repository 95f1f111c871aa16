"""Courses in the programme console: create, publish and run them, enrol candidates (or put
them on the waiting list when full), take attendance per session, record completion.

County officers run courses; a village officer sees the open and running ones and enrols the
candidates of her divisions.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from backend.exceptions import DomainError
from programme import selectors
from programme.models import (
    COURSE_TRANSITIONS,
    Attendance,
    CourseMode,
    CourseStatus,
    Enrolment,
    EnrolmentStatus,
    WaitlistEntry,
)
from programme.services import courses, waitlist
from programme.services.common import is_officer
from programme.services.scope import officer_division_ids
from web.forms_programme_console import AttendanceForm, CourseForm, EnrolForm
from web.views.programme_console_common import (
    console_required,
    county_required,
    domain_error_on,
)

TRANSITION_LABELS = {
    CourseStatus.OPEN: gettext_lazy("发布报名"),
    CourseStatus.RUNNING: gettext_lazy("开课"),
    CourseStatus.FINISHED: gettext_lazy("结业"),
    CourseStatus.CANCELLED: gettext_lazy("取消课程"),
    CourseStatus.PLANNED: gettext_lazy("撤回为筹备中"),
}


def _course(request, course_id: int):
    return get_object_or_404(selectors.courses_visible_to(user=request.user), pk=course_id)


def _scoped(queryset, user, field: str):
    scope = officer_division_ids(user)
    return queryset if scope is None else queryset.filter(**{f"{field}__in": scope})


@console_required
def course_list(request):
    visible = selectors.courses_visible_to(user=request.user).order_by("-starts_on", "-pk")
    context = {"courses": visible[:100], "is_county": is_officer(request.user)}
    return render(request, "web/programme/console/courses.html", context)


@county_required
@require_http_methods(["GET", "POST"])
def course_new(request):
    form = CourseForm(request.POST or None, initial={"mode": CourseMode.OFFLINE, "capacity": 30})
    if request.method == "POST" and form.is_valid():
        try:
            course = courses.course_create(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            domain_error_on(form, error)
        else:
            messages.success(request, _("课程已创建。"))
            return redirect("web:console-course", course_id=course.pk)
    status = 400 if form.errors else 200
    return render(request, "web/programme/console/course_new.html", {"form": form}, status=status)


def _enrol_choices(request, course):
    taken = Enrolment.objects.filter(course=course, status=EnrolmentStatus.ENROLLED)
    waiting = WaitlistEntry.objects.filter(course=course)
    return (
        selectors.candidates_visible_to(user=request.user)
        .exclude(pk__in=taken.filter(candidate__isnull=False).values("candidate_id"))
        .exclude(worker__in=taken.filter(worker__isnull=False).values("worker_id"))
        .exclude(pk__in=waiting.values("candidate_id"))
        .order_by("village", "name")
    )


@console_required
def course_detail(request, course_id: int, enrol_form=None):
    course = _course(request, course_id)
    enrolments = _scoped(
        course.enrolments.filter(status=EnrolmentStatus.ENROLLED).select_related(
            "candidate", "worker"
        ),
        request.user,
        "candidate__division_id",
    ).order_by("pk")
    waiting = _scoped(
        WaitlistEntry.objects.filter(course=course).select_related("candidate"),
        request.user,
        "candidate__division_id",
    )
    is_county = is_officer(request.user)
    context = {
        "course": course,
        "enrolments": enrolments,
        "waiting": waiting,
        "seats_left": course.capacity - course.enrolled_count,
        "enrol_form": enrol_form or EnrolForm(candidates=_enrol_choices(request, course)),
        "is_county": is_county,
        "transitions": [
            (status, TRANSITION_LABELS[status])
            # Moving forward first; going back or cancelling last.
            for status in sorted(
                COURSE_TRANSITIONS.get(course.status, ()),
                key=lambda s: (s in (CourseStatus.CANCELLED, CourseStatus.PLANNED), s),
            )
        ]
        if is_county
        else [],
        "may_complete": is_county
        and course.status in (CourseStatus.RUNNING, CourseStatus.FINISHED),
        "takes_attendance": is_county
        and course.mode == CourseMode.OFFLINE
        and course.status in (CourseStatus.RUNNING, CourseStatus.FINISHED),
    }
    status = 400 if enrol_form is not None else 200
    return render(request, "web/programme/console/course.html", context, status=status)


@county_required
@require_POST
def course_transition(request, course_id: int):
    course = _course(request, course_id)
    try:
        courses.course_transition(
            course_id=course.pk, to_status=request.POST.get("to_status", ""), actor=request.user
        )
    except DomainError as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, _("课程状态已更新。"))
    return redirect("web:console-course", course_id=course.pk)


@console_required
@require_POST
def course_enrol(request, course_id: int):
    """Enrol the chosen candidates; those who find the course full go on the waiting list."""
    course = _course(request, course_id)
    form = EnrolForm(request.POST, candidates=_enrol_choices(request, course))
    if not form.is_valid():
        return course_detail(request, course_id, enrol_form=form)
    enrolled = waiting = 0
    for candidate in form.cleaned_data["candidates"]:
        try:
            enrolment, entry = waitlist.course_enrol_or_wait(
                course_id=course.pk, candidate=candidate, actor=request.user
            )
        except DomainError as error:
            messages.error(request, f"{candidate.name}：{error.detail}")
            continue
        enrolled += enrolment is not None
        waiting += entry is not None
    if enrolled:
        messages.success(request, _("已报名 %(count)d 人。") % {"count": enrolled})
    if waiting:
        messages.warning(request, _("名额已满，%(count)d 人已进入候补名单。") % {"count": waiting})
    return redirect("web:console-course", course_id=course.pk)


@county_required
@require_POST
def course_withdraw(request, course_id: int):
    """Withdraw one enrolment and give the freed seat to the waiting list."""
    course = _course(request, course_id)
    enrolment = get_object_or_404(course.enrolments, pk=request.POST.get("enrolment") or 0)
    try:
        courses.enrolment_withdraw(enrolment_id=enrolment.pk, actor=request.user)
        promoted = waitlist.waitlist_promote(course_id=course.pk, actor=request.user)
    except DomainError as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, _("已退出；候补递补 %(count)d 人。") % {"count": len(promoted)})
    return redirect("web:console-course", course_id=course.pk)


@county_required
@require_http_methods(["GET", "POST"])
def course_attendance(request, course_id: int):
    course = _course(request, course_id)
    enrolments = list(
        course.enrolments.filter(status=EnrolmentStatus.ENROLLED)
        .select_related("candidate", "worker")
        .order_by("pk")
    )
    today = timezone.localdate()
    day = (
        request.POST.get("session_on")
        or request.GET.get("session_on")
        or min(today, course.ends_on).isoformat()
    )
    present = (
        dict(
            Attendance.objects.filter(enrolment__course=course, session_on=day).values_list(
                "enrolment_id", "is_present"
            )
        )
        if request.method == "GET"
        else {}
    )
    initial = {"session_on": day, **{f"present_{k}": v for k, v in present.items()}}
    form = AttendanceForm(request.POST or None, enrolments=enrolments, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            courses.attendance_record(
                course_id=course.pk,
                session_on=form.cleaned_data["session_on"],
                entries=form.entries(),
                actor=request.user,
            )
        except DomainError as error:
            domain_error_on(form, error)
        else:
            messages.success(request, _("考勤已保存。"))
            return redirect("web:console-course", course_id=course.pk)
    context = {"course": course, "form": form}
    status = 400 if form.errors else 200
    return render(request, "web/programme/console/attendance.html", context, status=status)


@county_required
@require_POST
def course_complete(request, course_id: int):
    course = _course(request, course_id)
    enrolment = get_object_or_404(course.enrolments, pk=request.POST.get("enrolment") or 0)
    try:
        courses.enrolment_complete(
            enrolment_id=enrolment.pk, result=request.POST.get("result", ""), actor=request.user
        )
    except DomainError as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, _("结业结果已登记。"))
    return redirect("web:console-course", course_id=course.pk)


def _course_path(suffix: str, view, name: str):
    return path(f"programme/console/courses/<int:course_id>/{suffix}", view, name=name)


ROUTES = [
    path("programme/console/courses/", course_list, name="console-courses"),
    path("programme/console/courses/new/", course_new, name="console-course-new"),
    _course_path("", course_detail, "console-course"),
    _course_path("transition/", course_transition, "console-course-transition"),
    _course_path("enrol/", course_enrol, "console-course-enrol"),
    _course_path("withdraw/", course_withdraw, "console-course-withdraw"),
    _course_path("attendance/", course_attendance, "console-course-attendance"),
    _course_path("complete/", course_complete, "console-course-complete"),
]
