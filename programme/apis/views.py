"""Thin views of the programme: check input, call one service, render the result.

Each view says who may read (`read_roles`) and write (`write_roles`); rows are always taken
from the selector of what the caller may see, so another agency's or worker's rows are 404.
"""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from backend.api.pagination import StandardPagination
from backend.exceptions import NotFound, ValidationFailed
from programme import selectors
from programme.apis import serializers as s
from programme.models import (
    Candidate,
    Competition,
    CompetitionEntry,
    Course,
    Enrolment,
    Exam,
    ExamRegistration,
    JobApplication,
    JobFair,
    JobOpening,
)
from programme.permissions import AGENCY, OFFICER, WORKER, ProgrammePermission, actor_kind
from programme.services import candidates as candidate_services
from programme.services import competitions as competition_services
from programme.services import courses as course_services
from programme.services import exams as exam_services
from programme.services import fairs as fair_services

ALL = (OFFICER, WORKER, AGENCY)


class ProgrammeApi(GenericAPIView):
    permission_classes = [ProgrammePermission]
    pagination_class = StandardPagination
    read_roles: tuple[str, ...] = (OFFICER,)
    write_roles: tuple[str, ...] = (OFFICER,)
    missing = gettext_lazy("记录不存在。")

    def visible(self):
        raise NotImplementedError

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.serializer_class.Meta.model.objects.none()
        return self.visible()

    def get_row(self, pk: int):
        row = self.get_queryset().filter(pk=pk).first()
        if row is None:
            raise NotFound(str(self.missing))
        return row

    def render(self, row, http_status=status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().filter(pk=row.pk).first() or row
        return Response(self.serializer_class(fresh).data, status=http_status)

    def list_response(self) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.serializer_class(page, many=True).data)

    def valid(self, serializer_class, *, partial: bool = False) -> dict:
        serializer = serializer_class(data=self.request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def own_worker(self):
        return self.request.user.worker if actor_kind(self.request.user) == WORKER else None


# ---- filters ---------------------------------------------------------------------------------


class CourseFilter(django_filters.FilterSet):
    category = django_filters.CharFilter(field_name="category__code")
    division = django_filters.CharFilter(field_name="division__code")
    starts_after = django_filters.DateFilter(field_name="starts_on", lookup_expr="gte")
    starts_before = django_filters.DateFilter(field_name="starts_on", lookup_expr="lte")

    class Meta:
        model = Course
        fields = ["status", "kind", "mode", "category", "division"]


class EnrolmentFilter(django_filters.FilterSet):
    class Meta:
        model = Enrolment
        fields = ["course", "status", "result", "worker", "candidate"]


class CandidateFilter(django_filters.FilterSet):
    division = django_filters.CharFilter(field_name="division__code")
    village = django_filters.CharFilter(lookup_expr="icontains")
    is_linked = django_filters.BooleanFilter(
        field_name="worker", lookup_expr="isnull", exclude=True
    )
    wants = django_filters.CharFilter(field_name="wanted_categories__code")

    class Meta:
        model = Candidate
        fields = ["division", "village", "grid_officer"]


class ExamFilter(django_filters.FilterSet):
    category = django_filters.CharFilter(field_name="category__code")

    class Meta:
        model = Exam
        fields = ["status", "category", "held_on"]


class RegistrationFilter(django_filters.FilterSet):
    class Meta:
        model = ExamRegistration
        fields = ["exam", "result", "worker"]


class CompetitionFilter(django_filters.FilterSet):
    class Meta:
        model = Competition
        fields = ["status"]


class EntryFilter(django_filters.FilterSet):
    class Meta:
        model = CompetitionEntry
        fields = ["competition", "prize", "worker"]


class FairFilter(django_filters.FilterSet):
    division = django_filters.CharFilter(field_name="division__code")

    class Meta:
        model = JobFair
        fields = ["status", "mode", "division"]


class OpeningFilter(django_filters.FilterSet):
    category = django_filters.CharFilter(field_name="category__code")
    division = django_filters.CharFilter(field_name="division__code")

    class Meta:
        model = JobOpening
        fields = ["fair", "status", "category", "division", "agency"]


class ApplicationFilter(django_filters.FilterSet):
    class Meta:
        model = JobApplication
        fields = ["opening", "status", "worker"]


# ---- courses ---------------------------------------------------------------------------------


class CourseListApi(ProgrammeApi):
    read_roles = (OFFICER, WORKER)
    serializer_class = s.CourseSerializer
    filterset_class = CourseFilter

    def visible(self):
        return selectors.courses_visible_to(user=self.request.user)

    @extend_schema(responses=s.CourseSerializer(many=True))
    def get(self, request):
        return self.list_response()

    @extend_schema(request=s.CourseWriteSerializer, responses={201: s.CourseSerializer})
    def post(self, request):
        course = course_services.course_create(
            actor=request.user, **self.valid(s.CourseWriteSerializer)
        )
        return self.render(course, status.HTTP_201_CREATED)


class CourseDetailApi(ProgrammeApi):
    read_roles = (OFFICER, WORKER)
    serializer_class = s.CourseSerializer
    missing = gettext_lazy("课程不存在。")

    def visible(self):
        return selectors.courses_visible_to(user=self.request.user)

    def get(self, request, course_id: int):
        return self.render(self.get_row(course_id))

    @extend_schema(request=s.CourseWriteSerializer, responses=s.CourseSerializer)
    def patch(self, request, course_id: int):
        self.get_row(course_id)
        data = self.valid(s.CourseWriteSerializer, partial=True)
        data.pop("status", None)
        return self.render(
            course_services.course_update(course_id=course_id, actor=request.user, **data)
        )


class CourseTransitionApi(ProgrammeApi):
    serializer_class = s.CourseSerializer
    missing = gettext_lazy("课程不存在。")

    def visible(self):
        return selectors.courses_visible_to(user=self.request.user)

    @extend_schema(request=s.CourseTransitionSerializer, responses=s.CourseSerializer)
    def post(self, request, course_id: int):
        self.get_row(course_id)
        data = self.valid(s.CourseTransitionSerializer)
        return self.render(
            course_services.course_transition(
                course_id=course_id, to_status=data["status"], actor=request.user
            )
        )


class CourseEnrolApi(ProgrammeApi):
    """A worker enrols herself (empty body); an officer names `worker` or `candidate`."""

    write_roles = (OFFICER, WORKER)
    serializer_class = s.EnrolmentSerializer
    missing = gettext_lazy("课程不存在。")

    def visible(self):
        return selectors.enrolments_visible_to(user=self.request.user)

    @extend_schema(request=s.EnrolSerializer, responses={201: s.EnrolmentSerializer})
    def post(self, request, course_id: int):
        if not selectors.courses_visible_to(user=request.user).filter(pk=course_id).exists():
            raise NotFound(_("课程不存在。"))
        worker = self.own_worker()
        candidate = None
        if worker is None:
            data = self.valid(s.EnrolSerializer)
            worker, candidate = data.get("worker"), data.get("candidate")
        enrolment = course_services.course_enrol(
            course_id=course_id, actor=request.user, worker=worker, candidate=candidate
        )
        return self.render(enrolment, status.HTTP_201_CREATED)


class CourseAttendanceApi(ProgrammeApi):
    serializer_class = s.AttendanceSerializer

    def visible(self):
        from programme.models import Attendance

        return Attendance.objects.filter(enrolment__course_id=self.kwargs["course_id"])

    @extend_schema(responses=s.AttendanceSerializer(many=True))
    def get(self, request, course_id: int):
        return self.list_response()

    @extend_schema(request=s.AttendanceWriteSerializer, responses=s.AttendanceSerializer(many=True))
    def post(self, request, course_id: int):
        data = self.valid(s.AttendanceWriteSerializer)
        rows = course_services.attendance_record(
            course_id=course_id,
            session_on=data["session_on"],
            entries=[(e["enrolment"], e["is_present"]) for e in data["entries"]],
            actor=request.user,
        )
        return Response(s.AttendanceSerializer(rows, many=True).data)


class EnrolmentListApi(ProgrammeApi):
    read_roles = (OFFICER, WORKER)
    serializer_class = s.EnrolmentSerializer
    filterset_class = EnrolmentFilter

    def visible(self):
        return selectors.enrolments_visible_to(user=self.request.user)

    @extend_schema(responses=s.EnrolmentSerializer(many=True))
    def get(self, request):
        return self.list_response()


class EnrolmentCompleteApi(ProgrammeApi):
    serializer_class = s.EnrolmentSerializer
    missing = gettext_lazy("报名记录不存在。")

    def visible(self):
        return selectors.enrolments_visible_to(user=self.request.user)

    @extend_schema(request=s.CompleteSerializer, responses=s.EnrolmentSerializer)
    def post(self, request, enrolment_id: int):
        self.get_row(enrolment_id)
        data = self.valid(s.CompleteSerializer)
        return self.render(
            course_services.enrolment_complete(
                enrolment_id=enrolment_id, result=data["result"], actor=request.user
            )
        )


class EnrolmentWithdrawApi(ProgrammeApi):
    write_roles = (OFFICER, WORKER)
    serializer_class = s.EnrolmentSerializer
    missing = gettext_lazy("报名记录不存在。")

    def visible(self):
        return selectors.enrolments_visible_to(user=self.request.user)

    @extend_schema(request=None, responses=s.EnrolmentSerializer)
    def post(self, request, enrolment_id: int):
        self.get_row(enrolment_id)
        return self.render(
            course_services.enrolment_withdraw(enrolment_id=enrolment_id, actor=request.user)
        )


# ---- candidates ------------------------------------------------------------------------------


class CandidateListApi(ProgrammeApi):
    serializer_class = s.CandidateSerializer
    filterset_class = CandidateFilter

    def visible(self):
        return selectors.candidates_visible_to(user=self.request.user)

    @extend_schema(responses=s.CandidateSerializer(many=True))
    def get(self, request):
        return self.list_response()

    @extend_schema(request=s.CandidateWriteSerializer, responses={201: s.CandidateSerializer})
    def post(self, request):
        candidate = candidate_services.candidate_create(
            actor=request.user, **self.valid(s.CandidateWriteSerializer)
        )
        return self.render(candidate, status.HTTP_201_CREATED)


class CandidateImportApi(ProgrammeApi):
    """CSV upload (multipart `file`): UTF-8 with or without BOM, or GBK; all rows or none."""

    serializer_class = s.CandidateSerializer
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def visible(self):
        return selectors.candidates_visible_to(user=self.request.user)

    @extend_schema(
        request=s.CandidateImportSerializer, responses={201: s.CandidateSerializer(many=True)}
    )
    def post(self, request):
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationFailed(_("请上传 CSV 文件。"), field="file")
        if upload.size > 5 * 1024 * 1024:
            raise ValidationFailed(_("文件不能超过 5 MB。"), field="file")
        created = candidate_services.candidates_import_csv(
            actor=request.user, content=upload.read()
        )
        return Response(
            {"imported": len(created), "ids": [c.pk for c in created]},
            status=status.HTTP_201_CREATED,
        )


class CandidateDetailApi(ProgrammeApi):
    serializer_class = s.CandidateSerializer
    missing = gettext_lazy("意向人员不存在。")

    def visible(self):
        return selectors.candidates_visible_to(user=self.request.user)

    def get(self, request, candidate_id: int):
        return self.render(self.get_row(candidate_id))


class CandidateLinkApi(ProgrammeApi):
    serializer_class = s.CandidateSerializer
    missing = gettext_lazy("意向人员不存在。")

    def visible(self):
        return selectors.candidates_visible_to(user=self.request.user)

    @extend_schema(request=s.LinkSerializer, responses=s.CandidateSerializer)
    def post(self, request, candidate_id: int):
        self.get_row(candidate_id)
        data = self.valid(s.LinkSerializer)
        return self.render(
            candidate_services.candidate_link(
                candidate_id=candidate_id, worker=data["worker"], actor=request.user
            )
        )


# ---- exams -----------------------------------------------------------------------------------


class ExamListApi(ProgrammeApi):
    read_roles = (OFFICER, WORKER)
    serializer_class = s.ExamSerializer
    filterset_class = ExamFilter

    def visible(self):
        return selectors.exams_visible_to(user=self.request.user)

    @extend_schema(responses=s.ExamSerializer(many=True))
    def get(self, request):
        return self.list_response()

    @extend_schema(request=s.ExamWriteSerializer, responses={201: s.ExamSerializer})
    def post(self, request):
        data = self.valid(s.ExamWriteSerializer)
        data.pop("status", None)
        return self.render(
            exam_services.exam_create(actor=request.user, **data), status.HTTP_201_CREATED
        )


class ExamDetailApi(ProgrammeApi):
    read_roles = (OFFICER, WORKER)
    serializer_class = s.ExamSerializer
    missing = gettext_lazy("考试不存在。")

    def visible(self):
        return selectors.exams_visible_to(user=self.request.user)

    def get(self, request, exam_id: int):
        return self.render(self.get_row(exam_id))

    @extend_schema(request=s.ExamWriteSerializer, responses=s.ExamSerializer)
    def patch(self, request, exam_id: int):
        self.get_row(exam_id)
        data = self.valid(s.ExamWriteSerializer, partial=True)
        data.pop("category", None)
        return self.render(exam_services.exam_update(exam_id=exam_id, actor=request.user, **data))


class ExamRegisterApi(ProgrammeApi):
    write_roles = (OFFICER, WORKER)
    serializer_class = s.ExamRegistrationSerializer
    missing = gettext_lazy("考试不存在。")

    def visible(self):
        return selectors.exam_registrations_visible_to(user=self.request.user)

    @extend_schema(request=s.ExamRegisterSerializer, responses={201: s.ExamRegistrationSerializer})
    def post(self, request, exam_id: int):
        if not selectors.exams_visible_to(user=request.user).filter(pk=exam_id).exists():
            raise NotFound(_("考试不存在。"))
        worker = self.own_worker()
        if worker is None:
            worker = self.valid(s.ExamRegisterSerializer).get("worker")
            if worker is None:
                raise ValidationFailed(_("请指定服务员。"), field="worker")
        registration = exam_services.exam_register(
            exam_id=exam_id, worker=worker, actor=request.user
        )
        return self.render(registration, status.HTTP_201_CREATED)


class ExamRegistrationListApi(ProgrammeApi):
    read_roles = (OFFICER, WORKER)
    serializer_class = s.ExamRegistrationSerializer
    filterset_class = RegistrationFilter

    def visible(self):
        return selectors.exam_registrations_visible_to(user=self.request.user)

    @extend_schema(responses=s.ExamRegistrationSerializer(many=True))
    def get(self, request):
        return self.list_response()


class ExamResultApi(ProgrammeApi):
    serializer_class = s.ExamRegistrationSerializer
    missing = gettext_lazy("考试报名不存在。")

    def visible(self):
        return selectors.exam_registrations_visible_to(user=self.request.user)

    @extend_schema(request=s.ScoreSerializer, responses=s.ExamRegistrationSerializer)
    def post(self, request, registration_id: int):
        self.get_row(registration_id)
        data = self.valid(s.ScoreSerializer)
        return self.render(
            exam_services.exam_result_record(
                registration_id=registration_id, score=data["score"], actor=request.user
            )
        )


# ---- competitions ----------------------------------------------------------------------------


class CompetitionListApi(ProgrammeApi):
    read_roles = (OFFICER, WORKER)
    serializer_class = s.CompetitionSerializer
    filterset_class = CompetitionFilter

    def visible(self):
        return selectors.competitions_visible_to(user=self.request.user)

    @extend_schema(responses=s.CompetitionSerializer(many=True))
    def get(self, request):
        return self.list_response()

    @extend_schema(request=s.CompetitionWriteSerializer, responses={201: s.CompetitionSerializer})
    def post(self, request):
        competition = competition_services.competition_create(
            actor=request.user, **self.valid(s.CompetitionWriteSerializer)
        )
        return self.render(competition, status.HTTP_201_CREATED)


class CompetitionDetailApi(ProgrammeApi):
    read_roles = (OFFICER, WORKER)
    serializer_class = s.CompetitionSerializer
    missing = gettext_lazy("竞赛不存在。")

    def visible(self):
        return selectors.competitions_visible_to(user=self.request.user)

    def get(self, request, competition_id: int):
        return self.render(self.get_row(competition_id))

    @extend_schema(request=s.CompetitionWriteSerializer, responses=s.CompetitionSerializer)
    def patch(self, request, competition_id: int):
        self.get_row(competition_id)
        data = self.valid(s.CompetitionWriteSerializer, partial=True)
        return self.render(
            competition_services.competition_update(
                competition_id=competition_id, actor=request.user, **data
            )
        )


class CompetitionAwardApi(ProgrammeApi):
    serializer_class = s.CompetitionSerializer
    missing = gettext_lazy("竞赛不存在。")

    def visible(self):
        return selectors.competitions_visible_to(user=self.request.user)

    @extend_schema(request=None, responses=s.CompetitionSerializer)
    def post(self, request, competition_id: int):
        self.get_row(competition_id)
        return self.render(
            competition_services.competition_award(
                competition_id=competition_id, actor=request.user
            )
        )


class CompetitionEntryListApi(ProgrammeApi):
    """GET: entries (a worker sees her own); POST (officers): enter a worker."""

    read_roles = (OFFICER, WORKER)
    serializer_class = s.CompetitionEntrySerializer
    filterset_class = EntryFilter

    def visible(self):
        return selectors.competition_entries_visible_to(user=self.request.user).filter(
            competition_id=self.kwargs["competition_id"]
        )

    @extend_schema(responses=s.CompetitionEntrySerializer(many=True))
    def get(self, request, competition_id: int):
        return self.list_response()

    @extend_schema(request=s.EntryAddSerializer, responses={201: s.CompetitionEntrySerializer})
    def post(self, request, competition_id: int):
        if not Competition.objects.filter(pk=competition_id).exists():
            raise NotFound(_("竞赛不存在。"))
        data = self.valid(s.EntryAddSerializer)
        entry = competition_services.competition_entry_add(
            competition_id=competition_id, worker=data["worker"], actor=request.user
        )
        return self.render(entry, status.HTTP_201_CREATED)


class CompetitionEntryScoreApi(ProgrammeApi):
    serializer_class = s.CompetitionEntrySerializer
    missing = gettext_lazy("参赛记录不存在。")

    def visible(self):
        return selectors.competition_entries_visible_to(user=self.request.user)

    @extend_schema(request=s.EntryScoreSerializer, responses=s.CompetitionEntrySerializer)
    def post(self, request, entry_id: int):
        self.get_row(entry_id)
        data = self.valid(s.EntryScoreSerializer)
        return self.render(
            competition_services.competition_entry_score(
                entry_id=entry_id, score=data["score"], actor=request.user
            )
        )


# ---- job fairs -------------------------------------------------------------------------------


class JobFairListApi(ProgrammeApi):
    read_roles = ALL
    serializer_class = s.JobFairSerializer
    filterset_class = FairFilter

    def visible(self):
        return selectors.fairs_visible_to(user=self.request.user)

    @extend_schema(responses=s.JobFairSerializer(many=True))
    def get(self, request):
        return self.list_response()

    @extend_schema(request=s.JobFairWriteSerializer, responses={201: s.JobFairSerializer})
    def post(self, request):
        fair = fair_services.job_fair_create(
            actor=request.user, **self.valid(s.JobFairWriteSerializer)
        )
        return self.render(fair, status.HTTP_201_CREATED)


class JobFairDetailApi(ProgrammeApi):
    read_roles = ALL
    serializer_class = s.JobFairSerializer
    missing = gettext_lazy("招聘会不存在。")

    def visible(self):
        return selectors.fairs_visible_to(user=self.request.user)

    def get(self, request, fair_id: int):
        return self.render(self.get_row(fair_id))

    @extend_schema(request=s.JobFairWriteSerializer, responses=s.JobFairSerializer)
    def patch(self, request, fair_id: int):
        self.get_row(fair_id)
        data = self.valid(s.JobFairWriteSerializer, partial=True)
        return self.render(
            fair_services.job_fair_update(fair_id=fair_id, actor=request.user, **data)
        )


class JobOpeningListApi(ProgrammeApi):
    read_roles = ALL
    write_roles = (AGENCY,)
    serializer_class = s.JobOpeningSerializer
    filterset_class = OpeningFilter

    def visible(self):
        return selectors.openings_visible_to(user=self.request.user)

    @extend_schema(responses=s.JobOpeningSerializer(many=True))
    def get(self, request):
        return self.list_response()

    @extend_schema(request=s.JobOpeningWriteSerializer, responses={201: s.JobOpeningSerializer})
    def post(self, request):
        data = self.valid(s.JobOpeningWriteSerializer)
        data.pop("status", None)
        opening = fair_services.job_opening_create(actor=request.user, **data)
        return self.render(opening, status.HTTP_201_CREATED)


class JobOpeningDetailApi(ProgrammeApi):
    read_roles = ALL
    write_roles = (AGENCY,)
    serializer_class = s.JobOpeningSerializer
    missing = gettext_lazy("招聘岗位不存在。")

    def visible(self):
        return selectors.openings_visible_to(user=self.request.user)

    def get(self, request, opening_id: int):
        return self.render(self.get_row(opening_id))

    @extend_schema(request=s.JobOpeningWriteSerializer, responses=s.JobOpeningSerializer)
    def patch(self, request, opening_id: int):
        self.get_row(opening_id)
        data = self.valid(s.JobOpeningWriteSerializer, partial=True)
        data.pop("fair", None)
        return self.render(
            fair_services.job_opening_update(opening_id=opening_id, actor=request.user, **data)
        )


class JobApplyApi(ProgrammeApi):
    write_roles = (WORKER,)
    serializer_class = s.JobApplicationSerializer
    missing = gettext_lazy("招聘岗位不存在。")

    def visible(self):
        return selectors.applications_visible_to(user=self.request.user)

    @extend_schema(request=s.ApplySerializer, responses={201: s.JobApplicationSerializer})
    def post(self, request, opening_id: int):
        if not selectors.openings_visible_to(user=request.user).filter(pk=opening_id).exists():
            raise NotFound(_("招聘岗位不存在。"))
        data = self.valid(s.ApplySerializer)
        application = fair_services.job_apply(
            opening_id=opening_id, worker=request.user.worker, message=data.get("message", "")
        )
        return self.render(application, status.HTTP_201_CREATED)


class JobApplicationListApi(ProgrammeApi):
    read_roles = ALL
    serializer_class = s.JobApplicationSerializer
    filterset_class = ApplicationFilter

    def visible(self):
        return selectors.applications_visible_to(user=self.request.user)

    @extend_schema(responses=s.JobApplicationSerializer(many=True))
    def get(self, request):
        return self.list_response()


class JobApplicationActionApi(ProgrammeApi):
    """POST applications/{id}/hire/ or reject/ (the agency), withdraw/ (the worker)."""

    serializer_class = s.JobApplicationSerializer
    missing = gettext_lazy("求职申请不存在。")
    verb = "hire"

    def visible(self):
        return selectors.applications_visible_to(user=self.request.user)

    @property
    def write_roles(self):
        return (WORKER,) if self.verb == "withdraw" else (AGENCY,)

    @extend_schema(request=None, responses=s.JobApplicationSerializer)
    def post(self, request, application_id: int):
        self.get_row(application_id)
        if self.verb == "hire":
            application = fair_services.job_application_hire(
                application_id=application_id, actor=request.user
            )
        elif self.verb == "reject":
            application = fair_services.job_application_reject(
                application_id=application_id, actor=request.user
            )
        else:
            application = fair_services.job_application_withdraw(
                application_id=application_id, worker=request.user.worker
            )
        return self.render(application)
