"""The one adapter over the Stripe API: every call goes through `_call`.

Callers pass an idempotency key for every POST, derived from what the call does and stored on
the PaymentOperation row, so a retry sends the same key. No call may run inside a database
transaction (row locks would be held across the network): `_call` refuses that outright.
Results come back as plain dicts.
"""

from __future__ import annotations

import logging
from typing import Any

import stripe
from django.conf import settings
from django.db import connection

logger = logging.getLogger(__name__)

CURRENCY = "cny"


class StripeUnavailable(Exception):
    """The call may or may not have reached Stripe (network, 5xx, 429): retry with the key."""


class StripeRefused(Exception):
    """Stripe answered and refused (4xx: declined card, invalid request)."""

    def __init__(self, message: str, *, code: str = "", status: int | None = None):
        super().__init__(message)
        self.code = code
        self.status = status


def is_enabled() -> bool:
    return bool(settings.STRIPE_SECRET_KEY and settings.STRIPE_WEBHOOK_SECRET)


def client() -> stripe.StripeClient:
    return stripe.StripeClient(
        api_key=settings.STRIPE_SECRET_KEY,
        base_addresses={"api": settings.STRIPE_API_BASE},
        # Retries are ours (run_periodic, with the stored key), not the library's.
        max_network_retries=0,
    )


def _as_dict(obj: Any) -> dict:
    return obj.to_dict() if hasattr(obj, "to_dict") else dict(obj)


def _call(label: str, method, *args, idempotency_key: str | None = None, **params) -> dict:
    """Send one request. Raises StripeUnavailable (retry later) or StripeRefused (final)."""
    if connection.in_atomic_block:
        raise RuntimeError(f"stripe call {label} inside a database transaction")
    options = {"idempotency_key": idempotency_key} if idempotency_key else None
    try:
        result = method(*args, params=params or None, options=options)
    except (stripe.APIConnectionError, stripe.RateLimitError) as error:
        raise StripeUnavailable(str(error)) from error
    except stripe.StripeError as error:
        status = getattr(error, "http_status", None)
        if status is None or status >= 500:
            raise StripeUnavailable(str(error)) from error
        raise StripeRefused(
            getattr(error, "user_message", None) or str(error),
            code=getattr(error, "code", "") or "",
            status=status,
        ) from error
    logger.info("stripe %s ok (key %s)", label, idempotency_key)
    return _as_dict(result)


def object_id(value: Any) -> str:
    """An id from a field that is either an id or an expanded object."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return value.get("id", "") if isinstance(value, dict) else getattr(value, "id", "")


# ---------------------------------------------------------------------------------------------
# PaymentIntents (the household's card), SetupIntents and customers.


def payment_intent_create_hold(*, amount: int, order_id: int, key: str) -> dict:
    return _call(
        "payment_intent.create",
        client().v1.payment_intents.create,
        idempotency_key=key,
        amount=amount,
        currency=CURRENCY,
        capture_method="manual",
        payment_method_types=["card"],
        metadata={"order": str(order_id)},
    )


def payment_intent_charge_saved(
    *, amount: int, order_id: int, customer: str, payment_method: str, key: str
) -> dict:
    return _call(
        "payment_intent.create(off_session)",
        client().v1.payment_intents.create,
        idempotency_key=key,
        amount=amount,
        currency=CURRENCY,
        customer=customer,
        payment_method=payment_method,
        payment_method_types=["card"],
        confirm=True,
        off_session=True,
        metadata={"order": str(order_id)},
    )


def payment_intent_retrieve(intent_id: str) -> dict:
    return _call("payment_intent.retrieve", client().v1.payment_intents.retrieve, intent_id)


def payment_intent_capture(*, intent_id: str, amount: int, key: str) -> dict:
    return _call(
        "payment_intent.capture",
        client().v1.payment_intents.capture,
        intent_id,
        idempotency_key=key,
        amount_to_capture=amount,
    )


def payment_intent_cancel(*, intent_id: str, key: str) -> dict:
    return _call(
        "payment_intent.cancel",
        client().v1.payment_intents.cancel,
        intent_id,
        idempotency_key=key,
    )


def customer_create(*, order_id: int, key: str) -> dict:
    return _call(
        "customer.create",
        client().v1.customers.create,
        idempotency_key=key,
        metadata={"order": str(order_id)},
    )


def setup_intent_create(*, customer: str, order_id: int, key: str) -> dict:
    return _call(
        "setup_intent.create",
        client().v1.setup_intents.create,
        idempotency_key=key,
        customer=customer,
        payment_method_types=["card"],
        usage="off_session",
        metadata={"order": str(order_id)},
    )


def setup_intent_retrieve(intent_id: str) -> dict:
    return _call("setup_intent.retrieve", client().v1.setup_intents.retrieve, intent_id)


def refund_create(*, intent_id: str, amount: int, key: str) -> dict:
    return _call(
        "refund.create",
        client().v1.refunds.create,
        idempotency_key=key,
        payment_intent=intent_id,
        amount=amount,
    )


# ---------------------------------------------------------------------------------------------
# Connect: separate charges and transfers.


def transfer_create(
    *, amount: int, destination: str, order_id: int, source_charge: str, key: str
) -> dict:
    params: dict[str, Any] = {
        "amount": amount,
        "currency": CURRENCY,
        "destination": destination,
        "transfer_group": f"order-{order_id}",
        "metadata": {"order": str(order_id)},
    }
    if source_charge:
        params["source_transaction"] = source_charge
    return _call("transfer.create", client().v1.transfers.create, idempotency_key=key, **params)


# ---------------------------------------------------------------------------------------------
# Webhooks.


def webhook_event_construct(*, payload: bytes, signature: str) -> dict:
    """The verified event. Raises ValueError (bad payload) or SignatureVerificationError."""
    event = stripe.Webhook.construct_event(
        payload,
        signature,
        settings.STRIPE_WEBHOOK_SECRET,
        tolerance=settings.STRIPE_WEBHOOK_TOLERANCE_SECONDS,
    )
    return _as_dict(event)
