"""Sign-in lock-out, in the usual two-level shape, for every password sign-in (API and web).

- Per (username, address) pair: `LOGIN_FAILURE_LIMIT` failures lock that pair for
  `LOGIN_LOCKOUT_MINUTES`; the right password from that pair clears its count. Someone else's
  failures, from another address, never lock the account for its owner.
- Per address: `LOGIN_ADDRESS_FAILURE_LIMIT` failures (any usernames) within
  `LOGIN_ADDRESS_WINDOW_MINUTES` lock the address; a success does not clear this count, so
  signing in to one's own account between guesses buys no more guesses.
A try is counted before its password is checked (so concurrent guesses cannot overrun the
limits); a refused (locked) try is not counted and checks no password. Counts live in the
cache (Redis in production, shared by every process; `add` then `incr` is atomic there), each
expiring with its window. The address is `backend.client_address`'s.

django-axes (used before) cannot express this: one failure limit serves every parameter
combination, and a success deletes every matching attempt, the per-address ones included.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.exceptions import PermissionDenied

from backend.client_address import client_address

KEY_PREFIX = "login-lockout"


@dataclass(frozen=True)
class Policy:
    pair_limit: int
    pair_seconds: int
    address_limit: int
    address_seconds: int


def policy() -> Policy:
    return Policy(
        pair_limit=settings.LOGIN_FAILURE_LIMIT,
        pair_seconds=settings.LOGIN_LOCKOUT_MINUTES * 60,
        address_limit=settings.LOGIN_ADDRESS_FAILURE_LIMIT,
        address_seconds=settings.LOGIN_ADDRESS_WINDOW_MINUTES * 60,
    )


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def pair_key(username: str, address: str) -> str:
    # Case-folded: "Alice" and "alice" share a count, so case variants buy no extra guesses.
    return f"{KEY_PREFIX}:pair:{_digest(username.casefold())}:{_digest(address)}"


def address_key(address: str) -> str:
    return f"{KEY_PREFIX}:address:{_digest(address)}"


def _bump(key: str, seconds: int) -> int:
    cache.add(key, 0, timeout=seconds)  # starts the window; no-op when it is running
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=seconds)
        return 1


def _give_back(key: str) -> None:
    try:
        if cache.decr(key) < 0:
            cache.delete(key)
    except ValueError:  # the window ended meanwhile: nothing to give back
        pass


def login_try_claim(*, username: str, address: str) -> int:
    """Count a try before its password is checked (atomic, so concurrent guesses cannot all
    pass a check-then-count): 0 when it may go ahead, else the cool-off in seconds (and
    nothing stays counted)."""
    rules = policy()
    pair, per_address = pair_key(username, address), address_key(address)
    if _bump(per_address, rules.address_seconds) > rules.address_limit:
        _give_back(per_address)
        return rules.address_seconds
    if _bump(pair, rules.pair_seconds) > rules.pair_limit:
        _give_back(pair)
        _give_back(per_address)
        return rules.pair_seconds
    return 0


def login_success_record(*, username: str, address: str) -> None:
    """The right password: clear the pair's count, and give back the address's claimed try
    without clearing the failures counted there (see the module docstring)."""
    cache.delete(pair_key(username, address))
    _give_back(address_key(address))


class LockoutModelBackend(ModelBackend):
    """ModelBackend behind the lock-out: a locked pair or address is refused before any
    password check (`request.login_locked_out` says so, with `login_retry_after` seconds)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if request is None or username is None or password is None:
            # No caller to attribute the attempt to (a management command, a test).
            return super().authenticate(request, username, password, **kwargs)
        address = client_address(request) or "unknown"
        wait = login_try_claim(username=str(username), address=address)
        if wait:
            request.login_locked_out = True
            request.login_retry_after = wait
            raise PermissionDenied("locked out")  # stops authenticate() trying further
        user = super().authenticate(request, username, password, **kwargs)
        if user is not None:  # a failure stays counted as claimed
            login_success_record(username=str(username), address=address)
        return user
