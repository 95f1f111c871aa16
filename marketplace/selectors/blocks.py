"""Reads of household blocks: who blocked a household, and a worker's blocks."""

from __future__ import annotations

from django.db.models import QuerySet

from marketplace.models import HouseholdBlock, WorkerProfile


def blocked_worker_ids(*, household_id: int) -> list[int]:
    """Workers who blocked this household: never offered, invited or dispatched to it."""
    return list(
        HouseholdBlock.objects.filter(household_id=household_id).values_list("worker_id", flat=True)
    )


def is_blocked(*, worker_id: int, household_id: int) -> bool:
    return HouseholdBlock.objects.filter(worker_id=worker_id, household_id=household_id).exists()


def blocks_of_worker(*, worker: WorkerProfile) -> QuerySet[HouseholdBlock]:
    return HouseholdBlock.objects.filter(worker=worker).select_related("household")
