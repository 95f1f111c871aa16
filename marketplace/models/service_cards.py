"""The verifiable service card (安心码) a worker shows at the door."""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from backend.images import CleanImageField


def _public_id() -> str:
    return secrets.token_urlsafe(12)


def card_photo_path(card: "ServiceCard", filename: str) -> str:
    # A random name: the file name never reveals whose photo it is.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"cards/{secrets.token_hex(12)}.{extension}"


class ServiceCard(models.Model):
    """A worker's 安心码. Its QR carries a token signed over (public_id, version): revoking or
    reissuing bumps `version`, so every token issued before stops verifying at once."""

    worker = models.OneToOneField(
        "marketplace.WorkerProfile", on_delete=models.CASCADE, related_name="service_card"
    )
    public_id = models.CharField(max_length=32, unique=True, default=_public_id, editable=False)
    version = models.PositiveIntegerField(default=1)
    # Re-encoded on every save (no EXIF/GPS, at most 1600 px a side, JPEG): backend.images.
    photo = CleanImageField(_("证件照"), upload_to=card_photo_path, blank=True)
    issued_at = models.DateTimeField(_("签发时间"), auto_now_add=True)
    reissued_at = models.DateTimeField(_("重新签发时间"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        "marketplace.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoke_reason = models.CharField(_("吊销原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("服务证")
        verbose_name_plural = _("服务证")

    def __str__(self) -> str:
        return f"card of worker #{self.worker_id} v{self.version}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
