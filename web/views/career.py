"""The career record pages: her own (with a share link and a PDF), and a shared one for
agency staff and operators."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from marketplace.models import Role
from programme.services import career
from web.views.common import is_staff_or_operator, role_required

worker_only = role_required(Role.WORKER)


def _pdf_response(record, filename: str) -> HttpResponse:
    response = HttpResponse(career.career_pdf(record), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@worker_only
def career_own(request):
    record = career.career_record(worker=request.user.worker)
    share = None
    if request.method == "POST":
        token, expires_at = career.career_share_token(worker=request.user.worker)
        share = {
            "url": request.build_absolute_uri(reverse("web:career-shared", args=[token])),
            "expires_at": expires_at,
        }
    context = {"record": record, "data": career.career_as_dict(record), "share": share}
    return render(request, "web/safety/career.html", context)


@worker_only
def career_own_pdf(request):
    return _pdf_response(career.career_record(worker=request.user.worker), "career.pdf")


def _shared_worker(request, token: str):
    if not is_staff_or_operator(request.user):
        raise Http404
    worker, problem = career.career_worker_from_token(token)
    return worker, problem


@login_required
def career_shared(request, token: str):
    worker, problem = _shared_worker(request, token)
    if worker is None:
        status = 410 if problem == "expired" else 404
        return render(
            request, "web/safety/career_invalid.html", {"problem": problem}, status=status
        )
    record = career.career_record(worker=worker)
    context = {"record": record, "data": career.career_as_dict(record), "shared_token": token}
    return render(request, "web/safety/career.html", context)


@login_required
def career_shared_pdf(request, token: str):
    worker, _problem = _shared_worker(request, token)
    if worker is None:
        raise Http404
    return _pdf_response(career.career_record(worker=worker), "career.pdf")
