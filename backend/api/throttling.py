"""API throttles as one atomic counter per window, shared by every process through the cache.

DRF's SimpleRateThrottle reads a pickled list of every request's time from the cache and writes
it back (two round trips, a key that grows with the rate, and two processes can overwrite each
other's list). `WindowCounterThrottle` keeps a counter per fixed window instead (INCR with an
expiry, one round trip on Redis) and estimates a sliding window from it: the current window's
count plus the previous window's, weighted by how much of it still lies within the last
`duration` seconds. A refused request counts too, so a caller that keeps hammering stays refused.

On Redis the counter is the server's INCR through one long-lived client per process; on any other
cache `add` + `incr` (atomic within one process: the local-memory cache is per process, so
throttles hold across processes only with a shared Redis cache — README, deployment).
"""

from __future__ import annotations

import time

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from rest_framework.throttling import SimpleRateThrottle

_clients: dict[int, object] = {}


def _redis_client(backend: RedisCache):
    """A Redis client on the cache's write pool, made once per pool (the cache itself builds a
    client object for every operation)."""
    pool = backend._cache._get_connection_pool(True)
    client = _clients.get(id(pool))
    if client is None:
        client = _clients[id(pool)] = backend._cache._client(connection_pool=pool)
    return client


def window_counts(key: str, window: int, duration: int) -> tuple[int, int]:
    """(count of window `window` including this request, count of the window before)."""
    backend = caches["default"]
    current, previous = f"{key}:{window}", f"{key}:{window - 1}"
    expiry = 2 * duration + 1
    if isinstance(backend, RedisCache):
        pipe = _redis_client(backend).pipeline(transaction=False)
        pipe.incr(backend.make_and_validate_key(current))
        pipe.expire(backend.make_and_validate_key(current), expiry)
        pipe.get(backend.make_and_validate_key(previous))
        count, _, before = pipe.execute()
        return int(count), int(before or 0)
    if backend.add(current, 1, timeout=expiry):
        count = 1
    else:
        try:
            count = backend.incr(current)
        except ValueError:  # it expired between add and incr
            backend.add(current, 1, timeout=expiry)
            count = 1
    return count, int(backend.get(previous) or 0)


class WindowCounterThrottle(SimpleRateThrottle):
    """SimpleRateThrottle's rates, scopes and cache keys (`get_cache_key`, `get_ident`); a
    counter per window underneath instead of a history list."""

    timer = time.time

    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        window, into = divmod(self.now, self.duration)
        count, before = window_counts(self.key, int(window), int(self.duration))
        self.estimate = count + before * (1 - into / self.duration)
        return self.estimate <= self.num_requests

    def wait(self) -> float | None:
        """Seconds until the current window ends (then only the decaying previous one counts)."""
        if self.estimate <= self.num_requests:
            return None
        return max(1.0, self.duration - self.now % self.duration)
