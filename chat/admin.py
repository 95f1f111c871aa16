"""Operator admin for chat messages and read markers (support, disputes)."""

from django.contrib import admin

from backend.admin_records import ReadOnlyAdmin
from chat.models import ChatMessage, ReadMarker


@admin.register(ChatMessage)
class ChatMessageAdmin(ReadOnlyAdmin):
    """Stored before delivery with ids that only grow: clients resync from them."""

    list_display = ["id", "order", "sender", "created_at"]
    search_fields = ["order__id"]


@admin.register(ReadMarker)
class ReadMarkerAdmin(ReadOnlyAdmin):
    list_display = ["id", "order", "user", "last_read_id", "updated_at"]
