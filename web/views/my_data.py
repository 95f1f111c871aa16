"""我的数据 (settings): her data summary and archive, her consents, deleting her account."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from backend.exceptions import Conflict, NotFound, ValidationFailed
from marketplace.models import Consent, ConsentKind
from marketplace.services.consents import WITHDRAWAL_EFFECTS, consent_withdraw
from personal_data import deletion
from personal_data.archive import archive_response
from personal_data.models import DeletionRequest
from personal_data.summary import data_summary


class DeletionForm(forms.Form):
    password = forms.CharField(
        label=gettext_lazy("请输入密码以确认"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


def _page(request, form: DeletionForm | None = None):
    user = request.user
    consents = [
        (consent, WITHDRAWAL_EFFECTS[ConsentKind(consent.kind)])
        for consent in Consent.objects.filter(user=user).order_by("-given_at", "-pk")
    ]
    context = {
        "summary": data_summary(user=user),
        "consents": consents,
        "pending": deletion.pending_deletion(user=user),
        "latest": DeletionRequest.objects.filter(user=user).first(),
        "blocker": deletion.deletion_blocker(user=user),
        "cooling_off_days": deletion.cooling_off().days,
        "form": form or DeletionForm(),
    }
    return render(request, "web/settings/my_data.html", context)


@login_required
def my_data(request):
    return _page(request)


@login_required
def archive_download(request):
    return archive_response(request, request.user)


@login_required
@require_POST
def consent_withdraw_view(request, consent_id: int):
    try:
        consent_withdraw(consent_id=consent_id, user=request.user)
    except NotFound as error:  # another user's consent: nothing to say about it
        raise Http404 from error
    except Conflict as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, _("已撤回同意。"))
    return redirect("web:my-data")


@login_required
@require_POST
def deletion_request_view(request):
    form = DeletionForm(request.POST)
    if not form.is_valid():
        return _page(request, form)
    try:
        deletion.account_deletion_request(user=request.user, password=form.cleaned_data["password"])
    except ValidationFailed as error:
        form.add_error("password", error.detail)
        return _page(request, form)
    except Conflict as error:
        messages.error(request, error.detail)
        return redirect("web:my-data")
    messages.success(request, _("注销申请已提交，冷静期内可以随时撤销。"))
    return redirect("web:my-data")


@login_required
@require_POST
def deletion_cancel_view(request):
    try:
        deletion.account_deletion_cancel(user=request.user)
    except Conflict as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, _("已撤销注销申请，账号照常使用。"))
    return redirect("web:my-data")


ROUTES = [
    path("settings/my-data/", my_data, name="my-data"),
    path("settings/my-data/archive.zip", archive_download, name="my-data-archive"),
    path(
        "settings/my-data/consents/<int:consent_id>/withdraw/",
        consent_withdraw_view,
        name="consent-withdraw",
    ),
    path("settings/my-data/delete/", deletion_request_view, name="account-delete"),
    path("settings/my-data/delete/cancel/", deletion_cancel_view, name="account-delete-cancel"),
]
