"""Training courses: list, detail, transitions, enrolling and attendance."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from backend.exceptions import NotFound
from programme import selectors
from programme.apis import serializers as s
from programme.apis.base import ProgrammeApi
from programme.models import (
    Attendance,
    Course,
)
from programme.permissions import OFFICER, WORKER
from programme.services import courses as course_services


class CourseFilter(django_filters.FilterSet):
    category = django_filters.CharFilter(field_name="category__code")
    division = django_filters.CharFilter(field_name="division__code")
    starts_after = django_filters.DateFilter(field_name="starts_on", lookup_expr="gte")
    starts_before = django_filters.DateFilter(field_name="starts_on", lookup_expr="lte")

    class Meta:
        model = Course
        fields = ["status", "kind", "mode", "category", "division"]


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
        data = self.valid(s.EnrolSerializer)
        if worker is None:
            worker, candidate = data.get("worker"), data.get("candidate")
        enrolment = course_services.course_enrol(
            course_id=course_id,
            actor=request.user,
            worker=worker,
            candidate=candidate,
            wait_if_full=bool(data.get("wait")) and self.own_worker() is not None,
        )
        return self.render(enrolment, status.HTTP_201_CREATED)


class CourseAttendanceApi(ProgrammeApi):
    serializer_class = s.AttendanceSerializer

    def visible(self):
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
