"""The request and offer state machines (REQUEST_TRANSITIONS, OFFER_TRANSITIONS in
orders.statuses): every status change of a ServiceRequest or an Offer goes through one of the
functions here, which lock the row, check the table, change the row with a conditional UPDATE
(so a concurrent change is seen, on SQLite too) and write one RequestEvent per row changed.

The pushes that tell people about these changes stay with the callers (offer.created to the
worker offered, offer.withdrawn to the worker whose offer was withdrawn), inside the same
transaction and sent after commit.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from backend.exceptions import InvalidTransition, NotFound
from marketplace.models import User
from orders.locks import lock_offer, lock_offers, lock_request
from orders.models import Offer, RequestEvent, RequestEventKind, ServiceRequest
from orders.statuses import (
    OFFER_TRANSITIONS,
    REQUEST_TRANSITIONS,
    OfferStatus,
    can_transition,
)


def _locked(model, pk: int):
    """The row under a FOR NO KEY UPDATE lock: the lock its UPDATE takes anyway, taken first
    so that the table guard reads the status it will change (rows that reference it can still
    be inserted)."""
    row = lock_request(pk, no_key=True) if model is ServiceRequest else lock_offer(pk)
    if row is None:
        raise NotFound(gettext("%(entity)s不存在。") % {"entity": model._meta.verbose_name})
    return row


def _transition(
    *,
    model,
    table: dict,
    entity: str,
    pk: int,
    to_status: str,
    from_statuses: tuple[str, ...] | None,
    conditions: dict | None,
    updates: dict | None,
    quiet: bool,
):
    """Lock, guard and change one row; returns (row, from_status) or None when `quiet`."""
    row = _locked(model, pk)
    from_status = row.status
    allowed = can_transition(table, from_status, to_status) and (
        from_statuses is None or from_status in from_statuses
    )
    values = {"status": to_status, **(updates or {})}
    changed = allowed and model.objects.filter(
        pk=pk, status=from_status, **(conditions or {})
    ).update(**values)
    if not changed:
        if quiet:
            return None
        raise InvalidTransition(entity=entity, current=from_status, target=to_status)
    for field, value in values.items():
        setattr(row, field, value)
    return row, from_status


def _offer_event(
    offer: Offer,
    *,
    actor: User | None,
    from_status: str,
    to_status: str,
    reason: str,
    kind: str = RequestEventKind.STATUS,
) -> RequestEvent:
    """The (unsaved) history row of one offer's change, on its request's history."""
    return RequestEvent(
        request_id=offer.request_id,
        offer=offer,
        actor=actor,
        kind=kind,
        from_status=from_status,
        to_status=to_status,
        reason=reason[:300],
    )


def request_transition(
    *,
    request_id: int,
    to_status: str,
    actor: User | None,
    reason: str = "",
    from_statuses: tuple[str, ...] | None = None,
    conditions: dict | None = None,
    updates: dict | None = None,
    quiet: bool = False,
) -> ServiceRequest | None:
    """Move a request along REQUEST_TRANSITIONS and record the event (`offer` empty: the
    events of its offers are the ones that name an offer).

    `from_statuses` narrows the table for one action; `conditions` are further filters the
    change needs (e.g. a start that has passed). Locks the request row. Raises NotFound and
    InvalidTransition (409, nothing changed) — or, with `quiet`, returns None instead.
    """
    with transaction.atomic():
        moved = _transition(
            model=ServiceRequest,
            table=REQUEST_TRANSITIONS,
            entity="request",
            pk=request_id,
            to_status=to_status,
            from_statuses=from_statuses,
            conditions=conditions,
            updates=updates,
            quiet=quiet,
        )
        if moved is None:
            return None
        service_request, from_status = moved
        RequestEvent.objects.create(
            request=service_request,
            actor=actor,
            from_status=from_status,
            to_status=to_status,
            reason=reason[:300],
        )
    return service_request


def offer_transition(
    *,
    offer_id: int,
    to_status: str,
    actor: User | None,
    reason: str = "",
    conditions: dict | None = None,
    updates: dict | None = None,
    quiet: bool = False,
) -> Offer | None:
    """Move an offer along OFFER_TRANSITIONS and record the event on its request's history.

    Locks the offer row (after the request row, where the caller holds it). Raises NotFound
    and InvalidTransition (409, nothing changed) — or, with `quiet`, returns None instead.
    """
    with transaction.atomic():
        moved = _transition(
            model=Offer,
            table=OFFER_TRANSITIONS,
            entity="offer",
            pk=offer_id,
            to_status=to_status,
            from_statuses=None,
            conditions=conditions,
            updates=updates,
            quiet=quiet,
        )
        if moved is None:
            return None
        offer, from_status = moved
        _offer_event(
            offer, actor=actor, from_status=from_status, to_status=to_status, reason=reason
        ).save()
    return offer


def offers_transition(
    *,
    offers,
    to_status: str,
    actor: User | None,
    reason: str = "",
    updates: dict | None = None,
) -> list[Offer]:
    """Move every offer of the `offers` queryset whose status the table lets go to
    `to_status`, with one event each (bulk_create). Returns the offers changed, worker loaded.

    Locks the offer rows (after the request row, where the caller holds it).
    """
    sources = [status for status, targets in OFFER_TRANSITIONS.items() if to_status in targets]
    with transaction.atomic():
        moving = list(lock_offers(offers.filter(status__in=sources).select_related("worker")))
        if not moving:
            return []
        values = {"status": to_status, **(updates or {})}
        Offer.objects.filter(pk__in=[offer.pk for offer in moving]).update(**values)
        RequestEvent.objects.bulk_create(
            [
                _offer_event(
                    offer, actor=actor, from_status=offer.status, to_status=to_status, reason=reason
                )
                for offer in moving
            ]
        )
        for offer in moving:
            for field, value in values.items():
                setattr(offer, field, value)
    return moving


def offers_sent_record(*, offers: Iterable[Offer], actor: User | None, reason: str = "") -> None:
    """Record new offers as sent ("" → pending) on their requests' history."""
    RequestEvent.objects.bulk_create(
        [
            _offer_event(
                offer, actor=actor, from_status="", to_status=OfferStatus.PENDING, reason=reason
            )
            for offer in offers
        ]
    )


def offers_seen_record(*, offers: Iterable[Offer], actor: User) -> list[Offer]:
    """Record that the worker (`actor`) was shown her pending offers, once per offer: sets
    `seen_at` and writes a `seen` event. Returns the offers seen for the first time.

    One conditional UPDATE (`seen_at IS NULL`) claims them all, whatever their number; the
    rows that carry this call's timestamp afterwards are the ones it claimed, so two pages
    loaded at once record each offer once. Offers already seen or no longer pending cost no
    query.
    """
    unseen = {o.pk: o for o in offers if o.status == OfferStatus.PENDING and o.seen_at is None}
    if not unseen:
        return []
    now = timezone.now()
    with transaction.atomic():
        Offer.objects.filter(
            pk__in=unseen, status=OfferStatus.PENDING, seen_at__isnull=True
        ).update(seen_at=now)
        claimed = set(Offer.objects.filter(pk__in=unseen, seen_at=now).values_list("pk", flat=True))
        seen = [offer for pk, offer in unseen.items() if pk in claimed]
        for offer in seen:
            offer.seen_at = now
        RequestEvent.objects.bulk_create(
            [
                _offer_event(
                    offer,
                    actor=actor,
                    kind=RequestEventKind.SEEN,
                    from_status=OfferStatus.PENDING,
                    to_status=OfferStatus.PENDING,
                    reason="",
                )
                for offer in seen
            ]
        )
    return seen
