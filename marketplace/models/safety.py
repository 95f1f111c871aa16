"""Trust and safety on the people side: the verifiable service card, a worker's blocks of
households, and her appeals against reliability incidents (issue 8)."""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _


def _public_id() -> str:
    return secrets.token_urlsafe(12)


def card_photo_path(card: "ServiceCard", filename: str) -> str:
    # A random name: the file name never reveals whose photo it is.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"cards/{secrets.token_hex(12)}.{extension}"


class ServiceCard(models.Model):
    """A worker's 安心码. Its QR carries a token signed over (public_id, version): revoking or
    reissuing bumps `version`, so every token issued before stops verifying at once."""

    worker = models.OneToOneField(
        "marketplace.WorkerProfile", on_delete=models.CASCADE, related_name="service_card"
    )
    public_id = models.CharField(max_length=32, unique=True, default=_public_id, editable=False)
    version = models.PositiveIntegerField(default=1)
    photo = models.FileField(_("证件照"), upload_to=card_photo_path, blank=True)
    issued_at = models.DateTimeField(_("签发时间"), auto_now_add=True)
    reissued_at = models.DateTimeField(_("重新签发时间"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        "marketplace.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoke_reason = models.CharField(_("吊销原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("服务证")
        verbose_name_plural = _("服务证")

    def __str__(self) -> str:
        return f"card of worker #{self.worker_id} v{self.version}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class HouseholdBlock(models.Model):
    """A worker never to be matched with this household again (offers, invitations, dispatch)."""

    worker = models.ForeignKey(
        "marketplace.WorkerProfile", on_delete=models.CASCADE, related_name="household_blocks"
    )
    household = models.ForeignKey(
        "marketplace.User", on_delete=models.CASCADE, related_name="blocked_by_workers"
    )
    # The order she blocked from (orders depends on marketplace, so no foreign key back).
    order_id = models.PositiveIntegerField(null=True, blank=True)
    reason = models.CharField(_("原因"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("屏蔽的雇主")
        verbose_name_plural = _("屏蔽的雇主")
        constraints = [
            models.UniqueConstraint(fields=["worker", "household"], name="one_block_per_pair"),
        ]
        indexes = [models.Index(fields=["household", "worker"])]

    def __str__(self) -> str:
        return f"worker #{self.worker_id} blocks household #{self.household_id}"


class IncidentKind(models.TextChoices):
    NO_SHOW = "no_show", _("爽约")
    LATE_CANCELLATION = "late_cancellation", _("迟取消")


class AppealStatus(models.TextChoices):
    PENDING = "pending", _("待处理")
    UPHELD = "upheld", _("申诉成立")
    REJECTED = "rejected", _("申诉驳回")


class ReliabilityAppeal(models.Model):
    """A worker's appeal against one no-show or late cancellation; her agency (or, without
    one, an operator) decides. An upheld appeal takes the incident out of her counts."""

    worker = models.ForeignKey(
        "marketplace.WorkerProfile", on_delete=models.CASCADE, related_name="appeals"
    )
    agency = models.ForeignKey(
        "marketplace.Agency",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appeals",
    )
    order_id = models.PositiveIntegerField()
    incident = models.CharField(_("记录类型"), max_length=20, choices=IncidentKind.choices)
    reason = models.TextField(_("申诉理由"), max_length=1000)
    status = models.CharField(
        _("状态"), max_length=10, choices=AppealStatus.choices, default=AppealStatus.PENDING
    )
    decision_note = models.TextField(_("处理说明"), max_length=1000, blank=True)
    decided_by = models.ForeignKey(
        "marketplace.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("信用申诉")
        verbose_name_plural = _("信用申诉")
        constraints = [
            models.UniqueConstraint(
                fields=["worker", "order_id", "incident"], name="one_appeal_per_incident"
            ),
        ]
        indexes = [models.Index(fields=["agency", "status", "-created_at"])]

    def __str__(self) -> str:
        return f"appeal #{self.pk} ({self.incident} on order #{self.order_id}, {self.status})"
