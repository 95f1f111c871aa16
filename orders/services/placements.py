"""Placement replacement: in the trial period the household may ask for another worker.

Rules (written into the contract, PRODUCT.md §3):
- Only the household, only for a placement order, only before `trial_ends_at`
  (409 "not_placement" / "trial_over"), only from a status the order table allows to become
  `replaced` (today: in_progress).
- Settlement of the first worker's part: days served × daily price. Days served are calendar
  days in Asia/Shanghai from the start day to the replacement day, both included (a started
  day counts whole; 0 when the service has not started). Daily price: the unit price for a
  per-day placement; a per-month unit price / 30 (computed as days × monthly price / 30,
  rounded half up to a fen); without a unit price, the order price / term days. Never more
  than the order price (orders.pricing.settlement_for).
- Her visit is split: the served part stays hers and ends now; the rest of the term becomes a
  new unassigned visit. The rest starts at the next day at the original start's local clock
  time (or at the original start when the service has not begun), so the request does not
  expire at once while matching runs for a replacement.
- The order goes in_progress → replaced through order_transition (event, order.updated), with
  `settlement_amount`; the request goes matched → open with the rest's start, and the next
  offer wave is sent (orders.services.offers.offer_wave_send).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.exceptions import (
    Conflict,
    InvalidTransition,
    NotFound,
    PermissionDeniedError,
    ValidationFailed,
)
from backend.localtime import local_day, local_time
from marketplace.models import User
from notifications.events import NOTIFICATION, send_event_on_commit
from orders.locks import lock_order, lock_request, lock_visits, lock_worker
from orders.models import Occurrence, Order, ServiceRequest
from orders.parties import order_party_user_ids, party_of
from orders.pricing import days_served, settlement_for
from orders.services.offers import offer_wave_send
from orders.services.orders import order_transition
from orders.services.transitions import request_transition
from orders.statuses import (
    ORDER_TRANSITIONS,
    OccurrenceStatus,
    OrderStatus,
    Party,
    RequestKind,
    RequestStatus,
    can_transition,
)


def rest_of_term_start(*, order: Order, now: dt.datetime) -> dt.datetime:
    """When the replacement worker's part begins (see the module docstring)."""
    if order.starts_at > now:
        return order.starts_at
    start_local = local_time(order.starts_at)
    next_day = local_day(now) + dt.timedelta(days=1)
    return dt.datetime.combine(next_day, start_local.timetz()).astimezone(dt.UTC)


def _refuse_unless_replaceable(*, order: Order, service_request: ServiceRequest, now) -> None:
    """Conflict "not_placement" / "trial_over", InvalidTransition (order status)."""
    if service_request.kind != RequestKind.PLACEMENT:
        raise Conflict(_("只有长期驻家订单可以更换服务员。"), code="not_placement")
    if order.trial_ends_at is None or now >= order.trial_ends_at:
        raise Conflict(_("试用期已结束，不能更换服务员。"), code="trial_over")
    if not can_transition(ORDER_TRANSITIONS, order.status, OrderStatus.REPLACED):
        raise InvalidTransition(entity="order", current=order.status, target=OrderStatus.REPLACED)


def _split_visits(
    *, order: Order, service_request: ServiceRequest, now: dt.datetime, rest_starts_at
) -> None:
    """Split her visit(s): the served part stays hers, the rest becomes an open visit."""
    visits = lock_visits(Occurrence.objects.filter(order=order, status=OccurrenceStatus.SCHEDULED))
    rest = []
    for visit in visits:
        if visit.ends_at <= now:
            continue
        rest.append(
            Occurrence(
                request_id=service_request.pk,
                starts_at=max(visit.starts_at, rest_starts_at),
                ends_at=visit.ends_at,
                original_starts_at=visit.original_starts_at,
                change_reason=_("试用期内更换服务员后的剩余服务期")[:200],
            )
        )
        if visit.starts_at < now:
            visit.ends_at = now
            visit.change_reason = _("试用期内更换服务员，服务至此结束")[:200]
            visit.save(update_fields=["ends_at", "change_reason"])
        else:
            visit.status = OccurrenceStatus.CANCELLED
            visit.change_reason = _("试用期内更换服务员")[:200]
            visit.save(update_fields=["status", "change_reason"])
    rest = [visit for visit in rest if visit.ends_at > visit.starts_at]
    Occurrence.objects.bulk_create(rest)


def _notify_replaced(*, order: Order, service_request: ServiceRequest, served, settlement):
    send_event_on_commit(
        event_type=NOTIFICATION,
        recipients=order_party_user_ids(order),
        payload={
            "kind": "placement.replaced",
            "order": order.pk,
            "request": service_request.pk,
            "days_served": served,
            "settlement_amount": settlement,
            "message": _("雇主在试用期内申请更换服务员，平台将为剩余服务期重新匹配。"),
        },
    )


def placement_replace(*, order_id: int, user: User, reason: str) -> Order:
    """End the first worker's part of a placement in its trial and reopen matching.

    Locks worker → request → order → its visits (orders/locks.py). Raises NotFound (not a
    party), PermissionDeniedError (not the household), ValidationFailed (reason), Conflict
    "not_placement" / "trial_over" / "term_over", InvalidTransition (order status).
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("请填写更换原因。"), field="reason")
    now = timezone.now()
    with transaction.atomic():
        found = Order.objects.select_related("worker").filter(pk=order_id).first()
        party = party_of(user, found) if found is not None else None
        if party is None:
            raise NotFound(_("订单不存在。"))
        if party != Party.HOUSEHOLD:
            raise PermissionDeniedError(_("只有雇主可以申请更换服务员。"))
        lock_worker(found.worker_id)
        service_request = lock_request(found.request_id)
        order = lock_order(order_id)
        _refuse_unless_replaceable(order=order, service_request=service_request, now=now)
        rest_starts_at = rest_of_term_start(order=order, now=now)
        if rest_starts_at >= order.ends_at:
            raise Conflict(_("剩余服务期不足一天，不能更换服务员。"), code="term_over")

        served = days_served(starts_at=order.starts_at, until=now)
        settlement = settlement_for(order=order, service_request=service_request, days=served)
        _split_visits(
            order=order, service_request=service_request, now=now, rest_starts_at=rest_starts_at
        )
        order = order_transition(
            order_id=order.pk,
            to_status=OrderStatus.REPLACED,
            actor=user,
            reason=reason,
            data={
                "days_served": served,
                "settlement_amount": settlement,
                "rest_starts_at": rest_starts_at.isoformat(),
            },
            updates={"settlement_amount": settlement, "ends_at": max(now, order.starts_at)},
        )
        reopened = request_transition(
            request_id=service_request.pk,
            to_status=RequestStatus.OPEN,
            actor=user,
            reason=reason,
            from_statuses=(RequestStatus.MATCHED,),
            updates={"starts_at": rest_starts_at, "matched_at": None},
            quiet=True,
        )
        _notify_replaced(
            order=order, service_request=service_request, served=served, settlement=settlement
        )
        if reopened:
            offer_wave_send(request_id=service_request.pk, now=now)
    return order
