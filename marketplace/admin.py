"""Django admin for operators: every marketplace model, searchable and filterable.

The ID-card ciphertext is never shown; operators see the masked number and may set a new one.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from backend.admin_records import ReadOnlyAdmin
from marketplace import idcard
from marketplace.geo import cell_for
from marketplace.models import (
    Agency,
    AgencyStaff,
    Category,
    Certificate,
    Consent,
    Division,
    FederationOfficerProfile,
    HealthCheck,
    HouseholdBlock,
    HouseholdProfile,
    IdentityChange,
    PhoneCode,
    ReliabilityAppeal,
    ResetLink,
    ReviewTag,
    RosterEntry,
    ServiceCard,
    TimeOff,
    TrainingRecord,
    User,
    VillageOfficerProfile,
    WorkerProfile,
)
from marketplace.services.identity import identity_snapshot, worker_identity_changed


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "display_name", "role", "phone", "is_active", "date_joined"]
    list_filter = ["role", "is_active", "is_staff", "is_superuser"]
    search_fields = ["username", "display_name", "phone", "email"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("美家"), {"fields": ("role", "display_name", "phone")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("美家"), {"fields": ("role", "display_name", "phone")}),
    )


@admin.register(Division)
class DivisionAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en", "kind", "latitude", "longitude"]
    list_filter = ["kind"]
    search_fields = ["code", "name_zh", "name_en"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en", "requires_certificate", "pricing_unit"]
    list_filter = ["requires_certificate", "pricing_unit"]
    search_fields = ["code", "name_zh", "name_en"]
    ordering = ["sort_order"]


@admin.register(ReviewTag)
class ReviewTagAdmin(admin.ModelAdmin):
    """Each trade's review tags (loaded from marketplace.reference_data.REVIEW_TAGS)."""

    list_display = ["category", "code", "name_zh", "name_en", "sort_order", "is_active"]
    list_filter = ["category", "is_active"]
    search_fields = ["code", "name_zh", "name_en"]


@admin.register(HouseholdProfile)
class HouseholdAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "phone", "division", "created_at"]
    list_filter = ["division"]
    search_fields = ["name", "phone", "user__username", "address"]
    list_select_related = ["user", "division"]
    autocomplete_fields = ["user"]


class CredentialInline(admin.TabularInline):
    extra = 0
    readonly_fields = ["verified_by", "verified_at"]


class CertificateInline(CredentialInline):
    model = Certificate
    fields = [
        "category",
        "number",
        "level",
        "issuer",
        "issued_on",
        "expires_on",
        "is_revoked",
        "verified_by",
        "verified_at",
    ]


class TrainingRecordInline(CredentialInline):
    model = TrainingRecord
    fields = [
        "course",
        "kind",
        "category",
        "provider",
        "completed_on",
        "verified_by",
        "verified_at",
    ]


class HealthCheckInline(CredentialInline):
    model = HealthCheck
    fields = ["done_on", "valid_until", "institution", "verified_by", "verified_at"]


class WorkerRosterInline(admin.TabularInline):
    model = RosterEntry
    fk_name = "worker"
    extra = 0
    fields = ["agency", "status", "started_on", "ended_on", "end_reason"]
    autocomplete_fields = ["agency"]


class WorkerProfileForm(forms.ModelForm):
    """Adds a write-only ID number: the stored ciphertext never reaches the page."""

    new_id_card_number = forms.CharField(
        label=_("新身份证号"),
        max_length=18,
        required=False,
        help_text=_("留空则不修改。"),
    )

    class Meta:
        model = WorkerProfile
        fields = [
            "user",
            "real_name",
            "phone",
            "division",
            "base_latitude",
            "base_longitude",
            "service_radius_km",
            "categories",
            "hourly_rate",
            "availability",
            "is_accepting_offers",
            "is_verified",
            "verified_by",
            "verified_at",
            "bio",
        ]

    def clean_new_id_card_number(self) -> str:
        number = idcard.normalize(self.cleaned_data.get("new_id_card_number", ""))
        if not number:
            return ""
        if not idcard.is_valid(number):
            raise forms.ValidationError(_("身份证号码无效。"))
        taken = WorkerProfile.objects.filter(id_card_digest=idcard.digest(number))
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("该身份证号已注册。"))
        return number

    def save(self, commit: bool = True):
        number = self.cleaned_data.get("new_id_card_number")
        if number:
            self.instance.set_id_card_number(number)
        self.instance.geo_cell = cell_for(self.instance.base_latitude, self.instance.base_longitude)
        return super().save(commit=commit)


