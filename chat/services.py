"""Chat writes. Messages are stored first, then delivered after commit.

Chat messages are not copied into the Notification inbox (one row per message per party would
swamp it); an offline user finds them through the per-order unread counts
(`selectors.chat_unread_counts`, GET chats/unread/) and the history endpoint.
"""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext

from backend import input_rules
from backend.exceptions import Conflict, ValidationFailed
from chat.models import MAX_MESSAGE_LENGTH, ChatMessage, ReadMarker
from chat.selectors import order_for_party
from marketplace.models import User
from notifications.events import push_on_commit
from orders.locks import lock_order
from orders.models import Order
from orders.parties import order_party_user_ids
from orders.statuses import OrderStatus

CHAT_MESSAGE = "chat.message"
CHAT_READ = "chat.read"
MAX_CLIENT_ID_LENGTH = 64


def chat_message_frame(message: ChatMessage) -> dict:
    """The `chat.message` frame, identical over the socket, resync and REST history."""
    sender = message.sender
    return {
        "type": CHAT_MESSAGE,
        "order": message.order_id,
        "id": message.pk,
        "sender": message.sender_id,
        "sender_name": sender.display_name or sender.username,
        "body": message.body,
        "created_at": message.created_at.isoformat(),
        "client_id": message.client_id,
    }


def chat_is_open(order: Order) -> bool:
    """Whether new messages may still be sent: always while the order is live, and for
    MEIJIA["CHAT_OPEN_DAYS_AFTER_CLOSE"] days after it was completed, cancelled or replaced
    (questions about fees and reviews come after the end). Reading is never closed."""
    closed_at = {
        OrderStatus.COMPLETED: order.completed_at,
        OrderStatus.CANCELLED: order.cancelled_at,
        OrderStatus.REPLACED: None,
    }
    if order.status not in closed_at:
        return True
    ended = closed_at[order.status] or order.updated_at
    days = settings.MEIJIA.get("CHAT_OPEN_DAYS_AFTER_CLOSE", 14)
    return timezone.now() < ended + timedelta(days=days)


def _clean_body(body) -> str:
    """The one body rule of REST and socket: not empty, not too long, no control characters."""
    if not isinstance(body, str) or not body.strip():
        raise ValidationFailed(gettext("消息不能为空。"), code="empty", field="body")
    if problem := input_rules.text_problem(body):
        raise ValidationFailed(problem[1], code=problem[0], field="body")
    if len(body) > MAX_MESSAGE_LENGTH:
        raise ValidationFailed(
            gettext("消息不能超过 %(limit)d 个字符。") % {"limit": MAX_MESSAGE_LENGTH},
            code="too_long",
            field="body",
            extra={"max_length": MAX_MESSAGE_LENGTH},
        )
    return body


def _clean_client_id(client_id) -> str | None:
    if client_id is None:
        return None
    if not isinstance(client_id, str) or not client_id or len(client_id) > MAX_CLIENT_ID_LENGTH:
        raise ValidationFailed(
            gettext("client_id 须为 1 到 %(limit)d 个字符的字符串。")
            % {"limit": MAX_CLIENT_ID_LENGTH},
            code="invalid",
            field="client_id",
        )
    return client_id


def chat_message_send(
    *, order_id: int, sender: User, body: str, client_id: str | None
) -> tuple[ChatMessage, bool]:
    """Store a chat message and deliver it after commit to every party's sockets.

    Returns (message, created). The same (order, sender, client_id) stores one message: a
    resend returns the stored one with created=False and delivers nothing again.
    Raises NotFound (no such order or not a party), ValidationFailed (empty, too long, bad
    client_id), Conflict "chat_closed". Locks the order row so that, within one order, ids
    are committed in the order they were given (a client resyncing from its last id never
    skips a message committed late).
    """
    body = _clean_body(body)
    client_id = _clean_client_id(client_id)
    with transaction.atomic():
        order = order_for_party(order_id=order_id, user=sender)
        lock_order(order.pk)
        if client_id is not None:
            existing = _existing_message(order_id=order.pk, sender=sender, client_id=client_id)
            if existing is not None:
                return existing, False
        if not chat_is_open(order):
            raise Conflict(gettext("该订单的聊天已关闭。"), code="chat_closed")
        try:
            with transaction.atomic():
                message = ChatMessage.objects.create(
                    order=order, sender=sender, body=body, client_id=client_id
                )
        except IntegrityError:
            # A concurrent resend won the unique constraint: answer with its message.
            existing = _existing_message(order_id=order.pk, sender=sender, client_id=client_id)
            if existing is None:
                raise
            return existing, False
        message.sender = sender
        push_on_commit(recipients=order_party_user_ids(order), frame=chat_message_frame(message))
    return message, True


def _existing_message(*, order_id: int, sender: User, client_id: str | None) -> ChatMessage | None:
    return (
        ChatMessage.objects.select_related("sender")
        .filter(order_id=order_id, sender_id=sender.pk, client_id=client_id)
        .first()
    )


def chat_mark_read(*, order_id: int, user: User, up_to: int) -> ReadMarker:
    """Move the user's read marker forward to `up_to` (never backwards) and tell the parties.

    `up_to` is clamped to the order's last message id at or below it. The move is a
    conditional UPDATE (last_read_id < new), so concurrent reads from two devices settle on
    the larger. Every party's sockets (the reader's other devices too) get `chat.read` when it
    moved. Raises NotFound (not a party), ValidationFailed (bad up_to).
    """
    if isinstance(up_to, bool) or not isinstance(up_to, int) or up_to < 0:
        raise ValidationFailed(gettext("up_to 须为非负整数。"), code="invalid", field="up_to")
    with transaction.atomic():
        order = order_for_party(order_id=order_id, user=user)
        target = (
            ChatMessage.objects.filter(order_id=order.pk, id__lte=up_to).aggregate(last=Max("id"))[
                "last"
            ]
            or 0
        )
        marker, _ = ReadMarker.objects.get_or_create(order_id=order.pk, user_id=user.pk)
        moved = ReadMarker.objects.filter(pk=marker.pk, last_read_id__lt=target).update(
            last_read_id=target, updated_at=timezone.now()
        )
        marker.refresh_from_db()
        if moved:
            push_on_commit(
                recipients=order_party_user_ids(order),
                frame={
                    "type": CHAT_READ,
                    "order": order.pk,
                    "user": user.pk,
                    "up_to": marker.last_read_id,
                },
            )
    return marker
