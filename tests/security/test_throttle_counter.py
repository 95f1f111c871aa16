"""The API throttles count in one atomic counter per window (backend.api.throttling): exact
under concurrent callers (threads here; separate processes on a shared Redis cache), a sliding
estimate across the window edge, and refused calls keep counting."""

import os
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache

from backend.api.throttling import WindowCounterThrottle

ROOT = Path(__file__).resolve().parents[2]


class FixedKeyThrottle(WindowCounterThrottle):
    def __init__(self, key: str, rate: str, clock=None):
        self.rate = rate
        self.num_requests, self.duration = self.parse_rate(rate)
        self.fixed_key = key
        if clock is not None:
            self.timer = clock

    def get_cache_key(self, request, view):
        return self.fixed_key


def allowed(key: str, rate: str, calls: int, clock=None) -> list[bool]:
    return [FixedKeyThrottle(key, rate, clock).allow_request(None, None) for _ in range(calls)]


def test_refuses_after_the_rate_and_says_how_long_to_wait():
    key = f"t-{uuid.uuid4().hex}"
    now = [60 * 16_667 + 20.0]  # 20 s into a minute window
    answers = allowed(key, "3/min", 4, clock=lambda: now[0])
    assert answers == [True, True, True, False]
    throttle = FixedKeyThrottle(key, "3/min", clock=lambda: now[0])
    assert throttle.allow_request(None, None) is False
    assert throttle.wait() == 40  # the rest of this window


def test_the_previous_window_counts_by_how_much_of_it_is_still_recent():
    key = f"t-{uuid.uuid4().hex}"
    minute = 60 * 16_667
    now = [minute + 50.0]
    # 4 allowed and 1 refused late in one window: 5 counted.
    assert allowed(key, "4/min", 5, clock=lambda: now[0]) == [True] * 4 + [False]
    now[0] = minute + 60 + 30.0  # half-way through the next window: 5 × 0.5 = 2.5 still count
    assert allowed(key, "4/min", 3, clock=lambda: now[0]) == [True, False, False]
    now[0] = minute + 120 + 1.0  # two windows on: the first no longer counts at all
    assert allowed(key, "4/min", 1, clock=lambda: now[0]) == [True]


def test_concurrent_callers_share_one_exact_count():
    key, results = f"t-{uuid.uuid4().hex}", []
    lock = threading.Lock()

    def caller():
        answers = allowed(key, "50/day", 10)
        with lock:
            results.extend(answers)

    threads = [threading.Thread(target=caller) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count(True) == 50 and len(results) == 80


CHILD = """
import django, sys
django.setup()
from tests.security.test_throttle_counter import allowed
sys.stdout.write(str(allowed(sys.argv[1], "40/day", 30).count(True)))
"""


@pytest.mark.skipif(
    "redis" not in settings.CACHES["default"]["BACKEND"].lower(),
    reason="processes share throttle counters only through a shared (Redis) cache",
)
def test_two_processes_share_the_count_through_redis():
    key = f"t-{uuid.uuid4().hex}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "backend.settings.test",
        "REDIS_URL": settings.CACHES["default"]["LOCATION"],
    }
    children = [
        subprocess.Popen(  # noqa: S603 - our interpreter, our code
            [sys.executable, "-c", CHILD, key], cwd=ROOT, env=env, stdout=subprocess.PIPE
        )
        for _ in range(2)
    ]
    counts = [int(child.communicate(timeout=120)[0]) for child in children]
    assert sum(counts) == 40, counts  # 60 attempts, 40 allowed whichever process made them
    cache.clear()
