"""Qualification exams: registration, results, and the certificate a pass issues.

Exactly one certificate per passed registration: the registration row is locked while the
result is recorded and `ExamRegistration.certificate` is one-to-one. Numbers are
LQ-<trade>-<year>-<seq>, the sequence counted per trade and year in CertificateSequence.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.exceptions import Conflict, NotFound, ValidationFailed
from backend.fact_changes import worker_facts_changed
from marketplace.models import Category, Certificate, Division, User, WorkerProfile
from notifications.events import NOTIFICATION, send_event_on_commit
from programme.locks import lock_exam, lock_exam_registration
from programme.models import (
    FEDERATION_PROVIDER,
    CertificateSequence,
    Exam,
    ExamRegistration,
    ExamResult,
    ExamStatus,
)

from .common import UNSET, apply_changes, require_officer

TRADE_CODES = {
    "maternity_nurse": "MN",
    "infant_carer": "IC",
    "elderly_carer": "EC",
    "housekeeper": "HK",
    "organiser": "OG",
    "nutritionist": "NT",
    "hourly_cleaning": "HC",
}


def certificate_valid_years() -> int:
    """MEIJIA["CERTIFICATE_VALID_YEARS"], 3 when unset."""
    return int(getattr(settings, "MEIJIA", {}).get("CERTIFICATE_VALID_YEARS", 3))


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _validate_exam(exam: Exam) -> None:
    if not 0 < exam.pass_mark <= 100:
        raise ValidationFailed(_("合格分数须在 1 到 100 之间。"), field="pass_mark")
    if not exam.issuer.strip():
        raise ValidationFailed(_("请填写发证机构。"), field="issuer")


@transaction.atomic
def exam_create(
    *,
    actor: User,
    name: str,
    category: Category,
    held_on: dt.date,
    place: str = "",
    division: Division | None = None,
    pass_mark: int = 60,
    issuer: str = FEDERATION_PROVIDER,
    level: str = "",
) -> Exam:
    require_officer(actor)
    exam = Exam(
        name=name,
        category=category,
        held_on=held_on,
        place=place,
        division=division,
        pass_mark=pass_mark,
        issuer=issuer or FEDERATION_PROVIDER,
        level=level,
        created_by=actor,
    )
    _validate_exam(exam)
    exam.save()
    return exam


@transaction.atomic
def exam_update(
    *,
    exam_id: int,
    actor: User,
    name: str = UNSET,
    held_on: dt.date = UNSET,
    place: str = UNSET,
    division: Division | None = UNSET,
    pass_mark: int = UNSET,
    issuer: str = UNSET,
    level: str = UNSET,
    status: str = UNSET,
) -> Exam:
    """Change an exam; the pass mark is fixed once any result is recorded.

    Raises Conflict `results_recorded`, ValidationFailed. Locks the exam row.
    """
    require_officer(actor)
    exam = lock_exam(exam_id)
    if exam is None:
        raise NotFound(_("考试不存在。"))
    if (
        pass_mark is not UNSET
        and pass_mark != exam.pass_mark
        and exam.registrations.exclude(result=ExamResult.PENDING).exists()
    ):
        raise Conflict(_("已登记成绩，不能修改合格分数。"), code="results_recorded")
    if status is not UNSET and status not in ExamStatus.values:
        raise ValidationFailed(_("未知的考试状态。"), field="status")
    fields = apply_changes(
        exam,
        {
            "name": name,
            "held_on": held_on,
            "place": place,
            "division": division,
            "pass_mark": pass_mark,
            "issuer": issuer,
            "level": level,
            "status": status,
        },
    )
    _validate_exam(exam)
    if fields:
        exam.save(update_fields=fields)
    return exam


def exam_register(
    *, exam_id: int, worker: WorkerProfile, actor: User, today: dt.date | None = None
) -> ExamRegistration:
    """Register a worker (herself, or by an officer) for an open exam not yet held.

    Raises NotFound, Conflict `exam_closed`, `already_registered`.
    """
    today = today or timezone.localdate()
    exam = Exam.objects.filter(pk=exam_id).first()
    if exam is None:
        raise NotFound(_("考试不存在。"))
    if exam.status != ExamStatus.OPEN or exam.held_on < today:
        raise Conflict(_("该考试已停止报名。"), code="exam_closed")
    try:
        with transaction.atomic():
            return ExamRegistration.objects.create(exam=exam, worker=worker, registered_by=actor)
    except IntegrityError as error:
        raise Conflict(_("已报名该考试。"), code="already_registered") from error


def certificate_number_next(*, category: Category, year: int) -> str:
    """The next LQ-<trade>-<year>-<seq> number; call inside the transaction that uses it."""
    sequence, _created = CertificateSequence.objects.get_or_create(category=category, year=year)
    CertificateSequence.objects.filter(pk=sequence.pk).update(last=F("last") + 1)
    last = CertificateSequence.objects.values_list("last", flat=True).get(pk=sequence.pk)
    code = TRADE_CODES.get(category.code, category.code.upper()[:12])
    return f"LQ-{code}-{year}-{last:06d}"


def _certificate_issue(registration: ExamRegistration, actor: User, now) -> Certificate:
    exam = registration.exam
    certificate = Certificate.objects.create(
        worker_id=registration.worker_id,
        category_id=exam.category_id,
        number=certificate_number_next(category=exam.category, year=exam.held_on.year),
        level=exam.level,
        issuer=exam.issuer[:100],
        issued_on=exam.held_on,
        expires_on=_add_years(exam.held_on, certificate_valid_years()),
        verified_by=actor,
        verified_at=now,
    )
    registration.certificate = certificate
    registration.save(update_fields=["certificate"])
    # A certified trade becomes one she offers; she can take it off her profile.
    registration.worker.categories.add(exam.category_id)
    worker_facts_changed(worker_id=certificate.worker_id)
    return certificate


def exam_result_record(
    *, registration_id: int, score: int, actor: User, today: dt.date | None = None
) -> ExamRegistration:
    """Record a score; a pass (score ≥ pass mark) issues the certificate exactly once.

    Recording again with the same outcome only updates the score; repeated or simultaneous
    calls never issue a second certificate. Raises ValidationFailed on `score` (0–100),
    Conflict `exam_not_held` (before the exam date), `exam_cancelled`, `result_recorded`
    (the outcome would flip). Locks the registration row.
    """
    require_officer(actor)
    today = today or timezone.localdate()
    if not isinstance(score, int) or not 0 <= score <= 100:
        raise ValidationFailed(_("成绩须在 0 到 100 之间。"), field="score")
    with transaction.atomic():
        registration = lock_exam_registration(registration_id)
        if registration is None:
            raise NotFound(_("考试报名不存在。"))
        exam = registration.exam
        if exam.status == ExamStatus.CANCELLED:
            raise Conflict(_("考试已取消。"), code="exam_cancelled")
        if exam.held_on > today:
            raise Conflict(_("考试尚未举行，不能登记成绩。"), code="exam_not_held")
        outcome = ExamResult.PASSED if score >= exam.pass_mark else ExamResult.FAILED
        if registration.result != ExamResult.PENDING and registration.result != outcome:
            raise Conflict(
                _("该考生已登记成绩，结果不能更改。"),
                code="result_recorded",
                extra={"result": registration.result},
            )
        now = timezone.now()
        if registration.result == ExamResult.PENDING:
            registration.result = outcome
            registration.result_recorded_at = now
            registration.result_recorded_by = actor
        registration.score = score
        registration.save(
            update_fields=["score", "result", "result_recorded_at", "result_recorded_by"]
        )
        if outcome == ExamResult.PASSED and registration.certificate_id is None:
            certificate = _certificate_issue(registration, actor, now)
            send_event_on_commit(
                event_type=NOTIFICATION,
                recipients=[registration.worker.user_id],
                payload={
                    "kind": "certificate.issued",
                    "certificate": certificate.pk,
                    "number": certificate.number,
                    "message": _("恭喜您通过「%(exam)s」，证书编号 %(number)s。")
                    % {"exam": exam.name, "number": certificate.number},
                },
            )
    return registration
