"""The worker's agency invitations: accept (the agency then sees her contact details) or
decline. The same services as the API (`workers/me/roster/invitations/…`)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backend.exceptions import DomainError
from marketplace.models import Role, RosterEntry
from marketplace.selectors.agencies import roster_entries_of_worker
from marketplace.services import agencies as agency_services
from web.views.common import refused, role_required

worker_only = role_required(Role.WORKER)


@worker_only
def invitations(request):
    worker = request.user.worker
    entries = list(roster_entries_of_worker(worker=worker)[:50])
    context = {
        "invited": [e for e in entries if e.status == RosterEntry.Status.INVITED],
        "others": [e for e in entries if e.status != RosterEntry.Status.INVITED],
        "statuses": RosterEntry.Status.choices,
    }
    return render(request, "web/worker/invitations.html", context)


@worker_only
@require_POST
def invitation_accept(request, entry_id: int):
    try:
        agency_services.roster_invitation_accept(entry_id=entry_id, worker=request.user.worker)
    except DomainError as error:
        return refused(request, error, "/worker/invitations/")
    messages.success(request, _("已加入该家政企业，企业现在可以看到您的联系方式。"))
    return redirect("web:worker-invitations")


@worker_only
@require_POST
def invitation_decline(request, entry_id: int):
    try:
        agency_services.roster_invitation_decline(
            entry_id=entry_id,
            worker=request.user.worker,
            reason=(request.POST.get("reason") or "")[:200],
        )
    except DomainError as error:
        return refused(request, error, "/worker/invitations/")
    messages.info(request, _("已拒绝该邀请。"))
    return redirect("web:worker-invitations")
