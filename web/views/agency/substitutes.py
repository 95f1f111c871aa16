"""The agency's booked visits whose worker is on leave then (a substitute is needed)."""

from __future__ import annotations

from orders.selectors_time_off import substitutes_needed_of_agency
from web.views.agency.console import Console, console_page, console_view


@console_view
def substitutes(request, console: Console):
    rows = list(substitutes_needed_of_agency(agency=console.agency)[:100])
    return console_page(request, console, "substitutes.html", {"visits": rows})
