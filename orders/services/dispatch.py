"""Agency dispatch: an agency offers an open request to one of its own roster workers.

The dispatch is an Offer with source "dispatch"; the worker confirms it with the ordinary
offer accept (orders.services.offers.offer_accept: first valid accept wins, eligibility checked
again at that moment). The request row is locked while the offer is written, so a request that
was matched or cancelled meanwhile is refused.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.exceptions import Conflict, ValidationFailed
from marketplace.geo import great_circle_km, within_radius
from marketplace.models import Agency, RosterEntry, User, WorkerProfile
from marketplace.selectors.blocks import is_blocked
from marketplace.selectors.eligibility import worker_eligibility
from notifications.events import OFFER_CREATED, send_event_on_commit
from orders.locks import lock_request
from orders.models import Offer, ServiceRequest
from orders.selectors import busy_visits
from orders.services.offers import offer_payload
from orders.services.transitions import offers_sent_record
from orders.statuses import OfferSource, OfferStatus, RequestStatus
from orders.visits import request_slots

TOO_FAR = "too_far"


def _request_not_open(service_request: ServiceRequest) -> Conflict:
    return Conflict(
        _("需求已不在待匹配状态。"),
        code="request_not_open",
        extra={"current_status": service_request.status},
    )


def _roster_worker(*, agency: Agency, worker_id: int) -> WorkerProfile:
    """The worker, when on the agency's active roster; else ValidationFailed on `worker`."""
    worker = (
        WorkerProfile.objects.select_related("user")
        .filter(
            pk=worker_id,
            roster_entries__agency=agency,
            roster_entries__status=RosterEntry.Status.ACTIVE,
        )
        .first()
    )
    if worker is None:
        raise ValidationFailed(_("该服务员不在本企业在职花名册中。"), field="worker")
    return worker


def _dispatch_distance(*, worker: WorkerProfile, service_request: ServiceRequest) -> float:
    """Conflict `not_eligible` (eligibility codes plus `too_far`); else her distance in km."""
    eligibility = worker_eligibility(
        worker=worker,
        category=service_request.category,
        slots=request_slots(service_request),
        busy=busy_visits,
    )
    reasons = list(eligibility.reasons)
    distance_km = 0.0
    if worker.base_latitude is not None and worker.base_longitude is not None:
        distance_km = great_circle_km(
            worker.base_latitude,
            worker.base_longitude,
            service_request.latitude,
            service_request.longitude,
        )
        if not within_radius(distance_km, service_request.max_distance_km):
            reasons.append(TOO_FAR)
    if reasons:
        raise Conflict(
            _("该服务员目前不符合该需求的接单条件。"),
            code="not_eligible",
            extra={"reasons": reasons},
        )
    return distance_km


def _dispatch_offer_create(
    *,
    agency: Agency,
    actor: User,
    service_request: ServiceRequest,
    worker: WorkerProfile,
    distance_km: float,
) -> Offer:
    """Write the offer under the request's row lock and tell her after commit."""
    now = timezone.now()
    with transaction.atomic():
        locked = lock_request(service_request.pk)
        if locked.status != RequestStatus.OPEN:
            raise _request_not_open(locked)
        offer = Offer.objects.create(
            request_id=service_request.pk,
            worker=worker,
            source=OfferSource.DISPATCH,
            wave=max(locked.offer_wave, 1),
            rank=0,
            distance_km=distance_km,
            created_by=actor,
            expires_at=now + dt.timedelta(minutes=settings.MEIJIA["OFFER_TTL_MINUTES"]),
        )
        offers_sent_record(offers=[offer], actor=actor)
        send_event_on_commit(
            event_type=OFFER_CREATED,
            recipients=[worker.user_id],
            payload={
                **offer_payload(offer, service_request),
                "agency": agency.pk,
                "agency_name": agency.name,
            },
        )
    return offer


def offer_dispatch(
    *, agency: Agency, actor: User, request_id: int, worker_id: int
) -> tuple[Offer, bool]:
    """Offer the open request to a worker on the agency's active roster; returns (offer,
    created).

    Raises ValidationFailed on `request` (no such request) or `worker` (not on the agency's
    active roster); Conflict `request_not_open`, `not_eligible` (reasons in `reasons`, the
    eligibility codes plus `too_far` when her base is beyond the request's maximum distance),
    `already_offered` (she had an offer for it that is no longer pending). A pending offer to
    her is returned as it is. Locks the request row while the offer is written.
    """
    worker = _roster_worker(agency=agency, worker_id=worker_id)
    service_request = (
        ServiceRequest.objects.select_related("category").filter(pk=request_id).first()
    )
    if service_request is None:
        raise ValidationFailed(_("需求不存在。"), field="request")
    if service_request.status != RequestStatus.OPEN:
        raise _request_not_open(service_request)
    if is_blocked(worker_id=worker.pk, household_id=service_request.household_id):
        raise Conflict(
            _("该服务员已屏蔽这位雇主，不能派单。"),
            code="not_eligible",
            extra={"reasons": ["blocked_household"]},
        )
    existing = Offer.objects.filter(request_id=request_id, worker_id=worker.pk).first()
    if existing is not None:
        if existing.status == OfferStatus.PENDING:
            return existing, False
        raise Conflict(
            _("已向该服务员发出过邀约。"),
            code="already_offered",
            extra={"offer": existing.pk, "offer_status": existing.status},
        )
    distance_km = _dispatch_distance(worker=worker, service_request=service_request)
    try:
        offer = _dispatch_offer_create(
            agency=agency,
            actor=actor,
            service_request=service_request,
            worker=worker,
            distance_km=distance_km,
        )
    except IntegrityError:  # one_offer_per_worker: a simultaneous dispatch or invitation
        existing = Offer.objects.filter(request_id=request_id, worker_id=worker.pk).first()
        if existing is None:
            raise
        return existing, False
    return offer, True
