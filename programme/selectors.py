"""Reads of the programme: what each actor may see, and the facts the metrics count.

Facts for metrics (no personal data leaves through these; callers aggregate):
- trained: Enrolment with result "passed", `completed_at` the moment; the woman's division is
  `worker.division` (or `candidate.division` before she has an account); trade
  `course.category`, kind `course.kind`.
- certified: ExamRegistration with result "passed", `exam.held_on` the day (= certificate
  issued_on), `result_recorded_at` the moment; trade `exam.category`; `certificate` the row.
- placed: JobApplication with status "hired", `hired_at`; trade `opening.category`; the agency
  `opening.agency`; the worker's division `worker.division`.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from marketplace.models import Category, Division, User, WorkerProfile
from programme.models import (
    ApplicationStatus,
    Candidate,
    Competition,
    CompetitionEntry,
    CompetitionJudge,
    CompetitionScore,
    CompletionResult,
    Course,
    CourseStatus,
    Enrolment,
    Exam,
    ExamRegistration,
    ExamResult,
    ExamStatus,
    FairStatus,
    JobApplication,
    JobFair,
    JobOpening,
    OpeningStatus,
)
from programme.permissions import AGENCY, OFFICER, VILLAGE, WORKER, actor_kind
from programme.services.scope import officer_division_ids

# ---- what each actor sees -------------------------------------------------------------------


def courses_visible_to(*, user: User) -> QuerySet[Course]:
    """Officers: every course; a village officer: the courses open or running (to enrol her
    candidates in); a worker: open courses and those she is enrolled in."""
    courses = Course.objects.select_related("category", "division")
    kind = actor_kind(user)
    if kind == OFFICER:
        return courses
    if kind == VILLAGE:
        return courses.filter(status__in=[CourseStatus.OPEN, CourseStatus.RUNNING])
    if kind == WORKER:
        return courses.filter(
            Q(status=CourseStatus.OPEN) | Q(enrolments__worker__user=user)
        ).distinct()
    return courses.none()


def enrolments_visible_to(*, user: User) -> QuerySet[Enrolment]:
    enrolments = Enrolment.objects.select_related(
        "course", "course__category", "worker", "candidate", "worker__division"
    )
    kind = actor_kind(user)
    if kind == OFFICER:
        return enrolments
    if kind == WORKER:
        return enrolments.filter(worker__user=user)
    return enrolments.none()


def candidates_visible_to(*, user: User) -> QuerySet[Candidate]:
    """Officers: every candidate; a village officer: those of her divisions."""
    kind = actor_kind(user)
    if kind not in (OFFICER, VILLAGE):
        return Candidate.objects.none()
    candidates = Candidate.objects.select_related("division", "worker").prefetch_related(
        "wanted_categories"
    )
    if kind == VILLAGE:
        candidates = candidates.filter(division_id__in=officer_division_ids(user))
    return candidates


def exams_visible_to(*, user: User) -> QuerySet[Exam]:
    exams = Exam.objects.select_related("category", "division")
    kind = actor_kind(user)
    if kind == OFFICER:
        return exams
    if kind == WORKER:
        return exams.filter(
            Q(status=ExamStatus.OPEN) | Q(registrations__worker__user=user)
        ).distinct()
    return exams.none()


def exam_registrations_visible_to(*, user: User) -> QuerySet[ExamRegistration]:
    registrations = ExamRegistration.objects.select_related(
        "exam", "exam__category", "worker", "certificate"
    )
    kind = actor_kind(user)
    if kind == OFFICER:
        return registrations
    if kind == WORKER:
        return registrations.filter(worker__user=user)
    return registrations.none()


def competitions_visible_to(*, user: User) -> QuerySet[Competition]:
    if actor_kind(user) not in (OFFICER, WORKER):
        return Competition.objects.none()
    return Competition.objects.prefetch_related("categories")


def competition_entries_visible_to(*, user: User) -> QuerySet[CompetitionEntry]:
    entries = CompetitionEntry.objects.select_related("competition", "worker").prefetch_related(
        "scores", "competition__rounds"
    )
    kind = actor_kind(user)
    if kind == OFFICER:
        return entries
    if kind == WORKER:
        return entries.filter(worker__user=user)
    return entries.none()


def competition_judges_visible_to(*, user: User) -> QuerySet[CompetitionJudge]:
    """Officers see every competition's judges; nobody else."""
    if actor_kind(user) != OFFICER:
        return CompetitionJudge.objects.none()
    return CompetitionJudge.objects.select_related("user__federation_officer")


