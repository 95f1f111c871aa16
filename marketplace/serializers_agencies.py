"""API shapes of the agency console: the agency, staff, roster and credentials (input checks and
output); the order lists' shapes live in orders.apis.serializers.agency_orders."""

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from marketplace.models import (
    Agency,
    AgencyStaff,
    Certificate,
    HealthCheck,
    RosterEntry,
    TrainingKind,
    TrainingRecord,
    User,
    WorkerProfile,
)
from marketplace.phones import PhoneInput
from marketplace.selectors.agencies import credential_status, roster_shows_contact


def person_brief(user: User | None) -> dict | None:
    if user is None:
        return None
    return {"id": user.pk, "name": str(user)}


# ---- the agency and its staff --------------------------------------------------------------------


class AgencySerializer(serializers.ModelSerializer):
    division = serializers.CharField(source="division.code", read_only=True)
    division_name = serializers.CharField(source="division.name", read_only=True)
    counts = serializers.SerializerMethodField()
    my_staff_role = serializers.SerializerMethodField()

    class Meta:
        model = Agency
        fields = [
            "id",
            "name",
            "licence_number",
            "division",
            "division_name",
            "address",
            "phone",
            "is_active",
            "created_at",
            "my_staff_role",
            "counts",
        ]
        read_only_fields = fields

    def get_counts(self, agency) -> dict:
        return self.context.get("counts", {})

    def get_my_staff_role(self, agency) -> str | None:
        return self.context.get("my_staff_role")


class AgencyUpdateSerializer(serializers.Serializer):
    phone = serializers.CharField(max_length=20, allow_blank=True, required=False)
    address = serializers.CharField(max_length=200, allow_blank=True, required=False)


class StaffSerializer(serializers.ModelSerializer):
    user = serializers.IntegerField(source="user_id", read_only=True)
    username = serializers.CharField(source="user.username", read_only=True)
    display_name = serializers.CharField(source="user.display_name", read_only=True)
    phone = serializers.CharField(source="user.phone", read_only=True)

    class Meta:
        model = AgencyStaff
        fields = ["id", "user", "username", "display_name", "phone", "staff_role", "created_at"]
        read_only_fields = fields


class StaffCreateSerializer(serializers.Serializer):
    username = serializers.RegexField(
        r"^[\w.@+-]+\Z",
        max_length=150,
        error_messages={"invalid": _("用户名只能包含字母、数字和 @/./+/-/_ 字符。")},
    )
    password = serializers.CharField(write_only=True, trim_whitespace=False, max_length=128)
    display_name = serializers.CharField(max_length=50)
    phone = PhoneInput(required=False, default="")
    staff_role = serializers.ChoiceField(
        choices=AgencyStaff.StaffRole.choices, default=AgencyStaff.StaffRole.STAFF
    )

    def validate(self, attrs: dict) -> dict:
        candidate = User(
            username=attrs["username"], display_name=attrs["display_name"], phone=attrs["phone"]
        )
        try:
            password_validation.validate_password(attrs["password"], user=candidate)
        except DjangoValidationError as error:
            raise serializers.ValidationError({"password": list(error.messages)}) from error
        return attrs


class StaffUpdateSerializer(serializers.Serializer):
    staff_role = serializers.ChoiceField(choices=AgencyStaff.StaffRole.choices, required=False)
    display_name = serializers.CharField(max_length=50, required=False)
    phone = PhoneInput(required=False, allow_blank=True)


# ---- roster --------------------------------------------------------------------------------------


class RosterWorkerSerializer(serializers.ModelSerializer):
    """A roster worker. The contact fields are null unless she is on the agency's active
    roster (marketplace.selectors.agencies.roster_shows_contact)."""

    phone = serializers.CharField(allow_null=True)
    division = serializers.SlugRelatedField(slug_field="code", read_only=True)
    categories = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    verified_at = serializers.DateTimeField(allow_null=True)
    id_card_masked = serializers.CharField(read_only=True, allow_null=True)

    # Not on her public card (marketplace.serializers.WorkerCardSerializer has the rest).
    CONTACT_FIELDS = ("phone", "verified_at", "id_card_masked")

    class Meta:
        model = WorkerProfile
        fields = [
            "id",
            "real_name",
            "phone",
            "division",
            "categories",
            "is_verified",
            "verified_at",
            "id_card_masked",
            "completed_jobs",
        ]
        read_only_fields = fields

    def to_representation(self, worker):
        data = super().to_representation(worker)
        if not self.context.get("shows_contact", False):
            data.update(dict.fromkeys(self.CONTACT_FIELDS))
        return data


class CredentialStatusSerializer(serializers.Serializer):
    certificate = serializers.CharField()
    certificate_valid_until = serializers.DateField(allow_null=True)
    pre_job_training = serializers.CharField()
    health_check = serializers.CharField()
    health_check_valid_until = serializers.DateField(allow_null=True)
    nearest_expiry = serializers.DateField(allow_null=True)
    is_expiring_soon = serializers.BooleanField()
    awaiting_verification = serializers.IntegerField()


