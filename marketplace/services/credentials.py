"""Credentials: identity verification, and certificates, training records and health checks.

Staff of the worker's agency (active roster) or an operator verify; what they enter from a
paper document is verified at once. A worker's own entries wait unverified. Every verification
records who and when; unverifying clears both. The (issuer, number) uniqueness of certificates
is the database's constraint; its refusal is reported on field `number`.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.exceptions import Conflict, NotFound, ValidationFailed
from backend.fact_changes import worker_facts_changed
from marketplace.models import (
    Agency,
    Category,
    Certificate,
    ConsentKind,
    HealthCheck,
    RosterEntry,
    TrainingKind,
    TrainingRecord,
    User,
    WorkerProfile,
)
from marketplace.services.consents import consent_record

CREDENTIAL_MODELS: dict[str, type[Model]] = {
    "certificate": Certificate,
    "training_record": TrainingRecord,
    "health_check": HealthCheck,
}


def worker_of_agency(*, agency: Agency, worker_id: int, actor: User) -> WorkerProfile:
    """The worker, when she is on the agency's active roster (any worker for an operator).

    Raises NotFound otherwise: staff learn nothing about workers who are not theirs.
    """
    workers = WorkerProfile.objects.select_related("user")
    if not actor.is_operator:
        workers = workers.filter(
            roster_entries__agency=agency, roster_entries__status=RosterEntry.Status.ACTIVE
        )
    worker = workers.filter(pk=worker_id).first()
    if worker is None:
        raise NotFound(_("服务员不存在或不在本企业花名册中。"))
    return worker


def credential_of_agency(*, kind: str, credential_id: int, agency: Agency, actor: User):
    """A credential of a worker on the agency's active roster (any for an operator)."""
    model = CREDENTIAL_MODELS[kind]
    queryset = model.objects.select_related("worker", "verified_by")
    if not actor.is_operator:
        queryset = queryset.filter(
            worker__roster_entries__agency=agency,
            worker__roster_entries__status=RosterEntry.Status.ACTIVE,
        )
    credential = queryset.filter(pk=credential_id).first()
    if credential is None:
        raise NotFound(_("证件记录不存在。"))
    return credential


def worker_identity_verify(
    *, worker: WorkerProfile, actor: User, is_verified: bool = True, now=None
) -> WorkerProfile:
    """Mark the worker's identity verified (who, when), or withdraw the verification."""
    now = now or timezone.now()
    worker.is_verified = is_verified
    worker.verified_by = actor if is_verified else None
    worker.verified_at = now if is_verified else None
    worker.save(update_fields=["is_verified", "verified_by", "verified_at"])
    return worker


def _verification(actor: User | None, verified: bool, now) -> dict:
    if verified and actor is not None:
        return {"verified_by": actor, "verified_at": now}
    return {"verified_by": None, "verified_at": None}


def certificate_add(
    *,
    worker: WorkerProfile,
    category: str,
    number: str,
    issuer: str,
    issued_on: dt.date,
    expires_on: dt.date | None = None,
    level: str = "",
    verified_by: User | None = None,
    now=None,
) -> Certificate:
    """Record a certificate; verified at once when `verified_by` (staff from the paper).

    Raises ValidationFailed on `category` (unknown code), `expires_on` (not after issue),
    `number` (this issuer's number is already recorded).
    """
    now = now or timezone.now()
    trade = Category.objects.filter(code=category).first()
    if trade is None:
        raise ValidationFailed(_("未知的工种。"), field="category")
    if expires_on is not None and expires_on <= issued_on:
        raise ValidationFailed(_("有效期须晚于发证日期。"), field="expires_on")
    if issued_on > timezone.localdate(now):
        raise ValidationFailed(_("发证日期不能晚于今天。"), field="issued_on")
    with transaction.atomic():
        try:
            with transaction.atomic():
                certificate = Certificate.objects.create(
                    worker=worker,
                    category=trade,
                    number=number.strip(),
                    issuer=issuer.strip(),
                    issued_on=issued_on,
                    expires_on=expires_on,
                    level=level,
                    **_verification(verified_by, True, now),
                )
        except IntegrityError as error:
            raise ValidationFailed(
                _("该发证机构的此证书编号已被登记。"), field="number", code="unique"
            ) from error
        worker_facts_changed(worker_id=certificate.worker_id)
    return certificate


def training_record_add(
    *,
    worker: WorkerProfile,
    course: str,
    kind: str,
    completed_on: dt.date,
    category: str | None = None,
    provider: str = "",
    verified_by: User | None = None,
    now=None,
) -> TrainingRecord:
    """Record a completed training; verified at once when `verified_by`."""
    now = now or timezone.now()
    if kind not in TrainingKind.values:
        raise ValidationFailed(_("未知的培训类型。"), field="kind")
    trade = None
    if category:
        trade = Category.objects.filter(code=category).first()
        if trade is None:
            raise ValidationFailed(_("未知的工种。"), field="category")
    if completed_on > timezone.localdate(now):
        raise ValidationFailed(_("结业日期不能晚于今天。"), field="completed_on")
    with transaction.atomic():
        record = TrainingRecord.objects.create(
            worker=worker,
            course=course,
            kind=kind,
            category=trade,
            provider=provider,
            completed_on=completed_on,
            **_verification(verified_by, True, now),
        )
        worker_facts_changed(worker_id=record.worker_id)
    return record


def health_check_add(
    *,
    worker: WorkerProfile,
    done_on: dt.date,
    valid_until: dt.date,
    institution: str = "",
    verified_by: User | None = None,
    now=None,
) -> HealthCheck:
    """Record a health check; verified at once when `verified_by`."""
    now = now or timezone.now()
    if valid_until <= done_on:
        raise ValidationFailed(_("有效期须晚于体检日期。"), field="valid_until")
    if done_on > timezone.localdate(now):
        raise ValidationFailed(_("体检日期不能晚于今天。"), field="done_on")
    with transaction.atomic():
        # Collected with her agreement to the stated purpose; refused once she withdrew it.
        consent_record(
            user=worker.user, kind=ConsentKind.HEALTH_CHECK, recorded_by=verified_by, now=now
        )
        check = HealthCheck.objects.create(
            worker=worker,
            done_on=done_on,
            valid_until=valid_until,
            institution=institution,
            **_verification(verified_by, True, now),
        )
        # A new check can make earlier service count as checked (the health-check rate).
        worker_facts_changed(worker_id=worker.pk)
    return check


def credential_verify(*, credential, actor: User, is_verified: bool = True, now=None):
    """Verify (who, when) or unverify a certificate, training record or health check.

    Raises Conflict `revoked` for a revoked certificate.
    """
    now = now or timezone.now()
    if is_verified and getattr(credential, "is_revoked", False):
        raise Conflict(_("证书已被吊销，不能核验。"), code="revoked")
    for name, value in _verification(actor, is_verified, now).items():
        setattr(credential, name, value)
    credential.save(update_fields=["verified_by", "verified_at"])
    return credential


def certificate_revoke(*, certificate: Certificate, actor: User, reason: str) -> Certificate:
    """Revoke a certificate (it stops counting for eligibility); the reason is kept."""
    if not reason.strip():
        raise ValidationFailed(_("请填写吊销原因。"), field="reason")
    with transaction.atomic():
        claimed = Certificate.objects.filter(pk=certificate.pk, is_revoked=False).update(
            is_revoked=True, revoked_reason=reason.strip()[:200]
        )
        if not claimed:
            raise Conflict(_("证书已被吊销。"), code="already_revoked")
    certificate.refresh_from_db()
    return certificate
