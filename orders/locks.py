"""Row locks of the orders app, and the one lock order for the whole code base.

Every helper is `select_for_update()` plus the read its callers need. PostgreSQL takes the
locks; SQLite runs each transaction IMMEDIATE (settings), so writers are serialised there and
the same code is race-free on both.

The lock order. A transaction that locks several of these rows takes them top to bottom, never
upwards, so two transactions cannot wait on each other in a circle:

 1. Agency (marketplace.locks.lock_agency) — roster and staff changes
    (marketplace.services.agencies); nothing below is locked after it except its own roster
    rows.
 2. WorkerProfile (marketplace.locks.lock_worker) — first, because a worker's accepts of
    different requests must be serial for the busy-time check to hold: offer accept, visit
    moves and cancellations, placement replacement, blocking a household
    (marketplace.services.blocks), and her own profile changes (marketplace.services.workers).
 3. ServiceRequest (lock_request) — the request decides which offer wins (open → matched), and
    offers are written under it: waves, invitations, dispatch, decline, expiry, cancellation.
 4. Offer (lock_offer, lock_offers) — after its request; bulk withdrawals lock the offers of
    one request (or of one worker and household) in id order.
 5. Dispute (lock_open_dispute) — resolving takes the open dispute, then the order.
 6. Order (lock_order) — the order state machine (orders.services.orders.order_transition,
    which with its joined read also locks the order's worker and request rows: callers that
    lock those do so first, above; the payout read, orders.payments.payouts, likewise locks the
    order's worker row). Chat messages (chat.services) lock the order row to number them;
    reviews lock it to publish both sides at once, and to reply to or hide one or decide a
    report of one (orders.services.review_voice; then the ReviewReport row); settlement and
    payouts lock it before its payment; an invoice request is created under it
    (orders.services.invoices: answering one is a conditional UPDATE, no lock).
 7. Contract (lock_current_contract) — signing and amending, after the order; then the
    agency's CountersignAuthorisation in force (lock_countersign_authorisation), which a
    signature under it and its revocation both take, so neither outruns the other.
 8. Occurrence (lock_occurrence, lock_visits) — an order's visits, after the order; a visit is
    claimed with a conditional UPDATE (check-in/out) rather than a lock where that suffices.
    A start code (StartCode) is locked alone, in a short transaction of its own before the
    check-in's (orders.services.start_codes); inside the check-in a conditional UPDATE uses it.
 9. Payment (lock_payment, lock_payment_of_order), then PaymentOperation
    (lock_payment_operation) — after the order (orders.payments.operations, settlement, sync,
    payouts). A payment read that loads its order (`with_order`, lock_payment_of_order) locks
    the order row too, in the same statement. Payments are settled after commit
    (orders.payments.settlement.payment_settle_on_commit), each in its own transaction that
    locks order → payment → operation, so no remote call runs under the order's lock.
10. Metrics rollups (metrics.locks: OrderLedger by lock_order_ledger, then SubjectLock by
    lock_subject, per household then worker) — last: the metrics listeners (metrics.services)
    run inside the transaction that changed the facts (backend.fact_changes).

The programme app's rows (job fairs, openings and applications; courses, candidates and
enrolments; competitions and entries; exams and registrations) form their own chain,
documented in programme/locks.py, and are never locked with the rows above.
"""

from __future__ import annotations

from django.db.models import QuerySet

from marketplace.locks import lock_worker
from orders.models import (
    Contract,
    CountersignAuthorisation,
    Dispute,
    Occurrence,
    Offer,
    Order,
    Payment,
    PaymentOperation,
    ServiceRequest,
)
from orders.statuses import DisputeStatus

__all__ = [
    "lock_countersign_authorisation",
    "lock_current_contract",
    "lock_offer",
    "lock_offers",
    "lock_occurrence",
    "lock_open_dispute",
    "lock_order",
    "lock_payment",
    "lock_payment_of_order",
    "lock_payment_operation",
    "lock_request",
    "lock_visits",
    "lock_worker",
]


def lock_request(request_id: int, *, no_key: bool = False) -> ServiceRequest | None:
    """The request row (FOR NO KEY UPDATE with `no_key`: visits and offers that reference it
    can still be inserted meanwhile, as under a plain UPDATE)."""
    return ServiceRequest.objects.select_for_update(no_key=no_key).filter(pk=request_id).first()


def lock_offer(offer_id: int) -> Offer | None:
    """One offer row under FOR NO KEY UPDATE (the lock its status UPDATE takes)."""
    return Offer.objects.select_for_update(no_key=True).filter(pk=offer_id).first()


def lock_offers(offers: QuerySet[Offer]) -> QuerySet[Offer]:
    """The offers of a queryset under FOR NO KEY UPDATE, in id order (joined rows unlocked)."""
    return offers.select_for_update(no_key=True, of=("self",)).order_by("pk")


def lock_order(order_id: int, *, related: tuple[str, ...] = (), only_order: bool = True):
    """The order row, with `related` loaded. With `only_order=False` the joined rows of
    `related` are locked too (what order_transition's read has always done)."""
    queryset = Order.objects.select_for_update(of=("self",) if only_order else ())
    if related:
        queryset = queryset.select_related(*related)
    return queryset.filter(pk=order_id).first()


def lock_open_dispute(order_id: int) -> Dispute | None:
    """The order's open dispute, if any."""
    return (
        Dispute.objects.select_for_update()
        .filter(order_id=order_id, status=DisputeStatus.OPEN)
        .first()
    )


def lock_current_contract(order: Order) -> Contract | None:
    """The latest contract version of the order."""
    return Contract.objects.select_for_update().filter(order=order).order_by("-version").first()


def lock_countersign_authorisation(agency_id: int) -> CountersignAuthorisation | None:
    """The agency's authorisation in force (revoked_at null), with who gave it."""
    return (
        CountersignAuthorisation.objects.select_for_update(of=("self",))
        .select_related("authorised_by")
        .filter(agency_id=agency_id, revoked_at__isnull=True)
        .first()
    )


def lock_occurrence(occurrence_id: int) -> Occurrence | None:
    """One visit (only its row), with its request loaded."""
    return (
        Occurrence.objects.select_for_update(of=("self",))
        .select_related("request")
        .filter(pk=occurrence_id)
        .first()
    )


def lock_visits(visits: QuerySet[Occurrence]) -> list[Occurrence]:
    """The visits of a queryset, in time order."""
    return list(visits.select_for_update().order_by("starts_at", "pk"))


def lock_payment(payment_id: int, *, with_order: bool = False) -> Payment:
    """The payment row under FOR UPDATE. With `with_order` its order is loaded alongside and,
    being joined, locked too (what the payment reads have always done). Raises
    Payment.DoesNotExist."""
    queryset = Payment.objects.select_for_update()
    if with_order:
        queryset = queryset.select_related("order")
    return queryset.get(pk=payment_id)


def lock_payment_of_order(order: Order) -> Payment:
    """The order's payment row with its order loaded; both rows are locked (joined read).
    Raises Payment.DoesNotExist."""
    return Payment.objects.select_for_update().select_related("order").get(order=order)


def lock_payment_operation(operation_id: int) -> PaymentOperation:
    """One payment operation row, after its payment. Raises PaymentOperation.DoesNotExist."""
    return PaymentOperation.objects.select_for_update().get(pk=operation_id)
