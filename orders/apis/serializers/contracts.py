"""API shapes of contracts: the contract with its signatures, signing and amending."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from orders.models import Contract, ContractSignature
from orders.privacy import contract_display


class SignatureOutput(serializers.ModelSerializer):
    signer = serializers.SerializerMethodField()

    class Meta:
        model = ContractSignature
        fields = ["party", "signer", "signed_at", "text_sha256"]

    def get_signer(self, signature) -> dict:
        signer = signature.signer
        return {"id": signer.pk, "display_name": signer.display_name or signer.username}


class ContractOutput(serializers.ModelSerializer):
    order = serializers.IntegerField(source="order_id")
    signatures = SignatureOutput(many=True, read_only=True)
    missing_parties = serializers.SerializerMethodField()

    class Meta:
        model = Contract
        fields = [
            "order",
            "version",
            "status",
            "text",
            "text_sha256",
            "terms",
            "required_parties",
            "signatures",
            "missing_parties",
            "created_at",
            "signed_at",
        ]

    def to_representation(self, contract):
        """Text and terms as the viewer may see them (orders.privacy.contract_display;
        `text_sha256` stays that of the full signed text)."""
        data = super().to_representation(contract)
        request = self.context.get("request")
        if request is not None:
            text, terms, redacted = contract_display(contract=contract, user=request.user)
            data.update({"text": text, "terms": terms, "is_redacted": redacted})
        return data

    def get_missing_parties(self, contract) -> list[str]:
        signed = {signature.party for signature in contract.signatures.all()}
        return [party for party in contract.required_parties if party not in signed]


class ContractQuery(serializers.Serializer):
    version = serializers.IntegerField(required=False, min_value=1)


class ContractSignInput(serializers.Serializer):
    text_sha256 = serializers.RegexField(
        r"^[0-9a-fA-F]{64}$", required=False, allow_null=True, help_text=_("所签文本的SHA-256")
    )


class ContractAmendInput(serializers.Serializer):
    reason = serializers.CharField(max_length=300)
    price = serializers.IntegerField(required=False, min_value=1, help_text=_("新价格（分）"))
    starts_at = serializers.DateTimeField(required=False)
    ends_at = serializers.DateTimeField(required=False)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=500)

    def validate(self, attrs):
        if len(attrs) == 1:
            raise serializers.ValidationError(
                {"changes": [_("请至少变更一项条款：price、starts_at、ends_at、notes。")]}
            )
        return attrs
