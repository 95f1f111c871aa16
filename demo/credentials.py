"""The credentials of newly created demo workers: trades, certificates, trainings, health
checks and roster places, drawn from `random.Random(f"credentials-{n}")` per worker."""

import datetime as dt
import random
from dataclasses import dataclass, field

from demo.county import CERTIFICATE_ISSUER, HOSPITALS, TRAINING_PROVIDER, WorkerSpec
from marketplace.models import (
    Certificate,
    HealthCheck,
    RosterEntry,
    TrainingKind,
    TrainingRecord,
    WorkerProfile,
)


@dataclass
class CredentialRows:
    """Unsaved rows for a batch of workers, in the order they are drawn."""

    trades: list = field(default_factory=list)
    certificates: list = field(default_factory=list)
    trainings: list = field(default_factory=list)
    checks: list = field(default_factory=list)
    roster: list = field(default_factory=list)

    def save(self) -> None:
        WorkerProfile.categories.through.objects.bulk_create(self.trades)
        Certificate.objects.bulk_create(self.certificates)
        TrainingRecord.objects.bulk_create(self.trainings)
        HealthCheck.objects.bulk_create(self.checks)
        RosterEntry.objects.bulk_create(self.roster)


@dataclass
class CredentialContext:
    """What every worker's rows need: the day, the moment, and the id lookups."""

    today: dt.date
    now: dt.datetime
    lookups: dict


def _certificates(
    spec: WorkerSpec, profile_id: int, rng: random.Random, issued: dt.date, verifier, context
) -> list[Certificate]:
    today, categories = context.today, context.lookups["categories"]
    rows = []
    for position, certificate in enumerate(spec.certificates):
        expires = (
            today - dt.timedelta(days=rng.randint(1, 300))
            if certificate.state == "expired"
            else max(issued + dt.timedelta(days=5 * 365), today + dt.timedelta(days=400))
        )
        verified = certificate.state != "unverified"
        rows.append(
            Certificate(
                worker_id=profile_id,
                category_id=categories[certificate.category_code],
                number=f"LQ{spec.number:07d}{position}",
                level=rng.choice(["初级", "初级", "中级", "高级"]),
                issuer=CERTIFICATE_ISSUER,
                issued_on=min(issued, expires - dt.timedelta(days=365)),
                expires_on=expires,
                verified_by_id=verifier if verified else None,
                verified_at=context.now if verified else None,
            )
        )
    return rows


def _trainings(
    spec: WorkerSpec, profile_id: int, rng: random.Random, trained_on: dt.date, verifier, context
) -> list[TrainingRecord]:
    """Her pre-job training (when she has one) and, for some, a recent refresher."""
    rows = []
    first_trade = spec.trades[0]
    if spec.has_pre_job_training:
        rows.append(
            TrainingRecord(
                worker_id=profile_id,
                course=f"{context.lookups['category_names'][first_trade]}岗前培训",
                kind=TrainingKind.PRE_JOB,
                category_id=context.lookups["categories"][first_trade],
                provider=TRAINING_PROVIDER,
                completed_on=trained_on,
                verified_by_id=verifier,
                verified_at=context.now,
            )
        )
    if rng.random() < 0.3:
        rows.append(
            TrainingRecord(
                worker_id=profile_id,
                course="家政服务技能复训",
                kind=TrainingKind.REFRESHER,
                provider=TRAINING_PROVIDER,
                completed_on=context.today - dt.timedelta(days=rng.randint(10, 80)),
                verified_by_id=verifier,
                verified_at=context.now,
            )
        )
    return rows


def _health_checks(
    spec: WorkerSpec, profile_id: int, rng: random.Random, verifier, context
) -> list[HealthCheck]:
    if spec.health == "missing":
        return []
    done = context.today - dt.timedelta(
        days=rng.randint(400, 700) if spec.health == "expired" else rng.randint(5, 200)
    )
    return [
        HealthCheck(
            worker_id=profile_id,
            done_on=done,
            valid_until=done + dt.timedelta(days=365),
            institution=rng.choice(HOSPITALS),
            verified_by_id=verifier,
            verified_at=context.now,
        )
    ]


def _roster(
    spec: WorkerSpec, profile_id: int, rng: random.Random, trained_on: dt.date, verifier, context
) -> list[RosterEntry]:
    if spec.agency_index is None:
        return []
    return [
        RosterEntry(
            agency_id=context.lookups["agencies"][spec.agency_index],
            worker_id=profile_id,
            status=RosterEntry.Status.ACTIVE,
            started_on=trained_on + dt.timedelta(days=rng.randint(20, 60)),
            created_by_id=verifier,
        )
    ]


def worker_credentials_add(
    rows: CredentialRows, *, spec: WorkerSpec, profile_id: int, context: CredentialContext
) -> None:
    """Append one new worker's credential rows; her agency's owner verified them."""
    rng = random.Random(f"credentials-{spec.number}")
    verifiers = context.lookups["verifiers"]
    verifier = verifiers.get(spec.agency_index, verifiers[None])
    rows.trades += [
        WorkerProfile.categories.through(
            workerprofile_id=profile_id, category_id=context.lookups["categories"][code]
        )
        for code in spec.trades
    ]
    issued = context.today - dt.timedelta(days=rng.randint(90, 1400))
    rows.certificates += _certificates(spec, profile_id, rng, issued, verifier, context)
    trained_on = issued - dt.timedelta(days=30)
    rows.trainings += _trainings(spec, profile_id, rng, trained_on, verifier, context)
    rows.checks += _health_checks(spec, profile_id, rng, verifier, context)
    rows.roster += _roster(spec, profile_id, rng, trained_on, verifier, context)
