"""抢单大厅: the open requests near a worker that she may serve, soonest first, as briefs with
no household identity and no exact address (as agency dispatch shows them)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, Q
from django.utils import timezone

from marketplace.geo import bounding_box, geodesic_km, great_circle_km, within_radius
from marketplace.models import HouseholdBlock, WorkerProfile
from marketplace.selectors.standing import WorkerStanding
from orders.models import Occurrence, Offer, RequestApplication, ServiceRequest
from orders.selectors import busy_visits
from orders.statuses import OccurrenceStatus, RequestStatus

BOARD_CANDIDATES = 200


@dataclass(frozen=True)
class BoardRequest:
    request: ServiceRequest
    distance_km: float
    my_offer_status: str | None
    my_application_status: str | None


def open_slots(service_request: ServiceRequest) -> list[tuple[dt.datetime, dt.datetime]]:
    """The request's visits still to be taken (from the prefetched `open_visits`)."""
    return [(o.starts_at, o.ends_at) for o in service_request.open_visits]


def _candidates(*, worker: WorkerProfile, trade_ids, now) -> list[ServiceRequest]:
    box = bounding_box(worker.base_latitude, worker.base_longitude, worker.service_radius_km)
    in_box = Q(pk__in=[])
    for low, high in box.longitude_ranges:
        in_box |= Q(longitude__gte=low, longitude__lte=high)
    blocked = HouseholdBlock.objects.filter(worker=worker).values("household_id")
    visits = Occurrence.objects.filter(status=OccurrenceStatus.SCHEDULED, order__isnull=True)
    return list(
        ServiceRequest.objects.filter(
            in_box,
            status=RequestStatus.OPEN,
            starts_at__gt=now,
            category_id__in=trade_ids,
            latitude__gte=box.min_latitude,
            latitude__lte=box.max_latitude,
        )
        .exclude(household_id__in=blocked)
        .select_related("category", "division")
        .prefetch_related(Prefetch("occurrences", queryset=visits, to_attr="open_visits"))
        .order_by("starts_at", "pk")[:BOARD_CANDIDATES]
    )


def open_board_for_worker(
    *, worker: WorkerProfile, now: dt.datetime | None = None, limit: int = 50
) -> list[BoardRequest]:
    """Open requests within her reach (her radius and the request's maximum distance) that
    she may serve by every eligibility rule, soonest first. A fixed number of queries."""
    now = now or timezone.now()
    if worker.base_latitude is None or worker.base_longitude is None:
        return []
    trade_ids = list(worker.categories.values_list("pk", flat=True))
    requests = _candidates(worker=worker, trade_ids=trade_ids, now=now)
    if not requests:
        return []
    window = (now, max(r.ends_at for r in requests) + dt.timedelta(days=400))
    standing = WorkerStanding.load(worker=worker, busy=busy_visits, window=window)
    ids = [r.pk for r in requests]
    offers = dict(
        Offer.objects.filter(worker=worker, request_id__in=ids).values_list("request_id", "status")
    )
    applications = dict(
        RequestApplication.objects.filter(worker=worker, request_id__in=ids).values_list(
            "request_id", "status"
        )
    )
    board = []
    for service_request in requests:
        reach = min(worker.service_radius_km, service_request.max_distance_km)
        point = (service_request.latitude, service_request.longitude)
        if not within_radius(
            great_circle_km(*point, worker.base_latitude, worker.base_longitude), reach
        ):
            continue
        slots = open_slots(service_request)
        if not slots or standing.reasons(category=service_request.category, slots=slots):
            continue
        distance = geodesic_km(*point, worker.base_latitude, worker.base_longitude)
        board.append(
            BoardRequest(
                request=service_request,
                distance_km=round(distance, 1),
                my_offer_status=offers.get(service_request.pk),
                my_application_status=applications.get(service_request.pk),
            )
        )
        if len(board) >= limit:
            break
    return board


def applications_of_request(*, service_request: ServiceRequest):
    """The workers who asked for this request, first come first, with what the household
    may see of them (name, rating, jobs)."""
    return (
        RequestApplication.objects.filter(request=service_request)
        .select_related("worker", "worker__division")
        .order_by("created_at", "pk")
    )
