"""API shapes of occurrences (the visits of an order): listing, moving, cancelling."""

from django.utils import timezone
from rest_framework import serializers

from orders.models import Occurrence
from orders.services.occurrences import SCOPES
from orders.statuses import OccurrenceStatus


class OccurrenceOutput(serializers.ModelSerializer):
    request = serializers.IntegerField(source="request_id")
    needs_substitute = serializers.SerializerMethodField(
        help_text="Her worker is on leave then: a substitute or another time is needed"
    )
    order = serializers.IntegerField(source="order_id", allow_null=True)
    worker = serializers.IntegerField(source="worker_id", allow_null=True)

    class Meta:
        model = Occurrence
        fields = [
            "id",
            "request",
            "order",
            "worker",
            "starts_at",
            "ends_at",
            "original_starts_at",
            "status",
            "change_reason",
            "needs_substitute",
        ]

    def get_needs_substitute(self, obj) -> bool:
        return obj.worker_time_off_id is not None and obj.status == OccurrenceStatus.SCHEDULED


class OccurrenceMoveInput(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    reason = serializers.CharField(required=False, allow_blank=True, max_length=200)


class OccurrenceCancelInput(serializers.Serializer):
    reason = serializers.CharField(max_length=200)
    scope = serializers.ChoiceField(choices=SCOPES, default="this")


class OccurrenceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    original_starts_at = serializers.DateTimeField()
    status = serializers.CharField()
    checked_in_at = serializers.DateTimeField(allow_null=True)
    checked_out_at = serializers.DateTimeField(allow_null=True)
    attendance = serializers.SerializerMethodField()
    needs_substitute = serializers.SerializerMethodField(
        help_text="Her worker is on leave then: a substitute or another time is needed"
    )

    def get_needs_substitute(self, obj) -> bool:
        return obj.worker_time_off_id is not None and obj.status == OccurrenceStatus.SCHEDULED

    def get_attendance(self, obj) -> str:
        """cancelled | checked_out | checked_in | missed (ended without a check-in) | upcoming."""
        if obj.status == OccurrenceStatus.CANCELLED:
            return "cancelled"
        if obj.checked_out_at:
            return "checked_out"
        if obj.checked_in_at:
            return "checked_in"
        if obj.ends_at <= timezone.now():
            return "missed"
        return "upcoming"
