"""The one rule for identity fields: any change to her name or ID number (which carries her
birth date) clears her verification and is recorded. Every writer calls it: the profile service
(API and web form) and the admin."""

from __future__ import annotations

from dataclasses import dataclass

from marketplace import idcard
from marketplace.models import IdentityChange, IdentityField, WorkerProfile


@dataclass(frozen=True)
class IdentitySnapshot:
    real_name: str
    id_card_digest: str | None
    id_card_last4: str
    is_verified: bool


def identity_snapshot(worker: WorkerProfile) -> IdentitySnapshot:
    """Her identity as stored now; take it before changing the row."""
    return IdentitySnapshot(
        real_name=worker.real_name,
        id_card_digest=worker.id_card_digest,
        id_card_last4=worker.id_card_last4,
        is_verified=worker.is_verified,
    )


def _mask_name(name: str) -> str:
    return (name[:1] + "*" * (len(name) - 1)) if name else ""


def worker_identity_changed(
    *, worker: WorkerProfile, before: IdentitySnapshot, actor_id: int | None
) -> list[IdentityChange]:
    """Compare her saved identity with `before`; for each field that changed write an
    IdentityChange row and clear her verification. The caller holds her row (lock_worker) or
    is the admin's single save. Returns the rows written."""
    changes = []
    if worker.real_name != before.real_name:
        changes.append(
            IdentityChange(
                field=IdentityField.REAL_NAME, old_value_masked=_mask_name(before.real_name)
            )
        )
    if worker.id_card_digest != before.id_card_digest:
        changes.append(
            IdentityChange(
                field=IdentityField.ID_CARD_NUMBER,
                old_value_masked=idcard.masked(before.id_card_last4)
                if before.id_card_last4
                else "",
                old_value_digest=before.id_card_digest or "",
            )
        )
    if not changes:
        return []
    for change in changes:
        change.worker = worker
        change.changed_by_id = actor_id
        change.was_verified = before.is_verified
    IdentityChange.objects.bulk_create(changes)
    WorkerProfile.objects.filter(pk=worker.pk).update(
        is_verified=False, verified_at=None, verified_by=None
    )
    worker.is_verified, worker.verified_at, worker.verified_by = False, None, None
    return changes
