"""The agency's staff: add, change role, remove (owner only)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from backend.exceptions import DomainError, ValidationFailed
from marketplace import serializers_agencies as agency_serializers
from marketplace.models import AgencyStaff
from marketplace.selectors import agencies as agency_selectors
from marketplace.services import agencies as agency_services
from web.forms import apply_errors
from web.forms_agency import (
    StaffCreateForm,
    StaffRoleForm,
)
from web.views.agency.console import (
    Console,
    console_page,
    console_refused,
    console_view,
)


def _staff_page(request, console: Console, *, form=None, status: int = 200):
    context = {
        "staff": agency_selectors.staff_of_agency(agency=console.agency),
        "form": form or StaffCreateForm(),
        "staff_roles": AgencyStaff.StaffRole.choices,
        "role_form": StaffRoleForm(),
    }
    return console_page(request, console, "staff.html", context, status=status)


def _owner_only(request, console: Console) -> None:
    if not console.is_owner:
        raise PermissionDenied(_("只有企业负责人可以管理员工账号。"))


@console_view
@require_http_methods(["GET", "POST"])
def staff(request, console: Console):
    """Everyone sees the staff; the owner adds accounts (owner or staff)."""
    if request.method == "GET":
        return _staff_page(request, console)
    _owner_only(request, console)
    form = StaffCreateForm(request.POST)
    if form.is_valid():
        serializer = agency_serializers.StaffCreateSerializer(data=form.cleaned_data)
        if not serializer.is_valid():
            apply_errors(form, serializer.errors)
        else:
            try:
                agency_services.agency_staff_create(
                    agency=console.agency, actor=request.user, **serializer.validated_data
                )
            except ValidationFailed as error:
                apply_errors(form, {error.field or "non_field_errors": [error.detail]})
            else:
                messages.success(request, _("员工账号已创建。"))
                return redirect(console.url("staff/"))
    return _staff_page(request, console, form=form, status=400)


@console_view
@require_POST
def staff_role(request, console: Console, staff_id: int):
    _owner_only(request, console)
    form = StaffRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择岗位。"))
        return redirect(console.url("staff/"))
    try:
        agency_services.agency_staff_update(
            agency=console.agency,
            actor=request.user,
            staff_id=staff_id,
            staff_role=form.cleaned_data["staff_role"],
        )
    except DomainError as error:
        return console_refused(request, error, console.url("staff/"))
    messages.success(request, _("岗位已更新。"))
    return redirect(console.url("staff/"))


@console_view
@require_POST
def staff_remove(request, console: Console, staff_id: int):
    _owner_only(request, console)
    try:
        agency_services.agency_staff_remove(
            agency=console.agency, actor=request.user, staff_id=staff_id
        )
    except DomainError as error:
        return console_refused(request, error, console.url("staff/"))
    messages.success(request, _("员工账号已停用。"))
    return redirect(console.url("staff/"))
