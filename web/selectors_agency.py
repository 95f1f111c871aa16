"""Reads of the agency console, the payment panels and the dashboard (scoped by the caller)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from marketplace.models import Agency, RosterEntry, WorkerProfile
from marketplace.selectors.agencies import credential_status, roster_of_agency, roster_shows_contact
from orders.apis.payments import VISIBLE_ACCOUNTS
from orders.models import Order, Payment, PaymentOperation
from orders.models.payments import OperationKind, OperationStatus
from orders.payments import stripe_api
from orders.payments.amounts import amount_due, order_received_total
from orders.payments.authorisation import payment_provider

WORKER_SEARCH_LIMIT = 20


def roster_rows(*, agency: Agency, status: str | None = None, q: str | None = None) -> list:
    """(entry, credential status) pairs of the agency's roster, newest first; the status is
    None where the agency may not see her details (roster_shows_contact)."""
    return [
        (entry, credential_status(entry.worker) if roster_shows_contact(entry) else None)
        for entry in roster_of_agency(agency=agency, status=status, q=q)[:200]
    ]


def workers_to_invite(*, agency: Agency, q: str) -> QuerySet[WorkerProfile]:
    """Active, identity-verified workers matching a name, a whole phone number or an id, each
    with `is_on_roster` (an invited or active entry with this agency already)."""
    q = q.strip()
    match = Q(real_name__icontains=q) | Q(phone=q)
    if q.isdigit():
        match |= Q(pk=int(q))
    open_entry = RosterEntry.objects.filter(
        agency=agency,
        worker=OuterRef("pk"),
        status__in=[RosterEntry.Status.INVITED, RosterEntry.Status.ACTIVE],
    )
    return (
        WorkerProfile.objects.filter(match, user__is_active=True, is_verified=True)
        .select_related("division")
        .prefetch_related("categories")
        .annotate(is_on_roster=Exists(open_entry))
        .order_by("real_name", "pk")[:WORKER_SEARCH_LIMIT]
    )


def roster_worker_choices(*, agency: Agency) -> list[tuple[int, str]]:
    """(worker id, name) of the agency's active roster, for the dispatch form."""
    return list(
        WorkerProfile.objects.filter(
            roster_entries__agency=agency, roster_entries__status=RosterEntry.Status.ACTIVE
        )
        .order_by("real_name", "pk")
        .values_list("pk", "real_name")
    )


@dataclass(frozen=True)
class OrderPayment:
    provider: str
    is_online_available: bool
    status: str
    price: int
    amount_due: int | None
    amount_received: int
    amount_outstanding: int
    ledger: list
    offline_records: list


def order_payment(*, order: Order, party: str | None) -> OrderPayment:
    """What the order page shows of the order's money to one party (the API's visibility)."""
    payment = Payment.objects.filter(order=order).first()
    lines = order.ledger.order_by("created_at", "id")
    if party in VISIBLE_ACCOUNTS:
        lines = lines.filter(account__in=VISIBLE_ACCOUNTS[party])
    received = order_received_total(order.pk)
    due = amount_due(order)
    records = []
    if payment is not None:
        records = list(
            PaymentOperation.objects.filter(
                payment=payment, kind=OperationKind.OFFLINE, status=OperationStatus.SUCCEEDED
            )
            .select_related("recorded_by")
            .order_by("completed_at", "pk")
        )
    return OrderPayment(
        provider=payment.provider if payment else payment_provider(),
        is_online_available=stripe_api.is_enabled(),
        status=payment.status if payment else "unpaid",
        price=order.price,
        amount_due=due,
        amount_received=received,
        amount_outstanding=max((order.price if due is None else due) - received, 0),
        ledger=list(lines),
        offline_records=records,
    )
