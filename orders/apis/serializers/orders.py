"""API shapes of orders: the order, its events and disputes, attendance, cancellation, reasons."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from backend.api.fields import ModelSerializer
from orders.apis.serializers.occurrences import OccurrenceSerializer
from orders.models import Order, RequestEventKind
from orders.next_step import order_next_step
from orders.privacy import address_visible_to
from orders.statuses import DisputeOutcome, Party


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, allow_blank=True, required=False, default="")


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


class OrderSerializer(ModelSerializer):
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
    """One change of the order's request or of one of its offers (sent, seen, declined,
    expired, withdrawn, accepted); who made it is not shown (other workers' offers are in it)."""

    id = serializers.IntegerField()
    offer = serializers.IntegerField(source="offer_id", allow_null=True)
    kind = serializers.ChoiceField(choices=RequestEventKind.choices)
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
    resolved_at = serializers.DateTimeField(allow_null=True)


class NextStepSerializer(serializers.Serializer):
    waiting_for = serializers.CharField(allow_null=True)
    action = serializers.CharField()
    is_yours = serializers.BooleanField()
    text = serializers.CharField()


class OrderDetailSerializer(OrderSerializer):
    events = OrderEventSerializer(many=True, read_only=True)
    request_history = RequestEventSerializer(source="request.events", many=True, read_only=True)
    occurrences = OccurrenceSerializer(many=True, read_only=True)
    disputes = DisputeSerializer(many=True, read_only=True)
    contract = serializers.SerializerMethodField()
    party = serializers.SerializerMethodField()
    cancellation = serializers.SerializerMethodField()
    next_step = serializers.SerializerMethodField()

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
            "next_step",
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

    @extend_schema_field(NextStepSerializer)
    def get_next_step(self, obj) -> dict:
        """Who the order waits for and what they must do, as the viewer sees it."""
        return order_next_step(order=obj, party=self.context.get("party")).as_dict()

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
