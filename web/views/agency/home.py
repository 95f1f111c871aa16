"""The console's home: an operator chooses an agency; staff see their agency's counts."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from marketplace.models import Agency, AgencyStaff
from orders import selectors as order_selectors
from orders.services.countersign import authorisation_in_force
from web.views.agency.console import (
    console_of,
    console_page,
)
from web.views.common import is_staff_or_operator


@login_required
def home(request, agency_id: int | None = None):
    if not is_staff_or_operator(request.user):
        raise Http404
    is_unattached_operator = (
        agency_id is None
        and request.user.is_operator
        and not AgencyStaff.objects.filter(user=request.user).exists()
    )
    if is_unattached_operator:
        agencies = Agency.objects.select_related("division").order_by("name")
        return render(request, "web/agency/choose.html", {"agencies": agencies})
    console = console_of(request, agency_id)
    counts = order_selectors.agency_counts(agency=console.agency)
    context = {
        "counts": counts,
        "awaiting": list(
            order_selectors.contracts_awaiting_agency(agency_id=console.agency.pk)[:5]
        ),
        "authorisation": authorisation_in_force(agency_id=console.agency.pk),
    }
    return console_page(request, console, "home.html", context)
