"""API shapes of a receipt and of invoice requests (amounts in fen, currency CNY)."""

from __future__ import annotations

from rest_framework import serializers

from orders.models import InvoiceKind, InvoiceRequest


class ReceiptChargeSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=["price", "cancellation_fee", "waived", "settlement", "dispute_refund"],
        help_text="price, then what changes it: a cancellation (fee only), a replaced "
        "placement's settlement, a dispute's partial refund (negative: taken off)",
    )
    label = serializers.CharField()
    amount = serializers.IntegerField()


class ReceiptMovementSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["captured", "fee", "offline_received", "refunded"])
    at = serializers.DateTimeField()
    amount = serializers.IntegerField(help_text="Positive: received; negative: refunded")
    method = serializers.ChoiceField(
        choices=["stripe", "offline", "cash", "bank_transfer", "other"]
    )
    reference = serializers.CharField(help_text="The agency's reference of offline money")


class ReceiptPartiesSerializer(serializers.Serializer):
    """Names only: no phone number and no address is ever on a receipt."""

    household = serializers.CharField()
    worker = serializers.CharField()
    agency = serializers.CharField(allow_null=True)


class InvoiceRequestSerializer(serializers.ModelSerializer):
    order = serializers.IntegerField(source="order_id", read_only=True)
    agency = serializers.IntegerField(source="agency_id", read_only=True)
    category_name = serializers.CharField(source="order.request.category.name", read_only=True)

    class Meta:
        model = InvoiceRequest
        fields = [
            "id",
            "order",
            "agency",
            "category_name",
            "kind",
            "title",
            "tax_number",
            "email",
            "amount",
            "status",
            "invoice_number",
            "issued_on",
            "reject_reason",
            "created_at",
            "decided_at",
        ]
        read_only_fields = fields


class ReceiptSerializer(serializers.Serializer):
    number = serializers.CharField(help_text="Unique and stable: one receipt per order")
    order = serializers.IntegerField(source="order.pk")
    category_name = serializers.CharField(source="order.request.category.name")
    order_status = serializers.CharField(source="order.status")
    starts_at = serializers.DateTimeField(source="order.starts_at")
    ends_at = serializers.DateTimeField(source="order.ends_at")
    issued_at = serializers.DateTimeField(help_text="When the first money was received")
    currency = serializers.CharField(default="CNY")
    provider = serializers.ChoiceField(choices=["offline", "stripe"])
    payment_status = serializers.ChoiceField(source="status", choices=["paid", "refunded"])
    parties = ReceiptPartiesSerializer()
    charges = ReceiptChargeSerializer(many=True)
    amount_due = serializers.IntegerField()
    amount_paid = serializers.IntegerField()
    amount_refunded = serializers.IntegerField()
    amount_net = serializers.IntegerField()
    movements = ReceiptMovementSerializer(many=True)
    shares = serializers.DictField(
        child=serializers.IntegerField(),
        help_text="The split of the money received that this viewer may see: none for the "
        "household, her own for the worker, all three for the agency and operators",
    )
    invoice = InvoiceRequestSerializer(
        allow_null=True, help_text="The latest invoice request (household, agency, operators)"
    )


class InvoiceRequestCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=InvoiceKind.choices)
    title = serializers.CharField(max_length=100, help_text="发票抬头")
    tax_number = serializers.CharField(
        max_length=40,
        required=False,
        allow_blank=True,
        help_text="纳税人识别号: 15, 18 or 20 uppercase letters and digits; required for company",
    )
    email = serializers.CharField(max_length=254, required=False, allow_blank=True)


class InvoiceIssueSerializer(serializers.Serializer):
    invoice_number = serializers.CharField(max_length=40, help_text="8 to 20 letters or digits")
    issued_on = serializers.DateField(required=False, help_text="Default: today")


class InvoiceRejectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)
