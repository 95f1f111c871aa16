"""Row locks of the metrics rollups, used only by metrics.services.

They come last in the one lock order of the code base (orders/locks.py, item 10): the metrics
listeners run inside the transaction that changed the facts, so the order's ledger row is
locked after the domain rows, then one SubjectLock row per household, then per worker. Both
rows are inserted before they are locked (a lost insert race is ignored), so the lock exists
even for the first event of an order or a subject.
"""

from __future__ import annotations

from metrics.models import OrderLedger, SubjectLock


def lock_order_ledger(order_id: int) -> OrderLedger:
    """The order's ledger row under FOR UPDATE, created empty on first use."""
    OrderLedger.objects.bulk_create(
        [OrderLedger(order_id=order_id, contribution={})], ignore_conflicts=True
    )
    return OrderLedger.objects.select_for_update().get(order_id=order_id)


def lock_subject(subject_type: str, subject_id: int) -> None:
    """The SubjectLock row of one household or worker under FOR UPDATE, created on first use:
    it serialises changes to that subject's distinct rows."""
    SubjectLock.objects.bulk_create(
        [SubjectLock(subject_type=subject_type, subject_id=subject_id)], ignore_conflicts=True
    )
    SubjectLock.objects.select_for_update().filter(
        subject_type=subject_type, subject_id=subject_id
    ).first()
