"""The order state machine's core: every status change goes through `order_transition` (table
guard, row lock, event row, push after commit) and every order event, status change or not, is
written by `order_event_record`. The transitions themselves live by concept: attendance,
cancellation, disputes, contracts, occurrences, placements; offers create the order."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.exceptions import InvalidTransition, NotFound, PermissionDeniedError
from backend.fact_changes import order_facts_changed
from marketplace.models import User
from notifications.events import ORDER_UPDATED, send_event_on_commit
from orders.locks import lock_order
from orders.models import Order, OrderEvent
from orders.parties import order_party_user_ids, party_of
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


def order_event_record(
    *,
    order: Order,
    actor: User | None,
    reason: str,
    data: dict | None = None,
    from_status: str | None = None,
    to_status: str | None = None,
    data_in_payload: bool = False,
) -> OrderEvent:
    """Write one order event and push `order.updated` to the parties after commit.

    Without `from_status`/`to_status` the event records a change that keeps the order in its
    status (a visit checked in, moved or cancelled); `data_in_payload` adds `data` to the frame.
    Call inside the transaction that made the change.
    """
    data = data or {}
    event = OrderEvent.objects.create(
        order=order,
        actor=actor,
        from_status=order.status if from_status is None else from_status,
        to_status=order.status if to_status is None else to_status,
        reason=reason[:300],
        data=data,
    )
    payload = order_event_payload(order, event)
    send_event_on_commit(
        event_type=ORDER_UPDATED,
        recipients=order_party_user_ids(order),
        payload={**payload, **data} if data_in_payload else payload,
    )
    return event


def order_transition(
    *,
    order_id: int,
    to_status: str,
    actor: User | None,
    reason: str = "",
    data: dict | None = None,
    updates: dict | None = None,
    from_statuses: tuple[str, ...] | None = None,
) -> Order:
    """Move an order along ORDER_TRANSITIONS, record the event and tell the parties.

    `from_statuses` narrows the table for one action (confirming must come from
    awaiting_confirmation, not from disputed, though both may lead to completed).

    Locks the order row, and with its read the worker and request rows (orders/locks.py).
    Raises NotFound when the order does not exist and InvalidTransition (409, with
    current_status) when the move is not allowed now; nothing is changed then.
    """
    with transaction.atomic():
        order = lock_order(order_id, related=("worker", "request"), only_order=False)
        if order is None:
            raise NotFound(_("订单不存在。"))
        from_status = order.status
        if not can_transition(ORDER_TRANSITIONS, from_status, to_status) or (
            from_statuses is not None and from_status not in from_statuses
        ):
            raise InvalidTransition(entity="order", current=from_status, target=to_status)
        fields = {"status", "updated_at"}
        for field, value in (updates or {}).items():
            setattr(order, field, value)
            fields.add(field)
        order.status = to_status
        order.save(update_fields=sorted(fields))
        order_event_record(
            order=order,
            actor=actor,
            reason=reason,
            data=data,
            from_status=from_status,
            to_status=to_status,
        )
        order_facts_changed(order_id=order.pk)
    return order


# ---------------------------------------------------------------------------------------------
# Guards shared by the transitions.


def order_for_party(*, order_id: int, user: User) -> tuple[Order, str]:
    """The order and the user's party on it; NotFound for anyone who is not a party."""
    order = Order.objects.select_related("worker", "request").filter(pk=order_id).first()
    party = party_of(user, order) if order is not None else None
    if party is None:
        raise NotFound(_("订单不存在。"))
    return order, party


def party_required(party: str, allowed: tuple[str, ...], action: str) -> None:
    if party not in allowed:
        raise PermissionDeniedError(
            _("您不能执行此操作：%(action)s。") % {"action": action}, code="wrong_party"
        )


def refuse_unless_status(order: Order, *statuses: str, target: str) -> None:
    """Early 409 (before any side rule) when the order is not in one of `statuses`."""
    if order.status not in statuses:
        raise InvalidTransition(entity="order", current=order.status, target=target)
