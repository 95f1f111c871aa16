"""Every inbox row that matters beyond the app goes out over the channels the user has.

`deliveries_plan` (called where the inbox rows are created, inside the caller's transaction)
writes one `Delivery` row per channel the kind uses; `deliveries_run_due` (the periodic
worker, never a request) decides and sends them. Per notification the channels go in order:

- socket: sent when the user has a live socket (notifications.presence) — the frame itself
  went out on commit (notifications.events); the row records that she was there;
- push: to each of her browsers' subscriptions, unless she was live (SOS: always);
- SMS: the kinds that must not be missed always, offers only when neither reached her; only to a
  verified phone (a code goes to the number it verifies); none in her quiet hours except SOS
  and codes; at most SMS_DAILY_LIMIT_PER_PHONE a day per phone (SOS exempt).

Sending is at least once: a row is claimed by a conditional UPDATE that moves its next attempt
a lease ahead and counts the attempt, the provider is called with no lock or transaction open,
and the outcome is written with a conditional UPDATE; a worker that dies after the call but
before the write leaves the row to be retried after the lease. The unique (notification,
channel) pair keeps everything else from sending twice. Failures retry with exponential
backoff (RETRY_BASE_SECONDS doubling to RETRY_MAX_SECONDS) until MAX_ATTEMPTS or MAX_AGE.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from backend.localtime import local_time, local_zone
from notifications import sms, webpush
from notifications.kinds import SMS_UNREACHED, Kind, kind_of, push_message, sms_template
from notifications.models import Channel, Delivery, DeliveryStatus, Notification, PushSubscription
from notifications.presence import is_present
from notifications.reach import channel_wanted, quiet_hours_end
from notifications.sealing import unseal

logger = logging.getLogger(__name__)

CHANNEL_ORDER = {Channel.SOCKET: 0, Channel.PUSH: 1, Channel.SMS: 2}
SEND, SETTLE, WAIT = "send", "settle", "wait"

DeliveredHandler = Callable[..., None]
_delivered_handlers: dict[str, list[DeliveredHandler]] = {}


def on_delivered(event_type: str, handler: DeliveredHandler) -> None:
    """Call `handler(notification=, channel=, at=)` when a notification of this type first
    reaches its user over a channel (apps above subscribe in their AppConfig.ready)."""
    _delivered_handlers.setdefault(event_type, []).append(handler)


def _channels_of(kind: Kind) -> list[str]:
    channels = []
    if kind.push or kind.sms == SMS_UNREACHED:
        channels.append(Channel.SOCKET)
    if kind.push:
        channels.append(Channel.PUSH)
    if kind.sms:
        channels.append(Channel.SMS)
    return channels


def deliveries_plan(notifications: Iterable[Notification]) -> list[Delivery]:
    """Write the delivery rows of freshly stored inbox rows (inside the caller's transaction)."""
    now = timezone.now()
    rows = []
    for notification in notifications:
        kind = kind_of(notification.type, notification.payload)
        if kind is None:
            continue
        rows.extend(
            Delivery(notification=notification, channel=channel, next_attempt_at=now)
            for channel in _channels_of(kind)
        )
    return Delivery.objects.bulk_create(rows, ignore_conflicts=True)


def backoff(attempts: int) -> dt.timedelta:
    """The wait before the next try after `attempts` failed ones."""
    knobs = settings.REACH
    seconds = knobs["RETRY_BASE_SECONDS"] * 2 ** max(0, attempts - 1)
    return dt.timedelta(seconds=min(seconds, knobs["RETRY_MAX_SECONDS"]))


def deliveries_run_due(*, now: dt.datetime | None = None) -> int:
    """Attempt every delivery that is due; returns how many were settled by this call."""
    now = now or timezone.now()
    due = list(
        Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
        .select_related("notification", "notification__user")
        .order_by("next_attempt_at", "pk")[: settings.REACH["BATCH"]]
    )
    due.sort(key=lambda d: (d.notification_id, CHANNEL_ORDER[d.channel]))
    return sum(1 for delivery in due if delivery_attempt(delivery, now=now))


def delivery_attempt(delivery: Delivery, *, now: dt.datetime) -> bool:
    """Decide and, when it is time, send one delivery; True when it was settled."""
    action, value = _decide(delivery, now=now)
    if action == WAIT:
        Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.PENDING).update(
            next_attempt_at=value
        )
        return False
    if action == SETTLE:
        status, reason = value
        return _settle(delivery, now=now, status=status, error=reason)
    claimed = Delivery.objects.filter(
        pk=delivery.pk, status=DeliveryStatus.PENDING, next_attempt_at__lte=now
    ).update(
        next_attempt_at=now + dt.timedelta(seconds=settings.REACH["LEASE_SECONDS"]),
        attempts=F("attempts") + 1,
    )
    if not claimed:  # another worker has it
        return False
    attempts = delivery.attempts + 1
    if delivery.channel == Channel.PUSH:
        outcome, provider_id, detail = _push(delivery, value, now=now)
        extra = {}
    else:
        outcome, provider_id, detail = _sms(delivery, value)
        extra = {"phone": value, "cost_fen": settings.REACH["SMS_COST_FEN"]}
    if outcome == DeliveryStatus.SENT:
        return _settle(delivery, now=now, status=outcome, provider_id=provider_id, **extra)
    if outcome == "retry" and attempts < settings.REACH["MAX_ATTEMPTS"]:
        Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.PENDING).update(
            next_attempt_at=now + backoff(attempts), error=detail[:300]
        )
        return False
    status = DeliveryStatus.SKIPPED if outcome == DeliveryStatus.SKIPPED else DeliveryStatus.FAILED
    return _settle(delivery, now=now, status=status, error=detail)


