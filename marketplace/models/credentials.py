"""A worker's credentials: qualification certificates, training records and health checks.

Each carries validity dates and who verified it; only verified credentials count towards
eligibility (marketplace.selectors.eligibility).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Verifiable(models.Model):
    verified_by = models.ForeignKey(
        "marketplace.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("核验人"),
    )
    verified_at = models.DateTimeField(_("核验时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None


class Certificate(Verifiable):
    worker = models.ForeignKey(
        "marketplace.WorkerProfile", on_delete=models.CASCADE, related_name="certificates"
    )
    category = models.ForeignKey(
        "marketplace.Category",
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("工种"),
    )
    number = models.CharField(_("证书编号"), max_length=50)
    level = models.CharField(_("等级"), max_length=30, blank=True)
    issuer = models.CharField(_("发证机构"), max_length=100)
    issued_on = models.DateField(_("发证日期"))
    expires_on = models.DateField(_("有效期至"), null=True, blank=True)
    is_revoked = models.BooleanField(_("已吊销"), default=False)
    revoked_reason = models.CharField(_("吊销原因"), max_length=200, blank=True)

    class Meta:
        ordering = ["-issued_on"]
        verbose_name = _("资格证书")
        verbose_name_plural = _("资格证书")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "number"], name="unique_certificate_number"),
        ]
        indexes = [models.Index(fields=["worker", "category", "expires_on"])]

    def __str__(self) -> str:
        return f"{self.category} {self.number}"


class TrainingKind(models.TextChoices):
    PRE_JOB = "pre_job", _("岗前培训")
    REFRESHER = "refresher", _("复训")
    GRADE = "grade", _("等级培训")


class TrainingRecord(Verifiable):
    worker = models.ForeignKey(
        "marketplace.WorkerProfile", on_delete=models.CASCADE, related_name="training_records"
    )
    course = models.CharField(_("课程"), max_length=100)
    kind = models.CharField(_("培训类型"), max_length=20, choices=TrainingKind.choices)
    category = models.ForeignKey(
        "marketplace.Category",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("工种"),
    )
    provider = models.CharField(_("培训机构"), max_length=100, blank=True)
    completed_on = models.DateField(_("结业日期"))

    class Meta:
        ordering = ["-completed_on"]
        verbose_name = _("培训记录")
        verbose_name_plural = _("培训记录")
        indexes = [models.Index(fields=["worker", "kind", "completed_on"])]

    def __str__(self) -> str:
        return f"{self.course} ({self.get_kind_display()})"


class HealthCheck(Verifiable):
    worker = models.ForeignKey(
        "marketplace.WorkerProfile", on_delete=models.CASCADE, related_name="health_checks"
    )
    done_on = models.DateField(_("体检日期"))
    valid_until = models.DateField(_("有效期至"))
    institution = models.CharField(_("体检机构"), max_length=100, blank=True)

    class Meta:
        ordering = ["-done_on"]
        verbose_name = _("健康体检")
        verbose_name_plural = _("健康体检")
        indexes = [models.Index(fields=["worker", "valid_until"])]

    def __str__(self) -> str:
        return f"{self.done_on} → {self.valid_until}"
