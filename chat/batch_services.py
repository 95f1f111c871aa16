"""Chat sends stored many per transaction (the socket's path: `chat.writer` hands over what
arrived from every socket of the process while the previous batch was being stored).

Each send gets exactly the answer `chat_services.chat_message_send` would give it, through the
same checks in the same order: the body and client_id rules (`_clean_body`, `_clean_client_id`),
the party check (`orders.parties.party_of`, NotFound for strangers), a resend answered with the
stored message, then `chat_is_open`. What is shared is the work: the orders are read and locked
in one query and the new messages inserted in one. A resend is rare (a reconnecting client),
so stored client_ids are not looked up first: the unique constraint refuses the insert, and
the batch is then stored one send at a time by `chat_message_send`, which finds them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext

from backend.exceptions import Conflict, DomainError, NotFound
from chat import services as chat_services
from chat.models import ChatMessage
from marketplace.models import User
from notifications.events import push_on_commit
from orders.models import Order
from orders.parties import order_party_user_ids, party_of

# (message, created) or the domain error this one send is answered with
SendResult = tuple[ChatMessage, bool] | DomainError


@dataclass(frozen=True)
class ChatSend:
    """One `chat.send`: who, to which order, what."""

    order_id: int
    sender: User
    body: object
    client_id: object


def chat_messages_send(*, sends: Sequence[ChatSend]) -> list[SendResult]:
    """Store the sends, in order, in one transaction; answer each as `chat_message_send` does.

    Locks the orders' rows (`orders.locks` order: ascending id, FOR UPDATE of the order only)
    so that within one order ids are committed in the order given. A concurrent resend from
    another process that wins the (order, sender, client_id) constraint makes the batch fall
    back to storing its sends one by one through `chat_message_send`.
    """
    results: list[SendResult | None] = [None] * len(sends)
    cleaned: dict[int, tuple[str, str | None]] = {}
    for index, send in enumerate(sends):
        try:
            cleaned[index] = (
                chat_services._clean_body(send.body),
                chat_services._clean_client_id(send.client_id),
            )
        except DomainError as error:
            results[index] = error
    if not cleaned:
        return results  # type: ignore[return-value]
    if not connection.features.can_return_rows_from_bulk_insert:
        return [result or _one_by_one(sends[i]) for i, result in enumerate(results)]
    try:
        with transaction.atomic():
            later = _store(sends, cleaned, results)
    except IntegrityError:
        # A resend of a message stored by an earlier batch (the constraint on order, sender and
        # client_id refused the insert): each send goes the one-message way, which finds it.
        later = list(cleaned)
    for index in later:
        results[index] = _one_by_one(sends[index])
    return results  # type: ignore[return-value]


def _one_by_one(send: ChatSend) -> SendResult:
    try:
        return chat_services.chat_message_send(
            order_id=send.order_id, sender=send.sender, body=send.body, client_id=send.client_id
        )
    except DomainError as error:
        return error


# What the party check, chat_is_open and the recipients read (half the cost of whole rows).
_ORDER_FIELDS = (
    "household_id",
    "agency_id",
    "status",
    "completed_at",
    "cancelled_at",
    "updated_at",
    "worker__user_id",
)


def _locked_orders(order_ids: set[int]) -> dict[int, Order]:
    rows = (
        Order.objects.select_for_update(of=("self",))
        .select_related("worker")
        .only(*_ORDER_FIELDS)
        .filter(pk__in=order_ids)
        .order_by("pk")
    )
    return {order.pk: order for order in rows}


def _store(sends, cleaned, results) -> list[int]:
    """Store what can be stored at once; answers the indexes left for `chat_message_send`."""
    orders = _locked_orders({sends[index].order_id for index in cleaned})
    later: list[int] = []
    in_batch: dict[tuple, ChatMessage] = {}
    new: list[tuple[int, ChatMessage]] = []
    for index, (body, client_id) in cleaned.items():
        send = sends[index]
        order = orders.get(send.order_id)
        key = (send.order_id, send.sender.pk, client_id)
        if order is None or party_of(send.sender, order) is None:
            results[index] = NotFound(gettext("订单不存在。"), code="not_found")
        elif client_id is not None and key in in_batch:
            results[index] = (in_batch[key], False)  # a resend within this batch
        elif not chat_services.chat_is_open(order):
            if client_id is None:
                results[index] = Conflict(gettext("该订单的聊天已关闭。"), code="chat_closed")
            else:  # a resend of a stored message is still answered with it
                later.append(index)
        else:
            message = ChatMessage(order=order, sender=send.sender, body=body, client_id=client_id)
            if client_id is not None:
                in_batch[key] = message
            new.append((index, message))
    _insert(new, results, orders)
    return later


def _insert(new: list[tuple[int, ChatMessage]], results, orders: dict[int, Order]) -> None:
    messages = [message for _, message in new]
    ChatMessage.objects.bulk_create(messages)
    for index, message in new:
        results[index] = (message, True)
    parties = {m.order_id: order_party_user_ids(orders[m.order_id]) for m in messages}
    for message in messages:
        push_on_commit(
            recipients=parties[message.order_id], frame=chat_services.chat_message_frame(message)
        )
