"""Notification settings, phone verification and forgotten passwords (pages over the same
services as the API: notifications.reach, marketplace.services.phone_codes)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import password_validation
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from backend.client_address import client_address
from backend.exceptions import DomainError
from marketplace.phones import phone_display
from marketplace.services import phone_codes
from marketplace.services.workers import worker_profile_update
from notifications.reach import preferences_of, quiet_hours_of, reach_settings_update
from web.forms import apply_errors
from web.forms_reach import CodeForm, NewPasswordForm, PhoneNumberForm, ReachSettingsForm


def _domain_error(form, error: DomainError) -> None:
    apply_errors(form, {error.field or "non_field_errors": [error.detail]})


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request):
    user = request.user
    worker = getattr(user, "worker", None) if user.is_worker else None
    initial = ReachSettingsForm.initial_from(
        preferences_of(user.pk),
        quiet_hours_of(user.pk),
        paused=(not worker.is_accepting_offers) if worker else None,
    )
    form = ReachSettingsForm(request.POST or None, initial=initial, is_worker=worker is not None)
    if request.method == "POST" and form.is_valid():
        reach_settings_update(user_id=user.pk, preferences=form.preferences(), quiet=form.quiet())
        if worker is not None:
            worker_profile_update(
                worker=worker, is_accepting_offers=not form.cleaned_data.get("paused", False)
            )
        messages.success(request, _("通知设置已保存。"))
        return redirect("web:notification-settings")
    context = {"form": form, "vapid_public_key": settings.VAPID_PUBLIC_KEY}
    return render(request, "web/settings/notifications.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def phone_settings(request):
    user = request.user
    phone_form = PhoneNumberForm(prefix="p", initial={"phone": user.phone})
    code_form = CodeForm(prefix="c")
    if request.method == "POST" and "send" in request.POST:
        phone_form = PhoneNumberForm(request.POST, prefix="p")
        if phone_form.is_valid():
            try:
                phone_codes.phone_verification_send(
                    user=user,
                    phone=phone_form.cleaned_data["phone"],
                    address=client_address(request),
                )
            except DomainError as error:
                _domain_error(phone_form, error)
            else:
                messages.success(request, _("验证码已发送，请查看短信。"))
                return redirect("web:phone-settings")
    elif request.method == "POST":
        code_form = CodeForm(request.POST, prefix="c")
        if code_form.is_valid():
            try:
                phone_codes.phone_verification_confirm(
                    user=user, code=code_form.cleaned_data["code"]
                )
            except DomainError as error:
                _domain_error(code_form, error)
            else:
                messages.success(request, _("手机号已验证。"))
                return redirect("web:phone-settings")
    context = {
        "phone_form": phone_form,
        "code_form": code_form,
        "phone": phone_display(user.phone),
        "is_verified": bool(user.phone and user.phone_verified_at),
    }
    return render(request, "web/settings/phone.html", context)


def _checked_password(form, field: str = "password") -> bool:
    try:
        password_validation.validate_password(form.cleaned_data[field])
    except ValidationError as error:
        apply_errors(form, {field: list(error.messages)})
        return False
    return True


@require_http_methods(["GET", "POST"])
def forgot_password(request):
    """Step 1: a phone number (the same answer whether it has an account); step 2: the code
    and a new password."""
    phone_form = PhoneNumberForm(request.POST or None, prefix="p")
    if request.method == "POST" and phone_form.is_valid():
        phone = phone_form.cleaned_data["phone"]
        try:
            phone_codes.password_reset_send(phone=phone, address=client_address(request))
        except DomainError as error:
            _domain_error(phone_form, error)
        else:
            request.session["reset_phone"] = phone
            return redirect("web:forgot-password-code")
    return render(request, "web/accounts/forgot.html", {"form": phone_form})


@require_http_methods(["GET", "POST"])
def forgot_password_code(request):
    phone = request.session.get("reset_phone")
    if not phone:
        return redirect("web:forgot-password")
    code_form = CodeForm(request.POST or None, prefix="c")
    password_form = NewPasswordForm(request.POST or None, prefix="n")
    if request.method == "POST" and code_form.is_valid() and password_form.is_valid():
        if _checked_password(password_form):
            try:
                phone_codes.password_reset_confirm(
                    phone=phone,
                    code=code_form.cleaned_data["code"],
                    password=password_form.cleaned_data["password"],
                )
            except DomainError as error:
                _domain_error(code_form, error)
            else:
                request.session.pop("reset_phone", None)
                messages.success(request, _("密码已重置，请用新密码登录。"))
                return redirect("web:login")
    context = {
        "code_form": code_form,
        "password_form": password_form,
        "phone": phone_display(phone),
    }
    return render(request, "web/accounts/forgot_code.html", context)


@require_http_methods(["GET", "POST"])
def reset_by_link(request, token: str):
    form = NewPasswordForm(request.POST or None, prefix="n")
    if request.method == "POST" and form.is_valid() and _checked_password(form):
        try:
            phone_codes.reset_link_use(token=token, password=form.cleaned_data["password"])
        except DomainError as error:
            _domain_error(form, error)
        else:
            messages.success(request, _("密码已重置，请用新密码登录。"))
            return redirect("web:login")
    return render(request, "web/accounts/reset_link.html", {"form": form})
