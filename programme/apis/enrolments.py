"""Enrolments in courses: list, complete, withdraw."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema

from programme import selectors
from programme.apis import serializers as s
from programme.apis.base import ProgrammeApi
from programme.models import (
    Enrolment,
)
from programme.permissions import OFFICER, WORKER
from programme.services import courses as course_services


class EnrolmentFilter(django_filters.FilterSet):
    class Meta:
        model = Enrolment
        fields = ["course", "status", "result", "worker", "candidate"]


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
