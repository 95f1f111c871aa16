"""The agency's invoice requests: the list (pending first by default) and issuing or
rejecting one, each row with its own forms so errors show next to the field."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backend.exceptions import DomainError, ValidationFailed
from orders.models import InvoiceKind, InvoiceStatus
from orders.selectors_invoices import invoice_requests_of_agency
from orders.services.invoices import invoice_request_issue, invoice_request_reject
from web.forms import apply_errors
from web.forms_invoices import InvoiceIssueForm, InvoiceRejectForm
from web.views.agency.console import Console, console_page, console_refused, console_view


def _rows(console: Console, status: str | None, bound: dict):
    invoices = list(invoice_requests_of_agency(agency=console.agency, status=status)[:100])
    rows = []
    for invoice in invoices:
        forms = bound.get(invoice.pk) or {}
        rows.append(
            (
                invoice,
                forms.get("issue") or InvoiceIssueForm(prefix=f"i{invoice.pk}"),
                forms.get("reject") or InvoiceRejectForm(prefix=f"r{invoice.pk}"),
            )
        )
    return rows


def _page(request, console: Console, *, bound=None, status: int = 200):
    selected = request.GET.get("status", InvoiceStatus.REQUESTED)
    selected = selected if selected in InvoiceStatus.values else None
    context = {
        "rows": _rows(console, selected, bound or {}),
        "status": selected,
        "invoice_statuses": InvoiceStatus.choices,
        "invoice_kinds": InvoiceKind.choices,
    }
    return console_page(request, console, "invoices.html", context, status=status)


@console_view
def invoices(request, console: Console):
    return _page(request, console)


def _answer(request, console: Console, invoice_id: int, action: str):
    if not invoice_requests_of_agency(agency=console.agency).filter(pk=invoice_id).exists():
        raise Http404
    if action == "issue":
        form = InvoiceIssueForm(request.POST, prefix=f"i{invoice_id}")
    else:
        form = InvoiceRejectForm(request.POST, prefix=f"r{invoice_id}")
    if form.is_valid():
        data = form.cleaned_data
        try:
            if action == "issue":
                invoice_request_issue(
                    invoice_request_id=invoice_id,
                    actor=request.user,
                    invoice_number=data.get("invoice_number") or "",
                    issued_on=data.get("issued_on"),
                )
            else:
                invoice_request_reject(
                    invoice_request_id=invoice_id,
                    actor=request.user,
                    reason=data.get("reason") or "",
                )
        except ValidationFailed as error:
            apply_errors(form, {error.field or "non_field_errors": [error.detail]})
        except DomainError as error:
            return console_refused(request, error, console.url("invoices/"))
        else:
            done = _("发票已标记为已开具。") if action == "issue" else _("发票申请已驳回。")
            messages.success(request, done)
            return redirect(console.url("invoices/"))
    return _page(request, console, bound={invoice_id: {action: form}}, status=400)


@console_view
@require_POST
def invoice_issue(request, console: Console, invoice_id: int):
    return _answer(request, console, invoice_id, "issue")


@console_view
@require_POST
def invoice_reject(request, console: Console, invoice_id: int):
    return _answer(request, console, invoice_id, "reject")
