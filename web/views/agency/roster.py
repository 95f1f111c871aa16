"""The agency's roster: list, invite a worker, end an engagement."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from backend.exceptions import DomainError, ValidationFailed
from marketplace.models import RosterEntry
from marketplace.services import agencies as agency_services
from web.forms import apply_errors
from web.forms_agency import (
    EndReasonForm,
    RosterFilterForm,
    WorkerSearchForm,
)
from web.selectors_agency import roster_rows, workers_to_invite
from web.views.agency.console import (
    Console,
    console_page,
    console_refused,
    console_view,
)


@console_view
def roster(request, console: Console):
    form = RosterFilterForm(request.GET or None)
    status = q = None
    if form.is_valid():
        status = form.cleaned_data["status"] or None
        q = form.cleaned_data["q"].strip() or None
    rows = roster_rows(agency=console.agency, status=status, q=q)
    context = {
        "form": form,
        "rows": rows,
        "statuses": RosterEntry.Status.choices,
        "today": timezone.localdate(),
    }
    return console_page(request, console, "roster.html", context)


@console_view
@require_http_methods(["GET", "POST"])
def roster_invite(request, console: Console):
    """GET: search verified workers (name, phone or id). POST: invite one by id."""
    search = WorkerSearchForm(request.GET or None)
    found = []
    if search.is_valid():
        found = list(workers_to_invite(agency=console.agency, q=search.cleaned_data["q"]))
    if request.method == "POST":
        try:
            worker_id = int(request.POST.get("worker", ""))
        except ValueError:
            messages.error(request, _("请填写服务员编号。"))
            return redirect(console.url("roster/invite/"))
        try:
            agency_services.roster_invite(
                agency=console.agency, actor=request.user, worker_id=worker_id
            )
        except DomainError as error:
            messages.error(request, error.detail)
            return redirect(console.url("roster/invite/"))
        messages.success(request, _("邀请已发出，服务员接受后加入花名册。"))
        return redirect(console.url("roster/?status=invited"))
    return console_page(request, console, "invite.html", {"search": search, "found": found})


def _entry_of(console: Console, entry_id: int) -> RosterEntry:
    entry = (
        RosterEntry.objects.select_related("worker")
        .filter(pk=entry_id, agency=console.agency)
        .first()
    )
    if entry is None:
        raise Http404
    return entry


@console_view
@require_http_methods(["GET", "POST"])
def roster_end(request, console: Console, entry_id: int):
    """End an engagement (or withdraw an invitation) with a reason; the entry stays as history."""
    entry = _entry_of(console, entry_id)
    form = EndReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            agency_services.roster_end(
                entry_id=entry.pk,
                agency=console.agency,
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationFailed as error:
            apply_errors(form, {error.field or "non_field_errors": [error.detail]})
        except DomainError as error:
            return console_refused(request, error, console.url("roster/"))
        else:
            messages.success(request, _("已结束聘用，记录保留在历史中。"))
            return redirect(console.url("roster/?status=ended"))
    status = 400 if form.errors else 200
    context = {"entry": entry, "form": form, "statuses": RosterEntry.Status.choices}
    return console_page(request, console, "roster_end.html", context, status=status)
