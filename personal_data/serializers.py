"""Input and output of the "my data" API."""

from rest_framework import serializers

from backend.api.fields import ModelSerializer
from marketplace.models import Consent, ConsentKind
from marketplace.services.consents import WITHDRAWAL_EFFECTS
from personal_data.models import DeletionRequest


class ConsentOutput(ModelSerializer):
    is_active = serializers.BooleanField(read_only=True)
    withdrawal_effect = serializers.SerializerMethodField()

    class Meta:
        model = Consent
        fields = [
            "id",
            "kind",
            "purpose",
            "version",
            "given_at",
            "withdrawn_at",
            "is_active",
            "withdrawal_effect",
        ]

    def get_withdrawal_effect(self, consent: Consent) -> str:
        """What stops when she withdraws it (marketplace.services.consents)."""
        return str(WITHDRAWAL_EFFECTS[ConsentKind(consent.kind)])


class DeletionOutput(ModelSerializer):
    class Meta:
        model = DeletionRequest
        fields = [
            "id",
            "status",
            "requested_at",
            "erase_after",
            "cancelled_at",
            "completed_at",
            "refused_reason",
        ]


class OperatorDeletionOutput(DeletionOutput):
    """What an operator sees of a deletion request: the account number and role, no data."""

    class Meta(DeletionOutput.Meta):
        fields = ["user", "role", *DeletionOutput.Meta.fields]


class DeletionStateOutput(serializers.Serializer):
    pending = DeletionOutput(allow_null=True)
    latest = DeletionOutput(allow_null=True)
    blocker = serializers.CharField(allow_null=True, help_text="why she cannot delete now")
    cooling_off_days = serializers.IntegerField()


class DeletionRequestInput(serializers.Serializer):
    password = serializers.CharField(trim_whitespace=False, max_length=128)


class SummaryLineOutput(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class DataSummaryOutput(serializers.Serializer):
    lines = SummaryLineOutput(many=True)
    archive_url = serializers.CharField()
    archive_files = serializers.ListField(child=serializers.CharField())
