"""API shapes of service requests: the create input, invitations, the request and its matches."""

from __future__ import annotations

from rest_framework import serializers

from backend.api.fields import CodeRelatedField, ModelSerializer
from marketplace.models import Category, Division
from marketplace.selectors.ratings import rating_value
from orders.apis.serializers.occurrences import OccurrenceSerializer
from orders.models import ServiceRequest
from orders.services.requests import RequestInput
from orders.statuses import ACTIVE_ORDER_STATUSES, RequestKind


class RequestCreateSerializer(serializers.Serializer):
    category = CodeRelatedField(queryset=Category.objects.all())
    division = CodeRelatedField(queryset=Division.objects.all())
    address = serializers.CharField(max_length=200)
    latitude = serializers.FloatField(required=False, allow_null=True)
    longitude = serializers.FloatField(required=False, allow_null=True)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    budget = serializers.IntegerField(min_value=1, max_value=2_000_000_000)
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    max_distance_km = serializers.FloatField(
        required=False, allow_null=True, min_value=0.5, max_value=200
    )
    kind = serializers.ChoiceField(choices=RequestKind.choices, default=RequestKind.ONE_OFF)
    recurrence_weekdays = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=6),
        required=False,
        max_length=7,
    )
    recurrence_until = serializers.DateField(required=False, allow_null=True)
    placement_mode = serializers.ChoiceField(
        choices=ServiceRequest.PlacementMode.choices, required=False, allow_blank=True
    )
    placement_price_unit = serializers.ChoiceField(
        choices=ServiceRequest.PriceUnit.choices, required=False, allow_blank=True
    )
    placement_unit_price = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=2_000_000_000
    )
    trial_days = serializers.IntegerField(required=False, min_value=0, max_value=365, default=0)

    def to_input(self) -> RequestInput:
        data = self.validated_data
        return RequestInput(
            category=data["category"],
            division=data["division"],
            address=data["address"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            budget=data["budget"],
            description=data.get("description", ""),
            latitude=data.get("latitude"),
            longitude=data.get("longitude"),
            max_distance_km=data.get("max_distance_km"),
            kind=data["kind"],
            recurrence_weekdays=tuple(data.get("recurrence_weekdays") or ()),
            recurrence_until=data.get("recurrence_until"),
            placement_mode=data.get("placement_mode") or "",
            placement_price_unit=data.get("placement_price_unit") or "",
            placement_unit_price=data.get("placement_unit_price"),
            trial_days=data.get("trial_days") or 0,
        )


class InviteSerializer(serializers.Serializer):
    worker = serializers.IntegerField(min_value=1)


class RequestSerializer(ModelSerializer):
    category = serializers.SlugRelatedField(slug_field="code", read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True)
    division = serializers.SlugRelatedField(slug_field="code", read_only=True)
    division_name = serializers.CharField(source="division.name", read_only=True)
    occurrences = OccurrenceSerializer(many=True, read_only=True)
    order = serializers.SerializerMethodField()

    class Meta:
        model = ServiceRequest
        fields = [
            "id",
            "status",
            "kind",
            "category",
            "category_name",
            "division",
            "division_name",
            "address",
            "latitude",
            "longitude",
            "is_geocoded",
            "starts_at",
            "ends_at",
            "budget",
            "description",
            "max_distance_km",
            "recurrence_weekdays",
            "recurrence_until",
            "placement_mode",
            "placement_price_unit",
            "placement_unit_price",
            "trial_days",
            "offer_wave",
            "preferred_worker",
            "allows_instant_accept",
            "rebooked_from",
            "cancel_reason",
            "created_at",
            "matched_at",
            "closed_at",
            "occurrences",
            "order",
        ]
        read_only_fields = fields

    def get_order(self, obj) -> int | None:
        """The live order's id (from the prefetched orders), if the request is matched."""
        for order in obj.orders.all():
            if order.status in ACTIVE_ORDER_STATUSES or order.status == "completed":
                return order.pk
        return None


class MatchSerializer(serializers.Serializer):
    """One ranked candidate; the worker's credentials are prefetched by the view."""

    worker = serializers.IntegerField(source="worker.pk")
    name = serializers.CharField(source="worker.real_name")
    division = serializers.SerializerMethodField()
    distance_km = serializers.FloatField()
    score = serializers.FloatField()
    rating = serializers.SerializerMethodField()
    rating_count = serializers.IntegerField(source="worker.rating_count")
    completed_jobs = serializers.IntegerField(source="worker.completed_jobs")
    hourly_rate = serializers.IntegerField(source="worker.hourly_rate")
    certificates = serializers.SerializerMethodField()
    is_health_check_valid = serializers.SerializerMethodField()
    offer_status = serializers.SerializerMethodField()

    def get_rating(self, obj) -> float | None:
        """Her shown rating (marketplace.selectors.ratings), null before her first review."""
        return rating_value(obj.worker)

    def get_division(self, obj) -> str | None:
        division = obj.worker.division
        return division.name if division else None

    def get_certificates(self, obj) -> list[dict]:
        return [
            {
                "category": cert.category.code,
                "category_name": cert.category.name,
                "level": cert.level,
                "expires_on": cert.expires_on,
            }
            for cert in obj.worker.valid_certificates
        ]

    def get_is_health_check_valid(self, obj) -> bool:
        return bool(obj.worker.valid_health_checks)

    def get_offer_status(self, obj) -> str | None:
        return self.context.get("offer_status", {}).get(obj.worker.pk)