def _sibling_statuses(delivery: Delivery) -> dict[str, tuple[str, int]]:
    rows = Delivery.objects.filter(notification_id=delivery.notification_id).exclude(pk=delivery.pk)
    return {
        channel: (status, tries)
        for channel, status, tries in rows.values_list("channel", "status", "attempts")
    }


def _decide(delivery: Delivery, *, now: dt.datetime):
    notification = delivery.notification
    kind = kind_of(notification.type, notification.payload)
    max_age = dt.timedelta(minutes=settings.REACH["MAX_AGE_MINUTES"])
    if kind is None or now - notification.created_at > max_age:
        return SETTLE, (DeliveryStatus.FAILED, "expired")
    if delivery.channel == Channel.SOCKET:
        if is_present(notification.user_id, now=now):
            return SETTLE, (DeliveryStatus.SENT, "")
        return SETTLE, (DeliveryStatus.SKIPPED, "offline")
    siblings = _sibling_statuses(delivery)
    if delivery.channel == Channel.PUSH:
        return _decide_push(delivery, kind, siblings, now=now)
    return _decide_sms(delivery, kind, siblings, now=now)


def _decide_push(delivery, kind: Kind, siblings, *, now):
    user_id = delivery.notification.user_id
    socket_status = siblings.get(Channel.SOCKET, ("", 0))[0]
    if socket_status == DeliveryStatus.PENDING:
        return WAIT, now + backoff(1)
    if socket_status == DeliveryStatus.SENT and not kind.push_when_live:
        return SETTLE, (DeliveryStatus.SKIPPED, "live")
    if not channel_wanted(user_id=user_id, kind_code=kind.code, channel="push"):
        return SETTLE, (DeliveryStatus.SKIPPED, "muted")
    if not webpush.push_is_configured():
        return SETTLE, (DeliveryStatus.SKIPPED, "push_not_configured")
    subscriptions = list(PushSubscription.objects.filter(user_id=user_id, expires_at__gt=now))
    if not subscriptions:
        return SETTLE, (DeliveryStatus.SKIPPED, "no_subscription")
    return SEND, subscriptions


def _decide_sms(delivery, kind: Kind, siblings, *, now):
    notification = delivery.notification
    user = notification.user
    if kind.code == "code":
        phone = notification.payload.get("phone", "")
    else:
        phone = user.phone if user.phone_verified_at else ""
        if not phone:
            return SETTLE, (DeliveryStatus.SKIPPED, "no_verified_phone")
    if not phone:
        return SETTLE, (DeliveryStatus.SKIPPED, "no_phone")
    if not channel_wanted(user_id=user.pk, kind_code=kind.code, channel="sms"):
        return SETTLE, (DeliveryStatus.SKIPPED, "muted")
    if kind.sms == SMS_UNREACHED:
        socket_status = siblings.get(Channel.SOCKET, ("", 0))[0]
        push_status, push_tries = siblings.get(Channel.PUSH, ("", 0))
        if DeliveryStatus.SENT in (socket_status, push_status):
            return SETTLE, (DeliveryStatus.SKIPPED, "reached")
        if socket_status == DeliveryStatus.PENDING or (
            push_status == DeliveryStatus.PENDING and push_tries == 0
        ):
            return WAIT, now + backoff(1)
    if not kind.ignores_quiet_hours:
        quiet_end = quiet_hours_end(user_id=user.pk, now=now)
        if quiet_end is not None:
            if kind.sms == SMS_UNREACHED:  # an offer read in the morning is long gone
                return SETTLE, (DeliveryStatus.SKIPPED, "quiet_hours")
            return WAIT, quiet_end
    if kind.code != "sos" and sms_sent_today(phone, now=now) >= _daily_limit():
        return SETTLE, (DeliveryStatus.FAILED, "rate_limited")
    return SEND, phone


