"""Safety alerts: a worker's SOS, a visit not checked out in time."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SafetyAlertKind(models.TextChoices):
    SOS = "sos", _("紧急求助")
    OVERDUE = "overdue", _("超时未签退")


class SafetyAlert(models.Model):
    order = models.ForeignKey(
        "orders.Order", on_delete=models.CASCADE, related_name="safety_alerts"
    )
    occurrence = models.ForeignKey(
        "orders.Occurrence",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="safety_alerts",
    )
    worker = models.ForeignKey(
        "marketplace.WorkerProfile", on_delete=models.CASCADE, related_name="safety_alerts"
    )
    kind = models.CharField(max_length=10, choices=SafetyAlertKind.choices)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    accuracy_m = models.FloatField(null=True, blank=True)
    recipients = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("安全警报")
        verbose_name_plural = _("安全警报")
        constraints = [
            # The safety timer alerts once per visit, however many runs overlap.
            models.UniqueConstraint(
                fields=["occurrence"],
                condition=Q(kind="overdue", occurrence__isnull=False),
                name="one_overdue_alert_per_visit",
            ),
            models.UniqueConstraint(
                fields=["order"],
                condition=Q(kind="overdue", occurrence__isnull=True),
                name="one_overdue_alert_per_visitless_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} on order #{self.order_id}"
