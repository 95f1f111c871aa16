"""Who is on a live socket right now, across every daphne process.

Each open socket owns one `SocketPresence` row (its channel name), written when it opens,
refreshed every PRESENCE_REFRESH_SECONDS while it lives and deleted when it closes. A process
killed without closing leaves rows that stop being refreshed and count as gone after twice the
interval. Asking is one indexed query; the channel layer's groups cannot be asked who is in them.
"""

import datetime as dt

from django.conf import settings
from django.utils import timezone

from notifications.models import SocketPresence


def _allowance() -> dt.timedelta:
    return dt.timedelta(seconds=2 * settings.REACH["PRESENCE_REFRESH_SECONDS"])


def presence_join(*, user_id: int, channel_name: str) -> None:
    SocketPresence.objects.update_or_create(
        channel_name=channel_name, defaults={"user_id": user_id, "seen_at": timezone.now()}
    )


def presence_refresh(*, channel_name: str) -> None:
    SocketPresence.objects.filter(channel_name=channel_name).update(seen_at=timezone.now())


def presence_leave(*, channel_name: str) -> None:
    SocketPresence.objects.filter(channel_name=channel_name).delete()


def is_present(user_id: int, *, now: dt.datetime | None = None) -> bool:
    """Whether the user has a socket that was alive within the allowance."""
    now = now or timezone.now()
    return SocketPresence.objects.filter(user_id=user_id, seen_at__gte=now - _allowance()).exists()


def presence_prune(*, now: dt.datetime | None = None) -> int:
    """Delete the rows of sockets whose process died; returns how many."""
    now = now or timezone.now()
    deleted, _ = SocketPresence.objects.filter(seen_at__lt=now - _allowance()).delete()
    return deleted
