"""The waiting list of a full course: a candidate waits in order and takes the next seat.

A seat is still only claimed by course_enrol (its conditional UPDATE): the list decides who
asks for it next, never how many sit.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.exceptions import Conflict
from marketplace.models import User
from programme.models import Candidate, Enrolment, WaitlistEntry

from .common import require_officer
from .courses import course_enrol
from .scope import require_in_scope, require_intake_officer


def course_enrol_or_wait(
    *, course_id: int, candidate: Candidate, actor: User
) -> tuple[Enrolment | None, WaitlistEntry | None]:
    """Enrol a candidate of the officer's divisions, or put her on the waiting list when the
    course is full. Raises what course_enrol raises (but `course_full`), Conflict
    `already_waiting`, PermissionDeniedError (another officer's division)."""
    require_intake_officer(actor)
    require_in_scope(actor, candidate.division_id)
    try:
        enrolment = course_enrol(course_id=course_id, actor=actor, candidate=candidate)
    except Conflict as error:
        if error.code != "course_full":
            raise
    else:
        WaitlistEntry.objects.filter(course_id=course_id, candidate=candidate).delete()
        return enrolment, None
    try:
        with transaction.atomic():
            entry = WaitlistEntry.objects.create(
                course_id=course_id, candidate=candidate, added_by=actor, added_at=timezone.now()
            )
    except IntegrityError as error:
        raise Conflict(_("她已在候补名单中。"), code="already_waiting") from error
    return None, entry


def waitlist_promote(*, course_id: int, actor: User) -> list[Enrolment]:
    """Give the free seats to the waiting list in order; stops at the first refusal (full,
    closed). Each promoted candidate leaves the list. County officers only."""
    require_officer(actor)
    promoted = []
    for entry in WaitlistEntry.objects.filter(course_id=course_id).select_related("candidate"):
        try:
            enrolment = course_enrol(course_id=course_id, actor=actor, candidate=entry.candidate)
        except Conflict as error:
            if error.code != "already_enrolled":
                break
        else:
            promoted.append(enrolment)
        entry.delete()
    return promoted
