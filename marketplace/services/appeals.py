"""A worker appeals a reliability incident; her agency (or an operator) decides."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.exceptions import Conflict, NotFound, PermissionDeniedError, ValidationFailed
from marketplace.models import (
    AgencyStaff,
    AppealStatus,
    IncidentKind,
    ReliabilityAppeal,
    Role,
    User,
    WorkerProfile,
)
from marketplace.selectors.agencies import current_agency, staff_agency_id
from notifications.events import NOTIFICATION, send_event_on_commit


def _decider_ids(appeal: ReliabilityAppeal) -> list[int]:
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
    """She appeals one of her recorded incidents (`incidents`, as orders.selectors.
    worker_incidents lists them) to her current agency (operators without one).

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
