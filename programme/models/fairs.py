"""Job fairs, the openings agencies post there, and workers' applications."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class FairMode(models.TextChoices):
    ONSITE = "onsite", _("现场")
    ONLINE = "online", _("线上")


class FairStatus(models.TextChoices):
    PLANNED = "planned", _("筹备中")
    OPEN = "open", _("进行中")
    CLOSED = "closed", _("已结束")
    CANCELLED = "cancelled", _("已取消")


class JobFair(models.Model):
    name = models.CharField(_("招聘会名称"), max_length=100)
    mode = models.CharField(_("形式"), max_length=10, choices=FairMode.choices)
    held_on = models.DateField(_("举办日期"))
    place = models.CharField(_("地点"), max_length=200, blank=True)
    division = models.ForeignKey(
        "marketplace.Division",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("所在区划"),
    )
    description = models.TextField(_("介绍"), blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=FairStatus.choices, default=FairStatus.OPEN
    )
    created_by = models.ForeignKey(
        "marketplace.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("招聘会")
        verbose_name_plural = _("招聘会")

    def __str__(self) -> str:
        return self.name


class OpeningStatus(models.TextChoices):
    OPEN = "open", _("招聘中")
    CLOSED = "closed", _("已关闭")


class JobOpening(models.Model):
    fair = models.ForeignKey(
        JobFair,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="openings",
        verbose_name=_("招聘会"),
    )
    agency = models.ForeignKey(
        "marketplace.Agency", on_delete=models.CASCADE, related_name="job_openings"
    )
    title = models.CharField(_("岗位名称"), max_length=100)
    category = models.ForeignKey(
        "marketplace.Category", on_delete=models.PROTECT, related_name="+", verbose_name=_("工种")
    )
    positions = models.PositiveIntegerField(_("招聘人数"), default=1)
    hired_count = models.PositiveIntegerField(_("已录用"), default=0, editable=False)
    salary_min = models.PositiveIntegerField(_("最低月薪（分）"), default=0)
    salary_max = models.PositiveIntegerField(_("最高月薪（分）"), default=0)
    division = models.ForeignKey(
        "marketplace.Division",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("工作地区划"),
    )
    description = models.TextField(_("岗位描述"), blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=OpeningStatus.choices, default=OpeningStatus.OPEN
    )
    created_by = models.ForeignKey(
        "marketplace.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("招聘岗位")
        verbose_name_plural = _("招聘岗位")
        constraints = [
            models.CheckConstraint(
                condition=Q(salary_max__gte=F("salary_min")), name="opening_salary_range"
            ),
            models.CheckConstraint(
                condition=Q(hired_count__lte=F("positions")), name="opening_within_positions"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ApplicationStatus(models.TextChoices):
    APPLIED = "applied", _("已投递")
    SHORTLISTED = "shortlisted", _("已入围")
    INTERVIEW = "interview", _("待面试")
    OFFERED = "offered", _("待本人确认录用")
    HIRED = "hired", _("已录用")
    REJECTED = "rejected", _("未录用")
    DECLINED = "declined", _("本人已谢绝")
    WITHDRAWN = "withdrawn", _("已撤回")


# Allowed application moves: status → statuses it may move to (hire: offered, then her
# acceptance of the roster invitation makes it hired).
APPLICATION_TRANSITIONS: dict[str, set[str]] = {
    ApplicationStatus.APPLIED: {
        ApplicationStatus.SHORTLISTED,
        ApplicationStatus.INTERVIEW,
        ApplicationStatus.OFFERED,
        ApplicationStatus.REJECTED,
        ApplicationStatus.WITHDRAWN,
    },
    ApplicationStatus.SHORTLISTED: {
        ApplicationStatus.INTERVIEW,
        ApplicationStatus.OFFERED,
        ApplicationStatus.REJECTED,
        ApplicationStatus.WITHDRAWN,
    },
    ApplicationStatus.INTERVIEW: {
        ApplicationStatus.OFFERED,
        ApplicationStatus.REJECTED,
        ApplicationStatus.WITHDRAWN,
    },
    ApplicationStatus.OFFERED: {ApplicationStatus.HIRED, ApplicationStatus.DECLINED},
    ApplicationStatus.HIRED: set(),
    ApplicationStatus.REJECTED: set(),
    ApplicationStatus.DECLINED: set(),
    ApplicationStatus.WITHDRAWN: set(),
}


class JobApplication(models.Model):
    opening = models.ForeignKey(JobOpening, on_delete=models.CASCADE, related_name="applications")
    worker = models.ForeignKey(
        "marketplace.WorkerProfile", on_delete=models.CASCADE, related_name="job_applications"
    )
    status = models.CharField(
        _("状态"),
        max_length=12,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.APPLIED,
    )
    message = models.CharField(_("留言"), max_length=200, blank=True)
    interview_at = models.DateTimeField(_("面试时间"), null=True, blank=True)
    interview_place = models.CharField(_("面试地点"), max_length=200, blank=True)
    applied_at = models.DateTimeField(_("投递时间"), auto_now_add=True)
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        "marketplace.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    hired_at = models.DateTimeField(_("录用时间"), null=True, blank=True)
    roster_entry = models.ForeignKey(
        "marketplace.RosterEntry",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-applied_at", "-id"]
        verbose_name = _("求职申请")
        verbose_name_plural = _("求职申请")
        constraints = [
            models.UniqueConstraint(
                fields=["opening", "worker"], name="one_application_per_opening"
            )
        ]
        indexes = [models.Index(fields=["status", "hired_at"])]

    def __str__(self) -> str:
        return f"{self.worker} → {self.opening}"
