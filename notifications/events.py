"""The one way services tell users that something happened.

`send_event_on_commit` stores a Notification for each recipient inside the caller's transaction
and, once the transaction commits, pushes the event to each recipient's socket group. Nothing
is ever broadcast: recipients are explicit user ids. (STYLE.md "Real time")
"""

from collections.abc import Iterable

from django.db import transaction

from notifications.delivery import deliveries_plan
from notifications.models import Notification
from notifications.publisher import publish

# Event types (PRODUCT.md §5). Chat travels by its own path (chat.services), no inbox row.
OFFER_CREATED = "offer.created"
OFFER_WITHDRAWN = "offer.withdrawn"
ORDER_UPDATED = "order.updated"
NOTIFICATION = "notification"


def user_group(user_id: int) -> str:
    """The channel-layer group of one user's sockets."""
    return f"user.{user_id}"


def push_to_users(user_ids: Iterable[int], frame: dict) -> None:
    """Send a frame to the sockets of the given users now (call after commit): one batch for
    all of them, handed to the process's publisher without waiting (notifications.publisher)."""
    publish([_push(user_id, frame) for user_id in sorted(set(user_ids))])


def _push(user_id: int, frame: dict) -> tuple[str, dict]:
    return user_group(user_id), {"type": "push.frame", "frame": frame}


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
        publish(
            [
                _push(
                    user_id,
                    {
                        "type": event_type,
                        "notification_id": by_user[user_id].pk,
                        "created_at": by_user[user_id].created_at.isoformat(),
                        **payload,
                    },
                )
                for user_id in user_ids
            ]
        )

    transaction.on_commit(push)
    return notifications
