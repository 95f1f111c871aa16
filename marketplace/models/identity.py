"""The record of every change to a worker's identity (name, ID number and the birth date it
carries): who, when, which field, the old value masked, and whether it cost her verification."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IdentityField(models.TextChoices):
    REAL_NAME = "real_name", _("真实姓名")
    ID_CARD_NUMBER = "id_card_number", _("身份证号")


class IdentityChange(models.Model):
    worker = models.ForeignKey(
        "marketplace.WorkerProfile", on_delete=models.CASCADE, related_name="identity_changes"
    )
    field = models.CharField(_("字段"), max_length=20, choices=IdentityField.choices)
    # Masked, never the clear ID number: a name keeps its first character, a number its last 4.
    old_value_masked = models.CharField(_("原值（遮蔽）"), max_length=60, blank=True)
    # HMAC digest of the old ID number (marketplace.idcard.digest): matches without revealing.
    old_value_digest = models.CharField(max_length=64, blank=True)
    changed_by = models.ForeignKey(
        "marketplace.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(_("修改时间"), auto_now_add=True)
    was_verified = models.BooleanField(_("修改前已认证"), default=False)

    class Meta:
        verbose_name = _("身份信息变更")
        verbose_name_plural = _("身份信息变更")
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.field} of worker #{self.worker_id} at {self.changed_at:%Y-%m-%d %H:%M}"
