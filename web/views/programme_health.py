"""The federation's health-check sessions in the console: schedule a session, see who booked,
enter each result (a pass writes her health-check credential). The same services as the API."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backend.exceptions import DomainError, ValidationFailed
from marketplace.models import Division
from programme.models import BookingStatus
from programme.selectors_health import health_bookings_visible_to, health_sessions_visible_to
from programme.services import health_checks as services
from web.views.common import refused
from web.views.federation import federation_required

SESSIONS = "/federation/health-checks/"


def _date(value: str, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise ValidationFailed(_("请填写日期。"), field=field) from error


@federation_required
def sessions(request):
    errors: dict[str, str] = {}
    if request.method == "POST":
        data = request.POST
        try:
            division = Division.objects.filter(code=data.get("division") or "").first()
            if division is None:
                raise ValidationFailed(_("请选择镇街。"), field="division")
            raw_capacity = data.get("capacity") or ""
            capacity = int(raw_capacity) if raw_capacity.isdigit() else 0  # 0: refused below
            services.health_check_session_create(
                actor=request.user,
                name=data.get("name") or "",
                division=division,
                place=data.get("place") or "",
                held_on=_date(data.get("held_on") or "", "held_on"),
                capacity=capacity,
                institution=data.get("institution") or "",
            )
        except ValidationFailed as error:
            errors[error.field or "name"] = error.detail
        else:
            messages.success(request, _("体检场次已发布。"))
            return redirect("web:federation-health-checks")
    context = {
        "sessions": list(health_sessions_visible_to(user=request.user).order_by("-held_on")[:50]),
        "divisions": Division.objects.order_by("code"),
        "errors": errors,
        "values": request.POST,
    }
    return render(
        request,
        "web/programme/health/sessions.html",
        context,
        status=400 if errors else 200,
    )


@federation_required
def session_detail(request, session_id: int):
    session = get_object_or_404(health_sessions_visible_to(user=request.user), pk=session_id)
    bookings = health_bookings_visible_to(user=request.user).filter(session=session)
    context = {
        "session": session,
        "bookings": list(bookings.select_related("worker__division").order_by("pk")),
        "statuses": BookingStatus.choices,
        "default_valid_until": session.held_on + dt.timedelta(days=services.DEFAULT_VALID_DAYS),
    }
    return render(request, "web/programme/health/session.html", context)


@federation_required
@require_POST
def result_record(request, booking_id: int):
    booking = get_object_or_404(health_bookings_visible_to(user=request.user), pk=booking_id)
    back = f"{SESSIONS}{booking.session_id}/"
    try:
        valid_until = request.POST.get("valid_until") or ""
        services.health_check_result_record(
            booking_id=booking.pk,
            result=request.POST.get("result") or "",
            valid_until=_date(valid_until, "valid_until") if valid_until else None,
            actor=request.user,
        )
    except DomainError as error:
        return refused(request, error, back)
    messages.success(request, _("体检结果已登记。"))
    return redirect(back)


ROUTES = [
    path("federation/health-checks/", sessions, name="federation-health-checks"),
    path(
        "federation/health-checks/<int:session_id>/",
        session_detail,
        name="federation-health-check",
    ),
    path(
        "federation/health-checks/bookings/<int:booking_id>/result/",
        result_record,
        name="federation-health-result",
    ),
]
