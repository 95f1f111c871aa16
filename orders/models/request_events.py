"""The history of a request and its offers: one row per status change of either."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestEventKind(models.TextChoices):
    STATUS = "status", _("状态变化")
    SEEN = "seen", _("已查看")


class RequestEvent(models.Model):
    """One transition of a request (`offer` empty), or of one of its offers: who, when, from,
    to, why. An offer's creation is recorded as "" → pending (sent); the first time its worker
    is shown it, as a `seen` event (pending → pending)."""

    request = models.ForeignKey(
        "orders.ServiceRequest", on_delete=models.CASCADE, related_name="events"
    )
    offer = models.ForeignKey(
        "orders.Offer", on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    actor = models.ForeignKey(
        "marketplace.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(
        max_length=10, choices=RequestEventKind.choices, default=RequestEventKind.STATUS
    )
    from_status = models.CharField(max_length=30, blank=True)
    to_status = models.CharField(max_length=30)
    reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("需求与邀约记录")
        verbose_name_plural = _("需求与邀约记录")
        indexes = [models.Index(fields=["request", "created_at"])]

    def __str__(self) -> str:
        subject = f"offer #{self.offer_id}" if self.offer_id else f"request #{self.request_id}"
        if self.kind == RequestEventKind.SEEN:
            return f"{subject}: seen"
        return f"{subject}: {self.from_status or '∅'} → {self.to_status}"
