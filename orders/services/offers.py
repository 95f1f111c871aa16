"""Offers: waves to the best matches, invitations, accept (first valid accept wins), decline,
expiry and withdrawal. The lock order is documented in one place: orders/locks.py.

The accept path takes the worker row (so one worker's accepts of different requests are serial
and the busy check holds), then claims the request with a conditional UPDATE (open →
matched), then the offer (pending → accepted); the `one_live_order_per_request` constraint is
the last guard. Decline and expiry lock the request before touching an offer.

A wave: the top MEIJIA["OFFER_WAVE_SIZE"] eligible workers not yet offered this request, each
offer expiring after MEIJIA["OFFER_TTL_MINUTES"]. The next wave goes out when the request is
still open and none of its offers is pending any more (on decline at once, on expiry from the
periodic command). Sending a wave is claimed by a conditional UPDATE on `offer_wave`, so two
callers never send the same wave twice.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.exceptions import Conflict, NotFound, ValidationFailed
from backend.fact_changes import order_facts_changed
from marketplace.models import RosterEntry, User, WorkerProfile
from marketplace.selectors.blocks import blocked_worker_ids, is_blocked
from marketplace.selectors.eligibility import worker_eligibility
from marketplace.selectors.matching import find_matches
from notifications.events import OFFER_CREATED, OFFER_WITHDRAWN, send_event_on_commit
from orders.locks import lock_request, lock_worker
from orders.models import Occurrence, Offer, Order, ServiceRequest
from orders.pricing import order_price_for
from orders.selectors import busy_visits, is_worker_busy
from orders.services.contracts import contract_draft
from orders.services.orders import order_event_record
from orders.services.transitions import (
    offer_transition,
    offers_sent_record,
    offers_transition,
    request_transition,
)
from orders.statuses import OccurrenceStatus, OfferSource, OfferStatus, RequestStatus
from orders.visits import request_slots


def request_matches(*, service_request: ServiceRequest, exclude_worker_ids=(), limit=None):
    """Ranked eligible workers for the request (marketplace matching), without the workers
    who blocked its household (so neither waves nor invitations reach them)."""
    blocked = blocked_worker_ids(household_id=service_request.household_id)
    return find_matches(
        category=service_request.category,
        latitude=service_request.latitude,
        longitude=service_request.longitude,
        max_distance_km=service_request.max_distance_km,
        slots=request_slots(service_request),
        busy=busy_visits,
        exclude_worker_ids=tuple(exclude_worker_ids) + tuple(blocked),
        limit=limit,
    )


def offer_payload(offer: Offer, service_request: ServiceRequest) -> dict:
    return {
        "offer": offer.pk,
        "request": service_request.pk,
        "category": service_request.category.code,
        "starts_at": service_request.starts_at.isoformat(),
        "ends_at": service_request.ends_at.isoformat(),
        "budget": service_request.budget,
        "distance_km": round(offer.distance_km, 2),
        "expires_at": offer.expires_at.isoformat(),
        "source": offer.source,
    }


def offer_expiry(now: dt.datetime) -> dt.datetime:
    return now + dt.timedelta(minutes=settings.MEIJIA["OFFER_TTL_MINUTES"])


def offer_wave_send(*, request_id: int, now: dt.datetime | None = None) -> list[Offer]:
    """Send the next wave if the request is open and has no pending offer; else nothing.

    Returns the offers created. Runs in its own (nested) transaction.
    """
    now = now or timezone.now()
    with transaction.atomic():
        service_request = (
            ServiceRequest.objects.select_related("category").filter(pk=request_id).first()
        )
        if service_request is None or service_request.status != RequestStatus.OPEN:
            return []
        if service_request.starts_at <= now:
            return []
        if Offer.objects.filter(request_id=request_id, status=OfferStatus.PENDING).exists():
            return []
        offered = set(
            Offer.objects.filter(request_id=request_id).values_list("worker_id", flat=True)
        )
        candidates = request_matches(
            service_request=service_request,
            exclude_worker_ids=offered,
            limit=settings.MEIJIA["OFFER_WAVE_SIZE"],
        )
        if not candidates:
            return []
        wave = service_request.offer_wave + 1
        claimed = ServiceRequest.objects.filter(
            pk=request_id, status=RequestStatus.OPEN, offer_wave=service_request.offer_wave
        ).update(offer_wave=wave)
        if not claimed:  # someone else sent this wave meanwhile
            return []
        expires_at = offer_expiry(now)
        offers = Offer.objects.bulk_create(
            [
                Offer(
                    request_id=request_id,
                    worker=candidate.worker,
                    source=OfferSource.MATCHING,
                    wave=wave,
                    rank=rank,
                    score=candidate.score,
                    distance_km=candidate.distance_km,
                    expires_at=expires_at,
                )
                for rank, candidate in enumerate(candidates, start=1)
            ]
        )
        if any(offer.pk is None for offer in offers):  # backends without RETURNING
            offers = list(
                Offer.objects.filter(request_id=request_id, wave=wave).select_related("worker")
            )
        offers_sent_record(offers=offers, actor=None)
        for offer in offers:
            send_event_on_commit(
                event_type=OFFER_CREATED,
                recipients=[offer.worker.user_id],
                payload=offer_payload(offer, service_request),
            )
    return offers


def offer_invite(*, request_id: int, household: User, worker_id: int) -> tuple[Offer, bool]:
    """The household invites one matched worker directly; returns (offer, created).

    The worker must be among the request's current matches (else ValidationFailed on
    `worker`). An existing offer to the same worker is returned when still pending; otherwise
    Conflict (409 `already_offered`).
    """
    service_request = (
        ServiceRequest.objects.select_related("category")
        .filter(pk=request_id, household=household)
        .first()
    )
    if service_request is None:
        raise NotFound(_("需求不存在。"))
    if service_request.status != RequestStatus.OPEN:
        raise Conflict(
            _("需求已不在待匹配状态。"),
            code="request_not_open",
            extra={"current_status": service_request.status},
        )
    existing = Offer.objects.filter(request_id=request_id, worker_id=worker_id).first()
    if existing is not None:
        if existing.status == OfferStatus.PENDING:
            return existing, False
        raise Conflict(
            _("已向该服务员发出过邀约。"),
            code="already_offered",
            extra={"offer": existing.pk, "offer_status": existing.status},
        )
    candidate = next(
        (c for c in request_matches(service_request=service_request) if c.worker.pk == worker_id),
        None,
    )
    if candidate is None:
        raise ValidationFailed(_("该服务员不在匹配结果中。"), field="worker")
    now = timezone.now()
    try:
        with transaction.atomic():
            locked = lock_request(request_id)
            if locked.status != RequestStatus.OPEN:
                raise Conflict(
                    _("需求已不在待匹配状态。"),
                    code="request_not_open",
                    extra={"current_status": locked.status},
                )
            offer = Offer.objects.create(
                request_id=request_id,
                worker=candidate.worker,
                source=OfferSource.INVITATION,
                wave=max(locked.offer_wave, 1),
                rank=0,
                score=candidate.score,
                distance_km=candidate.distance_km,
                created_by=household,
                expires_at=offer_expiry(now),
            )
            offers_sent_record(offers=[offer], actor=household)
            send_event_on_commit(
                event_type=OFFER_CREATED,
                recipients=[candidate.worker.user_id],
                payload=offer_payload(offer, service_request),
            )
    except IntegrityError:
        existing = Offer.objects.filter(request_id=request_id, worker_id=worker_id).first()
        if existing is None:
            raise
        return existing, False
    return offer, True


def _own_offer(*, offer_id: int, worker: WorkerProfile) -> Offer:
    offer = Offer.objects.select_related("request").filter(pk=offer_id, worker=worker).first()
    if offer is None:
        raise NotFound(_("邀约不存在。"))
    return offer


def _refuse_not_pending(offer: Offer) -> None:
    """Raise the 409 that tells a worker why her offer can no longer be taken."""
    if offer.status in (OfferStatus.WITHDRAWN, OfferStatus.ACCEPTED) or (
        offer.request.status == RequestStatus.MATCHED
    ):
        raise Conflict(
            _("该需求已被其他服务员接单。"),
            code="taken",
            extra={"offer_status": offer.status},
        )
    if offer.status == OfferStatus.EXPIRED:
        raise Conflict(_("邀约已过期。"), code="expired", extra={"offer_status": offer.status})
    if offer.status == OfferStatus.DECLINED:
        raise Conflict(_("您已拒绝该邀约。"), code="declined", extra={"offer_status": offer.status})
    raise Conflict(
        _("需求已关闭。"),
        code="request_closed",
        extra={"offer_status": offer.status, "request_status": offer.request.status},
    )


def offers_withdraw_pending(
    *, request_id: int, now: dt.datetime, actor: User | None = None, reason: str = ""
) -> int:
    """Withdraw every pending offer of a request (one event each) and tell each worker.

    Caller holds the request lock; the offer rows are locked after it.
    """
    withdrawn = offers_transition(
        offers=Offer.objects.filter(request_id=request_id),
        to_status=OfferStatus.WITHDRAWN,
        actor=actor,
        reason=reason,
        updates={"responded_at": now},
    )
    for offer in withdrawn:
        send_event_on_commit(
            event_type=OFFER_WITHDRAWN,
            recipients=[offer.worker.user_id],
            payload={"offer": offer.pk, "request": request_id, "status": OfferStatus.WITHDRAWN},
        )
    return len(withdrawn)


def offer_expire(*, offer_id: int, now: dt.datetime | None = None) -> bool:
    """Mark one pending offer past its expiry as expired (claimed by a conditional UPDATE);
    send the next wave when it was the last pending one. Returns whether this call did it."""
    now = now or timezone.now()
    with transaction.atomic():
        offer = Offer.objects.filter(pk=offer_id).values("request_id").first()
        if offer is None:
            return False
        # Request first (lock order), then the offer.
        lock_request(offer["request_id"])
        claimed = offer_transition(
            offer_id=offer_id,
            to_status=OfferStatus.EXPIRED,
            actor=None,
            conditions={"expires_at__lte": now},
            updates={"responded_at": now},
            quiet=True,
        )
        if claimed:
            offer_wave_send(request_id=offer["request_id"], now=now)
    return bool(claimed)


def offer_decline(*, offer_id: int, worker: WorkerProfile, reason: str = "") -> Offer:
    """The worker declines her pending offer; the next wave goes out if it was the last one."""
    offer = _own_offer(offer_id=offer_id, worker=worker)
    now = timezone.now()
    with transaction.atomic():
        lock_request(offer.request_id)
        claimed = offer_transition(
            offer_id=offer_id,
            to_status=OfferStatus.DECLINED,
            actor=worker.user,
            reason=reason,
            updates={"responded_at": now},
            quiet=True,
        )
        if claimed:
            offer_wave_send(request_id=offer.request_id, now=now)
    offer.refresh_from_db()
    offer.request.refresh_from_db()
    if not claimed:
        _refuse_not_pending(offer)
    return offer


def _accept_checks(*, worker: WorkerProfile, service_request: ServiceRequest, slots) -> None:
    """Refuse an accept the worker may not make now: Conflict `blocked`, `busy`,
    `not_eligible`. Call after the worker-row lock, which household_block takes too: a block
    that won the race is seen here even though its offer withdrawal has not run yet."""
    if is_blocked(worker_id=worker.pk, household_id=service_request.household_id):
        raise Conflict(_("您已屏蔽这位雇主。"), code="blocked")
    if is_worker_busy(worker_id=worker.pk, slots=slots):
        raise Conflict(_("您在该时间段已有其他订单。"), code="busy")
    eligibility = worker_eligibility(
        worker=worker, category=service_request.category, slots=slots, busy=busy_visits
    )
    if not eligibility.is_eligible:
        raise Conflict(
            _("您目前不符合该工种的接单条件。"),
            code="not_eligible",
            extra={"reasons": [str(r) for r in eligibility.reasons]},
        )


def _accept_claim(
    *, service_request: ServiceRequest, offer: Offer, actor: User, now: dt.datetime
) -> None:
    """Settle the race: only one caller turns the request from open to matched, then her
    offer from pending to accepted; the other pending offers are withdrawn."""
    claimed = request_transition(
        request_id=service_request.pk,
        to_status=RequestStatus.MATCHED,
        actor=actor,
        from_statuses=(RequestStatus.OPEN,),
        updates={"matched_at": now},
        quiet=True,
    )
    if not claimed:
        raise Conflict(_("该需求已被其他服务员接单。"), code="taken")
    accepted = offer_transition(
        offer_id=offer.pk,
        to_status=OfferStatus.ACCEPTED,
        actor=actor,
        conditions={"expires_at__gt": now},
        updates={"responded_at": now},
        quiet=True,
    )
    if not accepted:
        raise Conflict(_("邀约已失效。"), code="expired")
    offers_withdraw_pending(request_id=service_request.pk, now=now, actor=actor)


def _order_create(
    *, service_request: ServiceRequest, offer: Offer, worker: WorkerProfile, occurrences: list
) -> Order:
    """The order of an accepted offer, over the request's unassigned visits."""
    roster = (
        RosterEntry.objects.filter(worker=worker, status=RosterEntry.Status.ACTIVE)
        .only("agency_id")
        .first()
    )
    trial_ends_at = None
    if service_request.trial_days:
        trial_ends_at = service_request.starts_at + dt.timedelta(days=service_request.trial_days)
    starts_at = min((o.starts_at for o in occurrences), default=service_request.starts_at)
    ends_at = max((o.ends_at for o in occurrences), default=service_request.ends_at)
    try:
        with transaction.atomic():
            order = Order.objects.create(
                request=service_request,
                offer_id=offer.pk,
                household_id=service_request.household_id,
                worker=worker,
                agency_id=roster.agency_id if roster else None,
                price=order_price_for(service_request, visits=len(occurrences)),
                starts_at=starts_at,
                ends_at=ends_at,
                trial_ends_at=trial_ends_at,
            )
    except IntegrityError as error:  # one_live_order_per_request: someone else won
        raise Conflict(_("该需求已被其他服务员接单。"), code="taken") from error
    Occurrence.objects.filter(pk__in=[o.pk for o in occurrences]).update(order=order, worker=worker)
    return order


