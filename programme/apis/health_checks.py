"""The federation's organised health checks: sessions, bookings, results."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status

from backend.exceptions import NotFound
from marketplace.models import Division
from programme import selectors_health as selectors
from programme.apis.base import ALL, ProgrammeApi
from programme.apis.serializers import CodeNameSerializer, division_field
from programme.models import BookingStatus, HealthCheckBooking, HealthCheckSession
from programme.permissions import OFFICER, WORKER
from programme.services import health_checks as services


class HealthCheckSessionSerializer(serializers.ModelSerializer):
    division = CodeNameSerializer()
    seats_left = serializers.IntegerField(read_only=True)

    class Meta:
        model = HealthCheckSession
        fields = [
            "id",
            "name",
            "division",
            "place",
            "institution",
            "held_on",
            "capacity",
            "booked_count",
            "seats_left",
            "status",
        ]


class HealthCheckSessionWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    division = division_field()
    place = serializers.CharField(max_length=200)
    institution = serializers.CharField(max_length=100, required=False, allow_blank=True)
    held_on = serializers.DateField()
    capacity = serializers.IntegerField(min_value=1, max_value=10000)


class HealthCheckBookingSerializer(serializers.ModelSerializer):
    session = HealthCheckSessionSerializer()
    worker = serializers.SerializerMethodField()

    class Meta:
        model = HealthCheckBooking
        fields = [
            "id",
            "session",
            "worker",
            "status",
            "booked_at",
            "valid_until",
            "result_recorded_at",
            "health_check",
        ]

    def get_worker(self, booking) -> dict:
        return {"id": booking.worker_id, "name": booking.worker.real_name}


class HealthCheckResultSerializer(serializers.Serializer):
    result = serializers.ChoiceField(
        choices=[BookingStatus.PASSED, BookingStatus.FAILED, BookingStatus.ABSENT]
    )
    valid_until = serializers.DateField(required=False, allow_null=True)


class SessionFilter(django_filters.FilterSet):
    division = django_filters.ModelChoiceFilter(
        field_name="division", to_field_name="code", queryset=Division.objects.all()
    )

    class Meta:
        model = HealthCheckSession
        fields = ["status", "division"]


class BookingFilter(django_filters.FilterSet):
    class Meta:
        model = HealthCheckBooking
        fields = ["session", "status"]


class HealthCheckSessionListApi(ProgrammeApi):
    read_roles = ALL
    serializer_class = HealthCheckSessionSerializer
    filterset_class = SessionFilter

    def visible(self):
        return selectors.health_sessions_visible_to(user=self.request.user)

    @extend_schema(responses=HealthCheckSessionSerializer(many=True))
    def get(self, request):
        return self.list_response()

    @extend_schema(
        request=HealthCheckSessionWriteSerializer, responses={201: HealthCheckSessionSerializer}
    )
    def post(self, request):
        data = self.valid(HealthCheckSessionWriteSerializer)
        session = services.health_check_session_create(actor=request.user, **data)
        return self.render(session, status.HTTP_201_CREATED)


class HealthCheckBookApi(ProgrammeApi):
    """A worker books a place at a session (empty body)."""

    write_roles = (WORKER,)
    serializer_class = HealthCheckBookingSerializer

    def visible(self):
        return selectors.health_bookings_visible_to(user=self.request.user)

    @extend_schema(request=None, responses={201: HealthCheckBookingSerializer})
    def post(self, request, session_id: int):
        sessions = selectors.health_sessions_visible_to(user=request.user)
        if not sessions.filter(pk=session_id).exists():
            raise NotFound(_("体检场次不存在。"))
        booking = services.health_check_book(session_id=session_id, worker=request.user.worker)
        return self.render(booking, status.HTTP_201_CREATED)


class HealthCheckBookingListApi(ProgrammeApi):
    """Officers: every booking; a worker: hers."""

    read_roles = (OFFICER, WORKER)
    serializer_class = HealthCheckBookingSerializer
    filterset_class = BookingFilter

    def visible(self):
        return selectors.health_bookings_visible_to(user=self.request.user)

    @extend_schema(responses=HealthCheckBookingSerializer(many=True))
    def get(self, request):
        return self.list_response()


class HealthCheckBookingCancelApi(ProgrammeApi):
    write_roles = (WORKER,)
    serializer_class = HealthCheckBookingSerializer
    missing = gettext_lazy("体检预约不存在。")

    def visible(self):
        return selectors.health_bookings_visible_to(user=self.request.user)

    @extend_schema(request=None, responses=HealthCheckBookingSerializer)
    def post(self, request, booking_id: int):
        self.get_row(booking_id)
        booking = services.health_check_booking_cancel(
            booking_id=booking_id, worker=request.user.worker
        )
        return self.render(booking)


class HealthCheckResultApi(ProgrammeApi):
    """An officer enters the result; a pass writes her health-check credential."""

    write_roles = (OFFICER,)
    serializer_class = HealthCheckBookingSerializer
    missing = gettext_lazy("体检预约不存在。")

    def visible(self):
        return selectors.health_bookings_visible_to(user=self.request.user)

    @extend_schema(request=HealthCheckResultSerializer, responses=HealthCheckBookingSerializer)
    def post(self, request, booking_id: int):
        self.get_row(booking_id)
        data = self.valid(HealthCheckResultSerializer)
        booking = services.health_check_result_record(
            booking_id=booking_id,
            result=data["result"],
            valid_until=data.get("valid_until"),
            actor=request.user,
        )
        return self.render(booking)
