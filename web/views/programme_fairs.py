"""Job fairs on the web: a woman finds openings and applies, follows her applications and
accepts or declines a hire; an agency shortlists, interviews and hires its applicants (a hire
is a roster invitation she accepts); officers see each fair's agencies, openings and
applications. The same services as the API (`/api/v1/programme/…`)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from backend.exceptions import DomainError, ValidationFailed
from backend.localtime import local_zone
from marketplace.models import Role
from programme import selectors
from programme.models import ApplicationStatus, FairStatus, JobApplication
from programme.services import fairs as fair_services
from programme.services import hiring
from web.forms import apply_errors
from web.forms_programme import JobFairForm, JobOpeningForm
from web.views.common import refused, role_required
from web.views.federation import federation_required

worker_only = role_required(Role.WORKER)
agency_only = role_required(Role.AGENCY_STAFF)
JOBS = "/worker/jobs/"
AGENCY_APPLICATIONS = "/agency/applications/"


@worker_only
def jobs(request):
    worker = request.user.worker
    applied = dict(JobApplication.objects.filter(worker=worker).values_list("opening_id", "status"))
    openings = list(
        selectors.openings_visible_to(user=request.user).order_by("fair__held_on", "-pk")[:50]
    )
    for opening in openings:
        opening.my_status = applied.get(opening.pk)
    context = {
        "openings": openings,
        "applications": list(
            selectors.applications_visible_to(user=request.user).select_related(
                "opening__fair", "roster_entry"
            )[:50]
        ),
        "statuses": ApplicationStatus.choices,
    }
    return render(request, "web/programme/women/jobs.html", context)


@worker_only
@require_POST
def job_apply(request, opening_id: int):
    if not selectors.openings_visible_to(user=request.user).filter(pk=opening_id).exists():
        raise Http404
    try:
        fair_services.job_apply(
            opening_id=opening_id,
            worker=request.user.worker,
            message=(request.POST.get("message") or "")[:200],
        )
    except DomainError as error:
        return refused(request, error, JOBS)
    messages.success(request, _("已投递，企业处理后会通知您。"))
    return redirect("web:jobs-women")


WORKER_ACTIONS = {
    "accept": (hiring.job_offer_accept, gettext_lazy("已接受录用，您已加入该企业的服务员花名册。")),
    "decline": (hiring.job_offer_decline, gettext_lazy("已谢绝该录用。")),
    "withdraw": (hiring.job_application_withdraw, gettext_lazy("已撤回申请。")),
}


@worker_only
@require_POST
def application_act(request, application_id: int, verb: str):
    action, done = WORKER_ACTIONS[verb]
    try:
        action(application_id=application_id, worker=request.user.worker)
    except DomainError as error:
        return refused(request, error, JOBS)
    messages.success(request, done)
    return redirect("web:jobs-women")


# ---- the agency ------------------------------------------------------------------------------


@agency_only
def agency_applications(request):
    form = JobOpeningForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            fair_services.job_opening_create(actor=request.user, **form.service_input())
        except DomainError as error:
            apply_errors(form, {error.field or "title": [error.detail]})
        else:
            messages.success(request, _("岗位已发布。"))
            return redirect("web:agency-applications")
    applications = list(
        selectors.applications_visible_to(user=request.user)
        .select_related("opening__fair", "worker__division")
        .order_by("opening", "-applied_at")[:200]
    )
    context = {
        "applications": applications,
        "statuses": ApplicationStatus.choices,
        "form": form,
    }
    status = 400 if form.errors else 200
    return render(request, "web/programme/fairs/agency_applications.html", context, status=status)


AGENCY_ACTIONS = {
    "shortlist": (hiring.job_application_shortlist, gettext_lazy("已加入入围名单。")),
    "hire": (hiring.job_application_hire, gettext_lazy("已发出录用邀请，待本人确认后加入花名册。")),
    "reject": (hiring.job_application_reject, gettext_lazy("已标记为未录用。")),
}


@agency_only
@require_POST
def agency_application_act(request, application_id: int, verb: str):
    action, done = AGENCY_ACTIONS[verb]
    try:
        action(application_id=application_id, actor=request.user)
    except DomainError as error:
        return refused(request, error, AGENCY_APPLICATIONS)
    messages.success(request, done)
    return redirect("web:agency-applications")


def _interview_at(value: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError as error:
        raise ValidationFailed(_("请填写面试时间。"), field="interview_at") from error
    return moment.replace(tzinfo=local_zone()) if moment.tzinfo is None else moment


@agency_only
@require_POST
def agency_interview(request, application_id: int):
    try:
        hiring.job_application_interview(
            application_id=application_id,
            actor=request.user,
            interview_at=_interview_at(request.POST.get("interview_at") or ""),
            place=request.POST.get("place") or "",
        )
    except DomainError as error:
        return refused(request, error, AGENCY_APPLICATIONS)
    messages.success(request, _("已发出面试通知。"))
    return redirect("web:agency-applications")


# ---- the federation --------------------------------------------------------------------------


@federation_required
def fairs_console(request):
    """Each fair with its agencies' openings and how many applications are in each state; an
    officer schedules a new fair below."""
    form = JobFairForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            fair_services.job_fair_create(actor=request.user, **form.service_input())
        except DomainError as error:
            apply_errors(form, {error.field or "name": [error.detail]})
        else:
            messages.success(request, _("招聘会已发布。"))
            return redirect("web:federation-fairs")
    counts = {
        status: Count("applications", filter=Q(applications__status=status))
        for status in (
            ApplicationStatus.APPLIED,
            ApplicationStatus.INTERVIEW,
            ApplicationStatus.OFFERED,
            ApplicationStatus.HIRED,
        )
    }
    fairs = list(
        selectors.fairs_visible_to(user=request.user).exclude(status=FairStatus.CANCELLED)[:30]
    )
    openings = (
        selectors.openings_visible_to(user=request.user)
        .filter(fair__in=fairs)
        .annotate(total=Count("applications"), **counts)
        .order_by("agency__name", "pk")
    )
    by_fair: dict[int, list] = {}
    for opening in openings:
        by_fair.setdefault(opening.fair_id, []).append(opening)
    for fair in fairs:
        fair.opening_rows = by_fair.get(fair.pk, [])
        fair.agency_count = len({row.agency_id for row in fair.opening_rows})
    context = {"fairs": fairs, "today": timezone.localdate(), "form": form}
    status = 400 if form.errors else 200
    return render(request, "web/programme/fairs/console.html", context, status=status)


ROUTES = [
    path("worker/jobs/", jobs, name="jobs-women"),
    path("worker/jobs/openings/<int:opening_id>/apply/", job_apply, name="job-apply"),
    *[
        path(
            f"worker/jobs/applications/<int:application_id>/{verb}/",
            application_act,
            {"verb": verb},
            name=f"job-application-{verb}",
        )
        for verb in WORKER_ACTIONS
    ],
    path("agency/applications/", agency_applications, name="agency-applications"),
    *[
        path(
            f"agency/applications/<int:application_id>/{verb}/",
            agency_application_act,
            {"verb": verb},
            name=f"agency-application-{verb}",
        )
        for verb in AGENCY_ACTIONS
    ],
    path(
        "agency/applications/<int:application_id>/interview/",
        agency_interview,
        name="agency-application-interview",
    ),
    path("federation/fairs/", fairs_console, name="federation-fairs"),
]
