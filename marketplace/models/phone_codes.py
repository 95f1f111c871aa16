"""One-time codes sent to a phone (verify it, reset a password, claim an account) and the
one-time reset links that agency staff or an officer hand to a woman without a phone."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from marketplace.phones import PhoneField


class CodePurpose(models.TextChoices):
    VERIFY = "verify", _("验证手机号")
    RESET = "reset", _("重置密码")
    CLAIM = "claim", _("认领账号")


class PhoneCode(models.Model):
    """A code as sent: only its hash is kept, with its expiry, tries and use."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="phone_codes"
    )
    phone = PhoneField()
    purpose = models.CharField(max_length=10, choices=CodePurpose.choices)
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    tries = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("手机验证码")
        verbose_name_plural = _("手机验证码")
        indexes = [models.Index(fields=["phone", "purpose", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.purpose} → {self.phone}"


class ResetLink(models.Model):
    """A one-time password-reset link made by agency staff or an officer (who and when kept)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reset_links"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reset_links_made"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("密码重置链接")
        verbose_name_plural = _("密码重置链接")

    def __str__(self) -> str:
        return f"reset link → {self.user_id}"
