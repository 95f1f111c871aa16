"""How many sockets one account holds open, across every daphne process (`SOCKETS_PER_USER`).

A count per user in the cache (Redis in production, where `add` then `incr` is atomic): a
socket takes a slot before it is accepted and gives it back when it closes; the one over the cap
is refused (close 4429 `too_many_sockets`) and the sockets already open are left alone. The
count expires `SLOT_TTL_SECONDS` after the account's last connect, so slots of a process that
died without closing its sockets come back by then.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache

SLOT_TTL_SECONDS = 6 * 60 * 60


def slot_key(user_id: int) -> str:
    return f"sockets:user:{user_id}"


async def socket_slot_take(user_id: int) -> bool:
    """Take a slot for a new socket of the user; False (nothing taken) when all are held."""
    key = slot_key(user_id)
    await cache.aadd(key, 0, timeout=SLOT_TTL_SECONDS)
    try:
        held = await cache.aincr(key)
    except ValueError:  # expired between add and incr
        await cache.aadd(key, 1, timeout=SLOT_TTL_SECONDS)
        held = 1
    if held > settings.SOCKETS_PER_USER:
        await socket_slot_give_back(user_id)
        return False
    await cache.atouch(key, SLOT_TTL_SECONDS)
    return True


async def socket_slot_give_back(user_id: int) -> None:
    key = slot_key(user_id)
    try:
        left = await cache.adecr(key)
    except ValueError:  # the count expired meanwhile: nothing to give back
        return
    if left < 0:
        await cache.adelete(key)
