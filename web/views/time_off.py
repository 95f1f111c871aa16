"""Time off (请假) on the phone: the worker's days off (the agency's side is
web.views.agency.substitutes)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from backend.exceptions import DomainError, ValidationFailed
from marketplace.models import Role
from orders.selectors_time_off import time_off_of_worker
from orders.services.time_off import time_off_add, time_off_remove
from web.forms import TimeOffForm, apply_errors
from web.views.common import refused, role_required

worker_only = role_required(Role.WORKER)


@worker_only
@require_http_methods(["GET", "POST"])
def time_off(request):
    worker = request.user.worker
    form = TimeOffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _time_off, visits = time_off_add(worker=worker, **form.cleaned_data)
        except ValidationFailed as error:
            apply_errors(form, {error.field or "non_field_errors": [error.detail]})
        except DomainError as error:
            form.add_error(None, error.detail)
        else:
            if visits:
                messages.warning(
                    request,
                    _("已请假。请假期间有 %(count)d 次已约服务，已通知雇主和家政企业安排替班。")
                    % {"count": len(visits)},
                )
            else:
                messages.success(request, _("已请假，这几天不会再给您派单。"))
            return redirect("web:time-off")
    rows = list(time_off_of_worker(worker=worker))
    return render(request, "web/time_off/time_off.html", {"form": form, "rows": rows})


@worker_only
@require_POST
def time_off_withdraw(request, time_off_id: int):
    try:
        time_off_remove(worker=request.user.worker, time_off_id=time_off_id)
    except DomainError as error:
        return refused(request, error, "/worker/time-off/")
    messages.success(request, _("已撤销请假。"))
    return redirect("web:time-off")


ROUTES = [
    path("worker/time-off/", time_off, name="time-off"),
    path(
        "worker/time-off/<int:time_off_id>/withdraw/",
        time_off_withdraw,
        name="time-off-withdraw",
    ),
]
