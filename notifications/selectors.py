"""Reads for the inbox."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import QuerySet

from notifications.models import Notification


def notifications_of(
    *, user: AbstractBaseUser, unread_only: bool = False
) -> QuerySet[Notification]:
    """The user's inbox, newest first."""
    queryset = Notification.objects.filter(user_id=user.pk).order_by("-id")
    if unread_only:
        queryset = queryset.filter(read_at__isnull=True)
    return queryset
