"""Qualification exams, registrations and results; a pass issues a Certificate."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .courses import FEDERATION_PROVIDER


class ExamStatus(models.TextChoices):
    OPEN = "open", _("报名中")
    CLOSED = "closed", _("已截止")
    CANCELLED = "cancelled", _("已取消")


class Exam(models.Model):
    name = models.CharField(_("考试名称"), max_length=100)
    category = models.ForeignKey(
        "marketplace.Category", on_delete=models.PROTECT, related_name="+", verbose_name=_("工种")
    )
    held_on = models.DateField(_("考试日期"))
    place = models.CharField(_("考点"), max_length=200, blank=True)
    division = models.ForeignKey(
        "marketplace.Division",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("所在区划"),
    )
    pass_mark = models.PositiveSmallIntegerField(_("合格分数"), default=60)
    issuer = models.CharField(_("发证机构"), max_length=100, default=FEDERATION_PROVIDER)
    level = models.CharField(_("证书等级"), max_length=30, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=ExamStatus.choices, default=ExamStatus.OPEN
    )
    created_by = models.ForeignKey(
        "marketplace.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("资格考试")
        verbose_name_plural = _("资格考试")

    def __str__(self) -> str:
        return self.name


class ExamResult(models.TextChoices):
    PENDING = "pending", _("待考")
    PASSED = "passed", _("通过")
    FAILED = "failed", _("未通过")


class ExamRegistration(models.Model):
    """A worker's seat at an exam and, once recorded, her score and the certificate it gave."""

    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="registrations")
    worker = models.ForeignKey(
        "marketplace.WorkerProfile", on_delete=models.CASCADE, related_name="exam_registrations"
    )
    registered_at = models.DateTimeField(_("报名时间"), auto_now_add=True)
    registered_by = models.ForeignKey(
        "marketplace.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    score = models.PositiveSmallIntegerField(_("成绩"), null=True, blank=True)
    result = models.CharField(
        _("结果"), max_length=10, choices=ExamResult.choices, default=ExamResult.PENDING
    )
    result_recorded_at = models.DateTimeField(_("成绩登记时间"), null=True, blank=True)
    result_recorded_by = models.ForeignKey(
        "marketplace.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # One certificate per passed result: the one-to-one is the database's guarantee.
    certificate = models.OneToOneField(
        "marketplace.Certificate",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="exam_registration",
    )

    class Meta:
        ordering = ["exam", "id"]
        verbose_name = _("考试报名")
        verbose_name_plural = _("考试报名")
        constraints = [
            models.UniqueConstraint(fields=["exam", "worker"], name="one_registration_per_exam")
        ]
        indexes = [models.Index(fields=["result", "result_recorded_at"])]

    def __str__(self) -> str:
        return f"{self.worker} @ {self.exam}"


class CertificateSequence(models.Model):
    """The last certificate number issued per trade and year (LQ-<trade>-<year>-<seq>)."""

    category = models.ForeignKey("marketplace.Category", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("证书编号序列")
        verbose_name_plural = _("证书编号序列")
        constraints = [
            models.UniqueConstraint(fields=["category", "year"], name="one_sequence_per_trade_year")
        ]

    def __str__(self) -> str:
        return f"{self.category_id}/{self.year}: {self.last}"
