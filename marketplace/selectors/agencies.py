"""Reads for the agency console: its staff and roster counts, staff, roster with credential
status, the credentials of one worker, and who manages a worker (her current agency).

Every queryset is scoped to one agency and loads what its serializer renders, so a list costs
the same number of queries whatever its length.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from marketplace.models import (
    Agency,
    AgencyStaff,
    Certificate,
    HealthCheck,
    RosterEntry,
    TrainingKind,
    TrainingRecord,
    User,
    WorkerProfile,
)

EXPIRY_WARNING_DAYS = 30

VALID = "valid"
EXPIRED = "expired"
UNVERIFIED = "unverified"
REVOKED = "revoked"
MISSING = "missing"


def agency_people_counts(*, agency: Agency) -> dict[str, int]:
    """Staff and roster entries by status; orders.selectors.agency_counts adds the orders."""
    roster = dict(
        RosterEntry.objects.filter(agency=agency)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {
        "staff": AgencyStaff.objects.filter(agency=agency, user__is_active=True).count(),
        "roster_active": roster.get(RosterEntry.Status.ACTIVE, 0),
        "roster_invited": roster.get(RosterEntry.Status.INVITED, 0),
        "roster_ended": roster.get(RosterEntry.Status.ENDED, 0),
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


# The one rule for what an agency sees of a worker on its roster: contact details (phone, ID,
# credential detail) only while she is on its active roster, i.e. after she accepted
# its invitation and until the engagement ends. An invited (or declined, or ended) entry shows
# what her public service card shows: her name and whether she is verified.
CONTACT_STATUSES = frozenset({RosterEntry.Status.ACTIVE})


def roster_shows_contact(entry: RosterEntry) -> bool:
    return entry.status in CONTACT_STATUSES


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
        # A phone matches only where the agency may see the phone (roster_shows_contact).
        by_phone = Q(worker__phone__contains=q, status__in=CONTACT_STATUSES)
        queryset = queryset.filter(Q(worker__real_name__icontains=q) | by_phone)
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


# ---- who manages a worker: her current agency, and its staff ------------------------------


def current_agency(*, worker: WorkerProfile) -> Agency | None:
    entry = (
        RosterEntry.objects.filter(worker=worker, status=RosterEntry.Status.ACTIVE)
        .select_related("agency")
        .first()
    )
    return entry.agency if entry else None


def staff_agency_id(user: User) -> int | None:
    if not user.is_authenticated:
        return None
    return AgencyStaff.objects.filter(user_id=user.pk).values_list("agency_id", flat=True).first()


def manages_worker(*, user: User, worker: WorkerProfile) -> bool:
    """Operators, and staff of the agency that rosters her now."""
    if not user.is_authenticated:
        return False
    if user.is_operator:
        return True
    agency_id = staff_agency_id(user)
    return (
        agency_id is not None
        and RosterEntry.objects.filter(
            agency_id=agency_id, worker=worker, status=RosterEntry.Status.ACTIVE
        ).exists()
    )
