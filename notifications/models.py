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


class Channel(models.TextChoices):
    SOCKET = "socket", _("在线推送")
    PUSH = "push", _("浏览器通知")
    SMS = "sms", _("短信")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENT = "sent", _("已发送")
    SKIPPED = "skipped", _("未发送")
    FAILED = "failed", _("发送失败")


class Delivery(models.Model):
    """One channel's delivery of one inbox row: its attempts, outcome and provider's id.

    The unique (notification, channel) pair is what keeps a retry, a restart or a second
    worker from delivering the same notification twice over one channel.
    """

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    provider_id = models.CharField(max_length=100, blank=True)
    error = models.CharField(max_length=300, blank=True)
    phone = models.CharField(max_length=16, blank=True)
    cost_fen = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    settled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("通知投递")
        verbose_name_plural = _("通知投递")
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel"], name="one_delivery_per_channel"
            )
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="delivery_due",
            ),
            models.Index(fields=["phone", "settled_at"], name="delivery_sms_by_phone"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.status} → notification {self.notification_id}"


class PushSubscription(models.Model):
    """One browser's Web Push subscription (endpoint and keys), removed when the push
    service answers 404/410 or when it expires."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    user_agent = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_success_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("浏览器通知订阅")
        verbose_name_plural = _("浏览器通知订阅")
        indexes = [models.Index(fields=["user", "expires_at"])]

    def __str__(self) -> str:
        return f"push → {self.user_id}"


class ReachPreference(models.Model):
    """A user's choice of channels for one kind of notification (no row: the kind's default)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reach_preferences"
    )
    kind = models.CharField(max_length=30)
    push_enabled = models.BooleanField(default=True)
    sms_enabled = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.user_id}"


class QuietHours(models.Model):
    """A user's night: no SMS from `starts` to `ends` (wall clock), except SOS."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiet_hours"
    )
    is_enabled = models.BooleanField(default=True)
    starts = models.TimeField()
    ends = models.TimeField()

    def __str__(self) -> str:
        return f"{self.starts}-{self.ends} → {self.user_id}"


class SocketPresence(models.Model):
    """One open socket of a user, refreshed while it lives: the shared answer (across daphne
    processes) to "is she connected right now?". A row whose `seen_at` is older than the
    refresh interval's allowance belongs to a process that died and counts as gone."""

    channel_name = models.CharField(max_length=200, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="socket_presences"
    )
    seen_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["user", "seen_at"])]

    def __str__(self) -> str:
        return f"{self.channel_name} → {self.user_id}"


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
