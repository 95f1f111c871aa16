"""Inbox notifications, order chat messages and read markers."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

MAX_MESSAGE_LENGTH = 2000


class Notification(models.Model):
    """One event as stored in a user's inbox; also pushed live over the socket."""

    user = models.ForeignKey(
        "marketplace.User", on_delete=models.CASCADE, related_name="notifications"
    )
    type = models.CharField(max_length=50)
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        indexes = [
            models.Index(fields=["user", "-id"]),
            models.Index(fields=["user"], condition=Q(read_at__isnull=True), name="unread_by_user"),
        ]

    def __str__(self) -> str:
        return f"{self.type} → {self.user_id}"


class ChatMessage(models.Model):
    """A message in an order's chat. Its id only grows, so clients resync from the last id."""

    order = models.ForeignKey("orders.Order", on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey("marketplace.User", on_delete=models.PROTECT, related_name="+")
    body = models.TextField(max_length=MAX_MESSAGE_LENGTH)
    client_id = models.CharField(max_length=64, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("聊天消息")
        verbose_name_plural = _("聊天消息")
        constraints = [
            models.UniqueConstraint(
                fields=["order", "sender", "client_id"],
                condition=Q(client_id__isnull=False),
                name="chat_client_id_once",
            ),
        ]
        indexes = [models.Index(fields=["order", "id"])]

    def __str__(self) -> str:
        return f"message #{self.pk} in order #{self.order_id}"


class ReadMarker(models.Model):
    """How far a user has read an order's chat."""

    order = models.ForeignKey("orders.Order", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey("marketplace.User", on_delete=models.CASCADE, related_name="+")
    last_read_id = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["order", "user"], name="one_read_marker"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} read order #{self.order_id} to {self.last_read_id}"