@admin.register(WorkerProfile)
class WorkerProfileAdmin(admin.ModelAdmin):
    form = WorkerProfileForm
    list_display = [
        "real_name",
        "user",
        "phone",
        "division",
        "masked_id_card",
        "is_verified",
        "is_accepting_offers",
        "service_radius_km",
        "hourly_rate",
        "completed_jobs",
    ]
    list_filter = ["is_verified", "is_accepting_offers", "division", "categories"]
    search_fields = ["real_name", "phone", "user__username", "id_card_last4"]
    list_select_related = ["user", "division"]
    autocomplete_fields = ["user", "verified_by"]
    filter_horizontal = ["categories"]
    readonly_fields = [
        "masked_id_card",
        "rating_sum",
        "rating_count",
        "completed_jobs",
        "no_shows",
        "late_cancellations",
        "created_at",
    ]
    inlines = [CertificateInline, TrainingRecordInline, HealthCheckInline, WorkerRosterInline]

    @admin.display(description=_("身份证号"))
    def masked_id_card(self, worker: WorkerProfile) -> str:
        return worker.id_card_masked

    def save_model(self, request, obj, form, change):
        """The admin is bound by the identity rule too: a new name or ID number clears the
        verification (even one ticked in the same save) and is recorded."""
        stored = WorkerProfile.objects.filter(pk=obj.pk).first() if change else None
        super().save_model(request, obj, form, change)
        if stored is not None:
            worker_identity_changed(
                worker=obj, before=identity_snapshot(stored), actor_id=request.user.pk
            )


class AgencyStaffInline(admin.TabularInline):
    model = AgencyStaff
    extra = 0
    autocomplete_fields = ["user"]


class AgencyRosterInline(admin.TabularInline):
    model = RosterEntry
    fk_name = "agency"
    extra = 0
    fields = ["worker", "status", "started_on", "ended_on", "end_reason"]
    autocomplete_fields = ["worker"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "licence_number", "division", "phone", "is_active", "created_at"]
    list_filter = ["is_active", "division"]
    search_fields = ["name", "licence_number", "phone"]
    list_select_related = ["division"]
    inlines = [AgencyStaffInline, AgencyRosterInline]


@admin.register(AgencyStaff)
class AgencyStaffAdmin(admin.ModelAdmin):
    list_display = ["user", "agency", "staff_role", "created_at"]
    list_filter = ["staff_role", "agency"]
    search_fields = ["user__username", "user__display_name", "agency__name"]
    list_select_related = ["user", "agency"]
    autocomplete_fields = ["user", "agency"]


@admin.register(RosterEntry)
class RosterEntryAdmin(admin.ModelAdmin):
    list_display = ["worker", "agency", "status", "started_on", "ended_on"]
    list_filter = ["status", "agency"]
    search_fields = ["worker__real_name", "worker__user__username", "agency__name"]
    list_select_related = ["worker", "agency"]
    autocomplete_fields = ["worker", "agency", "created_by"]
    date_hierarchy = "started_on"


class VerifiableAdmin(admin.ModelAdmin):
    """Credentials: filter by verification state and search by the worker."""

    list_select_related = ["worker", "verified_by"]
    autocomplete_fields = ["worker", "verified_by"]

    @admin.display(boolean=True, description=_("已核验"))
    def verified(self, obj) -> bool:
        return obj.is_verified


