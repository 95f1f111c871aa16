"""A new worker's way to her first offer: what keeps her from being matchable, as a checklist.

The rules are the eligibility selector's (marketplace.selectors.eligibility, through
web.selectors.worker_standing): this module only groups its reason codes into four steps —
identity check, pre-job training, health check, certificate — and adds, for each step not
done, what to bring, where, the next date the programme has on record (its courses and exams),
and whom to call (her agency, or the federation).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backend.localtime import local_day
from marketplace.models import RosterEntry, TrainingKind, WorkerProfile
from marketplace.selectors import eligibility as rules
from marketplace.selectors.eligibility import worker_eligibility
from programme.models import (
    Course,
    CourseStatus,
    Exam,
    ExamStatus,
    HealthCheckSession,
    HealthCheckSessionStatus,
)

FEDERATION_NAME = _("临清市妇联")
IDENTITY, TRAINING, HEALTH, CERTIFICATE = "identity", "training", "health", "certificate"
STEP_REASONS = {
    IDENTITY: {rules.NOT_VERIFIED},
    TRAINING: {rules.NO_PRE_JOB_TRAINING},
    HEALTH: {rules.NO_HEALTH_CHECK, rules.HEALTH_CHECK_EXPIRED},
    CERTIFICATE: {
        rules.TRADE_NOT_HELD,
        rules.NO_CERTIFICATE,
        rules.CERTIFICATE_UNVERIFIED,
        rules.CERTIFICATE_REVOKED,
        rules.CERTIFICATE_NOT_YET_VALID,
        rules.CERTIFICATE_EXPIRED,
    },
}
TITLES = {
    IDENTITY: _("实名认证"),
    TRAINING: _("岗前培训"),
    HEALTH: _("健康体检"),
    CERTIFICATE: _("职业资格证书"),
}
BRING = {
    IDENTITY: _("身份证原件，本人到场"),
    TRAINING: _("身份证；培训免费，结业后由培训机构登记"),
    HEALTH: _("身份证；体检当天早上空腹"),
    CERTIFICATE: _("身份证、岗前培训结业记录、一寸照片两张"),
}
WHERE = {
    IDENTITY: _("所属家政企业或县妇联，工作人员核对后在系统中登记"),
    TRAINING: _("妇联组织的培训班（线上或就近线下）"),
    HEALTH: _("县妇联指定的体检机构；体检报告交家政企业或妇联登记"),
    CERTIFICATE: _("妇联组织的职业技能考试考点"),
}


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str


@dataclass(frozen=True)
class NextSession:
    name: str
    on: dt.date
    place: str
    seats_left: int | None = None
    url: str = ""  # where she signs up (报名 / 预约) on her phone


@dataclass(frozen=True)
class ChecklistStep:
    key: str
    title: str
    is_done: bool
    bring: str
    where: str
    next_session: NextSession | None


@dataclass(frozen=True)
class Checklist:
    steps: list[ChecklistStep]
    contact: Contact
    is_matchable: bool

    @property
    def done_count(self) -> int:
        return sum(1 for step in self.steps if step.is_done)


def _contact(worker: WorkerProfile) -> Contact:
    entry = (
        RosterEntry.objects.filter(worker=worker, status=RosterEntry.Status.ACTIVE)
        .select_related("agency")
        .first()
    )
    if entry is not None:
        return Contact(name=entry.agency.name, phone=entry.agency.phone)
    return Contact(name=str(FEDERATION_NAME), phone=settings.MEIJIA["FEDERATION_PHONE"])


def _by_nearness(rows, worker: WorkerProfile):
    """Her own division's session first, then the county's, each soonest first."""
    return sorted(rows, key=lambda row: (row.division_id != worker.division_id, row.sort_on))


def _next_course(worker: WorkerProfile, today: dt.date, category_ids) -> NextSession | None:
    courses = list(
        Course.objects.filter(
            kind=TrainingKind.PRE_JOB,
            status__in=(CourseStatus.PLANNED, CourseStatus.OPEN),
            starts_on__gte=today,
        )
        .filter(category_id__in=category_ids)
        .order_by("starts_on", "pk")[:20]
    ) or list(
        Course.objects.filter(
            kind=TrainingKind.PRE_JOB,
            status__in=(CourseStatus.PLANNED, CourseStatus.OPEN),
            starts_on__gte=today,
        ).order_by("starts_on", "pk")[:20]
    )
    for course in courses:
        course.sort_on = course.starts_on
    for course in _by_nearness(courses, worker)[:1]:
        return NextSession(
            name=course.name,
            on=course.starts_on,
            place=course.place,
            seats_left=max(0, course.capacity - course.enrolled_count),
            url=reverse("web:programme-women") if course.status == CourseStatus.OPEN else "",
        )
    return None


def _next_health_check(worker: WorkerProfile, today: dt.date) -> NextSession | None:
    sessions = list(
        HealthCheckSession.objects.filter(
            status=HealthCheckSessionStatus.OPEN, held_on__gte=today
        ).order_by("held_on", "pk")[:20]
    )
    for session in sessions:
        session.sort_on = session.held_on
    for session in _by_nearness(sessions, worker)[:1]:
        return NextSession(
            name=session.name,
            on=session.held_on,
            place=session.place,
            seats_left=session.seats_left,
            url=reverse("web:health-checks-women"),
        )
    return None


def _next_exam(worker: WorkerProfile, today: dt.date, category_ids) -> NextSession | None:
    exams = list(
        Exam.objects.filter(
            status=ExamStatus.OPEN, held_on__gte=today, category_id__in=category_ids
        ).order_by("held_on", "pk")[:20]
    )
    for exam in exams:
        exam.sort_on = exam.held_on
    for exam in _by_nearness(exams, worker)[:1]:
        return NextSession(name=exam.name, on=exam.held_on, place=exam.place)
    return None


def _trade_reasons(worker: WorkerProfile, categories) -> tuple[list[str], bool]:
    """Certificate reasons of her trades that need one, and whether any trade is servable."""
    reasons, any_servable = [], False
    for category in categories:
        standing = worker_eligibility(worker=worker, category=category)
        if standing.is_eligible:
            any_servable = True
        reasons.extend(r for r in standing.reasons if r in STEP_REASONS[CERTIFICATE])
    return reasons, any_servable


def worker_checklist(*, worker: WorkerProfile) -> Checklist:
    """Her four steps, each done or with what to do next; matchable when the eligibility rules
    leave nothing of these steps missing and at least one of her trades can be served."""
    today = local_day(timezone.now())
    categories = list(worker.categories.order_by("sort_order", "code"))
    category_ids = [category.pk for category in categories]
    general = set(worker_eligibility(worker=worker, category=None).reasons)
    trade_reasons, any_servable = _trade_reasons(worker, categories)
    missing = {
        IDENTITY: bool(general & STEP_REASONS[IDENTITY]),
        TRAINING: bool(general & STEP_REASONS[TRAINING]),
        HEALTH: bool(general & STEP_REASONS[HEALTH]),
        # A trade without a certificate rule is servable with none; none held needs a trade.
        CERTIFICATE: not any_servable and (bool(trade_reasons) or not categories),
    }
    sessions = {
        TRAINING: _next_course(worker, today, category_ids) if missing[TRAINING] else None,
        HEALTH: _next_health_check(worker, today) if missing[HEALTH] else None,
        CERTIFICATE: _next_exam(worker, today, category_ids) if missing[CERTIFICATE] else None,
    }
    steps = [
        ChecklistStep(
            key=key,
            title=str(TITLES[key]),
            is_done=not missing[key],
            bring=str(BRING[key]),
            where=str(WHERE[key]),
            next_session=sessions.get(key),
        )
        for key in (IDENTITY, TRAINING, HEALTH, CERTIFICATE)
    ]
    return Checklist(steps=steps, contact=_contact(worker), is_matchable=not any(missing.values()))
