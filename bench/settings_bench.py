"""Benchmark settings: the base settings on a throw-away SQLite file named by MEIJIA_BENCH_DB."""

import os
import tempfile

from backend.settings.base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get(
            "MEIJIA_BENCH_DB", os.path.join(tempfile.gettempdir(), "meijia-bench.sqlite3")
        ),
        "OPTIONS": {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"},
    }
}
LOGGING = {"version": 1, "disable_existing_loggers": False}
