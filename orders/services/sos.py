"""A worker's call for help, and the safety timer.

- SOS: the worker alerts her agency's staff (the order's agency, else her current roster
  agency; operators when she has none), live and in their inbox, with time and position.
- Safety timer: `safety_overdue_alerts_due` (run by the periodic command) alerts the same
  people once per visit that is checked in and not checked out SAFETY_OVERDUE_MINUTES after
  its scheduled end; a unique constraint settles concurrent runs.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.exceptions import Conflict, NotFound, PermissionDeniedError, ValidationFailed
from marketplace.models import AgencyStaff, Role, RosterEntry, User
from notifications.events import send_event_on_commit
from orders.models import Occurrence, Order, SafetyAlert, SafetyAlertKind
from orders.parties import party_of
from orders.statuses import OccurrenceStatus, OrderStatus, Party

SAFETY_SOS = "safety.sos"
SAFETY_OVERDUE = "safety.overdue"


def safety_recipient_ids(order: Order) -> list[int]:
    """Staff of the order's agency, else of her current agency; operators when she has none."""
    agency_id = order.agency_id
    if agency_id is None:
        agency_id = (
            RosterEntry.objects.filter(worker_id=order.worker_id, status=RosterEntry.Status.ACTIVE)
            .values_list("agency_id", flat=True)
            .first()
        )
    if agency_id is not None:
        staff = list(
            AgencyStaff.objects.filter(agency_id=agency_id, user__is_active=True).values_list(
                "user_id", flat=True
            )
        )
        if staff:
            return sorted(staff)
    return sorted(
        User.objects.filter(Q(role=Role.OPERATOR) | Q(is_superuser=True), is_active=True)
        .values_list("pk", flat=True)
        .distinct()
    )


def _alert_payload(alert: SafetyAlert, order: Order, message: str) -> dict:
    return {
        "alert": alert.pk,
        "kind": alert.kind,
        "order": order.pk,
        "occurrence": alert.occurrence_id,
        "worker": order.worker_id,
        "worker_name": order.worker.real_name,
        "at": (alert.created_at or timezone.now()).isoformat(),
        "latitude": alert.latitude,
        "longitude": alert.longitude,
        "accuracy_m": alert.accuracy_m,
        "message": message,
    }


SOS_STATUSES = (OrderStatus.CONFIRMED, OrderStatus.IN_PROGRESS, OrderStatus.DISPUTED)


def safety_sos_raise(
    *,
    order_id: int,
    actor: User,
    latitude: float | None = None,
    longitude: float | None = None,
    accuracy_m: float | None = None,
) -> SafetyAlert:
    """The worker asks for help during a service: her agency's staff get it live and in their
    inbox (operators when she has no agency). Raises NotFound, PermissionDeniedError (not the
    worker), ValidationFailed (half a position), Conflict `not_in_service`."""
    order = Order.objects.select_related("worker", "request", "agency").filter(pk=order_id).first()
    party = party_of(actor, order) if order is not None else None
    if party is None:
        raise NotFound(_("订单不存在。"))
    if party != Party.WORKER:
        raise PermissionDeniedError(_("只有服务员本人可以发出求助。"), code="wrong_party")
    if order.status not in SOS_STATUSES:
        raise Conflict(_("只能在服务期间发出求助。"), code="not_in_service")
    if (latitude is None) != (longitude is None):
        raise ValidationFailed(_("请同时提供纬度和经度。"), field="latitude")
    visit = (
        Occurrence.objects.filter(
            order=order, status=OccurrenceStatus.SCHEDULED, checked_in_at__isnull=False
        )
        .order_by("-checked_in_at", "-pk")
        .first()
    )
    recipients = safety_recipient_ids(order)
    with transaction.atomic():
        alert = SafetyAlert.objects.create(
            order=order,
            occurrence=visit,
            worker=order.worker,
            kind=SafetyAlertKind.SOS,
            latitude=latitude,
            longitude=longitude,
            accuracy_m=accuracy_m,
            recipients=recipients,
        )
        message = _("紧急求助：服务员%(name)s在订单#%(order)s服务中发出求助，请立即联系她。") % {
            "name": order.worker.real_name,
            "order": order.pk,
        }
        send_event_on_commit(
            event_type=SAFETY_SOS,
            recipients=recipients,
            payload=_alert_payload(alert, order, message),
        )
    return alert


def safety_overdue_alerts_due(*, now: dt.datetime | None = None) -> int:
    """Alert once per visit checked in and not out SAFETY_OVERDUE_MINUTES after its end.

    Each alert is an insert under a unique constraint in its own savepoint: a concurrent run
    that loses the insert sends nothing. Returns how many alerts this call raised.
    """
    now = now or timezone.now()
    cutoff = now - dt.timedelta(minutes=int(settings.MEIJIA.get("SAFETY_OVERDUE_MINUTES", 60)))
    due = list(
        Occurrence.objects.filter(
            order__status__in=(OrderStatus.IN_PROGRESS, OrderStatus.DISPUTED),
            status=OccurrenceStatus.SCHEDULED,
            checked_in_at__isnull=False,
            checked_out_at__isnull=True,
            ends_at__lte=cutoff,
        )
        .exclude(safety_alerts__kind=SafetyAlertKind.OVERDUE)
        .select_related("order__worker", "order__request")
        .order_by("ends_at", "pk")
    )
    raised = 0
    for visit in due:
        order = visit.order
        recipients = safety_recipient_ids(order)
        try:
            with transaction.atomic():
                alert = SafetyAlert.objects.create(
                    order=order,
                    occurrence=visit,
                    worker=order.worker,
                    kind=SafetyAlertKind.OVERDUE,
                    recipients=recipients,
                )
                message = _(
                    "安全提醒：服务员%(name)s在订单#%(order)s的服务已超过结束时间仍未签退，"
                    "请联系确认她的安全。"
                ) % {"name": order.worker.real_name, "order": order.pk}
                send_event_on_commit(
                    event_type=SAFETY_OVERDUE,
                    recipients=recipients,
                    payload={
                        **_alert_payload(alert, order, message),
                        "ends_at": visit.ends_at.isoformat(),
                    },
                )
        except IntegrityError:
            continue
        raised += 1
    return raised
