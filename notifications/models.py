"""Inbox notifications: one row per event per recipient."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One event as stored in a user's inbox; also pushed live over the socket."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
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


class SignedOutSession(models.Model):
    """A sign-in session (the `sid` claim of its tokens) that was signed out: its access tokens
    are refused until they would have expired anyway (`expires_at`), after which the row is
    pruned. The cached user snapshot (notifications.access) carries these ids."""

    sid = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signed_out_sessions"
    )
    signed_out_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("已退出的会话")
        verbose_name_plural = _("已退出的会话")
        indexes = [models.Index(fields=["user", "expires_at"])]

    def __str__(self) -> str:
        return f"{self.sid} ({self.user_id})"