def offer_accept(*, offer_id: int, worker: WorkerProfile) -> Order:
    """The worker accepts her offer; the first valid accept of a request wins.

    Raises NotFound (not her offer) and Conflict with code `taken` (another worker won),
    `expired` (the offer is marked expired), `busy` (she has an overlapping order),
    `not_eligible` (she no longer qualifies; reasons in `reasons`), `blocked` (she blocked
    the household), `declined`,
    `request_closed`. Locks: worker row, then the request (conditional UPDATE), then the offer.
    """
    offer = _own_offer(offer_id=offer_id, worker=worker)
    now = timezone.now()
    if offer.status == OfferStatus.PENDING and offer.expires_at <= now:
        offer_expire(offer_id=offer.pk, now=now)
        offer.refresh_from_db()
    if offer.status != OfferStatus.PENDING or offer.request.status != RequestStatus.OPEN:
        _refuse_not_pending(offer)

    with transaction.atomic():
        # Lock only the profile row, and without blocking foreign-key checks: rows that
        # reference this worker or her user (notifications, offers) can still be written.
        worker = lock_worker(worker.pk, no_key=True, with_user=True)
        service_request = ServiceRequest.objects.select_related("category").get(pk=offer.request_id)
        occurrences = list(
            Occurrence.objects.filter(
                request_id=service_request.pk,
                status=OccurrenceStatus.SCHEDULED,
                order__isnull=True,  # not a replaced placement worker's served part
            )
        )
        slots = [(o.starts_at, o.ends_at) for o in occurrences]
        _accept_checks(worker=worker, service_request=service_request, slots=slots)
        _accept_claim(service_request=service_request, offer=offer, actor=worker.user, now=now)
        order = _order_create(
            service_request=service_request, offer=offer, worker=worker, occurrences=occurrences
        )
        order_event_record(
            order=order,
            actor=worker.user,
            reason=_("服务员接受邀约"),
            data={"offer": offer.pk},
            from_status="",
            to_status=order.status,
        )
        contract_draft(order=order)
        order_facts_changed(order_id=order.pk)
    return order
