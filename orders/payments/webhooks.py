"""Stripe webhooks: verify, store each event id once, then re-read the object it names.

The event body is never trusted for state: only its type and object id are used, and the
object is read again from Stripe, so repeats and any arrival order converge on what Stripe
shows now.
"""

from __future__ import annotations

import logging

import stripe
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.exceptions import ValidationFailed
from orders.models import WebhookEvent
from orders.models.payments import PaymentProvider
from orders.payments import stripe_api
from orders.payments.sync import payment_sync_intent, payment_sync_setup_intent

logger = logging.getLogger(__name__)


def webhook_receive(*, payload: bytes, signature: str) -> tuple[WebhookEvent, bool]:
    """Handle one delivery; returns (event row, whether this delivery did the work).

    Raises ValidationFailed `bad_signature` (wrong, tampered or stale) or `bad_payload`;
    nothing is stored then. When processing fails the event row is removed again so that
    Stripe's redelivery is processed.
    """
    try:
        event = stripe_api.webhook_event_construct(payload=payload, signature=signature or "")
    except stripe.SignatureVerificationError as error:
        raise ValidationFailed(_("签名无效。"), code="bad_signature") from error
    except ValueError as error:
        raise ValidationFailed(_("回调内容无效。"), code="bad_payload") from error
    obj = (event.get("data") or {}).get("object") or {}
    try:
        with transaction.atomic():
            row = WebhookEvent.objects.create(
                provider=PaymentProvider.STRIPE,
                event_id=event["id"],
                event_type=event.get("type", ""),
                object_id=obj.get("id", ""),
            )
    except IntegrityError:
        return WebhookEvent.objects.get(
            provider=PaymentProvider.STRIPE, event_id=event["id"]
        ), False
    try:
        _dispatch(row.event_type, obj)
    except Exception:
        WebhookEvent.objects.filter(pk=row.pk).delete()
        raise
    row.processed_at = timezone.now()
    row.save(update_fields=["processed_at"])
    return row, True


def _dispatch(event_type: str, obj: dict) -> None:
    kind = event_type.split(".", 1)[0]
    if kind == "payment_intent":
        payment_sync_intent(intent_id=obj["id"])
    elif kind == "setup_intent":
        payment_sync_setup_intent(intent_id=obj["id"])
    elif kind in ("charge", "refund"):
        intent_id = stripe_api.object_id(obj.get("payment_intent"))
        if intent_id:
            payment_sync_intent(intent_id=intent_id)
    else:
        logger.info("stripe event %s ignored", event_type)
