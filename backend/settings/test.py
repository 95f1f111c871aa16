"""Tests: fast hashing, generous throttles; the database follows DATABASE_URL."""

import os
import tempfile

from .base import *  # noqa: F403
from .base import REST_FRAMEWORK

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
