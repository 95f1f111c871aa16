"""Inbox writes: marking notifications read. (Events are written by `notifications.events`.)"""

from django.contrib.auth.base_user import AbstractBaseUser
from django.utils import timezone
from django.utils.translation import gettext

from backend.exceptions import NotFound
from notifications.models import Notification


def notification_mark_read(*, notification_id: int, user: AbstractBaseUser) -> Notification:
    """Mark one of the user's own notifications read. Raises NotFound for anyone else's."""
    Notification.objects.filter(pk=notification_id, user_id=user.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    notification = Notification.objects.filter(pk=notification_id, user_id=user.pk).first()
    if notification is None:
        raise NotFound(gettext("通知不存在。"), code="not_found")
    return notification


def notifications_mark_all_read(*, user: AbstractBaseUser) -> int:
    """Mark every unread notification of the user read; returns how many changed."""
    return Notification.objects.filter(user_id=user.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )
