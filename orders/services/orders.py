"""The order state machine: one service per transition, all through `order_transition`.

Fee rule for cancellations (PRODUCT.md §3, shown by `order_cancel_preview`):
- the household cancels free until MEIJIA["FREE_CANCELLATION_HOURS"] hours before the start;
  later it owes MEIJIA["LATE_CANCELLATION_FEE_PERCENT"] % of the price (rounded down to a fen);
- a worker's late cancellation costs no money but adds one to `worker.late_cancellations`;
- agency staff cancel without a fee;
- a recorded worker no-show cancels the order with no fee for the household and adds one to
  `worker.no_shows`; a recorded household no-show cancels it with the full price as fee.
After a cancellation the request reopens (matched → open, with a new offer wave) when its start
is still in the future, otherwise it is cancelled.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from backend.exceptions import InvalidTransition, NotFound
from marketplace.models import User
from notifications.events import ORDER_UPDATED, send_event_on_commit
from orders.models import Order, OrderEvent
from orders.parties import order_party_user_ids
from orders.statuses import ORDER_TRANSITIONS, can_transition


def order_event_payload(order: Order, event: OrderEvent) -> dict:
    """The `order.updated` frame body: enough for a client to refresh the order."""
    return {
        "order": order.pk,
        "request": order.request_id,
        "status": order.status,
        "from_status": event.from_status,
        "to_status": event.to_status,
        "reason": event.reason,
        "event": event.pk,
        "at": event.created_at.isoformat() if event.created_at else timezone.now().isoformat(),
    }


def order_transition(
    *,
    order_id: int,
    to_status: str,
    actor: User | None,
    reason: str = "",
    data: dict | None = None,
    updates: dict | None = None,
) -> Order:
    """Move an order along ORDER_TRANSITIONS, record the event and tell the parties.

    Locks the order row (select_for_update; SQLite serialises writers). Raises NotFound when
    the order does not exist and InvalidTransition (409, with current_status) when the move is
    not allowed now; nothing is changed then.
    """
    with transaction.atomic():
        order = (
            Order.objects.select_for_update()
            .select_related("worker", "request")
            .filter(pk=order_id)
            .first()
        )
        if order is None:
            raise NotFound("订单不存在。")
        from_status = order.status
        if not can_transition(ORDER_TRANSITIONS, from_status, to_status):
            raise InvalidTransition(entity="order", current=from_status, target=to_status)
        fields = {"status", "updated_at"}
        for field, value in (updates or {}).items():
            setattr(order, field, value)
            fields.add(field)
        order.status = to_status
        order.save(update_fields=sorted(fields))
        event = OrderEvent.objects.create(
            order=order,
            actor=actor,
            from_status=from_status,
            to_status=to_status,
            reason=reason[:300],
            data=data or {},
        )
        send_event_on_commit(
            event_type=ORDER_UPDATED,
            recipients=order_party_user_ids(order),
            payload=order_event_payload(order, event),
        )
    return order
