"""Input and output shapes of the programme API; trades and divisions go by their `code`."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from backend.api.fields import CodeRelatedField, ModelSerializer
from marketplace.models import Category, Division, TrainingKind, WorkerProfile
from programme.apis.competition_serializers import RoundResultSerializer
from programme.models import (
    Attendance,
    Candidate,
    Competition,
    CompetitionEntry,
    CompletionResult,
    Course,
    CourseMode,
    CourseStatus,
    Enrolment,
    Exam,
    ExamRegistration,
    ExamStatus,
    FairMode,
    FairStatus,
    JobApplication,
    JobFair,
    JobOpening,
    OpeningStatus,
)
from programme.services.competition_scoring import round_means


def category_field(**kwargs):
    return CodeRelatedField(queryset=Category.objects.all(), **kwargs)


def division_field(**kwargs):
    return CodeRelatedField(queryset=Division.objects.all(), **kwargs)


class CodeNameSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


# ---- courses ---------------------------------------------------------------------------------


class CourseSerializer(serializers.ModelSerializer):
    category = CodeNameSerializer()
    division = CodeNameSerializer(allow_null=True)
    seats_left = serializers.SerializerMethodField()

    class Meta:
        model = Course
        fields = [
            "id",
            "name",
            "category",
            "kind",
            "mode",
            "division",
            "place",
            "starts_on",
            "ends_on",
            "capacity",
            "enrolled_count",
            "seats_left",
            "teacher",
            "provider",
            "description",
            "status",
            "created_at",
        ]

    def get_seats_left(self, course) -> int:
        return max(course.capacity - course.enrolled_count, 0)


class CourseWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    category = category_field()
    kind = serializers.ChoiceField(choices=TrainingKind.choices)
    mode = serializers.ChoiceField(choices=CourseMode.choices)
    division = division_field(required=False, allow_null=True)
    place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    capacity = serializers.IntegerField(min_value=1, max_value=100000)
    teacher = serializers.CharField(max_length=50, required=False, allow_blank=True)
    provider = serializers.CharField(max_length=100, required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)
    # planned or open on creation (the service says so); ignored on update.
    status = serializers.ChoiceField(choices=CourseStatus.choices, required=False)


class CourseTransitionSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=CourseStatus.choices)


class EnrolSerializer(serializers.Serializer):
    """Officers name a worker or a candidate; a worker enrolling herself sends nothing."""

    worker = serializers.PrimaryKeyRelatedField(
        queryset=WorkerProfile.objects.all(), required=False
    )
    candidate = serializers.PrimaryKeyRelatedField(queryset=Candidate.objects.all(), required=False)
    wait = serializers.BooleanField(
        required=False, default=False, help_text="A worker: join the waiting list when full."
    )


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class EnrolmentSerializer(ModelSerializer):
    course = serializers.SerializerMethodField()
    worker = serializers.SerializerMethodField()
    candidate = serializers.SerializerMethodField()

    class Meta:
        model = Enrolment
        fields = [
            "id",
            "course",
            "worker",
            "candidate",
            "status",
            "enrolled_at",
            "result",
            "completed_at",
            "training_record",
        ]

    def get_course(self, enrolment) -> dict:
        return {"id": enrolment.course_id, "name": enrolment.course.name}

    def get_worker(self, enrolment) -> dict | None:
        if enrolment.worker_id is None:
            return None
        return {"id": enrolment.worker_id, "name": enrolment.worker.real_name}

    def get_candidate(self, enrolment) -> dict | None:
        if enrolment.candidate_id is None:
            return None
        return {"id": enrolment.candidate_id, "name": enrolment.candidate.name}


class AttendanceEntrySerializer(serializers.Serializer):
    enrolment = serializers.IntegerField()
    is_present = serializers.BooleanField()


class AttendanceWriteSerializer(serializers.Serializer):
    session_on = serializers.DateField()
    entries = AttendanceEntrySerializer(many=True, allow_empty=False)


class AttendanceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attendance
        fields = ["id", "enrolment", "session_on", "is_present", "recorded_at"]


class CompleteSerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=CompletionResult.choices)


# ---- candidates ------------------------------------------------------------------------------


class CandidateSerializer(serializers.ModelSerializer):
    division = CodeNameSerializer()
    wanted_categories = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Candidate
        fields = [
            "id",
            "name",
            "phone",
            "division",
            "village",
            "grid_officer",
            "wanted_categories",
            "notes",
            "worker",
            "linked_at",
            "created_at",
        ]


class CandidateWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=50)
    phone = serializers.CharField(max_length=11)
    division = division_field()
    village = serializers.CharField(max_length=50)
    grid_officer = serializers.CharField(max_length=50, required=False, allow_blank=True)
    wanted_categories = category_field(many=True, required=False)
    notes = serializers.CharField(required=False, allow_blank=True)


class CandidateImportSerializer(serializers.Serializer):
    file = serializers.FileField()


class LinkSerializer(serializers.Serializer):
    worker = serializers.PrimaryKeyRelatedField(queryset=WorkerProfile.objects.all())


# ---- exams -----------------------------------------------------------------------------------


class ExamSerializer(serializers.ModelSerializer):
    category = CodeNameSerializer()
    division = CodeNameSerializer(allow_null=True)

    class Meta:
        model = Exam
        fields = [
            "id",
            "name",
            "category",
            "held_on",
            "place",
            "division",
            "pass_mark",
            "issuer",
            "level",
            "status",
        ]


class ExamWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    category = category_field()
    held_on = serializers.DateField()
    place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    division = division_field(required=False, allow_null=True)
    pass_mark = serializers.IntegerField(min_value=1, max_value=100, required=False)
    issuer = serializers.CharField(max_length=100, required=False)
    level = serializers.CharField(max_length=30, required=False, allow_blank=True)
    status = serializers.ChoiceField(choices=ExamStatus.choices, required=False)


class ExamRegisterSerializer(serializers.Serializer):
    worker = serializers.PrimaryKeyRelatedField(
        queryset=WorkerProfile.objects.all(), required=False
    )


class ExamRegistrationSerializer(serializers.ModelSerializer):
    exam = serializers.SerializerMethodField()
    worker = serializers.SerializerMethodField()
    certificate = serializers.SerializerMethodField()

    class Meta:
        model = ExamRegistration
        fields = [
            "id",
            "exam",
            "worker",
            "registered_at",
            "score",
            "result",
            "result_recorded_at",
            "certificate",
        ]

    def get_exam(self, registration) -> dict:
        return {"id": registration.exam_id, "name": registration.exam.name}

    def get_worker(self, registration) -> dict:
        return {"id": registration.worker_id, "name": registration.worker.real_name}

    def get_certificate(self, registration) -> dict | None:
        certificate = registration.certificate
        if certificate is None:
            return None
        return {
            "id": certificate.pk,
            "number": certificate.number,
            "issuer": certificate.issuer,
            "issued_on": certificate.issued_on,
            "expires_on": certificate.expires_on,
        }


class ScoreSerializer(serializers.Serializer):
    score = serializers.IntegerField(min_value=0, max_value=100)


# ---- competitions ----------------------------------------------------------------------------


class CompetitionSerializer(serializers.ModelSerializer):
    categories = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Competition
        fields = [
            "id",
            "name",
            "categories",
            "held_on",
            "place",
            "first_prizes",
            "second_prizes",
            "third_prizes",
            "status",
            "awarded_at",
        ]


class CompetitionWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    categories = category_field(many=True)
    held_on = serializers.DateField()
    place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    first_prizes = serializers.IntegerField(min_value=0, max_value=1000, required=False)
    second_prizes = serializers.IntegerField(min_value=0, max_value=1000, required=False)
    third_prizes = serializers.IntegerField(min_value=0, max_value=1000, required=False)


class EntryAddSerializer(serializers.Serializer):
    worker = serializers.PrimaryKeyRelatedField(queryset=WorkerProfile.objects.all())


class EntryScoreSerializer(serializers.Serializer):
    score = serializers.DecimalField(max_digits=6, decimal_places=2, min_value=0, max_value=1000)


class CompetitionEntrySerializer(ModelSerializer):
    """`score` is the single score, or with rounds the weighted total of `rounds`."""

    worker = serializers.SerializerMethodField()
    rounds = serializers.SerializerMethodField()

    class Meta:
        model = CompetitionEntry
        fields = ["id", "competition", "worker", "score", "rank", "prize", "rounds"]

    @extend_schema_field(RoundResultSerializer(many=True))
    def get_rounds(self, entry) -> list[dict]:
        rounds = entry.competition.rounds.all()
        return RoundResultSerializer(round_means(rounds, entry.scores.all()), many=True).data

    def get_worker(self, entry) -> dict:
        return {"id": entry.worker_id, "name": entry.worker.real_name}


# ---- job fairs -------------------------------------------------------------------------------


class JobFairSerializer(serializers.ModelSerializer):
    division = CodeNameSerializer(allow_null=True)

    class Meta:
        model = JobFair
        fields = ["id", "name", "mode", "held_on", "place", "division", "description", "status"]


class JobFairWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    mode = serializers.ChoiceField(choices=FairMode.choices)
    held_on = serializers.DateField()
    place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    division = division_field(required=False, allow_null=True)
    description = serializers.CharField(required=False, allow_blank=True)
    status = serializers.ChoiceField(choices=FairStatus.choices, required=False)


class JobOpeningSerializer(serializers.ModelSerializer):
    agency = serializers.SerializerMethodField()
    category = CodeNameSerializer()
    division = CodeNameSerializer(allow_null=True)

    class Meta:
        model = JobOpening
        fields = [
            "id",
            "fair",
            "agency",
            "title",
            "category",
            "positions",
            "hired_count",
            "salary_min",
            "salary_max",
            "division",
            "description",
            "status",
            "created_at",
        ]

    def get_agency(self, opening) -> dict:
        return {"id": opening.agency_id, "name": opening.agency.name}


class JobOpeningWriteSerializer(serializers.Serializer):
    fair = serializers.PrimaryKeyRelatedField(
        queryset=JobFair.objects.all(), required=False, allow_null=True
    )
    title = serializers.CharField(max_length=100)
    category = category_field()
    positions = serializers.IntegerField(min_value=1, max_value=10000, required=False)
    salary_min = serializers.IntegerField(min_value=0, required=False)
    salary_max = serializers.IntegerField(min_value=0, required=False)
    division = division_field(required=False, allow_null=True)
    description = serializers.CharField(required=False, allow_blank=True)
    status = serializers.ChoiceField(choices=OpeningStatus.choices, required=False)


class InterviewSerializer(serializers.Serializer):
    interview_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=200)


class ApplySerializer(serializers.Serializer):
    message = serializers.CharField(max_length=200, required=False, allow_blank=True)


class JobApplicationSerializer(serializers.ModelSerializer):
    opening = serializers.SerializerMethodField()
    worker = serializers.SerializerMethodField()

    class Meta:
        model = JobApplication
        fields = [
            "id",
            "opening",
            "worker",
            "status",
            "message",
            "interview_at",
            "interview_place",
            "applied_at",
            "decided_at",
            "hired_at",
            "roster_entry",
        ]

    def get_opening(self, application) -> dict:
        opening = application.opening
        return {
            "id": opening.pk,
            "title": opening.title,
            "agency": {"id": opening.agency_id, "name": opening.agency.name},
        }

    def get_worker(self, application) -> dict:
        worker = application.worker
        return {"id": worker.pk, "name": worker.real_name, "phone": worker.phone}
