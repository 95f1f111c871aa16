"""Reads for the agency console: its counts, staff, roster with credential status, the
credentials of one worker, and the agency's orders, contracts and disputes.

Every queryset is scoped to one agency and loads what its serializer renders, so a list costs
the same number of queries whatever its length.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from marketplace.geo import bounding_box, great_circle_km, within_radius
from marketplace.models import (
    Agency,
    AgencyStaff,
    Certificate,
    HealthCheck,
    RosterEntry,
    TrainingKind,
    TrainingRecord,
    WorkerProfile,
)
from orders.models import Contract, ContractSignature, Dispute, Order, ServiceRequest
from orders.statuses import RequestStatus

EXPIRY_WARNING_DAYS = 30

VALID = "valid"
EXPIRED = "expired"
UNVERIFIED = "unverified"
REVOKED = "revoked"
MISSING = "missing"


def agency_counts(*, agency: Agency) -> dict[str, int]:
    """Staff, roster by status, orders (all and live), open disputes of the agency."""
    roster = dict(
        RosterEntry.objects.filter(agency=agency)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    orders = Order.objects.filter(agency=agency).aggregate(
        total=Count("pk"),
        live=Count(
            "pk",
            filter=Q(
                status__in=["pending_contract", "confirmed", "in_progress", "awaiting_confirmation"]
            ),
        ),
        disputed=Count("pk", filter=Q(status="disputed")),
    )
    return {
        "staff": AgencyStaff.objects.filter(agency=agency, user__is_active=True).count(),
        "roster_active": roster.get(RosterEntry.Status.ACTIVE, 0),
        "roster_invited": roster.get(RosterEntry.Status.INVITED, 0),
        "roster_ended": roster.get(RosterEntry.Status.ENDED, 0),
        "orders": orders["total"],
        "orders_live": orders["live"],
        "open_disputes": Dispute.objects.filter(order__agency=agency, status="open").count(),
    }


def staff_of_agency(*, agency: Agency) -> QuerySet[AgencyStaff]:
    return (
        AgencyStaff.objects.filter(agency=agency, user__is_active=True)
        .select_related("user")
        .order_by("-staff_role", "created_at", "pk")
    )


def _worker_credentials_prefetch(prefix: str = "") -> list[Prefetch]:
    return [
        Prefetch(f"{prefix}certificates", queryset=Certificate.objects.select_related("category")),
        Prefetch(f"{prefix}training_records", queryset=TrainingRecord.objects.all()),
        Prefetch(f"{prefix}health_checks", queryset=HealthCheck.objects.all()),
    ]


def roster_of_agency(
    *, agency: Agency, status: str | None = None, q: str | None = None
) -> QuerySet[RosterEntry]:
    """The agency's roster entries (ended ones are history), newest first, with each
    worker's credentials loaded for `credential_status`."""
    queryset = (
        RosterEntry.objects.filter(agency=agency)
        .select_related("worker__user", "worker__division", "created_by")
        .prefetch_related(Prefetch("worker__categories"), *_worker_credentials_prefetch("worker__"))
        .order_by("-created_at", "-pk")
    )
    if status:
        queryset = queryset.filter(status=status)
    if q:
        queryset = queryset.filter(Q(worker__real_name__icontains=q) | Q(worker__phone__contains=q))
    return queryset


def roster_entries_of_worker(
    *, worker: WorkerProfile, status: str | None = None
) -> QuerySet[RosterEntry]:
    queryset = (
        RosterEntry.objects.filter(worker=worker)
        .select_related("agency__division")
        .order_by("-created_at", "-pk")
    )
    if status:
        queryset = queryset.filter(status=status)
    return queryset


def worker_with_credentials(*, worker_id: int) -> WorkerProfile:
    return (
        WorkerProfile.objects.select_related("user", "verified_by")
        .prefetch_related(
            Prefetch(
                "certificates",
                queryset=Certificate.objects.select_related("category", "verified_by"),
            ),
            Prefetch(
                "training_records",
                queryset=TrainingRecord.objects.select_related("category", "verified_by"),
            ),
            Prefetch("health_checks", queryset=HealthCheck.objects.select_related("verified_by")),
        )
        .get(pk=worker_id)
    )


@dataclass(frozen=True)
class CredentialStatus:
    certificate: str
    certificate_valid_until: dt.date | None
    pre_job_training: str
    health_check: str
    health_check_valid_until: dt.date | None
    nearest_expiry: dt.date | None
    is_expiring_soon: bool
    awaiting_verification: int


def _state(items, *, is_valid, is_expired) -> str:
    """The best standing among a worker's credentials of one kind."""
    if not items:
        return MISSING
    if any(is_valid(i) for i in items):
        return VALID
    verified = [i for i in items if i.verified_at is not None and not getattr(i, "is_revoked", 0)]
    if any(is_expired(i) for i in verified):
        return EXPIRED
    if any(i.verified_at is None and not getattr(i, "is_revoked", False) for i in items):
        return UNVERIFIED
    if any(getattr(i, "is_revoked", False) for i in items):
        return REVOKED
    return EXPIRED


def credential_status(worker: WorkerProfile, *, today: dt.date | None = None) -> CredentialStatus:
    """A worker's credential standing today, from her prefetched credentials.

    Certificates count when verified, unrevoked, issued and unexpired (open-ended ones never
    expire); pre-job training when verified; health checks when verified, done and valid
    today. `nearest_expiry` is the first day on which a currently valid kind runs out (the
    latest expiry of each kind, then the earliest of the kinds).
    """
    today = today or timezone.localdate()
    certificates = list(worker.certificates.all())
    trainings = [t for t in worker.training_records.all() if t.kind == TrainingKind.PRE_JOB]
    checks = list(worker.health_checks.all())

    def certificate_valid(c: Certificate) -> bool:
        return (
            c.verified_at is not None
            and not c.is_revoked
            and c.issued_on <= today
            and (c.expires_on is None or c.expires_on >= today)
        )

    def check_valid(h: HealthCheck) -> bool:
        return h.verified_at is not None and h.done_on <= today and h.valid_until >= today

    valid_certificates = [c for c in certificates if certificate_valid(c)]
    certificate_until = None
    if valid_certificates and all(c.expires_on for c in valid_certificates):
        certificate_until = max(c.expires_on for c in valid_certificates)
    valid_checks = [h for h in checks if check_valid(h)]
    check_until = max((h.valid_until for h in valid_checks), default=None)
    nearest = min((d for d in (certificate_until, check_until) if d is not None), default=None)
    pending = sum(
        1
        for c in (*certificates, *worker.training_records.all(), *checks)
        if c.verified_at is None and not getattr(c, "is_revoked", False)
    )
    return CredentialStatus(
        certificate=_state(
            certificates,
            is_valid=certificate_valid,
            is_expired=lambda c: c.expires_on is not None and c.expires_on < today,
        ),
        certificate_valid_until=certificate_until,
        pre_job_training=_state(
            trainings,
            is_valid=lambda t: t.verified_at is not None and t.completed_on <= today,
            is_expired=lambda t: False,
        ),
        health_check=_state(
            checks, is_valid=check_valid, is_expired=lambda h: h.valid_until < today
        ),
        health_check_valid_until=check_until,
        nearest_expiry=nearest,
        is_expiring_soon=nearest is not None
        and nearest <= today + dt.timedelta(days=EXPIRY_WARNING_DAYS),
        awaiting_verification=pending,
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


# ---- open requests an agency may dispatch to -------------------------------------------------

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
