"""Village list upload: the file (.xlsx or .csv), a preview with every row's problems, then an
all-or-nothing import in which rows already on the list are skipped (nothing twice).

Between the preview and the import the file waits in the cache under a random token bound to
the officer who uploaded it, for PREVIEW_SECONDS.
"""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.core.cache import cache
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from backend.exceptions import DomainError
from programme.services import candidates
from web.forms_programme_console import ImportUploadForm
from web.views.programme_console_common import console_required, domain_error_on

PREVIEW_SECONDS = 30 * 60


def _key(user_id: int, token: str) -> str:
    return f"programme-import:{user_id}:{token}"


@console_required
@require_http_methods(["GET", "POST"])
def candidate_import(request):
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            preview = candidates.candidates_import_preview(
                actor=request.user, content=content, filename=upload.name or ""
            )
        except DomainError as error:
            domain_error_on(form, error)
        else:
            token = secrets.token_urlsafe(16)
            cache.set(_key(request.user.pk, token), (content, upload.name or ""), PREVIEW_SECONDS)
            context = {"preview": preview, "token": token, "filename": upload.name}
            return render(request, "web/programme/console/import_preview.html", context)
    status = 400 if form.errors else 200
    return render(request, "web/programme/console/import.html", {"form": form}, status=status)


@console_required
@require_POST
def candidate_import_confirm(request):
    token = request.POST.get("token", "")
    stored = cache.get(_key(request.user.pk, token)) if token else None
    if stored is None:
        messages.error(request, _("预览已过期，请重新上传。"))
        return redirect("web:console-import")
    content, filename = stored
    try:
        created = candidates.candidates_import_file(
            actor=request.user, content=content, filename=filename, skip_existing=True
        )
    except DomainError as error:
        messages.error(request, error.detail)
        return redirect("web:console-import")
    cache.delete(_key(request.user.pk, token))
    messages.success(request, _("已导入 %(count)d 人。") % {"count": len(created)})
    return redirect("web:console-candidates")


ROUTES = [
    path("programme/console/import/", candidate_import, name="console-import"),
    path(
        "programme/console/import/confirm/",
        candidate_import_confirm,
        name="console-import-confirm",
    ),
]
