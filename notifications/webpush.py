"""The one adapter to Web Push (pywebpush + py-vapid): keys, sending, and what answers mean."""

from __future__ import annotations

import json
from dataclasses import dataclass

from cryptography.hazmat.primitives import serialization
from django.conf import settings
from py_vapid import Vapid
from py_vapid.utils import b64urlencode
from pywebpush import WebPushException, webpush

SENT = "sent"
GONE = "gone"  # 404/410: the browser dropped the subscription; delete it
RETRY = "retry"  # 429, 5xx, network: try again later
REFUSED = "refused"  # any other 4xx: this message will never go; give up


@dataclass(frozen=True)
class PushResult:
    outcome: str
    status: int | None = None
    detail: str = ""


def push_is_configured() -> bool:
    return bool(settings.VAPID_PUBLIC_KEY and settings.VAPID_PRIVATE_KEY)


def vapid_keys_generate() -> tuple[str, str]:
    """A new (public, private) pair, both base64url: the public key is the browser's
    applicationServerKey (uncompressed P-256 point), the private key its raw 32 bytes."""
    vapid = Vapid()
    vapid.generate_keys()
    numbers = vapid.private_key.private_numbers()
    private = b64urlencode(numbers.private_value.to_bytes(32, "big"))
    public = b64urlencode(
        vapid.public_key.public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
    )
    return public, private


def push_send(*, endpoint: str, p256dh: str, auth: str, message: dict) -> PushResult:
    """Encrypt `message` (aes128gcm) for one subscription and post it with a VAPID JWT."""
    try:
        response = webpush(
            subscription_info={"endpoint": endpoint, "keys": {"p256dh": p256dh, "auth": auth}},
            data=json.dumps(message, ensure_ascii=False),
            vapid_private_key=settings.VAPID_PRIVATE_KEY,
            vapid_claims={"sub": settings.VAPID_SUBJECT},
            ttl=settings.REACH["PUSH_TTL_SECONDS"],
            timeout=10,
        )
    except WebPushException as error:
        status = getattr(error.response, "status_code", None)
        detail = str(error)[:300]
        if status in (404, 410):
            return PushResult(GONE, status, detail)
        if status is None or status == 429 or status >= 500:
            return PushResult(RETRY, status, detail)
        return PushResult(REFUSED, status, detail)
    except Exception as error:  # connection refused, timeout, bad key material
        return PushResult(RETRY, None, f"{type(error).__name__}: {error}"[:300])
    return PushResult(SENT, response.status_code)
