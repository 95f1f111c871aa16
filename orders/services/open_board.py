"""抢单大厅: a worker asks for an open request she found herself.

Where the household allowed it (`allows_instant_accept`) she takes it at once; otherwise she
applies and the household accepts one application. Either way the order is made by the
offers' one path (orders.services.offers.offer_accept): an offer (source `open_board`) is
created for her under the request's lock, and the first valid accept wins — a simultaneous
accept of another offer, or another worker's instant take, gets 409 `taken`.

Locks: the request row (lock_request) while her offer or application is written, so none is
added to a request that is no longer open; then offer_accept takes its own (worker, request,
offer) in the documented order, in a transaction of its own.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.exceptions import Conflict, NotFound
from marketplace.geo import geodesic_km, great_circle_km, within_radius
from marketplace.models import User, WorkerProfile
from marketplace.selectors.blocks import is_blocked
from marketplace.selectors.eligibility import worker_eligibility
from notifications.events import NOTIFICATION, send_event_on_commit
from orders.locks import lock_request
from orders.models import Offer, Order, RequestApplication, ServiceRequest
from orders.selectors import busy_visits
from orders.services.offers import offer_accept, offer_expiry
from orders.services.transitions import offers_sent_record
from orders.statuses import OfferSource, OfferStatus, RequestStatus
from orders.visits import request_slots


def _refuse_closed(service_request: ServiceRequest) -> None:
    if service_request.status == RequestStatus.MATCHED:
        raise Conflict(_("该需求已被其他服务员接单。"), code="taken")
    if service_request.status != RequestStatus.OPEN or service_request.starts_at <= timezone.now():
        raise Conflict(
            _("该需求已不在待接单状态。"),
            code="request_not_open",
            extra={"current_status": service_request.status},
        )


def _distance_for(*, worker: WorkerProfile, service_request: ServiceRequest) -> float:
    """Her distance to the service point; Conflict `too_far` outside her reach."""
    if worker.base_latitude is None or worker.base_longitude is None:
        raise Conflict(_("请先在资料里设置常驻地点。"), code="too_far")
    point = (service_request.latitude, service_request.longitude)
    reach = min(worker.service_radius_km, service_request.max_distance_km)
    if not within_radius(
        great_circle_km(*point, worker.base_latitude, worker.base_longitude), reach
    ):
        raise Conflict(_("该需求超出您的服务范围。"), code="too_far")
    return geodesic_km(*point, worker.base_latitude, worker.base_longitude)


def _refuse_unless_eligible(*, worker: WorkerProfile, service_request: ServiceRequest) -> None:
    if is_blocked(worker_id=worker.pk, household_id=service_request.household_id):
        raise Conflict(_("您已屏蔽这位雇主。"), code="blocked")
    eligibility = worker_eligibility(
        worker=worker,
        category=service_request.category,
        slots=request_slots(service_request),
        busy=busy_visits,
    )
    if not eligibility.is_eligible:
        raise Conflict(
            _("您目前不符合该需求的接单条件。"),
            code="not_eligible",
            extra={"reasons": list(eligibility.reasons)},
        )


def _open_request(request_id: int) -> ServiceRequest:
    service_request = (
        ServiceRequest.objects.select_related("category").filter(pk=request_id).first()
    )
    if service_request is None:
        raise NotFound(_("需求不存在。"))
    return service_request


def board_offer_ensure(
    *, service_request: ServiceRequest, worker: WorkerProfile, distance_km: float, actor: User
) -> Offer:
    """Her pending offer for the request, created (source open_board) under the request's lock
    when she has none; Conflict `request_not_open`, or `already_offered` when her earlier
    offer was declined or expired."""
    with transaction.atomic():
        locked = lock_request(service_request.pk)
        _refuse_closed(locked)
        existing = Offer.objects.filter(request_id=locked.pk, worker=worker).first()
        if existing is not None:
            if existing.status != OfferStatus.PENDING:
                raise Conflict(
                    _("您已回应过该需求的邀约。"),
                    code="already_offered",
                    extra={"offer_status": existing.status},
                )
            return existing
        offer = Offer.objects.create(
            request_id=locked.pk,
            worker=worker,
            source=OfferSource.OPEN_BOARD,
            wave=max(locked.offer_wave, 1),
            rank=0,
            distance_km=distance_km,
            created_by=actor,
            expires_at=offer_expiry(timezone.now()),
        )
        offers_sent_record(offers=[offer], actor=actor, reason=_("抢单大厅"))
    return offer


def open_request_take(
    *, worker: WorkerProfile, request_id: int
) -> tuple[Order | None, RequestApplication | None]:
    """She asks for an open request: (order, None) when the household allowed instant accept,
    else (None, application). Raises NotFound, Conflict `request_not_open`, `too_far`,
    `blocked`, `not_eligible` (reasons), `already_offered`, and from the accept `taken`."""
    service_request = _open_request(request_id)
    _refuse_closed(service_request)
    distance = _distance_for(worker=worker, service_request=service_request)
    _refuse_unless_eligible(worker=worker, service_request=service_request)
    if service_request.allows_instant_accept:
        offer = board_offer_ensure(
            service_request=service_request, worker=worker, distance_km=distance, actor=worker.user
        )
        return offer_accept(offer_id=offer.pk, worker=worker), None
    return None, _application_create(
        service_request=service_request, worker=worker, distance_km=distance
    )


def _application_create(*, service_request, worker, distance_km) -> RequestApplication:
    try:
        with transaction.atomic():
            locked = lock_request(service_request.pk)
            _refuse_closed(locked)
            application = RequestApplication.objects.create(
                request=locked, worker=worker, distance_km=distance_km
            )
            send_event_on_commit(
                event_type=NOTIFICATION,
                recipients=[locked.household_id],
                payload={
                    "kind": "request.application",
                    "request": locked.pk,
                    "application": application.pk,
                    "message": _("有服务员申请接您的需求。"),
                },
            )
    except IntegrityError:  # she applied before (or twice at once): the first one stands
        return RequestApplication.objects.get(request=service_request, worker=worker)
    return application


def application_accept(*, household: User, request_id: int, application_id: int) -> Order:
    """The household takes one application: her offer is accepted through offer_accept (the
    first valid accept wins). Raises NotFound, Conflict `application_not_pending` and the
    accept's conflicts (`taken`, `not_eligible`, `busy`, …)."""
    application = (
        RequestApplication.objects.select_related("worker", "worker__user", "request__category")
        .filter(pk=application_id, request_id=request_id, request__household=household)
        .first()
    )
    if application is None:
        raise NotFound(_("申请不存在。"))
    if application.status != RequestApplication.Status.PENDING:
        raise Conflict(_("该申请已处理。"), code="application_not_pending")
    offer = board_offer_ensure(
        service_request=application.request,
        worker=application.worker,
        distance_km=application.distance_km,
        actor=household,
    )
    order = offer_accept(offer_id=offer.pk, worker=application.worker)
    now = timezone.now()
    RequestApplication.objects.filter(pk=application.pk).update(
        status=RequestApplication.Status.ACCEPTED, responded_at=now
    )
    RequestApplication.objects.filter(
        request_id=request_id, status=RequestApplication.Status.PENDING
    ).update(status=RequestApplication.Status.DECLINED, responded_at=now)
    return order


def request_instant_accept_set(
    *, household: User, request_id: int, allowed: bool
) -> ServiceRequest:
    """The household lets workers who find its open request take it at once (or not)."""
    with transaction.atomic():
        if not ServiceRequest.objects.filter(pk=request_id, household=household).exists():
            raise NotFound(_("需求不存在。"))
        service_request = lock_request(request_id)
        if service_request.status != RequestStatus.OPEN:
            raise Conflict(
                _("需求已不在待匹配状态。"),
                code="request_not_open",
                extra={"current_status": service_request.status},
            )
        service_request.allows_instant_accept = allowed
        service_request.save(update_fields=["allows_instant_accept"])
    return service_request
