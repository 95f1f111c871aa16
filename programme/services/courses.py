"""Courses, enrolment (capacity settled by a conditional UPDATE), attendance and completion.

A passed completion of an enrolment that has a worker writes her marketplace TrainingRecord
once: the enrolment row is locked and `Enrolment.training_record` is one-to-one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.exceptions import Conflict, InvalidTransition, NotFound, ValidationFailed
from backend.fact_changes import worker_facts_changed
from marketplace.models import Category, Division, TrainingKind, TrainingRecord, User, WorkerProfile
from notifications.events import NOTIFICATION, send_event_on_commit
from programme.locks import lock_course, lock_enrolments
from programme.models import (
    COURSE_TRANSITIONS,
    FEDERATION_PROVIDER,
    Attendance,
    Candidate,
    CompletionResult,
    Course,
    CourseMode,
    CourseStatus,
    Enrolment,
    EnrolmentStatus,
)

from .common import UNSET, apply_changes, require_officer
from .waiting_list import enrolment_wait, waiting_promote

EDITABLE_STATUSES = {CourseStatus.PLANNED, CourseStatus.OPEN, CourseStatus.RUNNING}


def _validate_course(course: Course) -> None:
    if course.ends_on < course.starts_on:
        raise ValidationFailed(_("结课日期不能早于开课日期。"), field="ends_on")
    if course.capacity < 1:
        raise ValidationFailed(_("名额至少为 1。"), field="capacity")
    if course.kind not in TrainingKind.values:
        raise ValidationFailed(_("未知的培训类型。"), field="kind")
    if course.mode not in CourseMode.values:
        raise ValidationFailed(_("未知的上课形式。"), field="mode")
    if course.mode == CourseMode.OFFLINE:
        if course.division_id is None:
            raise ValidationFailed(_("线下课程须填写所在镇街。"), field="division")
        if not course.place.strip():
            raise ValidationFailed(_("线下课程须填写上课地点。"), field="place")


@transaction.atomic
def course_create(
    *,
    actor: User,
    name: str,
    category: Category,
    kind: str,
    mode: str,
    starts_on: dt.date,
    ends_on: dt.date,
    capacity: int,
    division: Division | None = None,
    place: str = "",
    teacher: str = "",
    description: str = "",
    provider: str = FEDERATION_PROVIDER,
    status: str = CourseStatus.PLANNED,
) -> Course:
    """An officer creates a course, planned or already open. Raises ValidationFailed."""
    require_officer(actor)
    if status not in (CourseStatus.PLANNED, CourseStatus.OPEN):
        raise ValidationFailed(_("新课程的状态只能是筹备中或报名中。"), field="status")
    course = Course(
        name=name,
        category=category,
        kind=kind,
        mode=mode,
        starts_on=starts_on,
        ends_on=ends_on,
        capacity=capacity,
        division=division,
        place=place,
        teacher=teacher,
        description=description,
        provider=provider or FEDERATION_PROVIDER,
        status=status,
        created_by=actor,
    )
    _validate_course(course)
    course.save()
    return course


def _locked_course(course_id: int) -> Course:
    course = lock_course(course_id)
    if course is None:
        raise NotFound(_("课程不存在。"))
    return course


@transaction.atomic
def course_update(
    *,
    course_id: int,
    actor: User,
    name: str = UNSET,
    category: Category = UNSET,
    kind: str = UNSET,
    mode: str = UNSET,
    starts_on: dt.date = UNSET,
    ends_on: dt.date = UNSET,
    capacity: int = UNSET,
    division: Division | None = UNSET,
    place: str = UNSET,
    teacher: str = UNSET,
    description: str = UNSET,
    provider: str = UNSET,
) -> Course:
    """Change a course that has not finished; capacity never drops below the enrolled count.

    Raises Conflict `course_closed` (finished or cancelled), `capacity_below_enrolled`,
    ValidationFailed. Locks the course row.
    """
    require_officer(actor)
    course = _locked_course(course_id)
    if course.status not in EDITABLE_STATUSES:
        raise Conflict(_("已结业或已取消的课程不能修改。"), code="course_closed")
    fields = apply_changes(
        course,
        {
            "name": name,
            "category": category,
            "kind": kind,
            "mode": mode,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "capacity": capacity,
            "division": division,
            "place": place,
            "teacher": teacher,
            "description": description,
            "provider": provider,
        },
    )
    _validate_course(course)
    if course.capacity < course.enrolled_count:
        raise Conflict(
            _("名额不能少于已报名人数（%(count)d）。") % {"count": course.enrolled_count},
            code="capacity_below_enrolled",
        )
    if fields:
        course.save(update_fields=[*fields, "updated_at"])
    return course


@transaction.atomic
def course_transition(*, course_id: int, to_status: str, actor: User) -> Course:
    """Move a course along COURSE_TRANSITIONS; cancelling tells the enrolled workers.

    Raises InvalidTransition (409). Locks the course row.
    """
    require_officer(actor)
    course = _locked_course(course_id)
    if to_status not in COURSE_TRANSITIONS.get(course.status, set()):
        raise InvalidTransition(
            entity="course",
            current=course.status,
            target=to_status,
            detail=_("课程当前状态不允许此操作。"),
        )
    course.status = to_status
    course.save(update_fields=["status", "updated_at"])
    if to_status == CourseStatus.CANCELLED:
        recipients = Enrolment.objects.filter(
            course=course, status=EnrolmentStatus.ENROLLED, worker__isnull=False
        ).values_list("worker__user_id", flat=True)
        send_event_on_commit(
            event_type=NOTIFICATION,
            recipients=list(recipients),
            payload={
                "kind": "course.cancelled",
                "course": course.pk,
                "message": _("培训课程「%(name)s」已取消。") % {"name": course.name},
            },
        )
    return course


def course_cancel(*, course_id: int, actor: User) -> Course:
    return course_transition(course_id=course_id, to_status=CourseStatus.CANCELLED, actor=actor)


# ---- enrolment -------------------------------------------------------------------------------


def _refuse_enrolment(course: Course, today: dt.date) -> None:
    """Explain why the conditional UPDATE claimed no seat."""
    if course.status != CourseStatus.OPEN:
        raise Conflict(
            _("该课程当前不接受报名。"),
            code="course_not_open",
            extra={"current_status": course.status},
        )
    if course.ends_on < today:
        raise Conflict(_("该课程已结束，不能报名。"), code="course_ended")
    raise Conflict(
        _("该课程名额已满。"),
        code="course_full",
        extra={"capacity": course.capacity},
    )


def _is_full_only(course: Course, today: dt.date) -> bool:
    """Open and not ended: only the capacity refused the seat."""
    return course.status == CourseStatus.OPEN and course.ends_on >= today


def course_enrol(
    *,
    course_id: int,
    actor: User,
    worker: WorkerProfile | None = None,
    candidate: Candidate | None = None,
    today: dt.date | None = None,
    wait_if_full: bool = False,
) -> Enrolment:
    """Enrol a worker (herself, or by an officer) or a village candidate (by an officer).

    With `wait_if_full` a worker asking for a full open course joins its waiting list
    (status `waiting`) instead of being refused.
    A seat is claimed by one conditional UPDATE (open, not ended, enrolled_count < capacity),
    so simultaneous enrolments never exceed the capacity; the unique constraints refuse a
    second enrolment of the same person. A withdrawn enrolment is re-activated.
    Raises NotFound, Conflict `course_full` / `course_not_open` / `course_ended` /
    `already_enrolled`.
    """
    today = today or timezone.localdate()
    if (worker is None) == (candidate is None):
        raise ValidationFailed(_("请指定一名服务员或一名意向人员。"), field="worker")
    if candidate is not None and candidate.worker_id is not None:
        # A linked candidate is enrolled as the worker she now is.
        worker = candidate.worker
    course = Course.objects.filter(pk=course_id).first()
    if course is None:
        raise NotFound(_("课程不存在。"))
    person = {"worker": worker} if worker is not None else {"candidate": candidate}
    existing = Enrolment.objects.filter(course=course, **person).first()
    if existing is not None and existing.status != EnrolmentStatus.WITHDRAWN:
        raise Conflict(
            _("已报名该课程。"), code="already_enrolled", extra={"enrolment": existing.pk}
        )
    now = timezone.now()
    try:
        with transaction.atomic():
            claimed = Course.objects.filter(
                pk=course.pk,
                status=CourseStatus.OPEN,
                ends_on__gte=today,
                enrolled_count__lt=F("capacity"),
            ).update(enrolled_count=F("enrolled_count") + 1, updated_at=now)
            if not claimed:
                course.refresh_from_db()
                if wait_if_full and worker is not None and _is_full_only(course, today):
                    return enrolment_wait(
                        course=course, worker=worker, existing=existing, actor=actor
                    )
                _refuse_enrolment(course, today)
            if existing is not None:
                reactivated = Enrolment.objects.filter(
                    pk=existing.pk, status=EnrolmentStatus.WITHDRAWN
                ).update(status=EnrolmentStatus.ENROLLED, enrolled_at=now, enrolled_by=actor)
                if not reactivated:
                    raise Conflict(_("已报名该课程。"), code="already_enrolled")
                existing.refresh_from_db()
                return existing
            return Enrolment.objects.create(
                course=course,
                worker=worker,
                candidate=candidate,
                enrolled_at=now,
                enrolled_by=actor,
            )
    except IntegrityError as error:  # a simultaneous enrolment of the same person
        raise Conflict(_("已报名该课程。"), code="already_enrolled") from error


def enrolment_withdraw(*, enrolment_id: int, actor: User) -> Enrolment:
    """Give the seat back (the worker herself or an officer), and the first woman waiting takes
    it; leaving the waiting list frees no seat. A completed enrolment stays.

    Raises Conflict `completion_recorded`, InvalidTransition (already withdrawn). Locks the
    course, then the enrolment (the programme's chain, programme/locks.py), as an enrolment
    claiming a seat does.
    """
    enrolments = Enrolment.objects.filter(pk=enrolment_id)
    course_id = enrolments.values_list("course_id", flat=True).first()
    if course_id is None:
        raise NotFound(_("报名记录不存在。"))
    with transaction.atomic():
        lock_course(course_id)
        enrolment = lock_enrolments(enrolments).first()
        if enrolment.result:
            raise Conflict(_("已登记结业，不能退出。"), code="completion_recorded")
        if enrolment.status == EnrolmentStatus.WITHDRAWN:
            raise InvalidTransition(
                entity="enrolment",
                current=enrolment.status,
                target=EnrolmentStatus.WITHDRAWN,
                detail=_("已退出该课程。"),
            )
        held_seat = enrolment.status == EnrolmentStatus.ENROLLED
        enrolment.status = EnrolmentStatus.WITHDRAWN
        enrolment.save(update_fields=["status"])
        if held_seat:
            Course.objects.filter(pk=enrolment.course_id).update(
                enrolled_count=F("enrolled_count") - 1, updated_at=timezone.now()
            )
            waiting_promote(course_id=enrolment.course_id)
    return enrolment


# ---- attendance and completion ---------------------------------------------------------------


@transaction.atomic
def attendance_record(
    *,
    course_id: int,
    session_on: dt.date,
    entries: Iterable[tuple[int, bool]],
    actor: User,
    today: dt.date | None = None,
) -> list[Attendance]:
    """Record who was present at one session day (re-recording a day overwrites it).

    `entries` are (enrolment id, present). Raises ValidationFailed on `session_on` (outside
    the course, or in the future) and on `entries` (an enrolment not active on this course).
    """
    require_officer(actor)
    today = today or timezone.localdate()
    course = Course.objects.filter(pk=course_id).first()
    if course is None:
        raise NotFound(_("课程不存在。"))
    if course.status == CourseStatus.CANCELLED:
        raise Conflict(_("课程已取消。"), code="course_cancelled")
    if not course.starts_on <= session_on <= course.ends_on:
        raise ValidationFailed(_("上课日期不在课程日期内。"), field="session_on")
    if session_on > today:
        raise ValidationFailed(_("不能登记未来日期的考勤。"), field="session_on")
    entries = list(entries)
    ids = {enrolment_id for enrolment_id, _present in entries}
    active = set(
        Enrolment.objects.filter(
            pk__in=ids, course=course, status=EnrolmentStatus.ENROLLED
        ).values_list("pk", flat=True)
    )
    unknown = sorted(ids - active)
    if unknown:
        raise ValidationFailed(
            _("报名记录 %(ids)s 不属于本课程。") % {"ids": ", ".join(map(str, unknown))},
            field="entries",
        )
    rows = []
    for enrolment_id, is_present in entries:
        row, _created = Attendance.objects.update_or_create(
            enrolment_id=enrolment_id,
            session_on=session_on,
            defaults={"is_present": bool(is_present), "recorded_by": actor},
        )
        rows.append(row)
    return rows


def _write_training_record(enrolment: Enrolment) -> TrainingRecord:
    """The worker's TrainingRecord for a passed enrolment (caller holds the enrolment lock)."""
    course = enrolment.course
    completed_on = min(course.ends_on, timezone.localdate(enrolment.completed_at))
    record = TrainingRecord.objects.create(
        worker_id=enrolment.worker_id,
        course=course.name[:100],
        kind=course.kind,
        category_id=course.category_id,
        provider=course.provider[:100],
        completed_on=completed_on,
        verified_by_id=enrolment.completed_by_id,
        verified_at=enrolment.completed_at,
    )
    enrolment.training_record = record
    enrolment.save(update_fields=["training_record"])
    worker_facts_changed(worker_id=record.worker_id)
    return record


def enrolment_complete(*, enrolment_id: int, result: str, actor: User) -> Enrolment:
    """Mark an enrolment passed or failed; a pass writes the worker's TrainingRecord once.

    Repeating the same result changes nothing (idempotent). Raises ValidationFailed on
    `result`, Conflict `course_not_started` (the course is not running or finished),
    `completion_recorded` (a different result is already recorded), InvalidTransition
    (withdrawn). Locks the enrolment row.
    """
    require_officer(actor)
    if result not in CompletionResult.values:
        raise ValidationFailed(_("结业结果只能是合格或不合格。"), field="result")
    with transaction.atomic():
        enrolment = lock_enrolments(
            Enrolment.objects.select_related("course").filter(pk=enrolment_id)
        ).first()
        if enrolment is None:
            raise NotFound(_("报名记录不存在。"))
        if enrolment.result:
            if enrolment.result == result:
                return enrolment
            raise Conflict(
                _("该学员已登记结业结果。"),
                code="completion_recorded",
                extra={"result": enrolment.result},
            )
        if enrolment.status != EnrolmentStatus.ENROLLED:
            raise InvalidTransition(
                entity="enrolment",
                current=enrolment.status,
                target=result,
                detail=_("已退出的学员不能登记结业。"),
            )
        if enrolment.course.status not in (CourseStatus.RUNNING, CourseStatus.FINISHED):
            raise Conflict(
                _("课程开课后才能登记结业。"),
                code="course_not_started",
                extra={"current_status": enrolment.course.status},
            )
        enrolment.result = result
        enrolment.completed_at = timezone.now()
        enrolment.completed_by = actor
        enrolment.save(update_fields=["result", "completed_at", "completed_by"])
        if result == CompletionResult.PASSED and enrolment.worker_id is not None:
            _write_training_record(enrolment)
            send_event_on_commit(
                event_type=NOTIFICATION,
                recipients=[enrolment.worker.user_id],
                payload={
                    "kind": "course.completed",
                    "course": enrolment.course_id,
                    "message": _("您已完成培训课程「%(name)s」。")
                    % {"name": enrolment.course.name},
                },
            )
    return enrolment
