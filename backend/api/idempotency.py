"""Idempotency-Key support for endpoints that create things (PRODUCT.md §5, STYLE.md).

The key is scoped to the user and the endpoint; a unique constraint settles races.
"""

IDEMPOTENCY_HEADER = "HTTP_IDEMPOTENCY_KEY"
MAX_KEY_LENGTH = 100


def idempotency_key_from(request) -> str | None:
    key = request.META.get(IDEMPOTENCY_HEADER, "").strip()
    return key[:MAX_KEY_LENGTH] or None
