"""The one way services tell users that something happened.

`send_event_on_commit` stores a Notification for each recipient inside the caller's transaction
and, once the transaction commits, pushes the event to each recipient's socket group. Nothing
is ever broadcast: recipients are explicit user ids. (STYLE.md "Real time")
"""

import logging
from collections.abc import Iterable

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from notifications.delivery import deliveries_plan
from notifications.models import Notification

logger = logging.getLogger(__name__)

# Event types (PRODUCT.md §5). Chat travels by its own path (chat.services), no inbox row.
OFFER_CREATED = "offer.created"
OFFER_WITHDRAWN = "offer.withdrawn"
ORDER_UPDATED = "order.updated"
NOTIFICATION = "notification"


def user_group(user_id: int) -> str:
    """The channel-layer group of one user's sockets."""
    return f"user.{user_id}"


def push_to_users(user_ids: Iterable[int], frame: dict) -> None:
    """Send a frame to the sockets of the given users now (call after commit)."""
    layer = get_channel_layer()
    if layer is None:
        return
    for user_id in sorted(set(user_ids)):
        try:
            async_to_sync(layer.group_send)(
                user_group(user_id), {"type": "push.frame", "frame": frame}
            )
        except Exception:  # the inbox row is already stored; a socket miss is recoverable
            logger.exception("could not push %s to user %s", frame.get("type"), user_id)


def push_on_commit(*, recipients: Iterable[int], frame: dict) -> None:
    """Push `frame` to the users' sockets once the caller's transaction commits, without an
    inbox row (chat messages and read markers: the chat itself is their record)."""
    user_ids = sorted(set(recipients))
    transaction.on_commit(lambda: push_to_users(user_ids, frame))


def send_event_on_commit(
    *, event_type: str, recipients: Iterable[int], payload: dict
) -> list[Notification]:
    """Store `event_type` in each recipient's inbox now and push it live after commit.

    Must be called inside the service's transaction, so that a rolled-back action leaves
    neither an inbox row nor a pushed event.
    """
    user_ids = sorted(set(recipients))
    notifications = Notification.objects.bulk_create(
        [Notification(user_id=user_id, type=event_type, payload=payload) for user_id in user_ids]
    )
    deliveries_plan(notifications)  # push and SMS rows, sent by the delivery worker
    by_user = {n.user_id: n for n in notifications}

    def push() -> None:
        for user_id in user_ids:
            notification = by_user[user_id]
            frame = {
                "type": event_type,
                "notification_id": notification.pk,
                "created_at": notification.created_at.isoformat(),
                **payload,
            }
            push_to_users([user_id], frame)

    transaction.on_commit(push)
    return notifications
