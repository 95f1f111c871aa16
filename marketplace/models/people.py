"""People: one user model with a role, and a profile per role."""

from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from marketplace import idcard
from marketplace.phones import PhoneField


class Role(models.TextChoices):
    HOUSEHOLD = "household", _("雇主家庭")
    WORKER = "worker", _("家政服务员")
    AGENCY_STAFF = "agency_staff", _("家政企业员工")
    FEDERATION = "federation", _("妇联工作人员")
    VILLAGE_OFFICER = "village_officer", _("村网格员")
    OPERATOR = "operator", _("平台运营")


class User(AbstractUser):
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.HOUSEHOLD)
    display_name = models.CharField(_("显示名称"), max_length=50, blank=True)
    phone = PhoneField(_("手机号"), blank=True)
    phone_verified_at = models.DateTimeField(_("手机号验证时间"), null=True, blank=True)

    class Meta(AbstractUser.Meta):
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        indexes = [models.Index(fields=["role"])]
        constraints = [
            models.UniqueConstraint(
                fields=["phone"], condition=~models.Q(phone=""), name="user_phone_unique"
            )
        ]

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def is_household(self) -> bool:
        return self.role == Role.HOUSEHOLD

    @property
    def is_worker(self) -> bool:
        return self.role == Role.WORKER

    @property
    def is_agency_staff(self) -> bool:
        return self.role == Role.AGENCY_STAFF

    @property
    def is_federation(self) -> bool:
        return self.role == Role.FEDERATION

    @property
    def is_village_officer(self) -> bool:
        return self.role == Role.VILLAGE_OFFICER

    @property
    def is_operator(self) -> bool:
        return self.role == Role.OPERATOR or self.is_superuser


class HouseholdProfile(models.Model):
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="household")
    name = models.CharField(_("称呼"), max_length=50)
    phone = PhoneField(_("手机号"))
    division = models.ForeignKey(
        "marketplace.Division",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="households",
        verbose_name=_("所在区划"),
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    latitude = models.FloatField(_("纬度"), null=True, blank=True)
    longitude = models.FloatField(_("经度"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("雇主家庭")
        verbose_name_plural = _("雇主家庭")

    def __str__(self) -> str:
        return self.name


class WorkerProfile(models.Model):
    """A worker's profile. `base_latitude`/`base_longitude` are indexed for bounding-box search.

    `availability` is a weekly pattern: {"0": [["08:00", "18:00"]], ...} with Monday = "0";
    an empty pattern means any time. Rating and reliability inputs are counters moved with F().
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="worker")
    real_name = models.CharField(_("真实姓名"), max_length=50)
    phone = PhoneField(_("手机号"))
    id_card_ciphertext = models.TextField(_("身份证号（加密）"), blank=True, editable=False)
    id_card_digest = models.CharField(
        max_length=64, null=True, blank=True, unique=True, editable=False
    )
    id_card_last4 = models.CharField(max_length=4, blank=True, editable=False)
    division = models.ForeignKey(
        "marketplace.Division",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="workers",
        verbose_name=_("所在区划"),
    )
    base_latitude = models.FloatField(_("常驻点纬度"), null=True, blank=True)
    base_longitude = models.FloatField(_("常驻点经度"), null=True, blank=True)
    # A grid cell derived from the base point (marketplace.geo), indexed so that a distance
    # search reads only the cells its box covers instead of a whole latitude band.
    geo_cell = models.BigIntegerField(null=True, blank=True, editable=False)
    service_radius_km = models.FloatField(
        _("服务半径（公里）"),
        default=10,
        validators=[MinValueValidator(0.5), MaxValueValidator(200)],
    )
    categories = models.ManyToManyField(
        "marketplace.Category", blank=True, related_name="workers", verbose_name=_("工种")
    )
    hourly_rate = models.PositiveIntegerField(_("时薪（分）"), default=0)
    availability = models.JSONField(_("每周可服务时间"), default=dict, blank=True)
    is_accepting_offers = models.BooleanField(_("接单中"), default=True)
    is_verified = models.BooleanField(_("已实名认证"), default=False)
    verified_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("认证人"),
    )
    verified_at = models.DateTimeField(_("认证时间"), null=True, blank=True)
    bio = models.TextField(_("简介"), blank=True)
    rating_sum = models.PositiveIntegerField(default=0)
    rating_count = models.PositiveIntegerField(default=0)
    completed_jobs = models.PositiveIntegerField(default=0)
    no_shows = models.PositiveIntegerField(default=0)
    late_cancellations = models.PositiveIntegerField(default=0)
    # Distinct households that booked her again ("再约一次"): a reliability signal in ranking.
    asked_again_count = models.PositiveIntegerField(_("再约雇主数"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("家政服务员")
        verbose_name_plural = _("家政服务员")
        indexes = [
            models.Index(fields=["base_latitude", "base_longitude"], name="worker_base_point"),
            # The cell, the base point, then every column the match score and the account
            # flags read: a search ranks and prunes a box's workers from the index alone and
            # reads the table only for those that can still make the list.
            models.Index(
                fields=[
                    "geo_cell",
                    "base_latitude",
                    "base_longitude",
                    "service_radius_km",
                    "rating_sum",
                    "rating_count",
                    "completed_jobs",
                    "no_shows",
                    "late_cancellations",
                    "asked_again_count",
                    "is_verified",
                    "is_accepting_offers",
                ],
                name="worker_cell_point",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["phone"], condition=~models.Q(phone=""), name="worker_phone_unique"
            )
        ]

    def __str__(self) -> str:
        return self.real_name

    def set_id_card_number(self, number: str) -> None:
        number = idcard.normalize(number)
        self.id_card_ciphertext = idcard.encrypt(number) if number else ""
        self.id_card_digest = idcard.digest(number) if number else None
        self.id_card_last4 = number[-4:] if number else ""

    @property
    def id_card_number(self) -> str:
        """The clear number; callers must check permissions first (marketplace.permissions)."""
        return idcard.decrypt(self.id_card_ciphertext)

    @property
    def id_card_masked(self) -> str:
        return idcard.masked(self.id_card_last4)


class FederationOfficerProfile(models.Model):
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="federation_officer")
    name = models.CharField(_("姓名"), max_length=50)
    title = models.CharField(_("职务"), max_length=50, blank=True)
    division = models.ForeignKey(
        "marketplace.Division",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("为空表示全市"),
        verbose_name=_("负责区划"),
    )

    class Meta:
        verbose_name = _("妇联工作人员")
        verbose_name_plural = _("妇联工作人员")

    def __str__(self) -> str:
        return self.name


class VillageOfficerProfile(models.Model):
    """A village micro-grid officer (网格员): collects women for the programme in her divisions
    only (programme.services.scope); she holds no federation powers beyond that."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="village_officer")
    name = models.CharField(_("姓名"), max_length=50)
    divisions = models.ManyToManyField(
        "marketplace.Division", related_name="+", verbose_name=_("负责镇街")
    )

    class Meta:
        verbose_name = _("村网格员")
        verbose_name_plural = _("村网格员")

    def __str__(self) -> str:
        return self.name
