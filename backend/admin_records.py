"""Admin for records that only services may write (ledger entries, events, signatures, rollups):
the operator can find and read every row, and change, add or delete none of them, so the admin
cannot break an invariant the services keep (balances, history, hashes, counts)."""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Every field read-only; no add, change or delete (viewing needs the view permission)."""

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
