"""API shapes of a worker's time off and of the booked visits that need a substitute."""

from __future__ import annotations

from rest_framework import serializers

from marketplace.models import TimeOff
from orders.models import Occurrence


class TimeOffCreateSerializer(serializers.Serializer):
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    reason = serializers.CharField(max_length=100, required=False, allow_blank=True)


class TimeOffSerializer(serializers.ModelSerializer):
    class Meta:
        model = TimeOff
        fields = ["id", "starts_on", "ends_on", "reason", "created_at"]
        read_only_fields = fields


class TimeOffCreatedSerializer(TimeOffSerializer):
    flagged_visits = serializers.SerializerMethodField(
        help_text="Booked visits in the range, flagged to the household and agency for a substitute"
    )

    class Meta(TimeOffSerializer.Meta):
        fields = [*TimeOffSerializer.Meta.fields, "flagged_visits"]
        read_only_fields = fields

    def get_flagged_visits(self, obj) -> list[int]:
        return [visit.pk for visit in self.context.get("visits", [])]


class SubstituteNeededSerializer(serializers.ModelSerializer):
    """A booked visit whose worker is on leave then (no household identity, no address)."""

    order = serializers.IntegerField(source="order_id")
    worker = serializers.IntegerField(source="worker_id")
    worker_name = serializers.CharField(source="worker.real_name")
    category = serializers.CharField(source="request.category.code")
    division_name = serializers.CharField(source="request.division.name")
    time_off_starts_on = serializers.DateField(source="worker_time_off.starts_on")
    time_off_ends_on = serializers.DateField(source="worker_time_off.ends_on")

    class Meta:
        model = Occurrence
        fields = [
            "id",
            "order",
            "worker",
            "worker_name",
            "category",
            "division_name",
            "starts_at",
            "ends_at",
            "time_off_starts_on",
            "time_off_ends_on",
        ]
        read_only_fields = fields
