"""The agency's orders, contracts and disputes, and resolving a dispute."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backend.exceptions import DomainError, ValidationFailed
from orders import selectors as order_selectors
from orders.services.disputes import order_dispute_resolve
from orders.statuses import (
    ContractStatus,
    DisputeOutcome,
    DisputeStatus,
    OrderStatus,
)
from web.forms import apply_errors, yuan_to_fen
from web.forms_agency import (
    DisputeResolveForm,
)
from web.views.agency.console import (
    Console,
    console_page,
    console_refused,
    console_view,
)


def _status_filter(request, choices) -> str | None:
    status = request.GET.get("status") or None
    return status if status in dict(choices) else None


@console_view
def orders(request, console: Console):
    status = _status_filter(request, OrderStatus.choices)
    rows = order_selectors.orders_of_agency(agency=console.agency, status=status)[:100]
    context = {"orders": rows, "status": status, "order_statuses": OrderStatus.choices}
    return console_page(request, console, "orders.html", context)


@console_view
def contracts(request, console: Console):
    status = _status_filter(request, ContractStatus.choices)
    rows = order_selectors.contracts_of_agency(agency=console.agency, status=status)[:100]
    context = {
        "contracts": rows,
        "status": status,
        "contract_statuses": ContractStatus.choices,
    }
    return console_page(request, console, "contracts.html", context)


def _disputes_page(request, console: Console, *, bound=None, bound_id=None, status=200):
    selected = _status_filter(request, DisputeStatus.choices)
    disputes = list(
        order_selectors.disputes_of_agency(agency=console.agency, status=selected)[:100]
    )
    rows = [
        (d, bound if d.order_id == bound_id else DisputeResolveForm(prefix=f"d{d.order_id}"))
        for d in disputes
    ]
    context = {
        "rows": rows,
        "status": selected,
        "dispute_statuses": DisputeStatus.choices,
        "outcomes": DisputeOutcome.choices,
        "order_statuses": OrderStatus.choices,
    }
    return console_page(request, console, "disputes.html", context, status=status)


@console_view
def disputes(request, console: Console):
    return _disputes_page(request, console)


@console_view
@require_POST
def dispute_resolve(request, console: Console, order_id: int):
    if not order_selectors.orders_of_agency(agency=console.agency).filter(pk=order_id).exists():
        raise Http404
    form = DisputeResolveForm(request.POST, prefix=f"d{order_id}")
    if form.is_valid():
        data = form.cleaned_data
        try:
            order_dispute_resolve(
                order_id=order_id,
                actor=request.user,
                outcome=data["outcome"],
                refund_amount=yuan_to_fen(data.get("refund_amount")) or 0,
                note=data.get("note") or "",
            )
        except ValidationFailed as error:
            apply_errors(form, {error.field or "non_field_errors": [error.detail]})
        except DomainError as error:
            return console_refused(request, error, console.url("disputes/"))
        else:
            messages.success(request, _("争议已处理。"))
            return redirect(console.url("disputes/"))
    return _disputes_page(request, console, bound=form, bound_id=order_id, status=400)
