"""Pieces the order API views share: the status filter parameter and a paginated response."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter

from backend.api.pagination import StandardPagination

STATUS_PARAMETER = OpenApiParameter("status", str, description="filter by status")


def paginated(view, request, queryset, serializer_class):
    """One page of `queryset` rendered by `serializer_class`, in the standard envelope."""
    paginator = StandardPagination()
    page = paginator.paginate_queryset(queryset, request, view=view)
    return paginator.get_paginated_response(serializer_class(page, many=True).data)
