"""A worker's reliability with her appeals, and the appeals her agency (or an operator) decides."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backend.exceptions import DomainError
from marketplace.models import Role, WorkerProfile
from marketplace.selectors import appeals as selectors
from marketplace.services import appeals as services
from orders import selectors as order_selectors
from orders.apis.reliability import reliability_report
from web.views.common import is_staff_or_operator, refused, role_required

worker_only = role_required(Role.WORKER)


@worker_only
def reliability(request):
    worker = WorkerProfile.objects.get(pk=request.user.worker.pk)
    report = reliability_report(worker)
    return render(request, "web/safety/reliability.html", {"report": report, "worker": worker})


@worker_only
@require_POST
def appeal_create(request):
    worker = request.user.worker
    try:
        order_id = int(request.POST.get("order", ""))
    except ValueError:
        raise Http404 from None
    try:
        services.appeal_create(
            worker=worker,
            order_id=order_id,
            incident=request.POST.get("incident", ""),
            reason=request.POST.get("reason", ""),
            incidents=order_selectors.worker_incidents(worker_id=worker.pk),
        )
    except DomainError as error:
        return refused(request, error, reverse("web:reliability"))
    messages.success(request, _("申诉已提交，家政企业处理后会通知您。"))
    return redirect("web:reliability")


@login_required
def appeals(request):
    if not is_staff_or_operator(request.user):
        raise Http404
    items = list(selectors.appeals_to_decide(user=request.user)[:100])
    return render(request, "web/safety/appeals.html", {"appeals": items})


@login_required
@require_POST
def appeal_decide(request, appeal_id: int):
    if not is_staff_or_operator(request.user):
        raise Http404
    try:
        services.appeal_decide(
            appeal_id=appeal_id,
            actor=request.user,
            upheld=request.POST.get("decision") == "upheld",
            note=request.POST.get("note", ""),
        )
    except DomainError as error:
        return refused(request, error, reverse("web:appeals"))
    messages.success(request, _("已记录处理结果。"))
    return redirect("web:appeals")
