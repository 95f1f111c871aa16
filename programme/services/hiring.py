"""The agency's side of an application — shortlist, interview, hire, reject — and the woman's:
withdraw, accept or decline the hire.

A hire is an offer she accepts: the agency's hire sends her a roster invitation (the
marketplace's RosterEntry `invited`, the same invitation an agency sends from its roster) and
the application waits `offered`; her acceptance (`job_offer_accept`) claims a position with a
conditional UPDATE, activates the invitation through `roster_invitation_accept`, and makes
the application `hired` — the placement the federation counts. When she is already on the
agency's roster the hire is immediate. The `one_active_agency_per_worker` constraint settles
two agencies' offers accepted at once.

Locks: the application row (programme/locks.py), then the opening's conditional UPDATE, then
the roster entry's (marketplace) conditional UPDATE or insert.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.exceptions import Conflict, InvalidTransition, NotFound, ValidationFailed
from backend.fact_changes import worker_facts_changed
from marketplace.models import RosterEntry, User, WorkerProfile
from marketplace.services.agencies import (
    agency_of_actor,
    roster_invitation_accept,
    roster_invitation_decline,
)
from notifications.events import NOTIFICATION, send_event_on_commit
from programme.locks import lock_job_applications
from programme.models import APPLICATION_TRANSITIONS, ApplicationStatus, JobApplication, JobOpening

Status = RosterEntry.Status


def _locked_application(application_id: int, actor: User) -> JobApplication:
    """The agency's application (an operator's: any) under FOR UPDATE. Raises NotFound."""
    agency = agency_of_actor(actor=actor) if not actor.is_operator else None
    queryset = lock_job_applications(
        JobApplication.objects.select_related("opening", "opening__agency", "worker")
    )
    if agency is not None:
        queryset = queryset.filter(opening__agency=agency)
    application = queryset.filter(pk=application_id).first()
    if application is None:
        raise NotFound(_("求职申请不存在。"))
    return application


def _own_application(application_id: int, worker: WorkerProfile) -> JobApplication:
    application = lock_job_applications(
        JobApplication.objects.select_related("opening", "opening__agency", "roster_entry")
    ).filter(pk=application_id, worker=worker)
    found = application.first()
    if found is None:
        raise NotFound(_("求职申请不存在。"))
    return found


def _guard(application: JobApplication, target: str) -> None:
    if target not in APPLICATION_TRANSITIONS.get(application.status, set()):
        raise InvalidTransition(
            entity="application",
            current=application.status,
            target=target,
            detail=_("该申请当前状态不能执行此操作。"),
        )


def _tell_worker(application: JobApplication, kind: str, message: str) -> None:
    send_event_on_commit(
        event_type=NOTIFICATION,
        recipients=[application.worker.user_id],
        payload={"kind": kind, "application": application.pk, "message": message},
    )


def _decide(application: JobApplication, target: str, actor: User | None, *extra: str) -> None:
    application.status = target
    application.decided_at = timezone.now()
    application.decided_by = actor
    application.save(update_fields=["status", "decided_at", "decided_by", *extra])


@transaction.atomic
def job_application_shortlist(*, application_id: int, actor: User) -> JobApplication:
    """The agency puts an applicant on its shortlist (idempotent). Locks the application."""
    application = _locked_application(application_id, actor)
    if application.status == ApplicationStatus.SHORTLISTED:
        return application
    _guard(application, ApplicationStatus.SHORTLISTED)
    _decide(application, ApplicationStatus.SHORTLISTED, actor)
    _tell_worker(
        application,
        "job.shortlisted",
        _("您投递的岗位「%(title)s」已入围。") % {"title": application.opening.title},
    )
    return application


@transaction.atomic
def job_application_interview(
    *, application_id: int, actor: User, interview_at: dt.datetime, place: str
) -> JobApplication:
    """The agency invites an applicant to an interview at a time and place (changeable while
    the interview is pending). Raises ValidationFailed on `interview_at` / `place`."""
    if interview_at is None or interview_at < timezone.now():
        raise ValidationFailed(_("面试时间须晚于现在。"), field="interview_at")
    if not place.strip():
        raise ValidationFailed(_("请填写面试地点。"), field="place")
    application = _locked_application(application_id, actor)
    if application.status != ApplicationStatus.INTERVIEW:
        _guard(application, ApplicationStatus.INTERVIEW)
    application.interview_at = interview_at
    application.interview_place = place.strip()[:200]
    _decide(application, ApplicationStatus.INTERVIEW, actor, "interview_at", "interview_place")
    _tell_worker(
        application,
        "job.interview",
        _("%(agency)s 邀请您面试（%(title)s）：%(place)s。")
        % {
            "agency": application.opening.agency.name,
            "title": application.opening.title,
            "place": application.interview_place,
        },
    )
    return application


def _invitation(application: JobApplication, actor: User) -> RosterEntry:
    """The agency's open invitation of her, or a new one (the roster invitation she accepts)."""
    agency_id = application.opening.agency_id
    invited = RosterEntry.objects.filter(
        agency_id=agency_id, worker_id=application.worker_id, status=Status.INVITED
    ).first()
    return invited or RosterEntry.objects.create(
        agency_id=agency_id,
        worker_id=application.worker_id,
        status=Status.INVITED,
        created_by=actor,
    )


