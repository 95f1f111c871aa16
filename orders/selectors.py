"""Reads of the orders app: querysets with what their callers render, scoped to the user."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    prefetch_related_objects,
)
from django.utils import timezone

from marketplace.geo import bounding_box, great_circle_km, within_radius
from marketplace.models import Agency, AgencyStaff, Certificate, HealthCheck, User
from marketplace.permissions import worker_profile_id_of
from marketplace.selectors.agencies import agency_people_counts
from marketplace.selectors.eligibility import overlapping, service_dates
from orders.models import (
    Contract,
    ContractSignature,
    CountersignAuthorisation,
    Dispute,
    Occurrence,
    Offer,
    Order,
    OrderEvent,
    RequestEvent,
    ServiceRequest,
)
from orders.statuses import (
    ACTIVE_ORDER_STATUSES,
    ContractStatus,
    DisputeStatus,
    OccurrenceStatus,
    OrderStatus,
    Party,
    RequestStatus,
)


def requests_of_household(*, user: User) -> QuerySet[ServiceRequest]:
    """The household's own requests, newest first, with trade, division and visits loaded."""
    return (
        ServiceRequest.objects.filter(household=user)
        .select_related("category", "division")
        .prefetch_related(
            Prefetch("occurrences", queryset=Occurrence.objects.order_by("starts_at")),
            Prefetch(
                "orders",
                queryset=Order.objects.only("pk", "request_id", "status").order_by("-created_at"),
            ),
        )
        .order_by("-created_at", "-pk")
    )


def request_of_household(*, user: User, request_id: int) -> ServiceRequest | None:
    return requests_of_household(user=user).filter(pk=request_id).first()


def offers_of_worker(*, user: User, status: str | None = None) -> QuerySet[Offer]:
    """A worker's offers, newest first, with the request summary loaded."""
    queryset = (
        Offer.objects.filter(worker__user=user)
        .select_related("request__category", "request__division")
        .order_by("-created_at", "-pk")
    )
    if status:
        queryset = queryset.filter(status=status)
    return queryset


def _agency_ids_of(user: User) -> list[int]:
    return list(AgencyStaff.objects.filter(user=user).values_list("agency_id", flat=True))


def _orders_of_parties(*, user: User, status: str | None) -> QuerySet[Order]:
    """Orders where the user is the household, the worker, or staff of the order's agency,
    newest first. Each side is an equality on a column of the orders table (her worker
    profile's id, not a join to it), so each is an index range of (side, -created_at) and an
    OR of them a bitmap of those: no scan of every order, no join to plan for the filter."""
    condition = Q(household_id=user.pk)
    worker_id = worker_profile_id_of(user)
    if worker_id is not None:
        condition |= Q(worker_id=worker_id)
    agency_ids = _agency_ids_of(user) if user.is_agency_staff else []
    if agency_ids:
        condition |= Q(agency_id__in=agency_ids)
    queryset = Order.objects.filter(condition).order_by("-created_at", "-pk")
    if status:
        queryset = queryset.filter(status=status)
    return queryset


def orders_of_user(*, user: User, status: str | None = None) -> QuerySet[Order]:
    """The user's orders (as household, worker or agency staff) with everything around them."""
    return _orders_of_parties(user=user, status=status).select_related(
        "request__category", "request__division", "worker__user", "household", "agency"
    )


def order_list_of_user(*, user: User, status: str | None = None) -> QuerySet[Order]:
    """The user's orders with only what the order list shows (OrderSerializer): the request
    with its trade and division joined, the worker, household and agency rows fetched by id.
    PostgreSQL plans a join of those seven tables in ~10 ms on every call; four tables and
    three look-ups by primary key plan in well under one."""
    return (
        _orders_of_parties(user=user, status=status)
        .select_related("request__category", "request__division")
        .prefetch_related("worker", "household", "agency")
    )


def order_detail_of_user(*, user: User, order_id: int) -> Order | None:
    """One order with its history and contracts, or None when the user is no party to it."""
    # The order's own joins as in the list (PostgreSQL re-plans a seven-table join per call);
    # the people around it by id.
    return (
        _orders_of_parties(user=user, status=None)
        .filter(pk=order_id)
        .select_related("request__category", "request__division")
        .prefetch_related(
            "worker__user",
            "household",
            "agency",
            Prefetch(
                "events",
                queryset=OrderEvent.objects.select_related("actor").order_by("created_at", "id"),
            ),
            Prefetch("request__events", queryset=RequestEvent.objects.order_by("created_at", "id")),
            Prefetch(
                "contracts",
                queryset=Contract.objects.only(
                    "pk", "order_id", "version", "status", "signed_at", "text_sha256"
                ).order_by("-version"),
            ),
            "disputes",
            Prefetch("occurrences", queryset=Occurrence.objects.order_by("starts_at")),
        )
        .first()
    )


