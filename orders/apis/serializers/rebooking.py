"""API shapes of favourites, "再约一次" and the households that came back to a worker."""

from __future__ import annotations

from rest_framework import serializers

from marketplace.selectors.ranking import bayesian_rating
from orders.models import AskedAgain, FavouriteWorker


class FavouriteCreateSerializer(serializers.Serializer):
    worker = serializers.IntegerField(min_value=1, max_value=2_147_483_647)


class FavouriteSerializer(serializers.ModelSerializer):
    worker = serializers.IntegerField(source="worker_id", read_only=True)
    name = serializers.CharField(source="worker.real_name", read_only=True)
    division = serializers.CharField(source="worker.division.name", default="", read_only=True)
    rating = serializers.SerializerMethodField()
    rating_count = serializers.IntegerField(source="worker.rating_count", read_only=True)
    completed_jobs = serializers.IntegerField(source="worker.completed_jobs", read_only=True)
    last_finished_order = serializers.SerializerMethodField(
        help_text="The last completed order with her: POST orders/{id}/rebook/ books her again."
    )

    class Meta:
        model = FavouriteWorker
        fields = [
            "worker",
            "name",
            "division",
            "rating",
            "rating_count",
            "completed_jobs",
            "last_finished_order",
            "created_at",
        ]

    def get_rating(self, favourite) -> float:
        return round(bayesian_rating(favourite.worker.rating_sum, favourite.worker.rating_count), 2)

    def get_last_finished_order(self, favourite) -> int | None:
        return getattr(favourite, "last_finished_order_id", None)


class RebookSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    budget = serializers.IntegerField(
        min_value=1, max_value=2_000_000_000, required=False, help_text="fen; default: as before"
    )
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class AskedAgainSerializer(serializers.ModelSerializer):
    household = serializers.CharField(source="household.__str__", read_only=True)
    last_request = serializers.IntegerField(source="last_request_id", read_only=True)
    last_request_status = serializers.CharField(
        source="last_request.status", default=None, read_only=True
    )

    class Meta:
        model = AskedAgain
        fields = [
            "household",
            "times",
            "first_asked_at",
            "last_asked_at",
            "last_request",
            "last_request_status",
        ]