class RosterEntrySerializer(serializers.ModelSerializer):
    """A roster entry as its agency sees it; `credentials` is null and the worker's contact
    fields are null until she accepts (roster_shows_contact)."""

    worker = serializers.SerializerMethodField()
    credentials = serializers.SerializerMethodField()
    invited_by = serializers.SerializerMethodField()

    class Meta:
        model = RosterEntry
        fields = [
            "id",
            "status",
            "worker",
            "credentials",
            "started_on",
            "ended_on",
            "end_reason",
            "invited_by",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(RosterWorkerSerializer)
    def get_worker(self, entry) -> dict:
        context = {"shows_contact": roster_shows_contact(entry)}
        return RosterWorkerSerializer(entry.worker, context=context).data

    @extend_schema_field(CredentialStatusSerializer(allow_null=True))
    def get_credentials(self, entry) -> dict | None:
        if not roster_shows_contact(entry):
            return None
        return CredentialStatusSerializer(credential_status(entry.worker)).data

    def get_invited_by(self, entry) -> dict | None:
        return person_brief(entry.created_by)


class RosterInviteSerializer(serializers.Serializer):
    worker = serializers.IntegerField(min_value=1)


class EndReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class DeclineReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class WorkerRosterEntrySerializer(serializers.ModelSerializer):
    """A roster entry as the worker sees it: the agency, not her own details."""

    agency = serializers.SerializerMethodField()

    class Meta:
        model = RosterEntry
        fields = ["id", "status", "agency", "started_on", "ended_on", "end_reason", "created_at"]
        read_only_fields = fields

    def get_agency(self, entry) -> dict:
        agency = entry.agency
        return {
            "id": agency.pk,
            "name": agency.name,
            "phone": agency.phone,
            "address": agency.address,
            "division": agency.division.code,
            "division_name": agency.division.name,
        }


# ---- credentials ---------------------------------------------------------------------------------


class _VerifiedMixin(serializers.Serializer):
    is_verified = serializers.BooleanField(read_only=True)
    verified_by = serializers.SerializerMethodField()

    def get_verified_by(self, obj) -> dict | None:
        return person_brief(obj.verified_by)


class VerifiableCertificateSerializer(_VerifiedMixin, serializers.ModelSerializer):
    worker = serializers.IntegerField(source="worker_id", read_only=True)
    category = serializers.CharField(source="category.code", read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True)

    class Meta:
        model = Certificate
        fields = [
            "id",
            "worker",
            "category",
            "category_name",
            "number",
            "level",
            "issuer",
            "issued_on",
            "expires_on",
            "is_revoked",
            "revoked_reason",
            "is_verified",
            "verified_by",
            "verified_at",
            "created_at",
        ]
        read_only_fields = fields


class VerifiableTrainingRecordSerializer(_VerifiedMixin, serializers.ModelSerializer):
    worker = serializers.IntegerField(source="worker_id", read_only=True)
    # Null for a record of a course not tied to one trade.
    category = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = TrainingRecord
        fields = [
            "id",
            "worker",
            "course",
            "kind",
            "category",
            "provider",
            "completed_on",
            "is_verified",
            "verified_by",
            "verified_at",
            "created_at",
        ]
        read_only_fields = fields


class VerifiableHealthCheckSerializer(_VerifiedMixin, serializers.ModelSerializer):
    worker = serializers.IntegerField(source="worker_id", read_only=True)

    class Meta:
        model = HealthCheck
        fields = [
            "id",
            "worker",
            "done_on",
            "valid_until",
            "institution",
            "is_verified",
            "verified_by",
            "verified_at",
            "created_at",
        ]
        read_only_fields = fields


class CertificateEntrySerializer(serializers.Serializer):
    category = serializers.CharField(max_length=40)
    number = serializers.CharField(max_length=50)
    level = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    issuer = serializers.CharField(max_length=100)
    issued_on = serializers.DateField()
    expires_on = serializers.DateField(required=False, allow_null=True, default=None)


class TrainingRecordEntrySerializer(serializers.Serializer):
    course = serializers.CharField(max_length=100)
    kind = serializers.ChoiceField(choices=TrainingKind.choices)
    category = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    provider = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    completed_on = serializers.DateField()


class HealthCheckEntrySerializer(serializers.Serializer):
    done_on = serializers.DateField()
    valid_until = serializers.DateField()
    institution = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default=""
    )


class IdentityVerifySerializer(serializers.Serializer):
    is_verified = serializers.BooleanField(required=False, default=True)


class WorkerCredentialsSerializer(serializers.ModelSerializer):
    verified_by = serializers.SerializerMethodField()
    id_card_masked = serializers.CharField(read_only=True)
    certificates = VerifiableCertificateSerializer(many=True, read_only=True)
    training_records = VerifiableTrainingRecordSerializer(many=True, read_only=True)
    health_checks = VerifiableHealthCheckSerializer(many=True, read_only=True)
    status = serializers.SerializerMethodField()

    class Meta:
        model = WorkerProfile
        fields = [
            "id",
            "real_name",
            "phone",
            "id_card_masked",
            "is_verified",
            "verified_by",
            "verified_at",
            "status",
            "certificates",
            "training_records",
            "health_checks",
        ]
        read_only_fields = fields

    def get_verified_by(self, worker) -> dict | None:
        return person_brief(worker.verified_by)

    def get_status(self, worker) -> dict:
        return CredentialStatusSerializer(credential_status(worker)).data
