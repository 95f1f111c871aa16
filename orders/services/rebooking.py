"""Booking her again: favourites (收藏) and "再约一次".

"再约一次" from a finished order makes a new one-off request at the same place whose first offer
goes to that worker alone. The offer is direct: it is held to the rules that protect the
household (account, trade, certificate, pre-job training, health check, weekly availability,
time off, busy time, blocks) but not to the distance ranking. When she declines or lets it
expire, the request goes on to normal matching through the wave machinery
(orders.services.offers: a decline sends the next wave at once, the periodic expiry does it on
timeout; a wave never goes to a worker already offered the request).

Locks: the worker row (marketplace.locks.lock_worker, no-key), then the new request row is
written; the AskedAgain row is read and written under the worker's lock, so one household's
first return counts once (the `one_asked_again_per_pair` constraint backs it).
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.exceptions import Conflict, NotFound, PermissionDeniedError, ValidationFailed
from marketplace.geo import geodesic_km
from marketplace.models import User, WorkerProfile
from marketplace.selectors.blocks import is_blocked
from marketplace.selectors.eligibility import (
    BUSY,
    ON_LEAVE,
    OUTSIDE_AVAILABILITY,
    worker_eligibility,
)
from notifications.events import OFFER_CREATED, send_event_on_commit
from orders.locks import lock_worker
from orders.models import AskedAgain, FavouriteWorker, Offer, Order, ServiceRequest
from orders.selectors import busy_visits
from orders.services.offers import offer_expiry, offer_payload
from orders.services.requests import RequestInput, request_create
from orders.services.transitions import offers_sent_record
from orders.statuses import OfferSource, OrderStatus, RequestKind

# Reasons a household may be told; the others say only that she cannot take it.
TIME_REASONS = (BUSY, OUTSIDE_AVAILABILITY, ON_LEAVE)


def _household_only(user: User) -> None:
    if not user.is_household:
        raise PermissionDeniedError(_("只有雇主可以收藏和再约服务员。"))


def favourite_add(*, household: User, worker_id: int) -> tuple[FavouriteWorker, bool]:
    """Keep a worker who has served this household; returns (favourite, created).

    Raises ValidationFailed on `worker` when she never had an order with the household.
    """
    _household_only(household)
    if not Order.objects.filter(household=household, worker_id=worker_id).exists():
        raise ValidationFailed(_("只能收藏为您服务过的服务员。"), field="worker")
    try:
        with transaction.atomic():
            return FavouriteWorker.objects.get_or_create(household=household, worker_id=worker_id)
    except IntegrityError:  # a simultaneous add won
        return FavouriteWorker.objects.get(household=household, worker_id=worker_id), False


def favourite_remove(*, household: User, worker_id: int) -> None:
    """Forget a favourite; NotFound when she is not one."""
    _household_only(household)
    deleted, _rows = FavouriteWorker.objects.filter(
        household=household, worker_id=worker_id
    ).delete()
    if not deleted:
        raise NotFound(_("收藏不存在。"))


def _finished_order(*, household: User, order_id: int) -> Order:
    order = (
        Order.objects.select_related("request", "request__category", "request__division", "worker")
        .filter(pk=order_id, household=household)
        .first()
    )
    if order is None:
        raise NotFound(_("订单不存在。"))
    if order.status != OrderStatus.COMPLETED:
        raise Conflict(
            _("订单完成后才能再约一次。"),
            code="order_not_finished",
            extra={"current_status": order.status},
        )
    return order


def _refuse_unless_eligible(*, worker: WorkerProfile, household: User, data: RequestInput):
    """Conflict `worker_unavailable` when she may not serve this household at that time."""
    slots = [(data.starts_at, data.ends_at)]
    reasons = []
    if is_blocked(worker_id=worker.pk, household_id=household.pk):
        reasons.append("unavailable")
    eligibility = worker_eligibility(
        worker=worker, category=data.category, slots=slots, busy=busy_visits
    )
    reasons.extend(eligibility.reasons)
    if reasons:
        shown = [reason for reason in reasons if reason in TIME_REASONS]
        raise Conflict(
            _("这位服务员在所选时间无法接单，请换个时间或发布普通需求。"),
            code="worker_unavailable",
            extra={"reasons": shown},
        )


def _asked_again_record(*, worker: WorkerProfile, household: User, request, now) -> None:
    """Count the household's return (under the worker's lock): the first one moves her
    `asked_again_count`, later ones only the row's own count."""
    updated = AskedAgain.objects.filter(worker=worker, household=household).update(
        times=F("times") + 1, last_asked_at=now, last_request=request
    )
    if updated:
        return
    AskedAgain.objects.create(
        worker=worker, household=household, last_request=request, last_asked_at=now
    )
    WorkerProfile.objects.filter(pk=worker.pk).update(asked_again_count=F("asked_again_count") + 1)


def _direct_offer(*, service_request: ServiceRequest, worker: WorkerProfile, household, now):
    distance = 0.0
    if worker.base_latitude is not None and worker.base_longitude is not None:
        distance = geodesic_km(
            service_request.latitude,
            service_request.longitude,
            worker.base_latitude,
            worker.base_longitude,
        )
    # The direct offer is the request's first wave: later waves number on from it.
    ServiceRequest.objects.filter(pk=service_request.pk).update(offer_wave=1)
    offer = Offer.objects.create(
        request=service_request,
        worker=worker,
        source=OfferSource.REBOOKING,
        wave=1,
        rank=0,
        distance_km=distance,
        created_by=household,
        expires_at=offer_expiry(now),
    )
    offers_sent_record(offers=[offer], actor=household, reason=_("再约一次"))
    send_event_on_commit(
        event_type=OFFER_CREATED,
        recipients=[worker.user_id],
        payload={**offer_payload(offer, service_request), "asked_again": True},
    )
    return offer


def request_rebook(
    *,
    household: User,
    order_id: int,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    budget: int | None = None,
    description: str | None = None,
    idempotency_key: str | None = None,
) -> tuple[ServiceRequest, bool]:
    """ "再约一次": a new one-off request like a finished order's, offered first to its worker.

    Returns (request, created); the same `idempotency_key` returns the first request. Raises
    NotFound (not the household's order), Conflict `order_not_finished`, `worker_unavailable`
    (with the time reasons she may be told: busy, outside_availability, on_leave), and
    ValidationFailed for bad times or budget (field named).
    """
    _household_only(household)
    order = _finished_order(household=household, order_id=order_id)
    source = order.request
    data = RequestInput(
        category=source.category,
        division=source.division,
        address=source.address,
        latitude=source.latitude,
        longitude=source.longitude,
        max_distance_km=source.max_distance_km,
        starts_at=starts_at,
        ends_at=ends_at,
        budget=budget if budget is not None else source.budget,
        description=source.description if description is None else description,
        kind=RequestKind.ONE_OFF,
    )
    worker = order.worker
    now = timezone.now()
    with transaction.atomic():
        locked = lock_worker(worker.pk, no_key=True, with_user=True)
        service_request, created = request_create(
            household=household, data=data, idempotency_key=idempotency_key, send_offers=False
        )
        if not created:
            return service_request, False
        _refuse_unless_eligible(worker=locked, household=household, data=data)
        ServiceRequest.objects.filter(pk=service_request.pk).update(
            preferred_worker=locked, rebooked_from=order
        )
        _direct_offer(service_request=service_request, worker=locked, household=household, now=now)
        _asked_again_record(worker=locked, household=household, request=service_request, now=now)
    service_request.refresh_from_db()
    return service_request, True