def _daily_limit() -> int:
    return settings.REACH["SMS_DAILY_LIMIT_PER_PHONE"]


def sms_sent_today(phone: str, *, now: dt.datetime) -> int:
    """SMS sent to this phone since the county's midnight."""
    midnight = dt.datetime.combine(local_time(now).date(), dt.time(), tzinfo=local_zone())
    return Delivery.objects.filter(
        channel=Channel.SMS, status=DeliveryStatus.SENT, phone=phone, settled_at__gte=midnight
    ).count()


def _push(delivery: Delivery, subscriptions, *, now):
    """Send to each subscription; SENT when any browser took it."""
    notification = delivery.notification
    message = {
        "notification_id": notification.pk,
        "type": notification.type,
        **push_message(notification.type, notification.payload),
    }
    sent, retry, details = 0, False, []
    for subscription in subscriptions:
        result = webpush.push_send(
            endpoint=subscription.endpoint,
            p256dh=subscription.p256dh,
            auth=subscription.auth,
            message=message,
        )
        if result.outcome == webpush.SENT:
            sent += 1
            PushSubscription.objects.filter(pk=subscription.pk).update(last_success_at=now)
        elif result.outcome == webpush.GONE:
            PushSubscription.objects.filter(pk=subscription.pk).delete()
        else:
            retry = retry or result.outcome == webpush.RETRY
        if result.detail:
            details.append(result.detail)
    if sent:
        return DeliveryStatus.SENT, f"{sent}/{len(subscriptions)}", ""
    if retry:
        return "retry", "", "; ".join(details)
    if not PushSubscription.objects.filter(user_id=notification.user_id).exists():
        return DeliveryStatus.SKIPPED, "", "subscriptions_gone"
    return DeliveryStatus.FAILED, "", "; ".join(details)


def _sms(delivery: Delivery, phone: str):
    notification = delivery.notification
    payload = dict(notification.payload)
    if "sealed" in payload:
        payload["code"] = unseal(payload["sealed"])
    template, params = sms_template(notification.type, payload)
    result = sms.sms_send(phone=phone, template=template, params=params, out_id=f"d{delivery.pk}")
    if result.outcome == sms.SENT:
        return DeliveryStatus.SENT, result.provider_id, ""
    return ("retry" if result.outcome == sms.RETRY else DeliveryStatus.FAILED), "", result.detail


def _settle(delivery: Delivery, *, now, status: str, error: str = "", **fields) -> bool:
    """Write the outcome once (a conditional UPDATE); the first reach calls the handlers."""
    settled = Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.PENDING).update(
        status=status, settled_at=now, error=error[:300], **fields
    )
    if not settled:
        return False
    notification = delivery.notification
    if "sealed" in notification.payload and delivery.channel == Channel.SMS:
        payload = {k: v for k, v in notification.payload.items() if k != "sealed"}
        Notification.objects.filter(pk=notification.pk).update(payload=payload)
    if status == DeliveryStatus.SENT:
        for handler in _delivered_handlers.get(notification.type, []):
            try:
                handler(notification=notification, channel=delivery.channel, at=now)
            except Exception:  # a handler's failure must not undo a delivery that happened
                logger.exception("delivered handler failed for %s", notification.pk)
    return True


def undelivered_payload_values(*, event_type: str, key: str) -> set:
    """`payload[key]` of this type's notifications that still have a delivery in flight
    (orders keeps an offer open until it has reached the worker)."""
    return set(
        Delivery.objects.filter(status=DeliveryStatus.PENDING, notification__type=event_type)
        .values_list(f"notification__payload__{key}", flat=True)
        .distinct()
    )
