"""A worker's application for an open request she found herself (抢单大厅)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestApplication(models.Model):
    """She asks for the request; the household accepts it (the order is made through the same
    first-accept-wins path as offers) or lets it lapse when the request closes."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待雇主确认")
        ACCEPTED = "accepted", _("已接受")
        DECLINED = "declined", _("未被选中")

    request = models.ForeignKey(
        "orders.ServiceRequest", on_delete=models.CASCADE, related_name="applications"
    )
    worker = models.ForeignKey(
        "marketplace.WorkerProfile", on_delete=models.CASCADE, related_name="applications"
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    distance_km = models.FloatField(_("距离（公里）"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    responded_at = models.DateTimeField(_("回应时间"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("抢单申请")
        verbose_name_plural = _("抢单申请")
        constraints = [
            models.UniqueConstraint(fields=["request", "worker"], name="one_application_per_worker")
        ]

    def __str__(self) -> str:
        return f"application #{self.pk} {self.worker_id} → {self.request_id} ({self.status})"
