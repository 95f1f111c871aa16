"""Operators read deliveries (what went where, why not) and push subscriptions."""

from django.contrib import admin

from notifications.models import Delivery, PushSubscription


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
