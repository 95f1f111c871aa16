"""Fixtures and helpers for the payments tests: a localstripe server, Stripe settings, the
household's side of Stripe.js, and webhook events signed with the stripe library's own code.

The two fixtures are registered by tests/orders/conftest.py; neither is autouse, so other
tests in tests/orders are unaffected (localstripe starts only when a test asks for it).
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import uuid

import pytest
import stripe
from django.db.models import Sum

from orders.models import LedgerEntry

WEBHOOK_SECRET = "whsec_meijia_test_secret"
SECRET_KEY = "sk_test_meijia"

__all__ = [
    "SECRET_KEY",
    "WEBHOOK_SECRET",
    "assert_ledger_balances",
    "household_pays",
    "localstripe_url",
    "signed_event",
    "stripe_client",
    "stripe_on",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def localstripe_url():
    """A localstripe server on a free loopback port for the whole session. Fails loudly."""
    port = _free_port()
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and a fixed module
        [sys.executable, "-m", "localstripe", "--port", str(port), "--from-scratch"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 20
    while True:
        if process.poll() is not None:
            output = process.stdout.read().decode(errors="replace") if process.stdout else ""
            raise RuntimeError(f"localstripe exited with {process.returncode}: {output}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            if time.monotonic() > deadline:
                process.kill()
                raise RuntimeError("localstripe did not start listening within 20 s") from None
            time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture
def stripe_on(settings, localstripe_url):
    """Stripe enabled and pointed at localstripe."""
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = localstripe_url
    return localstripe_url


def stripe_client(base: str) -> stripe.StripeClient:
    return stripe.StripeClient(SECRET_KEY, base_addresses={"api": base}, max_network_retries=0)


def household_pays(base: str, intent_id: str, card: str = "4242424242424242") -> dict:
    """What Stripe.js does on the household's phone: attach a card and confirm the intent."""
    client = stripe_client(base)
    method = client.v1.payment_methods.create(
        params={
            "type": "card",
            "card": {"number": card, "exp_month": 12, "exp_year": 2034, "cvc": "123"},
        }
    )
    client.v1.payment_intents.update(intent_id, params={"payment_method": method.id})
    return client.v1.payment_intents.confirm(intent_id).to_dict()


def household_saves_card(base: str, setup_intent_id: str) -> dict:
    client = stripe_client(base)
    method = client.v1.payment_methods.create(
        params={
            "type": "card",
            "card": {
                "number": "4242424242424242",
                "exp_month": 12,
                "exp_year": 2034,
                "cvc": "123",
            },
        }
    )
    return client.v1.setup_intents.confirm(
        setup_intent_id, params={"payment_method": method.id}
    ).to_dict()


def signed_event(
    event_type: str,
    obj: dict,
    *,
    event_id: str | None = None,
    timestamp: int | None = None,
    secret: str = WEBHOOK_SECRET,
) -> tuple[bytes, str]:
    """An event body and its Stripe-Signature header, signed by the stripe library's code."""
    body = json.dumps(
        {
            "id": event_id or f"evt_{uuid.uuid4().hex[:16]}",
            "object": "event",
            "type": event_type,
            "created": int(time.time()),
            "data": {"object": obj},
        }
    )
    timestamp = int(time.time()) if timestamp is None else timestamp
    signature = stripe.WebhookSignature._compute_signature(f"{timestamp}.{body}", secret)
    return body.encode(), f"t={timestamp},v1={signature}"


def post_event(client, body: bytes, header: str):
    return client.post(
        "/api/v1/payments/stripe/webhook/",
        data=body,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=header,
    )


def assert_ledger_balances() -> None:
    """Every movement sums to zero, so the whole ledger does."""
    unbalanced = (
        LedgerEntry.objects.values("movement")
        .annotate(total=Sum("amount"))
        .exclude(total=0)
        .values_list("movement", "total")
    )
    assert list(unbalanced) == []
    assert (LedgerEntry.objects.aggregate(total=Sum("amount"))["total"] or 0) == 0
