"""Reads of invoice requests: an agency's (its console list) and one order's."""

from __future__ import annotations

from django.db.models import QuerySet

from orders.models import InvoiceRequest, InvoiceStatus


def invoice_requests_of_agency(*, agency, status: str | None = None) -> QuerySet[InvoiceRequest]:
    """The agency's invoice requests, newest first; `status` filters (unknown: none)."""
    queryset = InvoiceRequest.objects.filter(agency=agency).select_related(
        "order__request__category", "requested_by"
    )
    if status:
        queryset = queryset.filter(status=status if status in InvoiceStatus.values else "")
    return queryset.order_by("-created_at", "-pk")


def invoice_requests_of_order(*, order) -> QuerySet[InvoiceRequest]:
    return (
        InvoiceRequest.objects.filter(order=order)
        .select_related("order__request__category")
        .order_by("-created_at", "-pk")
    )
