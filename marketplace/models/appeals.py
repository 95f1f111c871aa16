"""A worker's appeals against the reliability incidents on her record (no-shows, late
cancellations)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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
