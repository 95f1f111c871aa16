"""The agency console's frame: which agency a request works in, and its pages.

Agency staff work in their own agency at /agency/…; an operator picks an agency and works at
/agency/<id>/… . Another agency's workers, credentials, orders or disputes are 404s, as in the
API (the services decide, through `agency_of_actor`, `worker_of_agency`,
`credential_of_agency`); owner-only actions are 403 for plain staff.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from backend.exceptions import DomainError, NotFound
from marketplace.models import Agency
from marketplace.services import agencies as agency_services
from web.views.common import is_staff_or_operator


@dataclass(frozen=True)
class Console:
    agency: Agency
    base: str  # "/agency/" for staff, "/agency/<id>/" for an operator
    is_owner: bool

    def url(self, suffix: str = "") -> str:
        return self.base + suffix


def console_of(request, agency_id: int | None) -> Console:
    try:
        agency = agency_services.agency_of_actor(actor=request.user, agency_id=agency_id)
    except DomainError:
        raise Http404 from None
    if agency_id is None:
        base = reverse("web:agency-home")
    else:
        base = reverse("web:agency-id-home", kwargs={"agency_id": agency_id})
    return Console(
        agency=agency,
        base=base,
        is_owner=agency_services.is_agency_owner(actor=request.user, agency=agency),
    )


def console_view(view):
    """Signed in (else login), agency staff or operator (else 404), the console as 2nd arg."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, agency_id: int | None = None, **kwargs):
        if not is_staff_or_operator(request.user):
            raise Http404
        return view(request, console_of(request, agency_id), *args, **kwargs)

    return wrapped


def console_page(request, console: Console, template: str, context: dict, status: int = 200):
    return render(request, f"web/agency/{template}", {"console": console, **context}, status=status)


def console_refused(request, error: DomainError, to: str):
    if isinstance(error, NotFound):
        raise Http404(error.detail)
    messages.error(request, error.detail)
    return redirect(to)
