"""Job fairs, their openings, and the applications to them."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import status

from backend.exceptions import NotFound
from programme import selectors
from programme.apis import serializers as s
from programme.apis.base import ALL, ProgrammeApi
from programme.models import (
    JobApplication,
    JobFair,
    JobOpening,
)
from programme.permissions import AGENCY, WORKER
from programme.services import fairs as fair_services
from programme.services import hiring


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
    """POST applications/{id}/shortlist/, hire/ or reject/ (the agency); withdraw/, accept/ or
    decline/ (the worker: accept or decline the agency's hire)."""

    serializer_class = s.JobApplicationSerializer
    missing = gettext_lazy("求职申请不存在。")
    verb = "hire"

    def visible(self):
        return selectors.applications_visible_to(user=self.request.user)

    @property
    def write_roles(self):
        return (WORKER,) if self.verb in WORKER_VERBS else (AGENCY,)

    @extend_schema(request=None, responses=s.JobApplicationSerializer)
    def post(self, request, application_id: int):
        self.get_row(application_id)
        if self.verb in WORKER_VERBS:
            action = WORKER_VERBS[self.verb]
            application = action(application_id=application_id, worker=request.user.worker)
        else:
            action = AGENCY_VERBS[self.verb]
            application = action(application_id=application_id, actor=request.user)
        return self.render(application)


class JobApplicationInterviewApi(ProgrammeApi):
    """POST applications/{id}/interview/: the agency invites the applicant to an interview."""

    write_roles = (AGENCY,)
    serializer_class = s.JobApplicationSerializer
    missing = gettext_lazy("求职申请不存在。")

    def visible(self):
        return selectors.applications_visible_to(user=self.request.user)

    @extend_schema(request=s.InterviewSerializer, responses=s.JobApplicationSerializer)
    def post(self, request, application_id: int):
        self.get_row(application_id)
        data = self.valid(s.InterviewSerializer)
        application = hiring.job_application_interview(
            application_id=application_id,
            actor=request.user,
            interview_at=data["interview_at"],
            place=data["place"],
        )
        return self.render(application)


AGENCY_VERBS = {
    "shortlist": hiring.job_application_shortlist,
    "hire": hiring.job_application_hire,
    "reject": hiring.job_application_reject,
}
WORKER_VERBS = {
    "withdraw": hiring.job_application_withdraw,
    "accept": hiring.job_offer_accept,
    "decline": hiring.job_offer_decline,
}
