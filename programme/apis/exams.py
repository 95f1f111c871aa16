"""Exams: list, detail, registering, registrations and results."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import status

from backend.exceptions import NotFound, ValidationFailed
from programme import selectors
from programme.apis import serializers as s
from programme.apis.base import ProgrammeApi
from programme.models import (
    Exam,
    ExamRegistration,
)
from programme.permissions import OFFICER, WORKER
from programme.services import exams as exam_services


class ExamFilter(django_filters.FilterSet):
    category = django_filters.CharFilter(field_name="category__code")

    class Meta:
        model = Exam
        fields = ["status", "category", "held_on"]


class RegistrationFilter(django_filters.FilterSet):
    class Meta:
        model = ExamRegistration
        fields = ["exam", "result", "worker"]


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
