"""Admin for the programme: operators can see and correct every row.

Counters (enrolled_count, hired_count), results and issued certificates are read-only here:
they move only through the services, which keep them consistent.
"""

from django.contrib import admin

from backend.admin_records import ReadOnlyAdmin
from programme.models import (
    Attendance,
    Candidate,
    CertificateSequence,
    Competition,
    CompetitionEntry,
    CompetitionJudge,
    CompetitionRound,
    CompetitionScore,
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


class EnrolmentInline(admin.TabularInline):
    model = Enrolment
    extra = 0
    fields = ["worker", "candidate", "status", "result", "completed_at", "training_record"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "category",
        "kind",
        "mode",
        "division",
        "starts_on",
        "ends_on",
        "enrolled_count",
        "capacity",
        "status",
    ]
    list_filter = ["status", "kind", "mode", "category", "division"]
    search_fields = ["name", "teacher", "place"]
    date_hierarchy = "starts_on"
    readonly_fields = ["enrolled_count", "created_by", "created_at", "updated_at"]
    inlines = [EnrolmentInline]


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    list_display = ["name", "phone", "division", "village", "grid_officer", "worker", "linked_at"]
    list_filter = ["division"]
    search_fields = ["name", "phone", "village", "grid_officer"]
    raw_id_fields = ["worker"]
    readonly_fields = [
        "linked_by",
        "linked_at",
        "consent_method",
        "consent_recorded_by",
        "consent_recorded_at",
        "created_by",
        "created_at",
    ]
    filter_horizontal = ["wanted_categories"]


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ["id", "course", "worker", "candidate", "status", "result", "completed_at"]
    list_filter = ["status", "result", "course__category"]
    search_fields = ["course__name", "worker__real_name", "candidate__name"]
    raw_id_fields = ["course", "worker", "candidate"]
    readonly_fields = [
        "status",
        "enrolled_at",
        "enrolled_by",
        "result",
        "completed_at",
        "completed_by",
        "training_record",
    ]


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["enrolment", "session_on", "is_present", "recorded_by"]
    list_filter = ["is_present", "session_on"]
    raw_id_fields = ["enrolment"]


class RegistrationInline(admin.TabularInline):
    model = ExamRegistration
    extra = 0
    fields = ["worker", "score", "result", "certificate"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True


@admin.register(Exam)
class ExamAdmin(admin.ModelAdmin):
    list_display = ["name", "category", "held_on", "division", "pass_mark", "issuer", "status"]
    list_filter = ["status", "category", "division"]
    search_fields = ["name", "place"]
    date_hierarchy = "held_on"
    inlines = [RegistrationInline]


@admin.register(ExamRegistration)
class ExamRegistrationAdmin(admin.ModelAdmin):
    list_display = ["id", "exam", "worker", "score", "result", "certificate"]
    list_filter = ["result", "exam__category"]
    search_fields = ["worker__real_name", "exam__name", "certificate__number"]
    raw_id_fields = ["exam", "worker"]
    readonly_fields = [
        "score",
        "result",
        "result_recorded_at",
        "result_recorded_by",
        "certificate",
        "registered_by",
    ]


@admin.register(CertificateSequence)
class CertificateSequenceAdmin(admin.ModelAdmin):
    list_display = ["category", "year", "last"]
    readonly_fields = ["category", "year", "last"]


class EntryInline(admin.TabularInline):
    model = CompetitionEntry
    extra = 0
    fields = ["worker", "score", "rank", "prize"]
    readonly_fields = ["rank", "prize"]
    raw_id_fields = ["worker"]


@admin.register(Competition)
class CompetitionAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "held_on",
        "first_prizes",
        "second_prizes",
        "third_prizes",
        "status",
    ]
    list_filter = ["status", "categories"]
    search_fields = ["name"]
    filter_horizontal = ["categories"]
    readonly_fields = ["awarded_at", "created_by"]
    inlines = [EntryInline]


@admin.register(CompetitionEntry)
class CompetitionEntryAdmin(admin.ModelAdmin):
    list_display = ["competition", "worker", "score", "rank", "prize"]
    list_filter = ["prize", "competition"]
    raw_id_fields = ["competition", "worker"]
    readonly_fields = ["rank", "prize"]


class OpeningInline(admin.TabularInline):
    model = JobOpening
    extra = 0
    fields = ["agency", "title", "category", "positions", "hired_count", "status"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True


@admin.register(JobFair)
class JobFairAdmin(admin.ModelAdmin):
    list_display = ["name", "mode", "held_on", "division", "status"]
    list_filter = ["mode", "status", "division"]
    search_fields = ["name", "place"]
    date_hierarchy = "held_on"
    inlines = [OpeningInline]


@admin.register(JobOpening)
class JobOpeningAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "agency",
        "fair",
        "category",
        "positions",
        "hired_count",
        "salary_min",
        "salary_max",
        "status",
    ]
    list_filter = ["status", "category", "fair"]
    search_fields = ["title", "agency__name"]
    raw_id_fields = ["agency", "fair"]
    readonly_fields = ["hired_count", "created_by", "created_at"]


@admin.register(JobApplication)
class JobApplicationAdmin(admin.ModelAdmin):
    list_display = ["id", "opening", "worker", "status", "applied_at", "hired_at"]
    list_filter = ["status"]
    search_fields = ["worker__real_name", "opening__title", "opening__agency__name"]
    raw_id_fields = ["opening", "worker"]
    readonly_fields = ["status", "decided_at", "decided_by", "hired_at", "roster_entry"]


@admin.register(HealthCheckSession)
class HealthCheckSessionAdmin(admin.ModelAdmin):
    list_display = ["name", "division", "held_on", "capacity", "booked_count", "status"]
    list_filter = ["status", "division"]
    search_fields = ["name", "place"]
    readonly_fields = ["booked_count", "created_by", "created_at"]


@admin.register(HealthCheckBooking)
class HealthCheckBookingAdmin(ReadOnlyAdmin):
    """Bookings move only through the services (places counted, credentials written)."""

    list_display = ["id", "session", "worker", "status", "valid_until", "result_recorded_at"]
    list_filter = ["status"]
    search_fields = ["worker__real_name", "session__name"]


@admin.register(CompetitionRound)
class CompetitionRoundAdmin(admin.ModelAdmin):
    list_display = ["competition", "name", "weight", "position"]
    raw_id_fields = ["competition"]


@admin.register(CompetitionJudge)
class CompetitionJudgeAdmin(admin.ModelAdmin):
    list_display = ["competition", "user"]
    raw_id_fields = ["competition", "user"]


@admin.register(CompetitionScore)
class CompetitionScoreAdmin(ReadOnlyAdmin):
    list_display = ["entry", "stage", "judge", "score", "updated_at"]
    list_filter = ["stage__competition"]
