"""Home-service agencies, their staff, and the roster of workers they employ."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Agency(models.Model):
    name = models.CharField(_("企业名称"), max_length=100)
    licence_number = models.CharField(_("营业执照号"), max_length=30, unique=True)
    division = models.ForeignKey(
        "marketplace.Division",
        on_delete=models.PROTECT,
        related_name="agencies",
        verbose_name=_("所在区划"),
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    is_active = models.BooleanField(_("营业中"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("家政企业")
        verbose_name_plural = _("家政企业")

    def __str__(self) -> str:
        return self.name


class AgencyStaff(models.Model):
    """The agency-staff profile: which agency a staff account works for, and as what."""

    class StaffRole(models.TextChoices):
        OWNER = "owner", _("负责人")
        STAFF = "staff", _("员工")

    user = models.OneToOneField(
        "marketplace.User", on_delete=models.CASCADE, related_name="agency_staff"
    )
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="staff")
    staff_role = models.CharField(
        _("岗位"), max_length=10, choices=StaffRole.choices, default=StaffRole.STAFF
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("企业员工")
        verbose_name_plural = _("企业员工")

    def __str__(self) -> str:
        return f"{self.user} @ {self.agency}"


class RosterEntry(models.Model):
    """A worker's engagement with an agency; ended entries are kept as history."""

    class Status(models.TextChoices):
        INVITED = "invited", _("已邀请")
        ACTIVE = "active", _("在职")
        ENDED = "ended", _("已结束")

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="roster")
    worker = models.ForeignKey(
        "marketplace.WorkerProfile", on_delete=models.CASCADE, related_name="roster_entries"
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    started_on = models.DateField(_("入职日期"), null=True, blank=True)
    ended_on = models.DateField(_("离职日期"), null=True, blank=True)
    end_reason = models.CharField(_("结束原因"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        "marketplace.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("员工花名册")
        verbose_name_plural = _("员工花名册")
        constraints = [
            # A worker belongs to at most one agency at a time.
            models.UniqueConstraint(
                fields=["worker"], condition=Q(status="active"), name="one_active_agency_per_worker"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.worker} @ {self.agency} ({self.status})"
