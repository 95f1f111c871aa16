"""An offer's clock follows its reach: it counts from the moment the offer reached the worker.

The delivery worker (notifications.delivery) calls `offer_reached` when an `offer.created`
notification first reaches her: over the socket or a push, the offer then lasts
OFFER_TTL_MINUTES from that moment; by SMS only, OFFER_SMS_TTL_MINUTES (she must find a
phone signal, open the app and sign in). While the delivery is still in flight the offer does
not expire (`offers_awaiting_reach`, read by the periodic expiry).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from notifications.delivery import undelivered_payload_values
from notifications.events import OFFER_CREATED
from notifications.models import Channel
from orders.models import Offer
from orders.statuses import OfferStatus


def offer_ttl_for(channel: str) -> dt.timedelta:
    if channel == Channel.SMS:
        return dt.timedelta(minutes=settings.REACH["OFFER_SMS_TTL_MINUTES"])
    return dt.timedelta(minutes=settings.MEIJIA["OFFER_TTL_MINUTES"])


def offer_reached(*, notification, channel: str, at: dt.datetime) -> None:
    """Move a pending offer's expiry to `at` + its channel's time, never earlier than it was
    (one conditional UPDATE, so an expiry or an answer at the same moment wins cleanly)."""
    offer_id = notification.payload.get("offer")
    if not offer_id:
        return
    expires_at = at + offer_ttl_for(channel)
    Offer.objects.filter(pk=offer_id, status=OfferStatus.PENDING, expires_at__lt=expires_at).update(
        expires_at=expires_at
    )


def offers_awaiting_reach() -> set[int]:
    """Ids of offers whose notification has not reached the worker yet (still being sent)."""
    return {int(v) for v in undelivered_payload_values(event_type=OFFER_CREATED, key="offer") if v}
