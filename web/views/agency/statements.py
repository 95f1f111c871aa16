"""The agency's monthly statement, on screen and as CSV."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone

from orders.models.payments import LedgerKind
from orders.payments import statements
from web.forms_agency import (
    MonthForm,
)
from web.views.agency.console import (
    Console,
    console_page,
    console_view,
)


def statement_month(request) -> tuple[MonthForm, str]:
    """The month asked for (YYYY-MM), this month when none or a bad one was given."""
    # The box shows the month on screen (this one unless she picked another).
    form = MonthForm(request.GET or None, initial={"month": timezone.localdate()})
    month = timezone.localdate().strftime("%Y-%m")
    if form.is_bound and form.is_valid() and form.cleaned_data.get("month"):
        month = form.cleaned_data["month"].strftime("%Y-%m")
    return form, month


def csv_response(body: str, filename: str) -> HttpResponse:
    response = HttpResponse(body.encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@console_view
def statement(request, console: Console):
    form, month = statement_month(request)
    context = {
        "form": form,
        "statement": statements.statement_of_agency(agency=console.agency, month=month),
        "csv_url": console.url(f"statement.csv?month={month}"),
        "ledger_kinds": LedgerKind.choices,
    }
    return console_page(
        request, console, "statement.html", context, status=400 if form.errors else 200
    )


@console_view
def statement_csv(request, console: Console):
    _form, month = statement_month(request)
    result = statements.statement_of_agency(agency=console.agency, month=month)
    return csv_response(
        statements.statement_csv(result), f"agency-{console.agency.pk}-statement-{month}.csv"
    )
