from django.db import models
from django.utils.translation import gettext_lazy as _

from orders.statuses import OfferSource, OfferStatus


class Offer(models.Model):
    """An invitation to one worker to take one request; the first valid accept wins."""

    request = models.ForeignKey(
        "orders.ServiceRequest", on_delete=models.CASCADE, related_name="offers"
    )
    worker = models.ForeignKey(
        "marketplace.WorkerProfile", on_delete=models.CASCADE, related_name="offers"
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=OfferStatus.choices, default=OfferStatus.PENDING
    )
    source = models.CharField(
        _("来源"), max_length=20, choices=OfferSource.choices, default=OfferSource.MATCHING
    )
    wave = models.PositiveSmallIntegerField(_("轮次"), default=1)
    rank = models.PositiveIntegerField(_("排名"), default=0)
    score = models.FloatField(_("匹配分"), default=0)
    distance_km = models.FloatField(_("距离（公里）"), default=0)
    created_by = models.ForeignKey(
        "marketplace.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    expires_at = models.DateTimeField(_("过期时间"))
    created_at = models.DateTimeField(auto_now_add=True)
    responded_at = models.DateTimeField(_("回应时间"), null=True, blank=True)
    seen_at = models.DateTimeField(_("查看时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("派单邀约")
        verbose_name_plural = _("派单邀约")
        constraints = [
            models.UniqueConstraint(fields=["request", "worker"], name="one_offer_per_worker"),
        ]
        indexes = [
            models.Index(fields=["worker", "status", "-created_at"]),
            models.Index(fields=["status", "expires_at"]),
        ]

    def __str__(self) -> str:
        return f"offer #{self.pk} → {self.worker} ({self.status})"
