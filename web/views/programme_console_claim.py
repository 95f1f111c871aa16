"""/accounts/claim/: a woman whose account an officer made claims it with the code sent to her
phone and a password of her own, and is signed in (marketplace.services.phone_codes)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from backend.client_address import client_address
from backend.exceptions import DomainError
from marketplace.services import phone_codes
from web.forms_programme_console import ClaimForm
from web.views.accounts import home_url_for
from web.views.programme_console_common import domain_error_on
from web.views.reach import _checked_password


@require_http_methods(["GET", "POST"])
def account_claim(request):
    form = ClaimForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid() and _checked_password(form):
        try:
            user = phone_codes.account_claim(
                phone=form.cleaned_data["phone"],
                code=form.cleaned_data["code"],
                password=form.cleaned_data["password"],
                address=client_address(request),
            )
        except DomainError as error:
            domain_error_on(form, error)
            status = error.status_code
        else:
            login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
            messages.success(request, _("账号认领成功，欢迎！"))
            return redirect(home_url_for(user))
    if request.method == "POST" and status == 200:
        status = 400
    return render(request, "web/accounts/claim.html", {"form": form}, status=status)


ROUTES = [path("accounts/claim/", account_claim, name="account-claim")]