def match_cards_prefetch(*, service_request: ServiceRequest, workers: list, slots) -> dict:
    """Attach each matched worker's valid certificates and health checks (valid over `slots`)
    as `valid_certificates` / `valid_health_checks`; return {worker id: offer status} for the
    offers this request already sent them. Three queries, whatever the number of workers."""
    starts_on, ends_on = service_dates(slots)
    prefetch_related_objects(
        workers,
        Prefetch(
            "certificates",
            queryset=Certificate.objects.filter(
                Q(expires_on__isnull=True) | Q(expires_on__gte=ends_on),
                verified_at__isnull=False,
                is_revoked=False,
            )
            .select_related("category")
            .order_by("category__sort_order", "-issued_on"),
            to_attr="valid_certificates",
        ),
        Prefetch(
            "health_checks",
            queryset=HealthCheck.objects.filter(
                verified_at__isnull=False, done_on__lte=starts_on, valid_until__gte=ends_on
            ),
            to_attr="valid_health_checks",
        ),
    )
    return dict(
        Offer.objects.filter(
            request=service_request, worker__in=[w.pk for w in workers]
        ).values_list("worker_id", "status")
    )


# --- busy time ---------------------------------------------------------------------------------


def busy_visits(slots, *, exclude_order_id: int | None = None) -> QuerySet[Occurrence]:
    """The busy-time check marketplace matching and eligibility take (their BusyRows): the
    scheduled visits of live orders overlapping the slots; filter by worker to use it."""
    queryset = Occurrence.objects.filter(
        overlapping(slots),
        status=OccurrenceStatus.SCHEDULED,
        order__status__in=ACTIVE_ORDER_STATUSES,
    )
    if exclude_order_id is not None:
        queryset = queryset.exclude(order_id=exclude_order_id)
    return queryset


def is_worker_busy(*, worker_id: int, slots, exclude_order_id: int | None = None) -> bool:
    """Whether the worker has a live order's visit overlapping any of the slots (her visits of
    order `exclude_order_id` aside)."""
    if not slots:
        return False
    return (
        busy_visits(slots, exclude_order_id=exclude_order_id).filter(worker_id=worker_id).exists()
    )


# --- reliability -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Incident:
    kind: str  # no_show | late_cancellation | completed
    order_id: int
    at: dt.datetime | None
    category_name: str


def worker_incidents(*, worker_id: int) -> list[Incident]:
    """Her recorded no-shows and late cancellations and her completed jobs, newest first."""
    orders = (
        Order.objects.filter(worker_id=worker_id)
        .filter(
            Q(status=OrderStatus.COMPLETED)
            | Q(no_show_party=Party.WORKER)
            | Q(
                cancelled_by_party=Party.WORKER,
                events__to_status=OrderStatus.CANCELLED,
                events__data__is_late=True,
            )
        )
        .select_related("request__category")
        .distinct()
        .order_by("-updated_at", "-pk")
    )
    incidents = []
    for order in orders:
        category = order.request.category.name
        if order.no_show_party == Party.WORKER:
            incidents.append(Incident("no_show", order.pk, order.cancelled_at, category))
        elif order.status == OrderStatus.COMPLETED:
            incidents.append(Incident("completed", order.pk, order.completed_at, category))
        else:
            incidents.append(Incident("late_cancellation", order.pk, order.cancelled_at, category))
    return incidents


# ---- the agency console's orders: counts, orders, contracts, disputes, open requests ---------


def agency_counts(*, agency: Agency) -> dict[str, int]:
    """Staff, roster by status, orders (all and live), open disputes of the agency, and the
    contracts that wait only for its signature."""
    live = [status for status in ACTIVE_ORDER_STATUSES if status != OrderStatus.DISPUTED]
    orders = Order.objects.filter(agency=agency).aggregate(
        total=Count("pk"), live=Count("pk", filter=Q(status__in=live))
    )
    open_disputes = Dispute.objects.filter(order__agency=agency, status=DisputeStatus.OPEN)
    return {
        **agency_people_counts(agency=agency),
        "orders": orders["total"],
        "orders_live": orders["live"],
        "open_disputes": open_disputes.count(),
        "contracts_awaiting_agency": contracts_awaiting_agency(agency_id=agency.pk).count(),
    }