def _claim_position(opening_id: int) -> None:
    claimed = JobOpening.objects.filter(pk=opening_id, hired_count__lt=F("positions")).update(
        hired_count=F("hired_count") + 1
    )
    if not claimed:
        raise Conflict(_("该岗位招聘人数已满。"), code="positions_filled")


def _hired(application: JobApplication, entry: RosterEntry) -> None:
    application.status = ApplicationStatus.HIRED
    application.hired_at = timezone.now()
    application.roster_entry = entry
    application.save(update_fields=["status", "hired_at", "roster_entry"])
    worker_facts_changed(worker_id=application.worker_id)  # placed


def job_application_hire(*, application_id: int, actor: User) -> JobApplication:
    """The agency hires an applicant: an offer she accepts (a roster invitation), or at once
    when she is already on its roster. Hiring again changes nothing.

    Raises NotFound (not the agency's), InvalidTransition, Conflict `already_rostered` (active
    with another agency), `positions_filled`. Locks the application.
    """
    with transaction.atomic():
        application = _locked_application(application_id, actor)
        if application.status in (ApplicationStatus.OFFERED, ApplicationStatus.HIRED):
            return application
        _guard(application, ApplicationStatus.OFFERED)
        opening = application.opening
        current = RosterEntry.objects.filter(
            worker_id=application.worker_id, status=Status.ACTIVE
        ).first()
        if current is not None and current.agency_id != opening.agency_id:
            raise Conflict(_("该服务员已在其他家政企业在职。"), code="already_rostered")
        if current is not None:
            _claim_position(opening.pk)
            _decide(application, ApplicationStatus.OFFERED, actor)
            _hired(application, current)
            message = _("%(agency)s 已录用您（%(title)s）。")
        else:
            if opening.hired_count >= opening.positions:
                raise Conflict(_("该岗位招聘人数已满。"), code="positions_filled")
            application.roster_entry = _invitation(application, actor)
            _decide(application, ApplicationStatus.OFFERED, actor, "roster_entry")
            message = _("%(agency)s 决定录用您（%(title)s），请确认是否接受。")
        _tell_worker(
            application,
            "job.hired",
            message % {"agency": opening.agency.name, "title": opening.title},
        )
    return application


def job_offer_accept(
    *, application_id: int, worker: WorkerProfile, today: dt.date | None = None
) -> JobApplication:
    """She accepts the agency's hire: a position is claimed, the roster invitation accepted
    (she joins the roster, started today) and the application is hired. Accepting again
    changes nothing.

    Raises NotFound, InvalidTransition (not offered), Conflict `positions_filled`,
    `offer_withdrawn` (the agency withdrew the invitation), `already_rostered`.
    """
    try:
        with transaction.atomic():
            application = _own_application(application_id, worker)
            if application.status == ApplicationStatus.HIRED:
                return application
            _guard(application, ApplicationStatus.HIRED)
            entry = application.roster_entry
            _claim_position(application.opening_id)
            if entry is not None and entry.status == Status.INVITED:
                entry = roster_invitation_accept(entry_id=entry.pk, worker=worker, today=today)
            elif entry is None or entry.status != Status.ACTIVE:
                raise Conflict(_("企业已撤回该录用邀请。"), code="offer_withdrawn")
            _hired(application, entry)
    except IntegrityError as error:  # one_active_agency_per_worker
        raise Conflict(_("您已在其他家政企业在职。"), code="already_rostered") from error
    return application


@transaction.atomic
def job_offer_decline(
    *, application_id: int, worker: WorkerProfile, reason: str = ""
) -> JobApplication:
    """She declines the agency's hire; its roster invitation is declined with it."""
    application = _own_application(application_id, worker)
    if application.status == ApplicationStatus.DECLINED:
        return application
    _guard(application, ApplicationStatus.DECLINED)
    entry = application.roster_entry
    if entry is not None and entry.status == Status.INVITED:
        roster_invitation_decline(entry_id=entry.pk, worker=worker, reason=reason[:200])
    _decide(application, ApplicationStatus.DECLINED, None)
    return application


@transaction.atomic
def job_application_reject(*, application_id: int, actor: User) -> JobApplication:
    """The agency turns an applicant down (idempotent). Locks the application."""
    application = _locked_application(application_id, actor)
    if application.status == ApplicationStatus.REJECTED:
        return application
    _guard(application, ApplicationStatus.REJECTED)
    _decide(application, ApplicationStatus.REJECTED, actor)
    return application


@transaction.atomic
def job_application_withdraw(*, application_id: int, worker: WorkerProfile) -> JobApplication:
    """She withdraws an application that has not been decided."""
    application = _own_application(application_id, worker)
    _guard(application, ApplicationStatus.WITHDRAWN)
    application.status = ApplicationStatus.WITHDRAWN
    application.decided_at = timezone.now()
    application.save(update_fields=["status", "decided_at"])
    return application
