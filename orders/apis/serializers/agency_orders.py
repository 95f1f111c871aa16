"""Shapes of the agency console's order lists: dispatch, open requests, contracts, disputes."""

from rest_framework import serializers

from marketplace.serializers_agencies import person_brief


class DispatchSerializer(serializers.Serializer):
    request = serializers.IntegerField(min_value=1)
    worker = serializers.IntegerField(min_value=1)


class DispatchOfferSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    request = serializers.IntegerField(source="request_id")
    worker = serializers.IntegerField(source="worker_id")
    status = serializers.CharField()
    source = serializers.CharField()
    distance_km = serializers.FloatField()
    expires_at = serializers.DateTimeField()
    created_at = serializers.DateTimeField()


class _OrderBriefMixin:
    @staticmethod
    def order_brief(order) -> dict:
        return {
            "id": order.pk,
            "status": order.status,
            "category": order.request.category.code,
            "category_name": order.request.category.name,
            "starts_at": order.starts_at,
            "ends_at": order.ends_at,
            "price": order.price,
            "worker": {"id": order.worker_id, "name": order.worker.real_name},
            "household": {"id": order.household_id, "name": str(order.household)},
        }


class AgencyContractSerializer(_OrderBriefMixin, serializers.Serializer):
    id = serializers.IntegerField()
    version = serializers.IntegerField()
    status = serializers.CharField()
    text_sha256 = serializers.CharField()
    required_parties = serializers.ListField(child=serializers.CharField())
    signed_parties = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    signed_at = serializers.DateTimeField(allow_null=True)
    order = serializers.SerializerMethodField()

    def get_signed_parties(self, contract) -> list[str]:
        return [s.party for s in contract.signatures.all()]

    def get_order(self, contract) -> dict:
        return self.order_brief(contract.order)


class AgencyDisputeSerializer(_OrderBriefMixin, serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    previous_status = serializers.CharField()
    reason = serializers.CharField()
    outcome = serializers.CharField()
    refund_amount = serializers.IntegerField()
    resolution_note = serializers.CharField()
    opened_by = serializers.SerializerMethodField()
    opened_at = serializers.DateTimeField()
    resolved_at = serializers.DateTimeField(allow_null=True)
    order = serializers.SerializerMethodField()

    def get_opened_by(self, dispute) -> dict | None:
        return person_brief(dispute.opened_by)

    def get_order(self, dispute) -> dict:
        return self.order_brief(dispute.order)


class OpenRequestSerializer(serializers.Serializer):
    """An open request as an agency sees it before dispatching: no household or address."""

    id = serializers.IntegerField()
    kind = serializers.CharField()
    category = serializers.CharField(source="category_code")
    category_name = serializers.CharField()
    division = serializers.CharField(source="division_code")
    division_name = serializers.CharField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    budget = serializers.IntegerField()
    distance_km = serializers.FloatField()


class CountersignAuthorisationSerializer(serializers.Serializer):
    """One standing authorisation to countersign: what was agreed, who gave it and when, and
    who revoked it and when (null while in force)."""

    id = serializers.IntegerField()
    statement = serializers.CharField()
    authorised_by = serializers.SerializerMethodField()
    authorised_at = serializers.DateTimeField()
    revoked_by = serializers.SerializerMethodField()
    revoked_at = serializers.DateTimeField(allow_null=True)
    is_in_force = serializers.BooleanField()

    def get_authorised_by(self, obj) -> dict:
        return person_brief(obj.authorised_by)

    def get_revoked_by(self, obj) -> dict | None:
        return person_brief(obj.revoked_by) if obj.revoked_by_id else None


class CountersignStateSerializer(serializers.Serializer):
    in_force = CountersignAuthorisationSerializer(allow_null=True)
    history = CountersignAuthorisationSerializer(many=True)
    contracts_awaiting_agency = serializers.IntegerField()
