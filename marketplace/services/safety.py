"""Trust and safety writes on the people side: service cards, household blocks, appeals."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.exceptions import Conflict, NotFound, PermissionDeniedError, ValidationFailed
from marketplace.models import (
    AppealStatus,
    HouseholdBlock,
    IncidentKind,
    ReliabilityAppeal,
    Role,
    ServiceCard,
    User,
    WorkerProfile,
)
from marketplace.selectors.safety import current_agency, manages_worker, staff_agency_id
from notifications.events import NOTIFICATION, send_event_on_commit

# JPEG, PNG and WebP by their first bytes (the declared content type is not trusted).
PHOTO_SIGNATURES = {
    b"\xff\xd8\xff": "jpg",
    b"\x89PNG\r\n\x1a\n": "png",
}


def _photo_extension(head: bytes) -> str | None:
    for signature, extension in PHOTO_SIGNATURES.items():
        if head.startswith(signature):
            return extension
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


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
    """Her card photo: JPEG, PNG or WebP (by content), at most CARD_PHOTO_MAX_BYTES.

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
    head = upload.read(16)
    upload.seek(0)
    extension = _photo_extension(head)
    if extension is None:
        raise ValidationFailed(
            _("照片须为JPEG、PNG或WebP格式。"), field="photo", code="invalid_type"
        )
    card = service_card_ensure(worker=worker)
    old = card.photo.name if card.photo else ""
    card.photo.save(f"photo.{extension}", upload, save=False)
    card.save(update_fields=["photo"])
    if old and old != card.photo.name:
        card.photo.storage.delete(old)
    return card


# --- blocks ---------------------------------------------------------------------------------


def household_block(
    *, worker: WorkerProfile, household_id: int, order_id: int | None = None, reason: str = ""
) -> tuple[HouseholdBlock, bool]:
    """She never gets offers, invitations or dispatches for this household again; returns
    (block, created). Pending offers between them are withdrawn by the caller (orders)."""
    household = User.objects.filter(pk=household_id, role=Role.HOUSEHOLD).first()
    if household is None:
        raise ValidationFailed(_("雇主不存在。"), field="household")
    try:
        with transaction.atomic():
            # The same row lock as offer_accept, so an accept either finishes first or sees
            # this block.
            WorkerProfile.objects.select_for_update(no_key=True, of=("self",)).filter(
                pk=worker.pk
            ).first()
            block = HouseholdBlock.objects.create(
                worker=worker, household=household, order_id=order_id, reason=reason[:200]
            )
    except IntegrityError:
        return HouseholdBlock.objects.get(worker=worker, household=household), False
    return block, True


def household_unblock(*, worker: WorkerProfile, block_id: int) -> None:
    deleted, _rows = HouseholdBlock.objects.filter(pk=block_id, worker=worker).delete()
    if not deleted:
        raise NotFound(_("屏蔽记录不存在。"))


# --- appeals --------------------------------------------------------------------------------


def _decider_ids(appeal: ReliabilityAppeal) -> list[int]:
    from marketplace.models import AgencyStaff

    if appeal.agency_id:
        return list(
            AgencyStaff.objects.filter(agency_id=appeal.agency_id).values_list("user_id", flat=True)
        )
    return list(
        User.objects.filter(role=Role.OPERATOR, is_active=True).values_list("pk", flat=True)
    )


def appeal_create(
    *, worker: WorkerProfile, order_id: int, incident: str, reason: str, incidents
) -> ReliabilityAppeal:
    """She appeals one of her recorded incidents (`incidents`: orders.services.safety.
    worker_incidents) to her current agency (operators without one).

    Raises ValidationFailed (`incident`, `order`, `reason`), Conflict `already_appealed`.
    """
    reason = (reason or "").strip()
    if incident not in IncidentKind.values:
        raise ValidationFailed(_("只能对爽约或迟取消记录申诉。"), field="incident")
    if not reason:
        raise ValidationFailed(_("请填写申诉理由。"), field="reason")
    if not any(i.kind == incident and i.order_id == order_id for i in incidents):
        raise ValidationFailed(_("您的记录中没有这一条。"), field="order")
    agency = current_agency(worker=worker)
    try:
        with transaction.atomic():
            appeal = ReliabilityAppeal.objects.create(
                worker=worker,
                agency=agency,
                order_id=order_id,
                incident=incident,
                reason=reason[:1000],
            )
            send_event_on_commit(
                event_type=NOTIFICATION,
                recipients=_decider_ids(appeal),
                payload={
                    "kind": "appeal.created",
                    "appeal": appeal.pk,
                    "worker": worker.pk,
                    "order": order_id,
                    "message": _("服务员%(name)s对订单#%(order)s的记录提出申诉，请处理。")
                    % {"name": worker.real_name, "order": order_id},
                },
            )
    except IntegrityError:
        raise Conflict(_("这条记录已经申诉过了。"), code="already_appealed") from None
    return appeal


def appeal_decide(
    *, appeal_id: int, actor: User, upheld: bool, note: str, now: dt.datetime | None = None
) -> ReliabilityAppeal:
    """Her agency's staff (or an operator) decide, with the reason written down. Upheld takes
    the incident out of her counts (F(), never below zero); deciding twice is refused.

    Raises NotFound (not this agency's appeal), ValidationFailed (`note`), Conflict
    `already_decided`.
    """
    now = now or timezone.now()
    note = (note or "").strip()
    appeal = ReliabilityAppeal.objects.select_related("worker").filter(pk=appeal_id).first()
    allowed = appeal is not None and (
        actor.is_operator
        or (appeal.agency_id is not None and appeal.agency_id == staff_agency_id(actor))
    )
    if not allowed:
        raise NotFound(_("申诉不存在。"))
    if actor.role not in (Role.AGENCY_STAFF, Role.OPERATOR) and not actor.is_operator:
        raise PermissionDeniedError(_("只有家政企业或平台可以处理申诉。"))
    if not note:
        raise ValidationFailed(_("请写明处理理由。"), field="note")
    status = AppealStatus.UPHELD if upheld else AppealStatus.REJECTED
    with transaction.atomic():
        claimed = ReliabilityAppeal.objects.filter(
            pk=appeal.pk, status=AppealStatus.PENDING
        ).update(status=status, decision_note=note[:1000], decided_by=actor, decided_at=now)
        if not claimed:
            raise Conflict(_("该申诉已经处理过了。"), code="already_decided")
        if upheld:
            counter = (
                "no_shows" if appeal.incident == IncidentKind.NO_SHOW else ("late_cancellations")
            )
            WorkerProfile.objects.filter(pk=appeal.worker_id, **{f"{counter}__gt": 0}).update(
                **{counter: F(counter) - 1}
            )
        send_event_on_commit(
            event_type=NOTIFICATION,
            recipients=[appeal.worker.user_id],
            payload={
                "kind": "appeal.decided",
                "appeal": appeal.pk,
                "status": status,
                "order": appeal.order_id,
                "message": (
                    _("您对订单#%(order)s的申诉成立，该记录已从信用记录中移除。")
                    if upheld
                    else _("您对订单#%(order)s的申诉被驳回：%(note)s")
                )
                % {"order": appeal.order_id, "note": note},
            },
        )
    appeal.refresh_from_db()
    return appeal
