"""Job fairs, agencies' openings, and workers' applications (the agency's side of an
application — shortlist, interview, hire, reject — is programme.services.hiring)."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from backend.exceptions import Conflict, NotFound, ValidationFailed
from backend.fact_changes import worker_facts_changed
from marketplace.models import Agency, Category, Division, User, WorkerProfile
from marketplace.services.agencies import agency_of_actor
from notifications.events import NOTIFICATION, send_event_on_commit
from programme.locks import lock_job_fair, lock_job_openings
from programme.models import (
    ApplicationStatus,
    FairMode,
    FairStatus,
    JobApplication,
    JobFair,
    JobOpening,
    OpeningStatus,
)

from .common import UNSET, apply_changes, require_officer

CLOSED_FAIR_STATUSES = (FairStatus.CLOSED, FairStatus.CANCELLED)


def _validate_fair(fair: JobFair) -> None:
    if fair.mode not in FairMode.values:
        raise ValidationFailed(_("未知的招聘会形式。"), field="mode")
    if fair.status not in FairStatus.values:
        raise ValidationFailed(_("未知的招聘会状态。"), field="status")
    if fair.mode == FairMode.ONSITE and not (fair.place.strip() and fair.division_id):
        raise ValidationFailed(_("现场招聘会须填写地点和镇街。"), field="place")


@transaction.atomic
def job_fair_create(
    *,
    actor: User,
    name: str,
    mode: str,
    held_on: dt.date,
    place: str = "",
    division: Division | None = None,
    description: str = "",
    status: str = FairStatus.OPEN,
) -> JobFair:
    require_officer(actor)
    fair = JobFair(
        name=name,
        mode=mode,
        held_on=held_on,
        place=place,
        division=division,
        description=description,
        status=status,
        created_by=actor,
    )
    _validate_fair(fair)
    fair.save()
    return fair


@transaction.atomic
def job_fair_update(
    *,
    fair_id: int,
    actor: User,
    name: str = UNSET,
    mode: str = UNSET,
    held_on: dt.date = UNSET,
    place: str = UNSET,
    division: Division | None = UNSET,
    description: str = UNSET,
    status: str = UNSET,
) -> JobFair:
    require_officer(actor)
    fair = lock_job_fair(fair_id)
    if fair is None:
        raise NotFound(_("招聘会不存在。"))
    fields = apply_changes(
        fair,
        {
            "name": name,
            "mode": mode,
            "held_on": held_on,
            "place": place,
            "division": division,
            "description": description,
            "status": status,
        },
    )
    _validate_fair(fair)
    if fields:
        fair.save(update_fields=fields)
    return fair


def _validate_opening(opening: JobOpening) -> None:
    if opening.positions < 1:
        raise ValidationFailed(_("招聘人数至少为 1。"), field="positions")
    if opening.salary_max < opening.salary_min:
        raise ValidationFailed(_("最高月薪不能低于最低月薪。"), field="salary_max")
    if opening.positions < opening.hired_count:
        raise Conflict(_("招聘人数不能少于已录用人数。"), code="positions_below_hired")


@transaction.atomic
def job_opening_create(
    *,
    actor: User,
    title: str,
    category: Category,
    positions: int = 1,
    salary_min: int = 0,
    salary_max: int = 0,
    fair: JobFair | None = None,
    division: Division | None = None,
    description: str = "",
    agency_id: int | None = None,
) -> JobOpening:
    """Agency staff post an opening for their agency, at a fair that has not closed.

    Raises PermissionDeniedError (not agency staff), Conflict `fair_closed`, ValidationFailed.
    """
    agency: Agency = agency_of_actor(actor=actor, agency_id=agency_id)
    if fair is not None and fair.status in CLOSED_FAIR_STATUSES:
        raise Conflict(_("招聘会已结束。"), code="fair_closed")
    opening = JobOpening(
        fair=fair,
        agency=agency,
        title=title,
        category=category,
        positions=positions,
        salary_min=salary_min,
        salary_max=salary_max,
        division=division,
        description=description,
        created_by=actor,
    )
    _validate_opening(opening)
    opening.save()
    return opening


def _own_opening(opening_id: int, actor: User, *, lock: bool = False) -> JobOpening:
    agency = agency_of_actor(actor=actor) if not actor.is_operator else None
    queryset = lock_job_openings(JobOpening.objects.all()) if lock else JobOpening.objects
    if agency is not None:
        queryset = queryset.filter(agency=agency)
    opening = queryset.filter(pk=opening_id).first()
    if opening is None:
        raise NotFound(_("招聘岗位不存在。"))
    return opening


@transaction.atomic
def job_opening_update(
    *,
    opening_id: int,
    actor: User,
    title: str = UNSET,
    category: Category = UNSET,
    positions: int = UNSET,
    salary_min: int = UNSET,
    salary_max: int = UNSET,
    division: Division | None = UNSET,
    description: str = UNSET,
    status: str = UNSET,
) -> JobOpening:
    """The agency changes (or closes, status "closed") its own opening. Locks the row."""
    opening = _own_opening(opening_id, actor, lock=True)
    if status is not UNSET and status not in OpeningStatus.values:
        raise ValidationFailed(_("未知的岗位状态。"), field="status")
    fields = apply_changes(
        opening,
        {
            "title": title,
            "category": category,
            "positions": positions,
            "salary_min": salary_min,
            "salary_max": salary_max,
            "division": division,
            "description": description,
            "status": status,
        },
    )
    _validate_opening(opening)
    if fields:
        opening.save(update_fields=fields)
    if "category" in fields:  # her placement is counted in the opening's trade
        hired = JobApplication.objects.filter(opening=opening, status=ApplicationStatus.HIRED)
        for worker_id in hired.values_list("worker_id", flat=True):
            worker_facts_changed(worker_id=worker_id)
    return opening


def job_apply(*, opening_id: int, worker: WorkerProfile, message: str = "") -> JobApplication:
    """A worker applies to an open opening. Raises Conflict `opening_closed`, `already_applied`."""
    opening = JobOpening.objects.select_related("fair").filter(pk=opening_id).first()
    if opening is None:
        raise NotFound(_("招聘岗位不存在。"))
    if opening.status != OpeningStatus.OPEN or (
        opening.fair is not None and opening.fair.status in CLOSED_FAIR_STATUSES
    ):
        raise Conflict(_("该岗位已停止招聘。"), code="opening_closed")
    try:
        with transaction.atomic():
            application = JobApplication.objects.create(
                opening=opening, worker=worker, message=message[:200]
            )
            staff = opening.agency.staff.filter(user__is_active=True).values_list(
                "user_id", flat=True
            )
            send_event_on_commit(
                event_type=NOTIFICATION,
                recipients=list(staff),
                payload={
                    "kind": "job.applied",
                    "application": application.pk,
                    "opening": opening.pk,
                    "message": _("%(worker)s 投递了岗位「%(title)s」。")
                    % {"worker": worker.real_name, "title": opening.title},
                },
            )
            return application
    except IntegrityError as error:
        raise Conflict(_("您已投递过该岗位。"), code="already_applied") from error
