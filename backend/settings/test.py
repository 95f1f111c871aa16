"""Tests: fast hashing, generous throttles; the database follows DATABASE_URL."""

import os
import tempfile
from urllib.parse import urlsplit, urlunsplit

from .base import *  # noqa: F403
from .base import REST_FRAMEWORK

# Static files straight from the apps' folders, no collectstatic needed (WhiteNoise still serves
# them, as in `make run`); tests/test_static_files.py checks the compressed, hashed layout.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {
        "login": "1000/min",
        "register": "1000/min",
        "user": "100000/min",
        "anon": "100000/min",
    },
}

# A file-backed SQLite test database (one per process, so parallel runs never collide): the
# race tests need real concurrent connections, which an in-memory database cannot give.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"meijia-test-{os.getpid()}.sqlite3")
    }

# Parallel test workers (pytest-xdist, `gw0`, `gw1`, …) share one Redis: each gets a cache
# database of its own (a test's cache.clear() flushes its whole database, throttle and lock-out
# counters with it) and, unless the run names one, a channel-layer prefix of its own (user ids
# repeat across the workers' databases, so their socket groups would otherwise meet).
_XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if REDIS_URL and _XDIST_WORKER:  # noqa: F405
    _index = int(_XDIST_WORKER.removeprefix("gw") or 0)
    _redis = urlsplit(REDIS_URL)  # noqa: F405
    CACHES["default"]["LOCATION"] = urlunsplit(_redis._replace(path=f"/{1 + _index % 15}"))  # noqa: F405
    if "CHANNEL_PREFIX" not in os.environ:
        CHANNEL_LAYERS["default"]["CONFIG"]["prefix"] = f"meijia-{_XDIST_WORKER}"  # noqa: F405
