"""Operator admin for the inbox (support reads what a user was told)."""

from django.contrib import admin

from backend.admin_records import ReadOnlyAdmin
from notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """Written by notifications.events with the push; read_at by the user's own tap."""

    list_display = ["id", "user", "type", "created_at", "read_at"]
    list_filter = ["type"]
    search_fields = ["user__username"]
