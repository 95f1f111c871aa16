"""API shapes of offers: the offer with the request it is for."""

from __future__ import annotations

from django.utils import timezone
from rest_framework import serializers

from backend.api.fields import ModelSerializer
from orders.models import Offer, ServiceRequest


class OfferRequestSerializer(ModelSerializer):
    """What a worker sees of a request before accepting: no exact address."""

    category = serializers.SlugRelatedField(slug_field="code", read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True)
    division = serializers.SlugRelatedField(slug_field="code", read_only=True)
    division_name = serializers.CharField(source="division.name", read_only=True)

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
            "starts_at",
            "ends_at",
            "budget",
            "description",
            "recurrence_weekdays",
            "recurrence_until",
            "placement_mode",
            "placement_price_unit",
            "placement_unit_price",
            "trial_days",
        ]
        read_only_fields = fields


class OfferSerializer(serializers.ModelSerializer):
    request = OfferRequestSerializer(read_only=True)
    is_expired = serializers.SerializerMethodField()

    class Meta:
        model = Offer
        fields = [
            "id",
            "status",
            "source",
            "wave",
            "rank",
            "distance_km",
            "expires_at",
            "is_expired",
            "created_at",
            "responded_at",
            "seen_at",
            "request",
        ]
        read_only_fields = fields

    def get_is_expired(self, obj) -> bool:
        return obj.status == "expired" or (
            obj.status == "pending" and obj.expires_at <= timezone.now()
        )
