"""Who may serve (PRODUCT.md §3): credentials, busy time, weekly availability and time off.

`eligible_workers` is the credential rule as one SQL filter (matching builds on it);
`worker_eligibility` explains one worker's standing with reason codes (accept-time checks, and
showing a worker what she is missing).

Busy time is the orders' to know: callers pass the busy-time check as `busy`, a BusyRows
callable (orders.selectors.busy_visits, the scheduled visits of live orders), and this module
only asks it which rows overlap the slots.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet

from backend.localtime import local_day, local_time, local_zone
from marketplace.models import (
    Category,
    Certificate,
    Consent,
    ConsentKind,
    HealthCheck,
    Role,
    TimeOff,
    TrainingKind,
    TrainingRecord,
    WorkerProfile,
)

Slot = tuple[dt.datetime, dt.datetime]
# The busy-time check: given slots, the rows that make a worker busy then (each row with a
# `worker` foreign key to WorkerProfile), e.g. orders.selectors.busy_visits.
BusyRows = Callable[[Sequence[Slot]], QuerySet]

# Reason codes, in the order they are reported.
INACTIVE = "inactive"
NOT_VERIFIED = "not_verified"
NOT_ACCEPTING_OFFERS = "not_accepting_offers"
TRADE_NOT_HELD = "trade_not_held"
NO_CERTIFICATE = "no_certificate"
CERTIFICATE_UNVERIFIED = "certificate_unverified"
CERTIFICATE_REVOKED = "certificate_revoked"
CERTIFICATE_NOT_YET_VALID = "certificate_not_yet_valid"
CERTIFICATE_EXPIRED = "certificate_expired"
NO_PRE_JOB_TRAINING = "no_pre_job_training"
NO_HEALTH_CHECK = "no_health_check"
HEALTH_CHECK_EXPIRED = "health_check_expired"
HEALTH_CHECK_CONSENT_WITHDRAWN = "health_check_consent_withdrawn"
BUSY = "busy"
OUTSIDE_AVAILABILITY = "outside_availability"
ON_LEAVE = "on_leave"


@dataclass(frozen=True)
class Eligibility:
    is_eligible: bool
    reasons: list[str] = field(default_factory=list)


def service_dates(slots: Sequence[Slot]) -> tuple[dt.date, dt.date]:
    """First and last local (Asia/Shanghai) calendar day the slots touch (ends are exclusive)."""
    if not slots:
        today = dt.datetime.now(tz=local_zone()).date()
        return today, today
    start = min(s for s, _ in slots)
    end = max(e for _, e in slots)
    last_instant = end - dt.timedelta(microseconds=1) if end > start else end
    return local_day(start), local_day(last_instant)


# --- credentials -------------------------------------------------------------------------------


def valid_certificates(*, category: Category, starts_on: dt.date, ends_on: dt.date) -> QuerySet:
    return Certificate.objects.filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=ends_on),
        category=category,
        verified_at__isnull=False,
        is_revoked=False,
        issued_on__lte=starts_on,
    )


def valid_pre_job_training(*, starts_on: dt.date) -> QuerySet:
    return TrainingRecord.objects.filter(
        kind=TrainingKind.PRE_JOB, verified_at__isnull=False, completed_on__lte=starts_on
    )


def valid_health_checks(*, starts_on: dt.date, ends_on: dt.date) -> QuerySet:
    return HealthCheck.objects.filter(
        verified_at__isnull=False, done_on__lte=starts_on, valid_until__gte=ends_on
    )


def health_consent_withdrawn(user) -> Q:
    """She withdrew her consent to the use of her health checks and has not given it again
    (marketplace.services.consents): her checks no longer count for matching."""
    consents = Consent.objects.filter(user=user, kind=ConsentKind.HEALTH_CHECK)
    return Q(Exists(consents.filter(withdrawn_at__isnull=False))) & ~Q(
        Exists(consents.filter(withdrawn_at__isnull=True))
    )


def eligible_workers(
    *, category: Category | None, starts_on: dt.date, ends_on: dt.date
) -> QuerySet[WorkerProfile]:
    """Workers whose account and credentials allow serving `category` from starts_on to ends_on.

    Active worker account, identity verified, accepting offers, holds the trade; a verified,
    unrevoked certificate of the trade valid over the whole period (when the trade requires
    one); verified pre-job training completed by the start; a verified health check done by the
    start and valid to the end. Busy time, availability and distance are matching's filters.
    """
    workers = OuterRef("pk")
    queryset = (
        WorkerProfile.objects.filter(
            user__is_active=True,
            user__role=Role.WORKER,
            is_verified=True,
            is_accepting_offers=True,
        )
        .filter(
            Exists(valid_pre_job_training(starts_on=starts_on).filter(worker=workers)),
            Exists(
                valid_health_checks(starts_on=starts_on, ends_on=ends_on).filter(worker=workers)
            ),
        )
        .exclude(health_consent_withdrawn(OuterRef("user_id")))
    )
    if category is not None:
        through = WorkerProfile.categories.through
        queryset = queryset.filter(
            Exists(through.objects.filter(workerprofile_id=workers, category_id=category.pk))
        )
        if category.requires_certificate:
            certificates = valid_certificates(
                category=category, starts_on=starts_on, ends_on=ends_on
            )
            queryset = queryset.filter(Exists(certificates.filter(worker=workers)))
    return queryset


# --- busy time ---------------------------------------------------------------------------------


def overlapping(slots: Sequence[Slot]) -> Q:
    """Rows (with `starts_at`, `ends_at`) overlapping any slot; intervals are half-open, so
    touching ones do not."""
    condition = Q(pk__in=[])
    for starts_at, ends_at in slots:
        condition |= Q(starts_at__lt=ends_at, ends_at__gt=starts_at)
    return condition


def not_busy(slots: Sequence[Slot], *, busy: BusyRows) -> Q | Exists:
    """A WorkerProfile filter: no busy row (see BusyRows) overlapping the slots."""
    if not slots:
        return Q()
    return ~Exists(busy(slots).filter(worker=OuterRef("pk")))


# --- time off --------------------------------------------------------------------------------


def time_off_overlapping(slots: Sequence[Slot]) -> QuerySet[TimeOff]:
    """Time off overlapping any of the slots (whole local days, see TimeOff)."""
    return TimeOff.objects.filter(overlapping(slots))


def not_on_leave(slots: Sequence[Slot]) -> Q | Exists:
    """A WorkerProfile filter: no time off overlapping the slots."""
    if not slots:
        return Q()
    return ~Exists(time_off_overlapping(slots).filter(worker=OuterRef("pk")))


# --- weekly availability ----------------------------------------------------------------------


def _minutes(text: str) -> int:
    hours, minutes = str(text).split(":")
    return int(hours) * 60 + int(minutes)


def _day_intervals(availability: dict, weekday: int) -> list[tuple[int, int]]:
    raw = availability.get(str(weekday)) or availability.get(weekday) or []
    intervals = []
    for item in raw:
        try:
            start, end = _minutes(item[0]), _minutes(item[1])
        except (TypeError, ValueError, IndexError):
            continue
        if end > start:
            intervals.append((start, end))
    intervals.sort()
    merged: list[tuple[int, int]] = []
    for start, end in intervals:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def is_available(availability: dict | None, slots: Sequence[Slot]) -> bool:
    """Whether a weekly pattern (Monday = "0", local time) covers every slot; empty = any time."""
    if not availability:
        return True
    for starts_at, ends_at in slots:
        start = local_time(starts_at)
        end = local_time(ends_at)
        day = start.date()
        while True:
            day_start = dt.datetime.combine(day, dt.time(), tzinfo=local_zone())
            next_day = day_start + dt.timedelta(days=1)
            piece_start = max(start, day_start)
            piece_end = min(end, next_day)
            if piece_end > piece_start:
                first = int((piece_start - day_start).total_seconds() // 60)
                last = -(-int((piece_end - day_start).total_seconds()) // 60)
                intervals = _day_intervals(availability, day.weekday())
                if not any(low <= first and last <= high for low, high in intervals):
                    return False
            if next_day >= end:
                break
            day += dt.timedelta(days=1)
    return True


# --- one worker, with reasons -------------------------------------------------------------


def _certificate_reasons(
    worker: WorkerProfile, category: Category, starts_on: dt.date, ends_on: dt.date
) -> list[str]:
    certificates = list(Certificate.objects.filter(worker=worker, category=category))
    if not certificates:
        return [NO_CERTIFICATE]
    if any(
        c.verified_at is not None
        and not c.is_revoked
        and c.issued_on <= starts_on
        and (c.expires_on is None or c.expires_on >= ends_on)
        for c in certificates
    ):
        return []
    usable = [c for c in certificates if c.verified_at is not None and not c.is_revoked]
    if usable:
        if any(c.expires_on is not None and c.expires_on < ends_on for c in usable):
            return [CERTIFICATE_EXPIRED]
        return [CERTIFICATE_NOT_YET_VALID]
    if any(c.verified_at is None and not c.is_revoked for c in certificates):
        return [CERTIFICATE_UNVERIFIED]
    return [CERTIFICATE_REVOKED]


def worker_eligibility(
    *,
    worker: WorkerProfile,
    category: Category | None,
    slots: Sequence[Slot] = (),
    busy: BusyRows | None = None,
) -> Eligibility:
    """Whether `worker` may serve `category` at `slots` (today when none), and what is missing.

    Busy time is judged with `busy` (see BusyRows) when slots are given, and so is her time
    off; without slots only her credentials are. Distance is not judged here (it depends on the
    request's point; see find_matches).
    """
    starts_on, ends_on = service_dates(slots)
    reasons: list[str] = []
    user = worker.user
    if not user.is_active or user.role != Role.WORKER:
        reasons.append(INACTIVE)
    if not worker.is_verified:
        reasons.append(NOT_VERIFIED)
    if not worker.is_accepting_offers:
        reasons.append(NOT_ACCEPTING_OFFERS)
    if category is not None:
        if not worker.categories.filter(pk=category.pk).exists():
            reasons.append(TRADE_NOT_HELD)
        if category.requires_certificate:
            reasons.extend(_certificate_reasons(worker, category, starts_on, ends_on))
    if not valid_pre_job_training(starts_on=starts_on).filter(worker=worker).exists():
        reasons.append(NO_PRE_JOB_TRAINING)
    if not valid_health_checks(starts_on=starts_on, ends_on=ends_on).filter(worker=worker).exists():
        done = HealthCheck.objects.filter(
            worker=worker, verified_at__isnull=False, done_on__lte=starts_on
        )
        reasons.append(HEALTH_CHECK_EXPIRED if done.exists() else NO_HEALTH_CHECK)
    elif WorkerProfile.objects.filter(
        health_consent_withdrawn(OuterRef("user_id")), pk=worker.pk
    ).exists():
        reasons.append(HEALTH_CHECK_CONSENT_WITHDRAWN)
    if slots:
        if busy is not None and busy(slots).filter(worker_id=worker.pk).exists():
            reasons.append(BUSY)
        if not is_available(worker.availability, slots):
            reasons.append(OUTSIDE_AVAILABILITY)
        if time_off_overlapping(slots).filter(worker_id=worker.pk).exists():
            reasons.append(ON_LEAVE)
    return Eligibility(is_eligible=not reasons, reasons=reasons)


def exclude_ids(queryset: QuerySet, ids: Iterable[int]) -> QuerySet:
    ids = list(ids)
    return queryset.exclude(pk__in=ids) if ids else queryset
