"""Exams in the programme console: schedule one for a course's trade, register candidates,
enter scores one by one or from a spreadsheet (pass or fail by the exam's pass mark), and the
printable certificate each pass issues. County officers only.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from backend.exceptions import DomainError
from programme import selectors
from programme.models import CompletionResult, CourseStatus, Enrolment, ExamResult
from programme.services import exam_scores, exams
from web.forms_programme_console import ExamForm, ExamRegisterForm, ScoreForm, ScoreUploadForm
from web.views.programme_console_common import county_required, domain_error_on


def _exam(request, exam_id: int):
    return get_object_or_404(selectors.exams_visible_to(user=request.user), pk=exam_id)


@county_required
def exam_list(request):
    visible = selectors.exams_visible_to(user=request.user).order_by("-held_on", "-pk")
    return render(request, "web/programme/console/exams.html", {"exams": visible[:100]})


@county_required
@require_http_methods(["GET", "POST"])
def exam_new(request):
    courses = (
        selectors.courses_visible_to(user=request.user)
        .exclude(status=CourseStatus.CANCELLED)
        .order_by("-starts_on")
    )
    initial = {"course": request.GET.get("course")} if request.GET.get("course") else None
    form = ExamForm(request.POST or None, courses=courses, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            exam = exams.exam_create(
                actor=request.user,
                name=data["name"],
                category=data["category"],
                held_on=data["held_on"],
                place=data["place"],
                division=data["course"].division if data["course"] else None,
                pass_mark=data["pass_mark"],
                level=data["level"],
            )
        except DomainError as error:
            domain_error_on(form, error)
        else:
            messages.success(request, _("考试已安排。"))
            return redirect("web:console-exam", exam_id=exam.pk)
    status = 400 if form.errors else 200
    return render(request, "web/programme/console/exam_new.html", {"form": form}, status=status)


def _register_choices(request, exam):
    """Candidates with an account who passed a course of the exam's trade, not yet registered."""
    trained = Enrolment.objects.filter(
        result=CompletionResult.PASSED, course__category=exam.category, worker__isnull=False
    ).values("worker_id")
    return (
        selectors.candidates_visible_to(user=request.user)
        .filter(worker__in=trained)
        .exclude(worker__exam_registrations__exam=exam)
        .order_by("village", "name")
    )


@county_required
def exam_detail(request, exam_id: int, register_form=None, upload_form=None):
    exam = _exam(request, exam_id)
    registrations = exam.registrations.select_related("worker", "certificate").order_by("pk")
    context = {
        "exam": exam,
        "registrations": registrations,
        "register_form": register_form
        or ExamRegisterForm(candidates=_register_choices(request, exam)),
        "upload_form": upload_form or ScoreUploadForm(),
        "pending": ExamResult.PENDING,
    }
    failed = register_form is not None or upload_form is not None
    return render(
        request, "web/programme/console/exam.html", context, status=400 if failed else 200
    )


@county_required
@require_POST
def exam_register(request, exam_id: int):
    exam = _exam(request, exam_id)
    form = ExamRegisterForm(request.POST, candidates=_register_choices(request, exam))
    if not form.is_valid():
        return exam_detail(request, exam_id, register_form=form)
    count = 0
    for candidate in form.cleaned_data["candidates"]:
        try:
            exams.exam_register(exam_id=exam.pk, worker=candidate.worker, actor=request.user)
        except DomainError as error:
            messages.error(request, f"{candidate.name}：{error.detail}")
        else:
            count += 1
    if count:
        messages.success(request, _("已报名 %(count)d 人。") % {"count": count})
    return redirect("web:console-exam", exam_id=exam.pk)


@county_required
@require_POST
def exam_score(request, exam_id: int):
    exam = _exam(request, exam_id)
    registration = get_object_or_404(exam.registrations, pk=request.POST.get("registration") or 0)
    form = ScoreForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("成绩须在 0 到 100 之间。"))
        return redirect("web:console-exam", exam_id=exam.pk)
    try:
        exams.exam_result_record(
            registration_id=registration.pk, score=form.cleaned_data["score"], actor=request.user
        )
    except DomainError as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, _("成绩已登记。"))
    return redirect("web:console-exam", exam_id=exam.pk)


@county_required
@require_POST
def exam_scores_upload(request, exam_id: int):
    exam = _exam(request, exam_id)
    form = ScoreUploadForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            recorded = exam_scores.exam_scores_import(
                exam_id=exam.pk,
                actor=request.user,
                content=upload.read(),
                filename=upload.name or "",
            )
        except DomainError as error:
            domain_error_on(form, error)
            for problem in (error.extra or {}).get("errors", []):
                form.add_error(
                    None,
                    _("第 %(row)d 行：%(detail)s")
                    % {"row": problem["row"], "detail": problem["detail"]},
                )
        else:
            messages.success(request, _("已登记 %(count)d 人的成绩。") % {"count": len(recorded)})
            return redirect("web:console-exam", exam_id=exam.pk)
    return exam_detail(request, exam_id, upload_form=form)


@county_required
def certificate_print(request, exam_id: int, registration_id: int):
    exam = _exam(request, exam_id)
    registration = get_object_or_404(
        exam.registrations.select_related("worker", "certificate", "certificate__category"),
        pk=registration_id,
        certificate__isnull=False,
    )
    context = {"exam": exam, "registration": registration, "certificate": registration.certificate}
    return render(request, "web/programme/console/certificate.html", context)


def _exam_path(suffix: str, view, name: str):
    return path(f"programme/console/exams/<int:exam_id>/{suffix}", view, name=name)


ROUTES = [
    path("programme/console/exams/", exam_list, name="console-exams"),
    path("programme/console/exams/new/", exam_new, name="console-exam-new"),
    _exam_path("", exam_detail, "console-exam"),
    _exam_path("register/", exam_register, "console-exam-register"),
    _exam_path("score/", exam_score, "console-exam-score"),
    _exam_path("scores/", exam_scores_upload, "console-exam-scores"),
    _exam_path("certificates/<int:registration_id>/", certificate_print, "console-certificate"),
]
