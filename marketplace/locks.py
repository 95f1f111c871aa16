"""Row locks on marketplace rows. Each helper is `select_for_update()` plus the read its callers
need; the one lock order for the whole code base is documented in orders/locks.py."""

from __future__ import annotations

from marketplace.models import Agency, WorkerProfile


def lock_agency(agency_id: int) -> Agency | None:
    """The agency row under FOR UPDATE: serialises changes to its roster and staff."""
    return Agency.objects.select_for_update().filter(pk=agency_id).first()


def lock_worker(
    worker_id: int, *, no_key: bool = False, with_user: bool = False
) -> WorkerProfile | None:
    """The worker's profile row under FOR UPDATE (FOR NO KEY UPDATE with `no_key`: rows that
    reference her, such as offers and notifications, can still be written meanwhile). Only the
    profile row is locked, also when `with_user` loads her user alongside."""
    queryset = WorkerProfile.objects.select_for_update(no_key=no_key, of=("self",))
    if with_user:
        queryset = queryset.select_related("user")
    return queryset.filter(pk=worker_id).first()
