"""Operator admin for the inbox (support reads what a user was told), its deliveries (what went
where, why not) and push subscriptions."""

from django.contrib import admin

from backend.admin_records import ReadOnlyAdmin
from notifications.models import (
    Delivery,
    Notification,
    PushSubscription,
    QuietHours,
    ReachPreference,
    SignedOutSession,
    SocketPresence,
)


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """Written by notifications.events with the push; read_at by the user's own tap."""

    list_display = ["id", "user", "type", "created_at", "read_at"]
    list_filter = ["type"]
    search_fields = ["user__username"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["notification", "channel", "status", "attempts", "next_attempt_at", "error"]
    list_filter = ["channel", "status"]
    search_fields = ["phone", "provider_id"]
    raw_id_fields = ["notification"]
    readonly_fields = [f.name for f in Delivery._meta.fields]


@admin.register(PushSubscription)
class PushSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["user", "user_agent", "created_at", "expires_at", "last_success_at"]
    raw_id_fields = ["user"]
    exclude = ["p256dh", "auth"]


@admin.register(ReachPreference)
class ReachPreferenceAdmin(ReadOnlyAdmin):
    """Each user's own choice of channels per kind (set from her settings page)."""

    list_display = ["user", "kind", "push_enabled", "sms_enabled"]
    search_fields = ["user__username"]


@admin.register(QuietHours)
class QuietHoursAdmin(ReadOnlyAdmin):
    """Each user's own night without SMS (set from her settings page)."""

    list_display = ["user", "is_enabled", "starts", "ends"]
    search_fields = ["user__username"]


@admin.register(SocketPresence)
class SocketPresenceAdmin(ReadOnlyAdmin):
    """Open sockets, refreshed by the consumers; support reads who is connected."""

    list_display = ["user", "channel_name", "seen_at"]
    search_fields = ["user__username"]


@admin.register(SignedOutSession)
class SignedOutSessionAdmin(ReadOnlyAdmin):
    """Signed-out sign-in sessions whose access tokens are refused until they expire."""

    list_display = ["user", "signed_out_at", "expires_at"]
    search_fields = ["user__username"]