def competition_scores_visible_to(*, user: User) -> QuerySet[CompetitionScore]:
    """Officers see every judge's score; a worker sees the scores of her own entries."""
    scores = CompetitionScore.objects.select_related("judge__user__federation_officer", "stage")
    kind = actor_kind(user)
    if kind == OFFICER:
        return scores
    if kind == WORKER:
        return scores.filter(entry__worker__user=user)
    return scores.none()


def fairs_visible_to(*, user: User) -> QuerySet[JobFair]:
    fairs = JobFair.objects.select_related("division")
    kind = actor_kind(user)
    if kind == OFFICER:
        return fairs
    if kind in (WORKER, AGENCY):
        return fairs.exclude(status=FairStatus.CANCELLED)
    return fairs.none()


def openings_visible_to(*, user: User) -> QuerySet[JobOpening]:
    """Officers: all; agency staff: their agency's; workers: open ones at fairs still running."""
    openings = JobOpening.objects.select_related("agency", "category", "division", "fair")
    kind = actor_kind(user)
    if kind == OFFICER:
        return openings
    if kind == AGENCY:
        return openings.filter(agency_id=user.agency_staff.agency_id)
    if kind == WORKER:
        return openings.filter(status=OpeningStatus.OPEN).exclude(
            fair__status__in=[FairStatus.CLOSED, FairStatus.CANCELLED]
        )
    return openings.none()


def applications_visible_to(*, user: User) -> QuerySet[JobApplication]:
    applications = JobApplication.objects.select_related(
        "opening", "opening__agency", "opening__category", "worker"
    )
    kind = actor_kind(user)
    if kind == OFFICER:
        return applications
    if kind == AGENCY:
        return applications.filter(opening__agency_id=user.agency_staff.agency_id)
    if kind == WORKER:
        return applications.filter(worker__user=user)
    return applications.none()


# ---- facts for metrics ----------------------------------------------------------------------


def _period(field: str, start: dt.datetime | None, end: dt.datetime | None) -> Q:
    q = Q()
    if start is not None:
        q &= Q(**{f"{field}__gte": start})
    if end is not None:
        q &= Q(**{f"{field}__lt": end})
    return q


def trained_completions(
    *,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    division: Division | None = None,
    category: Category | None = None,
) -> QuerySet[Enrolment]:
    """Passed course completions recorded in [start, end), by the woman's division and trade."""
    completions = Enrolment.objects.filter(
        _period("completed_at", start, end), result=CompletionResult.PASSED
    )
    if division is not None:
        completions = completions.filter(
            Q(worker__division=division) | Q(worker__isnull=True, candidate__division=division)
        )
    if category is not None:
        completions = completions.filter(course__category=category)
    return completions


def trained_workers(**filters) -> QuerySet[WorkerProfile]:
    """Distinct workers with a passed completion (same filters as trained_completions)."""
    return WorkerProfile.objects.filter(
        pk__in=trained_completions(**filters).filter(worker__isnull=False).values("worker_id")
    )


def certified_results(
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    division: Division | None = None,
    category: Category | None = None,
) -> QuerySet[ExamRegistration]:
    """Passed exam results whose exam day (= certificate issue day) is in [start, end)."""
    results = ExamRegistration.objects.filter(
        _period("exam__held_on", start, end), result=ExamResult.PASSED
    )
    if division is not None:
        results = results.filter(worker__division=division)
    if category is not None:
        results = results.filter(exam__category=category)
    return results


def hires(
    *,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    division: Division | None = None,
    category: Category | None = None,
) -> QuerySet[JobApplication]:
    """Applications hired in [start, end), by the worker's division and the opening's trade."""
    hired = JobApplication.objects.filter(
        _period("hired_at", start, end), status=ApplicationStatus.HIRED
    )
    if division is not None:
        hired = hired.filter(worker__division=division)
    if category is not None:
        hired = hired.filter(opening__category=category)
    return hired


def programme_funnel(
    *,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    division: Division | None = None,
    category: Category | None = None,
) -> dict[str, int]:
    """Training → certificate → placement, as distinct workers (aggregates only).

    `trained`: workers with a passed completion in the period; `certified`: of those, workers
    with a passed exam (any time up to the end); `placed`: of the certified, workers hired
    through a job fair opening (any time up to the end).
    """
    trained_ids = set(
        trained_completions(start=start, end=end, division=division, category=category)
        .filter(worker__isnull=False)
        .values_list("worker_id", flat=True)
    )
    end_day = end.date() if isinstance(end, dt.datetime) else end
    certified_ids = set(
        certified_results(end=end_day, category=category)
        .filter(worker_id__in=trained_ids)
        .values_list("worker_id", flat=True)
    )
    placed_ids = set(
        hires(end=end).filter(worker_id__in=certified_ids).values_list("worker_id", flat=True)
    )
    return {
        "trained": len(trained_ids),
        "certified": len(certified_ids),
        "placed": len(placed_ids),
    }
