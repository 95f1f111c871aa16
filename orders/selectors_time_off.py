"""Reads for time off: a worker's days off that have not ended, the booked visits flagged for
a substitute (of an agency, of an order)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from marketplace.models import Agency, TimeOff, WorkerProfile
from orders.models import Occurrence
from orders.statuses import ACTIVE_ORDER_STATUSES, OccurrenceStatus


def time_off_of_worker(*, worker: WorkerProfile) -> QuerySet[TimeOff]:
    return TimeOff.objects.filter(worker=worker, ends_on__gte=timezone.localdate())


def substitutes_needed() -> QuerySet[Occurrence]:
    """Scheduled visits of live orders flagged because the worker is on leave then."""
    return (
        Occurrence.objects.filter(
            worker_time_off__isnull=False,
            status=OccurrenceStatus.SCHEDULED,
            order__status__in=ACTIVE_ORDER_STATUSES,
        )
        .select_related("worker", "worker_time_off", "request__category", "request__division")
        .order_by("starts_at", "pk")
    )


def substitutes_needed_of_agency(*, agency: Agency) -> QuerySet[Occurrence]:
    return substitutes_needed().filter(order__agency=agency)


def substitutes_needed_of_order(*, order_id: int) -> list[Occurrence]:
    return list(substitutes_needed().filter(order_id=order_id))
