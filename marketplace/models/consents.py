"""Consent to the processing of sensitive personal data (PIPL arts. 28–29): the ID number and
the health check. One row per giving: the purpose as shown, its version, when it was given and
when it was withdrawn. Rows are never deleted, not even when the account is: they are the proof
of what she agreed to and when she stopped."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ConsentKind(models.TextChoices):
    ID_CARD = "id_card", _("身份证号")
    HEALTH_CHECK = "health_check", _("健康体检信息")


class Consent(models.Model):
    user = models.ForeignKey("marketplace.User", on_delete=models.PROTECT, related_name="consents")
    kind = models.CharField(_("数据类别"), max_length=20, choices=ConsentKind.choices)
    purpose = models.TextField(_("处理目的"))
    version = models.CharField(_("告知版本"), max_length=20)
    # Who entered the data (herself, or agency staff who collected it with her agreement).
    recorded_by = models.ForeignKey(
        "marketplace.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("记录人"),
    )
    given_at = models.DateTimeField(_("同意时间"))
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)

    class Meta:
        ordering = ["-given_at", "-pk"]
        verbose_name = _("敏感信息同意记录")
        verbose_name_plural = _("敏感信息同意记录")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_active_consent_per_kind",
            )
        ]
        indexes = [models.Index(fields=["user", "kind", "-given_at"], name="consent_user_kind")]

    def __str__(self) -> str:
        return f"{self.kind} v{self.version} of user #{self.user_id}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None
