"""Browsers' Web Push subscriptions: saved per device, renewed, removed."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from backend.exceptions import ValidationFailed
from notifications.models import PushSubscription
from notifications.webpush import push_is_configured


def push_subscription_save(
    *,
    user_id: int,
    endpoint: str,
    p256dh: str,
    auth: str,
    user_agent: str = "",
    expires_at: dt.datetime | None = None,
) -> PushSubscription:
    """Save (or move to this user and renew) one browser's subscription; its endpoint is unique.
    Raises ValidationFailed when push is not configured on this server."""
    if not push_is_configured():
        raise ValidationFailed("Web Push is not configured.", code="push_not_configured")
    longest = timezone.now() + dt.timedelta(days=settings.REACH["PUSH_SUBSCRIPTION_DAYS"])
    subscription, _ = PushSubscription.objects.update_or_create(
        endpoint=endpoint,
        defaults={
            "user_id": user_id,
            "p256dh": p256dh,
            "auth": auth,
            "user_agent": user_agent[:300],
            "expires_at": min(expires_at, longest) if expires_at else longest,
        },
    )
    return subscription


def push_subscription_delete(*, user_id: int, endpoint: str) -> int:
    deleted, _ = PushSubscription.objects.filter(user_id=user_id, endpoint=endpoint).delete()
    return deleted
