"""Receipts in the web app: an order's receipt page and PDF for its parties and operators,
and the household's invoice (发票) request on that page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backend.exceptions import Conflict, DomainError, NotFound, ValidationFailed
from orders.models import InvoiceKind, InvoiceStatus
from orders.models.payments import OfflineMethod, PaymentStatus
from orders.receipts.labels import METHOD_LABELS, MOVEMENT_LABELS, SHARE_LABELS
from orders.receipts.pdf import receipt_pdf
from orders.receipts.selectors import Receipt, receipt_of
from orders.services.invoices import invoice_request_create
from orders.statuses import Party
from web.forms import apply_errors
from web.forms_invoices import InvoiceRequestForm
from web.views.common import refused


def _receipt(request, order_id: int) -> Receipt:
    try:
        return receipt_of(user=request.user, order_id=order_id)
    except NotFound:
        raise Http404 from None
    except Conflict as error:
        raise Http404(error.detail) from None


def _can_request_invoice(receipt: Receipt) -> bool:
    invoice = receipt.invoice
    return (
        receipt.viewer_party == Party.HOUSEHOLD
        and bool(receipt.order.agency_id)
        and (invoice is None or invoice.status == InvoiceStatus.REJECTED)
    )


def _page(request, receipt: Receipt, form=None, status: int = 200):
    can_request = _can_request_invoice(receipt)
    context = {
        "receipt": receipt,
        "order": receipt.order,
        "parties": receipt.parties,
        "method_labels": METHOD_LABELS,
        "movement_labels": MOVEMENT_LABELS,
        "share_rows": [(SHARE_LABELS[k], v) for k, v in receipt.shares.items()],
        "invoice_form": (form or InvoiceRequestForm()) if can_request else None,
        "invoice_statuses": InvoiceStatus.choices,
        "invoice_kinds": InvoiceKind.choices,
        "payment_statuses": PaymentStatus.choices,
        "offline_methods": OfflineMethod.choices,
        "is_household": receipt.viewer_party == Party.HOUSEHOLD,
        "is_agency": receipt.viewer_party == Party.AGENCY,
    }
    return render(request, "web/payments/receipt.html", context, status=status)


@login_required
def receipt_page(request, order_id: int):
    return _page(request, _receipt(request, order_id))


@login_required
def receipt_pdf_download(request, order_id: int):
    receipt = _receipt(request, order_id)
    response = HttpResponse(receipt_pdf(receipt), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="receipt-{receipt.number}.pdf"'
    return response


@login_required
@require_POST
def invoice_request(request, order_id: int):
    """The household asks the order's agency for an invoice; errors show next to the field."""
    receipt = _receipt(request, order_id)
    back = reverse("web:receipt", kwargs={"order_id": order_id})
    if receipt.viewer_party != Party.HOUSEHOLD:
        raise Http404
    form = InvoiceRequestForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            invoice_request_create(order_id=order_id, actor=request.user, **data)
        except ValidationFailed as error:
            apply_errors(form, {error.field or "non_field_errors": [error.detail]})
        except DomainError as error:
            return refused(request, error, back)
        else:
            messages.success(request, _("发票申请已提交，家政企业开具后您会在这里看到发票号码。"))
            return redirect(back + "#invoice")
    return _page(request, receipt, form=form, status=400)


ROUTES = [
    path("orders/<int:order_id>/receipt/", receipt_page, name="receipt"),
    path("orders/<int:order_id>/receipt.pdf", receipt_pdf_download, name="receipt-pdf"),
    path("orders/<int:order_id>/invoice/", invoice_request, name="invoice-request"),
]
