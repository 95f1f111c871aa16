"""API shapes for accounts, reference data and worker profiles (input checks and output)."""

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from backend.api.fields import CodeRelatedField
from backend.api.rendering import render_one
from marketplace import idcard
from marketplace.models import (
    AgencyStaff,
    Category,
    Certificate,
    Division,
    FederationOfficerProfile,
    HouseholdProfile,
    Role,
    User,
    WorkerProfile,
)
from marketplace.phones import PhoneInput
from marketplace.selectors.ratings import rating_value

# ---- reference data -------------------------------------------------------------------------


class CategorySerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    certificate_name = serializers.CharField(read_only=True)

    class Meta:
        model = Category
        fields = [
            "code",
            "name",
            "name_zh",
            "name_en",
            "requires_certificate",
            "certificate_name",
            "pricing_unit",
        ]


class DivisionSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Division
        fields = ["code", "name", "name_zh", "name_en", "kind", "latitude", "longitude"]


# ---- registration ---------------------------------------------------------------------------


class RegisterSerializer(serializers.Serializer):
    username = serializers.RegexField(
        r"^[\w.@+-]+\Z",
        max_length=150,
        error_messages={"invalid": _("用户名只能包含字母、数字和 @/./+/-/_ 字符。")},
    )
    password = serializers.CharField(write_only=True, trim_whitespace=False, max_length=128)
    role = serializers.ChoiceField(choices=[Role.HOUSEHOLD, Role.WORKER])
    display_name = serializers.CharField(max_length=50)
    phone = PhoneInput()
    id_card_number = serializers.CharField(
        max_length=18, required=False, allow_blank=True, default=""
    )

    def validate_id_card_number(self, value: str) -> str:
        value = idcard.normalize(value)
        if value and not idcard.is_valid(value):
            raise serializers.ValidationError(_("身份证号码无效。"))
        return value

    def validate(self, attrs: dict) -> dict:
        candidate = User(
            username=attrs["username"], display_name=attrs["display_name"], phone=attrs["phone"]
        )
        try:
            password_validation.validate_password(attrs["password"], user=candidate)
        except DjangoValidationError as error:
            raise serializers.ValidationError({"password": list(error.messages)}) from error
        return attrs


class LogoutSerializer(serializers.Serializer):
    refresh = serializers.CharField()


# ---- people ---------------------------------------------------------------------------------


class HouseholdProfileSerializer(serializers.ModelSerializer):
    division = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = HouseholdProfile
        fields = ["id", "name", "phone", "division", "address", "latitude", "longitude"]


class AgencyStaffSerializer(serializers.ModelSerializer):
    agency_name = serializers.CharField(source="agency.name", read_only=True)

    class Meta:
        model = AgencyStaff
        fields = ["id", "agency", "agency_name", "staff_role"]


class FederationOfficerSerializer(serializers.ModelSerializer):
    division = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = FederationOfficerProfile
        fields = ["id", "name", "title", "division"]


class CertificateSummarySerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(slug_field="code", read_only=True)
    is_verified = serializers.BooleanField(read_only=True)

    class Meta:
        model = Certificate
        fields = ["category", "level", "issuer", "issued_on", "expires_on", "is_verified"]


class WorkerSelfSerializer(serializers.ModelSerializer):
    """The worker's own profile, as she reads and edits it (`workers/me/`)."""

    division = CodeRelatedField(queryset=Division.objects.all(), allow_null=True, required=False)
    categories = CodeRelatedField(queryset=Category.objects.all(), many=True, required=False)
    # Written in clear; read back only here, by the worker herself.
    id_card_number = serializers.CharField(
        max_length=18, required=False, allow_blank=True, trim_whitespace=True
    )
    id_card_masked = serializers.CharField(read_only=True)
    phone = PhoneInput(required=False)
    base_latitude = serializers.FloatField(
        min_value=-90, max_value=90, allow_null=True, required=False
    )
    base_longitude = serializers.FloatField(
        min_value=-180, max_value=180, allow_null=True, required=False
    )
    service_radius_km = serializers.FloatField(min_value=0.5, max_value=200, required=False)
    hourly_rate = serializers.IntegerField(min_value=0, max_value=10_000_000, required=False)
    availability = serializers.JSONField(required=False)
    rating = serializers.SerializerMethodField()

    class Meta:
        model = WorkerProfile
        fields = [
            "id",
            "real_name",
            "phone",
            "bio",
            "id_card_number",
            "id_card_masked",
            "division",
            "base_latitude",
            "base_longitude",
            "service_radius_km",
            "categories",
            "hourly_rate",
            "availability",
            "is_accepting_offers",
            "is_verified",
            "rating",
            "rating_count",
            "completed_jobs",
        ]
        read_only_fields = ["id", "is_verified", "rating_count", "completed_jobs"]

    def get_rating(self, worker: WorkerProfile) -> float | None:
        return rating_value(worker)

    def validate_id_card_number(self, value: str) -> str:
        value = idcard.normalize(value)
        if value and not idcard.is_valid(value):
            raise serializers.ValidationError(_("身份证号码无效。"))
        return value


class WorkerCardSerializer(serializers.ModelSerializer):
    """A worker as other signed-in users see her: no phone, no exact base, masked ID number.

    `id_card_number` is present only when the view puts `show_id_card_number` in the context
    (marketplace.permissions.can_read_id_card_number decided it).
    """

    division = serializers.SlugRelatedField(slug_field="code", read_only=True)
    categories = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    certificates = CertificateSummarySerializer(many=True, read_only=True)
    id_card_masked = serializers.CharField(read_only=True)
    rating = serializers.SerializerMethodField()

    class Meta:
        model = WorkerProfile
        fields = [
            "id",
            "real_name",
            "bio",
            "division",
            "service_radius_km",
            "categories",
            "hourly_rate",
            "is_verified",
            "rating",
            "rating_count",
            "completed_jobs",
            "certificates",
            "id_card_masked",
        ]
        read_only_fields = fields

    def get_rating(self, worker: WorkerProfile) -> float | None:
        return rating_value(worker)

    def to_representation(self, worker: WorkerProfile) -> dict:
        data = super().to_representation(worker)
        if self.context.get("show_id_card_number"):
            data["id_card_number"] = worker.id_card_number
        return data


class MeSerializer(serializers.ModelSerializer):
    """The signed-in user and the profile of her role under `profile`."""

    profile = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "role", "display_name", "phone", "is_staff", "profile"]
        read_only_fields = fields

    def get_profile(self, user: User) -> dict | None:
        if user.role == Role.WORKER and hasattr(user, "worker"):
            return render_one(WorkerSelfSerializer, user.worker, self.context)
        if user.role == Role.HOUSEHOLD and hasattr(user, "household"):
            return render_one(HouseholdProfileSerializer, user.household)
        if user.role == Role.AGENCY_STAFF and hasattr(user, "agency_staff"):
            return render_one(AgencyStaffSerializer, user.agency_staff)
        if user.role == Role.FEDERATION and hasattr(user, "federation_officer"):
            return render_one(FederationOfficerSerializer, user.federation_officer)
        return None


# A short, optional reason (revoking a service card, blocking a household).
class ReasonInput(serializers.Serializer):
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
