"""Input checks and renderings for requests, matches, offers and orders (PRODUCT.md §5)."""

from __future__ import annotations

from django.utils import timezone
from rest_framework import serializers

from backend.api.fields import CodeRelatedField
from marketplace.models import Category, Division
from orders.models import Offer, Order, ServiceRequest
from orders.services.requests import RequestInput
from orders.statuses import (
    ACTIVE_ORDER_STATUSES,
    DisputeOutcome,
    OccurrenceStatus,
    Party,
    RequestKind,
)


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


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, allow_blank=True, required=False, default="")


class InviteSerializer(serializers.Serializer):
    worker = serializers.IntegerField(min_value=1)


class NoShowSerializer(serializers.Serializer):
    party = serializers.ChoiceField(choices=[Party.WORKER, Party.HOUSEHOLD])
    reason = serializers.CharField(max_length=300, allow_blank=True, required=False, default="")


class DisputeResolveSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=DisputeOutcome.choices)
    refund_amount = serializers.IntegerField(min_value=0, required=False, default=0)
    note = serializers.CharField(max_length=2000, allow_blank=True, required=False, default="")


class AttendanceSerializer(serializers.Serializer):
    """Body of check-in/ and complete/: which visit of a recurring order (default: the due one)."""

    occurrence = serializers.IntegerField(min_value=1, required=False, allow_null=True)


class CheckInSerializer(AttendanceSerializer):
    """Body of check-in/: the visit's start code from the household's order page, and the
    phone's position when it gives one (checked against the service address)."""

    start_code = serializers.CharField(max_length=12, required=False, allow_blank=True)
    latitude = serializers.FloatField(required=False, allow_null=True, min_value=-90, max_value=90)
    longitude = serializers.FloatField(
        required=False, allow_null=True, min_value=-180, max_value=180
    )


class OccurrenceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    original_starts_at = serializers.DateTimeField()
    status = serializers.CharField()
    checked_in_at = serializers.DateTimeField(allow_null=True)
    checked_out_at = serializers.DateTimeField(allow_null=True)
    attendance = serializers.SerializerMethodField()

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


class RequestSerializer(serializers.ModelSerializer):
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
    rating = serializers.FloatField()
    rating_count = serializers.IntegerField(source="worker.rating_count")
    completed_jobs = serializers.IntegerField(source="worker.completed_jobs")
    hourly_rate = serializers.IntegerField(source="worker.hourly_rate")
    certificates = serializers.SerializerMethodField()
    is_health_check_valid = serializers.SerializerMethodField()
    offer_status = serializers.SerializerMethodField()

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


class OfferRequestSerializer(serializers.ModelSerializer):
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
            "request",
        ]
        read_only_fields = fields

    def get_is_expired(self, obj) -> bool:
        return obj.status == "expired" or (
            obj.status == "pending" and obj.expires_at <= timezone.now()
        )


class OrderSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(source="request.kind", read_only=True)
    category = serializers.CharField(source="request.category.code", read_only=True)
    category_name = serializers.CharField(source="request.category.name", read_only=True)
    division_name = serializers.CharField(source="request.division.name", read_only=True)
    address = serializers.SerializerMethodField()
    household = serializers.SerializerMethodField()
    worker = serializers.SerializerMethodField()
    agency = serializers.SerializerMethodField()

    class Meta:
        model = Order
        fields = [
            "id",
            "status",
            "request",
            "offer",
            "kind",
            "category",
            "category_name",
            "division_name",
            "address",
            "household",
            "worker",
            "agency",
            "price",
            "starts_at",
            "ends_at",
            "trial_ends_at",
            "checked_in_at",
            "worker_finished_at",
            "completed_at",
            "cancelled_at",
            "cancelled_by_party",
            "cancellation_fee",
            "no_show_party",
            "settlement_amount",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_address(self, obj) -> str | None:
        """The exact address: the household's own; the worker side's once the contract is
        signed (docs/privacy.md). The viewer is the request's user."""
        from orders.privacy import address_visible_to

        party = self.context.get("party")
        request = self.context.get("request")
        if party is None and request is not None and request.user.is_authenticated:
            # Lists hold only the viewer's own orders: no query is needed to tell the side.
            party = Party.HOUSEHOLD if request.user.pk == obj.household_id else Party.WORKER
        return obj.request.address if address_visible_to(order=obj, party=party) else None

    def get_household(self, obj) -> dict:
        return {"id": obj.household_id, "name": str(obj.household)}

    def get_worker(self, obj) -> dict:
        return {"id": obj.worker_id, "name": obj.worker.real_name, "user": obj.worker.user_id}

    def get_agency(self, obj) -> dict | None:
        if obj.agency_id is None:
            return None
        return {"id": obj.agency_id, "name": obj.agency.name}


class OrderEventSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    actor = serializers.SerializerMethodField()
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    reason = serializers.CharField()
    data = serializers.JSONField()
    created_at = serializers.DateTimeField()

    def get_actor(self, obj) -> dict | None:
        if obj.actor_id is None:
            return None  # the system (periodic work)
        return {"id": obj.actor_id, "name": str(obj.actor)}


class RequestEventSerializer(serializers.Serializer):
    """One change of the order's request or of one of its offers (sent, declined, expired,
    withdrawn, accepted); who made it is not shown (other workers' offers are in it)."""

    id = serializers.IntegerField()
    offer = serializers.IntegerField(source="offer_id", allow_null=True)
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    reason = serializers.CharField()
    created_at = serializers.DateTimeField()


class DisputeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    previous_status = serializers.CharField()
    reason = serializers.CharField()
    outcome = serializers.CharField()
    refund_amount = serializers.IntegerField()
    resolution_note = serializers.CharField()
    opened_at = serializers.DateTimeField()
    resolved_at = serializers.DateTimeField()


class OrderDetailSerializer(OrderSerializer):
    events = OrderEventSerializer(many=True, read_only=True)
    request_history = RequestEventSerializer(source="request.events", many=True, read_only=True)
    occurrences = OccurrenceSerializer(many=True, read_only=True)
    disputes = DisputeSerializer(many=True, read_only=True)
    contract = serializers.SerializerMethodField()
    party = serializers.SerializerMethodField()
    cancellation = serializers.SerializerMethodField()

    class Meta(OrderSerializer.Meta):
        fields = [
            *OrderSerializer.Meta.fields,
            "party",
            "events",
            "request_history",
            "occurrences",
            "disputes",
            "contract",
            "cancellation",
        ]
        read_only_fields = fields

    def get_contract(self, obj) -> dict | None:
        contracts = list(obj.contracts.all())
        if not contracts:
            return None
        current = contracts[0]
        return {
            "id": current.pk,
            "version": current.version,
            "status": current.status,
            "signed_at": current.signed_at,
            "text_sha256": current.text_sha256,
        }

    def get_party(self, obj) -> str | None:
        return self.context.get("party")

    def get_cancellation(self, obj) -> dict | None:
        quote = self.context.get("cancellation")
        return quote.as_dict() if quote is not None else None


class CancelPreviewSerializer(serializers.Serializer):
    party = serializers.CharField()
    fee = serializers.IntegerField()
    is_late = serializers.BooleanField()
    free_until = serializers.DateTimeField()
    counts_late_cancellation = serializers.BooleanField()
    allowed = serializers.BooleanField()
    current_status = serializers.CharField()
