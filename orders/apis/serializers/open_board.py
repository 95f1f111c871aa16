"""API shapes of 抢单大厅: an open request as a worker finds it (no household, no address),
her take's result, the household's view of applications and its instant-accept switch."""

from __future__ import annotations

from rest_framework import serializers

from marketplace.selectors.ranking import bayesian_rating
from orders.models import RequestApplication


class BoardRequestSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="request.pk")
    kind = serializers.CharField(source="request.kind")
    category = serializers.CharField(source="request.category.code")
    category_name = serializers.CharField(source="request.category.name")
    division = serializers.CharField(source="request.division.code")
    division_name = serializers.CharField(source="request.division.name")
    starts_at = serializers.DateTimeField(source="request.starts_at")
    ends_at = serializers.DateTimeField(source="request.ends_at")
    budget = serializers.IntegerField(source="request.budget")
    distance_km = serializers.FloatField()
    allows_instant_accept = serializers.BooleanField(source="request.allows_instant_accept")
    my_offer_status = serializers.CharField(allow_null=True)
    my_application_status = serializers.CharField(allow_null=True)


class WorkerApplicationSerializer(serializers.ModelSerializer):
    request = serializers.IntegerField(source="request_id", read_only=True)

    class Meta:
        model = RequestApplication
        fields = ["id", "request", "status", "distance_km", "created_at", "responded_at"]
        read_only_fields = fields


class TakeResultSerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=["order", "application"])
    order = serializers.IntegerField(allow_null=True)
    application = WorkerApplicationSerializer(allow_null=True)


class HouseholdApplicationSerializer(serializers.ModelSerializer):
    worker = serializers.IntegerField(source="worker_id", read_only=True)
    name = serializers.CharField(source="worker.real_name", read_only=True)
    division = serializers.CharField(source="worker.division.name", default="", read_only=True)
    rating = serializers.SerializerMethodField()
    rating_count = serializers.IntegerField(source="worker.rating_count", read_only=True)
    completed_jobs = serializers.IntegerField(source="worker.completed_jobs", read_only=True)

    class Meta:
        model = RequestApplication
        fields = [
            "id",
            "worker",
            "name",
            "division",
            "rating",
            "rating_count",
            "completed_jobs",
            "distance_km",
            "status",
            "created_at",
        ]
        read_only_fields = fields

    def get_rating(self, application) -> float:
        worker = application.worker
        return round(bayesian_rating(worker.rating_sum, worker.rating_count), 2)


class InstantAcceptSerializer(serializers.Serializer):
    allowed = serializers.BooleanField()
