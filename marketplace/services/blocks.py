"""A worker blocks a household (never matched again) or lifts the block."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from backend.exceptions import NotFound, ValidationFailed
from marketplace.locks import lock_worker
from marketplace.models import HouseholdBlock, Role, User, WorkerProfile


def household_block(
    *, worker: WorkerProfile, household_id: int, order_id: int | None = None, reason: str = ""
) -> tuple[HouseholdBlock, bool]:
    """She never gets offers, invitations or dispatches for this household again; returns
    (block, created). Pending offers between them are withdrawn by the caller (orders)."""
    household = User.objects.filter(pk=household_id, role=Role.HOUSEHOLD).first()
    if household is None:
        raise ValidationFailed(_("雇主不存在。"), field="household")
    try:
        with transaction.atomic():
            # The same row lock as offer_accept, so an accept either finishes first or sees
            # this block.
            lock_worker(worker.pk, no_key=True)
            block = HouseholdBlock.objects.create(
                worker=worker, household=household, order_id=order_id, reason=reason[:200]
            )
    except IntegrityError:
        return HouseholdBlock.objects.get(worker=worker, household=household), False
    return block, True


def household_unblock(*, worker: WorkerProfile, block_id: int) -> None:
    deleted, _rows = HouseholdBlock.objects.filter(pk=block_id, worker=worker).delete()
    if not deleted:
        raise NotFound(_("屏蔽记录不存在。"))
