"""Operator admin for requests, offers, orders and their records (PRODUCT.md §2 operator)."""

from django.contrib import admin

# Payments, ledger, webhooks, start codes, alerts, signatures, request events.
from backend.admin_records import ReadOnlyAdmin
from orders import admin_records  # noqa: F401
from orders.models import (
    AskedAgain,
    Contract,
    ContractSignature,
    Dispute,
    FavouriteWorker,
    InvoiceRequest,
    Occurrence,
    Offer,
    Order,
    OrderEvent,
    RequestApplication,
    RequestEvent,
    Review,
    ReviewReport,
    ServiceRequest,
)


class OccurrenceInline(admin.TabularInline):
    model = Occurrence
    extra = 0
    fields = ["starts_at", "ends_at", "original_starts_at", "status", "worker", "order"]
    raw_id_fields = ["worker", "order"]
    show_change_link = True


class OfferInline(admin.TabularInline):
    model = Offer
    extra = 0
    fields = ["worker", "status", "source", "wave", "rank", "distance_km", "expires_at", "seen_at"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True


class RequestEventInline(admin.TabularInline):
    """The request's history and its offers' (read-only: events are only ever written by the
    transition services)."""

    model = RequestEvent
    extra = 0
    fields = ["created_at", "offer", "kind", "from_status", "to_status", "actor", "reason"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ServiceRequest)
class ServiceRequestAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "household",
        "category",
        "division",
        "kind",
        "status",
        "starts_at",
        "budget",
        "offer_wave",
        "created_at",
    ]
    list_filter = ["status", "kind", "category", "division", "is_geocoded"]
    search_fields = ["=id", "address", "household__username", "household__display_name"]
    date_hierarchy = "starts_at"
    list_select_related = ["household", "category", "division"]
    raw_id_fields = ["household"]
    readonly_fields = ["idempotency_key", "created_at", "matched_at", "closed_at"]
    inlines = [OccurrenceInline, OfferInline, RequestEventInline]


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = ["id", "request", "worker", "status", "source", "wave", "rank", "expires_at"]
    list_filter = ["status", "source"]
    search_fields = ["=id", "=request__id", "worker__real_name", "worker__user__username"]
    list_select_related = ["request__category", "worker"]
    raw_id_fields = ["request", "worker", "created_by"]


class OrderEventInline(admin.TabularInline):
    model = OrderEvent
    extra = 0
    fields = ["created_at", "actor", "from_status", "to_status", "reason", "data"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # history is written by the services only


class DisputeInline(admin.TabularInline):
    model = Dispute
    extra = 0
    fields = ["status", "previous_status", "reason", "outcome", "refund_amount", "resolved_at"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class ContractInline(admin.TabularInline):
    model = Contract
    extra = 0
    fields = ["version", "status", "text_sha256", "signed_at"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    """Status changes go through the services (events, notifications): read-only here."""

    list_display = [
        "id",
        "status",
        "household",
        "worker",
        "agency",
        "price",
        "starts_at",
        "cancellation_fee",
        "created_at",
    ]
    list_filter = ["status", "agency", "cancelled_by_party", "no_show_party", "request__kind"]
    search_fields = [
        "=id",
        "=request__id",
        "household__username",
        "household__display_name",
        "worker__real_name",
        "agency__name",
    ]
    date_hierarchy = "starts_at"
    list_select_related = ["household", "worker", "agency"]
    raw_id_fields = ["request", "offer", "household", "worker", "agency"]
    readonly_fields = [
        "status",
        "checked_in_at",
        "worker_finished_at",
        "completed_at",
        "cancelled_at",
        "cancelled_by_party",
        "cancellation_fee",
        "no_show_party",
        "created_at",
        "updated_at",
    ]
    inlines = [OrderEventInline, DisputeInline, ContractInline]


@admin.register(OrderEvent)
class OrderEventAdmin(admin.ModelAdmin):
    list_display = ["id", "order", "from_status", "to_status", "actor", "reason", "created_at"]
    list_filter = ["to_status", "from_status"]
    search_fields = ["=order__id", "reason"]
    list_select_related = ["order", "actor"]
    raw_id_fields = ["order", "actor"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Dispute)
class DisputeAdmin(admin.ModelAdmin):
    list_display = ["id", "order", "status", "outcome", "refund_amount", "opened_at", "resolved_at"]
    list_filter = ["status", "outcome"]
    search_fields = ["=order__id", "reason", "resolution_note"]
    raw_id_fields = ["order", "opened_by", "resolved_by"]


class ContractSignatureInline(admin.TabularInline):
    model = ContractSignature
    extra = 0
    fields = ["party", "signer", "text_sha256", "ip_address", "user_agent", "signed_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Contract)
class ContractAdmin(admin.ModelAdmin):
    list_display = ["id", "order", "version", "status", "signed_at", "created_at"]
    list_filter = ["status"]
    search_fields = ["=order__id", "text_sha256"]
    raw_id_fields = ["order"]
    readonly_fields = ["text", "text_sha256", "terms", "required_parties", "signed_at"]
    inlines = [ContractSignatureInline]


@admin.register(Occurrence)
class OccurrenceAdmin(admin.ModelAdmin):
    list_display = ["id", "request", "starts_at", "ends_at", "status", "worker", "order"]
    list_filter = ["status"]
    search_fields = ["=request__id", "=order__id"]
    raw_id_fields = ["request", "order", "worker"]


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    """Publishing, replying and hiding move the worker's rating counters and the metrics, so
    only their services write those fields (hide through the review reports page)."""

    list_display = [
        "id",
        "order",
        "author_party",
        "rating",
        "created_at",
        "published_at",
        "replied_at",
        "hidden_at",
    ]
    list_filter = ["author_party", "rating"]
    search_fields = ["=order__id", "comment"]
    raw_id_fields = ["order", "author", "hidden_by"]
    readonly_fields = [
        "rating",
        "published_at",
        "tags",
        "reply",
        "replied_at",
        "hidden_at",
        "hidden_reason",
        "hidden_by",
    ]


@admin.register(ReviewReport)
class ReviewReportAdmin(ReadOnlyAdmin):
    """A party's report of a review; the operator decides it on the review reports page."""

    list_display = ["id", "review", "reporter_party", "reason", "status", "created_at"]
    list_filter = ["status", "reason"]
    search_fields = ["=review__id", "=review__order__id"]


@admin.register(FavouriteWorker)
class FavouriteWorkerAdmin(admin.ModelAdmin):
    list_display = ("household", "worker", "created_at")
    raw_id_fields = ("household", "worker")


@admin.register(AskedAgain)
class AskedAgainAdmin(admin.ModelAdmin):
    list_display = ("worker", "household", "times", "last_asked_at")
    raw_id_fields = ("worker", "household", "last_request")


@admin.register(RequestApplication)
class RequestApplicationAdmin(ReadOnlyAdmin):
    """A worker's ask for an open request; the household accepts it through the offer path."""

    list_display = ["request", "worker", "status", "created_at", "responded_at"]
    list_filter = ["status"]


@admin.register(InvoiceRequest)
class InvoiceRequestAdmin(ReadOnlyAdmin):
    """A household's invoice request; only the agency's answer (services) changes it."""

    list_display = ["order", "agency", "kind", "title", "status", "invoice_number", "created_at"]
    list_filter = ["status", "kind"]
    search_fields = ["title", "tax_number", "invoice_number"]
