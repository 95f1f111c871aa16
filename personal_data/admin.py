"""Deletion requests in the admin: read-only (services open, cancel and carry them out); there
is no action that exports anyone's data."""

from django.contrib import admin

from backend.admin_records import ReadOnlyAdmin
from personal_data.models import DeletionRequest


@admin.register(DeletionRequest)
class DeletionRequestAdmin(ReadOnlyAdmin):
    list_display = ["id", "user", "role", "status", "requested_at", "erase_after", "completed_at"]
    list_filter = ["status", "role"]
    date_hierarchy = "requested_at"
