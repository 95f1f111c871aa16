"""Writes of the service card: issue, photo, revoke, reissue."""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.exceptions import NotFound, ValidationFailed
from marketplace.models import ServiceCard, User, WorkerProfile
from marketplace.selectors.agencies import manages_worker


def service_card_ensure(*, worker: WorkerProfile) -> ServiceCard:
    """Her card, issued on first need (a unique constraint settles two first needs)."""
    card = ServiceCard.objects.filter(worker=worker).first()
    if card is not None:
        return card
    try:
        with transaction.atomic():
            return ServiceCard.objects.create(worker=worker)
    except IntegrityError:
        return ServiceCard.objects.get(worker=worker)


def _managed_card(*, worker_id: int, actor: User) -> ServiceCard:
    worker = WorkerProfile.objects.filter(pk=worker_id).first()
    if worker is None or not manages_worker(user=actor, worker=worker):
        raise NotFound(_("服务员不存在。"))
    return service_card_ensure(worker=worker)


def service_card_revoke(*, worker_id: int, actor: User, reason: str) -> ServiceCard:
    """Her agency (or an operator) revokes the card: every token issued so far stops
    verifying (the version moves on) and the card shows as invalid until reissued.

    Raises NotFound (not her agency), ValidationFailed (`reason`).
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("请填写吊销原因。"), field="reason")
    card = _managed_card(worker_id=worker_id, actor=actor)
    ServiceCard.objects.filter(pk=card.pk).update(
        version=F("version") + 1,
        revoked_at=timezone.now(),
        revoked_by=actor,
        revoke_reason=reason[:200],
    )
    card.refresh_from_db()
    return card


def service_card_reissue(*, worker_id: int, actor: User) -> ServiceCard:
    """A new token for the card (old ones stop verifying); a revoked card becomes valid."""
    card = _managed_card(worker_id=worker_id, actor=actor)
    ServiceCard.objects.filter(pk=card.pk).update(
        version=F("version") + 1,
        reissued_at=timezone.now(),
        revoked_at=None,
        revoked_by=None,
        revoke_reason="",
    )
    card.refresh_from_db()
    return card


def service_card_photo_set(*, worker: WorkerProfile, upload) -> ServiceCard:
    """Her card photo: JPEG, PNG or WebP (decoded by Pillow), at most CARD_PHOTO_MAX_BYTES,
    stored re-encoded as a metadata-free JPEG.

    Raises ValidationFailed on `photo`.
    """
    limit = int(settings.MEIJIA.get("CARD_PHOTO_MAX_BYTES", 2 * 1024 * 1024))
    if upload is None:
        raise ValidationFailed(_("请选择照片。"), field="photo")
    if upload.size > limit:
        raise ValidationFailed(
            _("照片不能超过%(size)sMB。") % {"size": round(limit / 1024 / 1024, 1)},
            field="photo",
            code="too_large",
        )
    card = service_card_ensure(worker=worker)
    old = card.photo.name if card.photo else ""
    # The field re-encodes (backend.images): not an image or a pixel bomb raises on `photo`.
    card.photo.save("photo.jpg", upload, save=False)
    card.save(update_fields=["photo"])
    if old and old != card.photo.name:
        card.photo.storage.delete(old)
    return card