def contracts_awaiting_agency(*, agency_id: int | None = None) -> QuerySet[Contract]:
    """Current versions of live orders (of one agency, or all) that household and worker have
    signed and the agency has not."""
    queryset = Contract.objects.filter(
        order__agency__isnull=False,
        order__status__in=(OrderStatus.PENDING_CONTRACT, OrderStatus.CONFIRMED),
        status=ContractStatus.AWAITING_SIGNATURES,
    )
    if agency_id is not None:
        queryset = queryset.filter(order__agency_id=agency_id)
    signed = ContractSignature.objects.filter(contract=OuterRef("pk"))
    return (
        queryset.filter(Exists(signed.filter(party=Party.HOUSEHOLD)))
        .filter(Exists(signed.filter(party=Party.WORKER)))
        .exclude(Exists(signed.filter(party=Party.AGENCY)))
        .select_related("order__request__category", "order__worker", "order__household")
        .defer("text", "terms")
        .order_by("created_at", "pk")
    )


def countersign_authorisations_of_agency(*, agency: Agency) -> QuerySet[CountersignAuthorisation]:
    """The agency's standing authorisations, in force first then newest, with who gave and
    revoked them."""
    return (
        CountersignAuthorisation.objects.filter(agency=agency)
        .select_related("authorised_by", "revoked_by")
        .order_by("-authorised_at", "-pk")
    )


def orders_of_agency(*, agency: Agency, status: str | None = None) -> QuerySet[Order]:
    queryset = (
        Order.objects.filter(agency=agency)
        .select_related(
            "request__category", "request__division", "worker__user", "household", "agency"
        )
        .order_by("-created_at", "-pk")
    )
    if status:
        queryset = queryset.filter(status=status)
    return queryset


def contracts_of_agency(*, agency: Agency, status: str | None = None) -> QuerySet[Contract]:
    queryset = (
        Contract.objects.filter(order__agency=agency)
        .select_related("order__worker", "order__household", "order__request__category")
        .prefetch_related(
            Prefetch("signatures", queryset=ContractSignature.objects.order_by("signed_at"))
        )
        .defer("text", "terms")
        .order_by("-created_at", "-pk")
    )
    if status:
        queryset = queryset.filter(status=status)
    return queryset


def disputes_of_agency(*, agency: Agency, status: str | None = None) -> QuerySet[Dispute]:
    queryset = (
        Dispute.objects.filter(order__agency=agency)
        .select_related(
            "order__worker", "order__household", "order__request__category", "opened_by"
        )
        .order_by("-opened_at", "-pk")
    )
    if status:
        queryset = queryset.filter(status=status)
    return queryset


# open requests an agency may dispatch to

OPEN_REQUESTS_RADIUS_KM = 30.0


@dataclass(frozen=True)
class OpenRequestBrief:
    """What an agency sees of an open request: no household, phone or exact address."""

    id: int
    kind: str
    category_code: str
    category_name: str
    division_code: str
    division_name: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    budget: int
    distance_km: float


def open_requests_for_agency(
    *, agency: Agency, radius_km: float = OPEN_REQUESTS_RADIUS_KM, now=None, limit: int = 100
) -> list[OpenRequestBrief]:
    """Open, not yet started requests whose address lies within `radius_km` of the agency's
    division seat, soonest first (then nearest), as briefs without personal data."""
    now = now or timezone.now()
    seat = agency.division
    box = bounding_box(seat.latitude, seat.longitude, radius_km)
    in_box = Q()
    for low, high in box.longitude_ranges:
        in_box |= Q(longitude__gte=low, longitude__lte=high)
    candidates = (
        ServiceRequest.objects.filter(
            in_box,
            status=RequestStatus.OPEN,
            starts_at__gt=now,
            latitude__gte=box.min_latitude,
            latitude__lte=box.max_latitude,
        )
        .select_related("category", "division")
        .order_by("starts_at", "pk")
    )
    briefs = []
    for request in candidates.iterator(chunk_size=500):
        distance = great_circle_km(
            seat.latitude, seat.longitude, request.latitude, request.longitude
        )
        if not within_radius(distance, radius_km):
            continue
        briefs.append(
            OpenRequestBrief(
                id=request.pk,
                kind=request.kind,
                category_code=request.category.code,
                category_name=request.category.name,
                division_code=request.division.code,
                division_name=request.division.name,
                starts_at=request.starts_at,
                ends_at=request.ends_at,
                budget=request.budget,
                distance_km=round(distance, 1),
            )
        )
        if len(briefs) >= limit:
            break
    return briefs
