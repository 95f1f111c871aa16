"""Pieces the order API views share: the status filter parameter and a paginated response."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from drf_spectacular.utils import OpenApiParameter

STATUS_PARAMETER = OpenApiParameter("status", str, description="filter by status")


def paginated(view, request, queryset, serializer_class):
    """One page of `queryset` rendered by `serializer_class`, in the standard envelope.

    The paginator is the view's own `pagination_class` (StandardPagination), the attribute the
    schema generator reads to document the envelope: without it the schema would say a bare
    array. Raises ImproperlyConfigured for a view that has none."""
    pagination_class = getattr(view, "pagination_class", None)
    if pagination_class is None:
        raise ImproperlyConfigured(
            f"{type(view).__name__} answers a page: set pagination_class = StandardPagination"
        )
    paginator = pagination_class()
    page = paginator.paginate_queryset(queryset, request, view=view)
    return paginator.get_paginated_response(serializer_class(page, many=True).data)
