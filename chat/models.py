"""Order chat messages and read markers.

The tables keep the names they had when chat lived in the notifications app.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

MAX_MESSAGE_LENGTH = 2000


class ChatMessage(models.Model):
    """A message in an order's chat. Its id only grows, so clients resync from the last id."""

    order = models.ForeignKey("orders.Order", on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(max_length=MAX_MESSAGE_LENGTH)
    client_id = models.CharField(max_length=64, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "notifications_chatmessage"
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
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_read_id = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "notifications_readmarker"
        constraints = [
            models.UniqueConstraint(fields=["order", "user"], name="one_read_marker"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} read order #{self.order_id} to {self.last_read_id}"
