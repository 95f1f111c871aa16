"""Reads of reliability appeals: a worker's own, and those an agency or operator decides."""

from __future__ import annotations

from django.db.models import QuerySet

from marketplace.models import ReliabilityAppeal, User, WorkerProfile
from marketplace.selectors.agencies import staff_agency_id


def appeals_of_worker(*, worker: WorkerProfile) -> QuerySet[ReliabilityAppeal]:
    return ReliabilityAppeal.objects.filter(worker=worker).select_related("agency", "decided_by")


def appeals_to_decide(*, user: User) -> QuerySet[ReliabilityAppeal]:
    """Appeals this staff member's agency decides (operators: those without an agency, and
    every other one too)."""
    queryset = ReliabilityAppeal.objects.select_related("worker", "agency", "decided_by")
    if user.is_operator:
        return queryset
    agency_id = staff_agency_id(user)
    if agency_id is None:
        return queryset.none()
    return queryset.filter(agency_id=agency_id)
