"""Operator admin for the orders app's records: payments and their ledger, webhooks, start
codes, safety alerts, signatures and request events (imported by orders.admin)."""

from django.contrib import admin

from backend.admin_records import ReadOnlyAdmin
from orders.models import (
    ContractSignature,
    CountersignAuthorisation,
    LedgerEntry,
    Payment,
    PaymentOperation,
    PayoutAccount,
    RequestEvent,
    SafetyAlert,
    StartCode,
    WebhookEvent,
)


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    """Money moves only through orders.payments (its state machine and the ledger)."""

    list_display = ["id", "order", "provider", "status", "mode", "amount_captured"]
    list_filter = ["provider", "status", "mode"]
    search_fields = ["order__id"]


@admin.register(PaymentOperation)
class PaymentOperationAdmin(ReadOnlyAdmin):
    list_display = ["id", "payment", "kind", "status", "amount"]
    list_filter = ["kind", "status"]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    """Double-entry rows: an edit would unbalance a movement."""

    list_display = ["id", "order", "movement", "account", "kind", "amount", "created_at"]
    list_filter = ["account", "kind"]
    search_fields = ["order__id", "movement"]


@admin.register(WebhookEvent)
class WebhookEventAdmin(ReadOnlyAdmin):
    """De-duplicated on the provider's event id; a changed row would replay or hide one."""

    list_display = ["event_id", "provider", "event_type", "received_at", "processed_at"]
    search_fields = ["event_id", "object_id"]


@admin.register(PayoutAccount)
class PayoutAccountAdmin(admin.ModelAdmin):
    list_display = ["id", "agency", "worker", "stripe_account_id", "created_at"]
    raw_id_fields = ["agency", "worker"]


@admin.register(StartCode)
class StartCodeAdmin(ReadOnlyAdmin):
    """Used and locked only by check-in's conditional UPDATEs."""

    list_display = ["id", "order", "occurrence", "failed_attempts", "locked_until", "used_at"]


@admin.register(SafetyAlert)
class SafetyAlertAdmin(ReadOnlyAdmin):
    """An emergency record (who, when, where): kept as raised."""

    list_display = ["id", "order", "worker", "kind", "created_at"]
    list_filter = ["kind"]


@admin.register(ContractSignature)
class ContractSignatureAdmin(ReadOnlyAdmin):
    """Evidence of who signed which text (its SHA-256)."""

    list_display = ["id", "contract", "party", "signer", "signed_at", "authorisation"]
    list_filter = ["party"]


@admin.register(CountersignAuthorisation)
class CountersignAuthorisationAdmin(ReadOnlyAdmin):
    """Given and revoked by the agency's owner (orders.services.countersign_authorisations)."""

    list_display = ["id", "agency", "authorised_by", "authorised_at", "revoked_by", "revoked_at"]


@admin.register(RequestEvent)
class RequestEventAdmin(ReadOnlyAdmin):
    list_display = ["id", "request", "offer", "kind", "from_status", "to_status", "created_at"]
    list_filter = ["kind"]
