"""The programme console, officers' side: village intake and each candidate's stage.

Federation officers and operators see the whole county; a village officer (网格员) sees and
acts only on the candidates of her divisions (programme.services.scope). Anyone else gets
403. Every action calls the programme services the API calls.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from backend.client_address import client_address
from backend.exceptions import DomainError
from marketplace.phones import phone_display
from programme import selectors
from programme.candidate_stages import STAGES, candidate_stages
from programme.models import Enrolment
from programme.services import candidate_accounts, candidates
from programme.services.common import is_officer
from web.forms_programme_console import CandidateForm, ConsentForm
from web.views.programme_console_common import (
    console_required,
    domain_error_on,
    scoped_divisions,
    visible_candidate,
)

PAGE_SIZE = 30


@console_required
def candidate_list(request):
    visible = selectors.candidates_visible_to(user=request.user).order_by(
        "division__code", "village", "name", "pk"
    )
    division = request.GET.get("division", "")
    if division:
        visible = visible.filter(division__code=division)
    page = Paginator(visible, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    stages = candidate_stages(rows)
    wanted = request.GET.get("stage", "")
    items = [(c, stages[c.pk]) for c in rows if not wanted or stages[c.pk].code == wanted]
    context = {
        "items": items,
        "page": page,
        "divisions": scoped_divisions(request.user),
        "division": division,
        "stages": [(code, label) for code, label, *_rest in STAGES],
        "stage": wanted,
        "is_county": is_officer(request.user),
    }
    return render(request, "web/programme/console/candidates.html", context)


@console_required
@require_http_methods(["GET", "POST"])
def candidate_new(request):
    form = CandidateForm(request.POST or None, divisions=scoped_divisions(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            candidate = candidates.candidate_create(
                actor=request.user,
                name=data["name"],
                phone=data["phone"],
                division=data["division"],
                village=data["village"],
                grid_officer=getattr(request.user, "display_name", "")[:50],
                wanted_categories=data["wanted_categories"],
                notes=data["notes"],
            )
        except DomainError as error:
            domain_error_on(form, error)
        else:
            messages.success(request, _("已添加 %(name)s。") % {"name": candidate.name})
            if "again" in request.POST:
                return redirect("web:console-candidate-new")
            return redirect("web:console-candidate", candidate_id=candidate.pk)
    return render(request, "web/programme/console/candidate_new.html", {"form": form})


@console_required
def candidate_detail(request, candidate_id: int):
    candidate = visible_candidate(request, candidate_id)
    enrolments = Enrolment.objects.filter(candidate=candidate).select_related(
        "course", "course__category"
    )
    registrations = (
        candidate.worker.exam_registrations.select_related("exam", "certificate")
        if candidate.worker_id
        else []
    )
    context = {
        "candidate": candidate,
        "phone": phone_display(candidate.worker.phone) if candidate.worker_id else candidate.phone,
        "stage": candidate_stages([candidate])[candidate.pk],
        "enrolments": enrolments,
        "registrations": registrations,
        "consent_form": ConsentForm(),
        "may_claim": candidate.worker_id
        and candidate.consent_recorded_at
        and not candidate.worker.user.has_usable_password(),
    }
    return render(request, "web/programme/console/candidate.html", context)


@console_required
@require_POST
def candidate_account(request, candidate_id: int):
    """Create her account on her behalf (her consent recorded) and send her claim code."""
    candidate = visible_candidate(request, candidate_id)
    form = ConsentForm(request.POST)
    if form.is_valid():
        try:
            candidate_accounts.candidate_account_create(
                candidate_id=candidate.pk,
                actor=request.user,
                consent_method=form.cleaned_data["consent_method"],
            )
        except DomainError as error:
            domain_error_on(form, error)
        else:
            messages.success(request, _("账号已创建，认领码已通过短信发送给她。"))
            return redirect("web:console-candidate", candidate_id=candidate.pk)
    context = {
        "candidate": candidate,
        "phone": candidate.phone,
        "stage": candidate_stages([candidate])[candidate.pk],
        "enrolments": [],
        "registrations": [],
        "consent_form": form,
    }
    return render(request, "web/programme/console/candidate.html", context, status=400)


@console_required
@require_POST
def candidate_claim_code(request, candidate_id: int):
    candidate = visible_candidate(request, candidate_id)
    try:
        candidate_accounts.candidate_claim_code_resend(
            candidate_id=candidate.pk, actor=request.user, address=client_address(request)
        )
    except DomainError as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, _("认领码已重新发送。"))
    return redirect("web:console-candidate", candidate_id=candidate.pk)


ROUTES = [
    path("programme/console/", candidate_list, name="console-candidates"),
    path("programme/console/candidates/new/", candidate_new, name="console-candidate-new"),
    path(
        "programme/console/candidates/<int:candidate_id>/",
        candidate_detail,
        name="console-candidate",
    ),
    path(
        "programme/console/candidates/<int:candidate_id>/account/",
        candidate_account,
        name="console-candidate-account",
    ),
    path(
        "programme/console/candidates/<int:candidate_id>/claim-code/",
        candidate_claim_code,
        name="console-candidate-claim-code",
    ),
]
