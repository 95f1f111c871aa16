"""One worker's standing loaded once and asked about many requests: the rules of
marketplace.selectors.eligibility (credentials, busy time, availability, time off) evaluated in
Python over her rows, so that a list of requests she may serve costs a fixed number of queries.

Listing only: whatever she then does (apply, accept) is judged again by `worker_eligibility`
under her lock, and tests/marketplace/test_standing.py keeps the two in agreement.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from marketplace.models import (
    Certificate,
    HealthCheck,
    Role,
    TimeOff,
    TrainingKind,
    TrainingRecord,
    WorkerProfile,
)
from marketplace.selectors.eligibility import (
    BUSY,
    CERTIFICATE_EXPIRED,
    HEALTH_CHECK_EXPIRED,
    INACTIVE,
    NO_CERTIFICATE,
    NO_HEALTH_CHECK,
    NO_PRE_JOB_TRAINING,
    NOT_ACCEPTING_OFFERS,
    NOT_VERIFIED,
    ON_LEAVE,
    OUTSIDE_AVAILABILITY,
    TRADE_NOT_HELD,
    BusyRows,
    Slot,
    is_available,
    service_dates,
)


def _overlaps(intervals, slots: Sequence[Slot]) -> bool:
    return any(s < end and e > start for start, end in intervals for s, e in slots)


@dataclass
class WorkerStanding:
    worker: WorkerProfile
    trade_ids: set[int]
    certificates: list[Certificate]
    trainings: list[TrainingRecord]
    health_checks: list[HealthCheck]
    busy: list[tuple[dt.datetime, dt.datetime]]
    time_off: list[tuple[dt.datetime, dt.datetime]]

    @classmethod
    def load(cls, *, worker: WorkerProfile, busy: BusyRows, window: Slot | None) -> WorkerStanding:
        """Her rows (five queries); busy time only within `window`."""
        busy_rows = []
        if window is not None:
            busy_rows = list(
                busy([window]).filter(worker_id=worker.pk).values_list("starts_at", "ends_at")
            )
        return cls(
            worker=worker,
            trade_ids=set(worker.categories.values_list("pk", flat=True)),
            certificates=list(Certificate.objects.filter(worker=worker, verified_at__isnull=False)),
            trainings=list(
                TrainingRecord.objects.filter(
                    worker=worker, kind=TrainingKind.PRE_JOB, verified_at__isnull=False
                )
            ),
            health_checks=list(
                HealthCheck.objects.filter(worker=worker, verified_at__isnull=False)
            ),
            busy=busy_rows,
            time_off=list(
                TimeOff.objects.filter(worker=worker).values_list("starts_at", "ends_at")
            ),
        )

    def _account_reasons(self) -> list[str]:
        user, reasons = self.worker.user, []
        if not user.is_active or user.role != Role.WORKER:
            reasons.append(INACTIVE)
        if not self.worker.is_verified:
            reasons.append(NOT_VERIFIED)
        if not self.worker.is_accepting_offers:
            reasons.append(NOT_ACCEPTING_OFFERS)
        return reasons

    def _certificate_ok(self, category, starts_on: dt.date, ends_on: dt.date) -> bool:
        return any(
            c.category_id == category.pk
            and not c.is_revoked
            and c.issued_on <= starts_on
            and (c.expires_on is None or c.expires_on >= ends_on)
            for c in self.certificates
        )

    def reasons(self, *, category, slots: Sequence[Slot]) -> list[str]:
        """What stops her serving `category` at `slots` (empty: she may)."""
        starts_on, ends_on = service_dates(slots)
        reasons = self._account_reasons()
        if category.pk not in self.trade_ids:
            reasons.append(TRADE_NOT_HELD)
        if category.requires_certificate and not self._certificate_ok(category, starts_on, ends_on):
            held = [c for c in self.certificates if c.category_id == category.pk]
            reasons.append(CERTIFICATE_EXPIRED if held else NO_CERTIFICATE)
        if not any(t.completed_on <= starts_on for t in self.trainings):
            reasons.append(NO_PRE_JOB_TRAINING)
        if not any(h.done_on <= starts_on and h.valid_until >= ends_on for h in self.health_checks):
            done = any(h.done_on <= starts_on for h in self.health_checks)
            reasons.append(HEALTH_CHECK_EXPIRED if done else NO_HEALTH_CHECK)
        if slots:
            if _overlaps(self.busy, slots):
                reasons.append(BUSY)
            if not is_available(self.worker.availability, slots):
                reasons.append(OUTSIDE_AVAILABILITY)
            if _overlaps(self.time_off, slots):
                reasons.append(ON_LEAVE)
        return reasons