class VerifiedListFilter(admin.SimpleListFilter):
    title = _("核验状态")
    parameter_name = "verified"

    def lookups(self, request, model_admin):
        return [("yes", _("已核验")), ("no", _("未核验"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(verified_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(verified_at__isnull=True)
        return queryset


@admin.register(Certificate)
class CertificateAdmin(VerifiableAdmin):
    list_display = [
        "number",
        "worker",
        "category",
        "level",
        "issuer",
        "issued_on",
        "expires_on",
        "is_revoked",
        "verified",
    ]
    list_filter = [VerifiedListFilter, "category", "is_revoked", "level"]
    search_fields = ["number", "worker__real_name", "worker__user__username", "issuer"]
    date_hierarchy = "expires_on"


@admin.register(TrainingRecord)
class TrainingRecordAdmin(VerifiableAdmin):
    list_display = ["course", "worker", "kind", "category", "provider", "completed_on", "verified"]
    list_filter = [VerifiedListFilter, "kind", "category"]
    search_fields = ["course", "provider", "worker__real_name", "worker__user__username"]
    date_hierarchy = "completed_on"


@admin.register(HealthCheck)
class HealthCheckAdmin(VerifiableAdmin):
    list_display = ["worker", "done_on", "valid_until", "institution", "verified"]
    list_filter = [VerifiedListFilter, "institution"]
    search_fields = ["worker__real_name", "worker__user__username", "institution"]
    date_hierarchy = "valid_until"


@admin.register(FederationOfficerProfile)
class FederationOfficerAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "title", "division"]
    list_filter = ["division"]
    search_fields = ["name", "user__username"]
    list_select_related = ["user", "division"]
    autocomplete_fields = ["user"]


@admin.register(VillageOfficerProfile)
class VillageOfficerAdmin(admin.ModelAdmin):
    """Which divisions a village officer (网格员) collects women in."""

    list_display = ["name", "user"]
    search_fields = ["name", "user__username"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]
    filter_horizontal = ["divisions"]


# ---- service cards, household blocks, reliability appeals ------------------------------------


@admin.register(ServiceCard)
class ServiceCardAdmin(admin.ModelAdmin):
    """Revoke and reissue through the agency pages or the API (they bump the version)."""

    list_display = ["worker", "version", "issued_at", "revoked_at"]
    search_fields = ["worker__real_name", "worker__user__username"]
    list_select_related = ["worker"]
    readonly_fields = ["worker", "public_id", "version", "issued_at", "reissued_at", "revoked_at"]
    raw_id_fields = ["revoked_by"]


@admin.register(HouseholdBlock)
class HouseholdBlockAdmin(admin.ModelAdmin):
    list_display = ["worker", "household", "order_id", "created_at"]
    search_fields = ["worker__real_name", "household__username", "household__display_name"]
    list_select_related = ["worker", "household"]
    raw_id_fields = ["worker", "household"]


@admin.register(ReliabilityAppeal)
class ReliabilityAppealAdmin(admin.ModelAdmin):
    list_display = ["worker", "incident", "order_id", "agency", "status", "created_at"]
    list_filter = ["status", "incident"]
    search_fields = ["worker__real_name", "reason", "decision_note"]
    list_select_related = ["worker", "agency"]
    raw_id_fields = ["worker", "agency", "decided_by"]


@admin.register(IdentityChange)
class IdentityChangeAdmin(admin.ModelAdmin):
    """Read-only: the record of identity changes is written by the identity rule alone."""

    list_display = [
        "worker",
        "field",
        "old_value_masked",
        "changed_by",
        "changed_at",
        "was_verified",
    ]
    list_filter = ["field", "was_verified"]
    search_fields = ["worker__real_name", "worker__user__username"]
    list_select_related = ["worker", "changed_by"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PhoneCode)
class PhoneCodeAdmin(ReadOnlyAdmin):
    """Issued and checked by the phone-code service; the code itself is stored hashed."""

    list_display = ["phone", "purpose", "created_at", "expires_at", "tries"]
    search_fields = ["phone"]


@admin.register(ResetLink)
class ResetLinkAdmin(ReadOnlyAdmin):
    """Handed-over reset links: who made one for whom and when, never the token."""

    list_display = ["user", "created_by", "created_at", "expires_at", "used_at"]
    search_fields = ["user__username"]


@admin.register(TimeOff)
class TimeOffAdmin(ReadOnlyAdmin):
    """A worker's own 请假: set and withdrawn by her, so booked visits get flagged."""

    list_display = ["worker", "starts_on", "ends_on", "created_at"]
    search_fields = ["worker__real_name"]


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdmin):
    """Consents are given and withdrawn by her (marketplace.services.consents), never here."""

    list_display = ["user", "kind", "version", "given_at", "withdrawn_at"]
    list_filter = ["kind", "version"]
    search_fields = ["user__username"]
