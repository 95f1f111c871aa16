"""Row locks of the programme app, and the lock order of its own chain.

Every helper is `select_for_update()` plus the read its callers need; the lock order of the
marketplace and orders rows is documented in orders/locks.py. The programme's rows are never
locked together with those rows: a programme service writes marketplace rows (roster entries,
training records, certificates) only by insert or plain UPDATE, and the metrics listeners it
triggers lock last (orders/locks.py, item 10).

The chain. A transaction that locks several of these rows takes them top to bottom:

 1. JobFair (lock_job_fair) — editing a fair; nothing else is locked with it.
 2. JobApplication (lock_job_applications) — hiring, rejecting, withdrawing; hiring then
    claims a position on its JobOpening with a conditional UPDATE.
 3. JobOpening (lock_job_openings) — the agency editing its opening, alone.
 4. Course (lock_course) — editing and moving a course, alone; an enrolment claims a seat with
    a conditional UPDATE on the course row, then writes its Enrolment.
 5. Candidate (lock_candidate) — linking a village candidate to a worker, then her enrolments.
 6. Enrolment (lock_enrolments) — withdrawing (after its course row, whose seat count it
    gives back, as an enrolment claiming a seat takes the course first) and recording
    completion (then the worker's training record).
 7. Competition (lock_competition) — editing, adding a round and awarding (then its entries
    by bulk UPDATE); a judge's score in a round takes it first too, then the entry.
 8. CompetitionEntry (lock_competition_entry) — a single score, alone (its competition is only
    read); a judge's round score, after its competition (then her CompetitionScore row).
 9. Exam (lock_exam) — editing an exam, alone.
10. ExamRegistration (lock_exam_registration) — recording a result, then the certificate
    number (CertificateSequence, a conditional UPDATE).
11. HealthCheckSession (lock_health_check_session) — cancelling a booking gives its place
    back: the session first, as a booking claiming a place updates the session first.
12. HealthCheckBooking (lock_health_check_booking) — cancelling, and recording a result (then
    the worker's HealthCheck, an insert).
"""

from __future__ import annotations

from django.db.models import QuerySet

from programme.models import (
    Candidate,
    Competition,
    CompetitionEntry,
    Course,
    Enrolment,
    Exam,
    ExamRegistration,
    HealthCheckBooking,
    HealthCheckSession,
    JobApplication,
    JobFair,
    JobOpening,
)

__all__ = [
    "lock_candidate",
    "lock_competition",
    "lock_competition_entry",
    "lock_course",
    "lock_enrolments",
    "lock_exam",
    "lock_exam_registration",
    "lock_health_check_booking",
    "lock_health_check_session",
    "lock_job_applications",
    "lock_job_fair",
    "lock_job_openings",
]


def lock_job_fair(fair_id: int) -> JobFair | None:
    """One job fair row."""
    return JobFair.objects.select_for_update().filter(pk=fair_id).first()


def lock_job_openings(openings: QuerySet[JobOpening]) -> QuerySet[JobOpening]:
    """The openings of a queryset under FOR UPDATE."""
    return openings.select_for_update()


def lock_job_applications(applications: QuerySet[JobApplication]) -> QuerySet[JobApplication]:
    """The applications of a queryset under FOR UPDATE (only their rows, not joined ones)."""
    return applications.select_for_update(of=("self",))


def lock_course(course_id: int) -> Course | None:
    """One course row."""
    return Course.objects.select_for_update().filter(pk=course_id).first()


def lock_candidate(candidate_id: int) -> Candidate | None:
    """One candidate row."""
    return Candidate.objects.select_for_update().filter(pk=candidate_id).first()


def lock_enrolments(enrolments: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    """The enrolments of a queryset under FOR UPDATE (only their rows), in id order."""
    return enrolments.select_for_update(of=("self",)).order_by("pk")


def lock_competition(competition_id: int) -> Competition | None:
    """One competition row."""
    return Competition.objects.select_for_update().filter(pk=competition_id).first()


def lock_competition_entry(entry_id: int) -> CompetitionEntry | None:
    """One competition entry row."""
    return CompetitionEntry.objects.select_for_update().filter(pk=entry_id).first()


def lock_exam(exam_id: int) -> Exam | None:
    """One exam row."""
    return Exam.objects.select_for_update().filter(pk=exam_id).first()


def lock_exam_registration(registration_id: int) -> ExamRegistration | None:
    """One exam registration (only its row), with its exam, trade and worker loaded."""
    return (
        ExamRegistration.objects.select_for_update(of=("self",))
        .select_related("exam", "exam__category", "worker")
        .filter(pk=registration_id)
        .first()
    )


def lock_health_check_session(session_id: int) -> HealthCheckSession | None:
    """One health-check session row."""
    return HealthCheckSession.objects.select_for_update().filter(pk=session_id).first()


def lock_health_check_booking(booking_id: int) -> HealthCheckBooking | None:
    """One booking (only its row), with its session and worker loaded."""
    return (
        HealthCheckBooking.objects.select_for_update(of=("self",))
        .select_related("session", "worker")
        .filter(pk=booking_id)
        .first()
    )
