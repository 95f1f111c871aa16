"""Dispatch: the agency sends an offer to one of its workers for a request."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from backend.exceptions import DomainError, ValidationFailed
from orders import selectors as order_selectors
from orders.services.dispatch import TOO_FAR, offer_dispatch
from orders.statuses import (
    RequestKind,
)
from web.forms import apply_errors
from web.forms_agency import (
    DispatchForm,
)
from web.selectors import reason_texts
from web.selectors_agency import roster_worker_choices
from web.views.agency.console import (
    Console,
    console_page,
    console_view,
)

DISPATCH_REASON_TEXT = {TOO_FAR: _("她的常驻点离服务地址太远。")}


def _dispatch_page(request, console: Console, *, bound=None, status: int = 200):
    workers = roster_worker_choices(agency=console.agency)
    briefs = order_selectors.open_requests_for_agency(agency=console.agency)
    rows = []
    for brief in briefs:
        if bound is not None and bound.data.get("request") == str(brief.id):
            form = bound
        else:
            form = DispatchForm(workers=workers, initial={"request": brief.id})
        rows.append((brief, form))
    context = {
        "rows": rows,
        "has_workers": bool(workers),
        "kinds": RequestKind.choices,
        "radius_km": order_selectors.OPEN_REQUESTS_RADIUS_KM,
    }
    return console_page(request, console, "dispatch.html", context, status=status)


@console_view
@require_http_methods(["GET", "POST"])
def dispatch(request, console: Console):
    """Open requests near the agency (trade, time, place, budget only) and a roster worker to
    offer each to; the worker confirms by accepting the offer."""
    if request.method == "GET":
        return _dispatch_page(request, console)
    form = DispatchForm(request.POST, workers=roster_worker_choices(agency=console.agency))
    if form.is_valid():
        try:
            offer, created = offer_dispatch(
                agency=console.agency,
                actor=request.user,
                request_id=form.cleaned_data["request"],
                worker_id=form.cleaned_data["worker"],
            )
        except ValidationFailed as error:
            apply_errors(form, {error.field or "non_field_errors": [error.detail]})
        except DomainError as error:
            reasons = error.extra.get("reasons") or []
            texts = [
                str(DISPATCH_REASON_TEXT[r]) if r in DISPATCH_REASON_TEXT else text
                for r, text in zip(reasons, reason_texts(reasons), strict=True)
            ]
            form.add_error(None, " ".join([error.detail, *texts]))
        else:
            if created:
                messages.success(request, _("已派单，等待服务员确认。"))
            else:
                messages.success(request, _("已向她发出过这条派单，仍在等待确认。"))
            return redirect(console.url("dispatch/"))
    return _dispatch_page(request, console, bound=form, status=400)
