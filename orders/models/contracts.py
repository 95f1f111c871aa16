from django.db import models
from django.utils.translation import gettext_lazy as _

from orders.statuses import ContractStatus, Party


class Contract(models.Model):
    """One version of an order's contract. `text` never changes once any party has signed."""

    order = models.ForeignKey("orders.Order", on_delete=models.CASCADE, related_name="contracts")
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    text = models.TextField(_("合同文本"))
    text_sha256 = models.CharField(_("文本SHA-256"), max_length=64)
    terms = models.JSONField(_("合同条款"), default=dict)
    required_parties = models.JSONField(_("签约方"), default=list)
    status = models.CharField(
        max_length=30,
        choices=ContractStatus.choices,
        default=ContractStatus.AWAITING_SIGNATURES,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    signed_at = models.DateTimeField(_("全部签署时间"), null=True, blank=True)
    # When agency staff were last reminded that this version awaits the agency's signature.
    agency_reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["order", "-version"]
        verbose_name = _("服务合同")
        verbose_name_plural = _("服务合同")
        constraints = [
            models.UniqueConstraint(fields=["order", "version"], name="contract_version"),
        ]
        indexes = [models.Index(fields=["status", "signed_at"])]

    def __str__(self) -> str:
        return f"contract of order #{self.order_id} v{self.version}"


class ContractSignature(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="signatures")
    party = models.CharField(max_length=20, choices=Party.choices)
    signer = models.ForeignKey("marketplace.User", on_delete=models.PROTECT, related_name="+")
    text_sha256 = models.CharField(max_length=64)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    signed_at = models.DateTimeField(auto_now_add=True)
    # Set when the agency signed through its standing authorisation, not by a staff tap.
    authorisation = models.ForeignKey(
        "orders.CountersignAuthorisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signatures",
    )

    class Meta:
        ordering = ["signed_at"]
        verbose_name = _("合同签名")
        verbose_name_plural = _("合同签名")
        constraints = [
            models.UniqueConstraint(fields=["contract", "party"], name="one_signature_per_party"),
        ]

    def __str__(self) -> str:
        return f"{self.party} signed contract #{self.contract_id}"
