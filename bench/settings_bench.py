"""Benchmark settings: the base settings on a throw-away SQLite file named by MEIJIA_BENCH_DB.

The connection gets a page cache (128 MB) and memory-mapped reads (up to 2 GB) sized for a
million workers, the SQLite counterpart of PostgreSQL's shared_buffers: without them SQLite
keeps 2 MB of pages and reads every other page through a system call. MEIJIA_BENCH_PRAGMAS
replaces the list (e.g. "PRAGMA journal_mode=WAL;" alone to measure without them).
"""

import os
import tempfile

from backend.settings.base import *  # noqa: F403

BENCH_PRAGMAS = os.environ.get(
    "MEIJIA_BENCH_PRAGMAS",
    "PRAGMA journal_mode=WAL; PRAGMA cache_size=-131072; PRAGMA mmap_size=2147483648;",
)
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get(
            "MEIJIA_BENCH_DB", os.path.join(tempfile.gettempdir(), "meijia-bench.sqlite3")
        ),
        "OPTIONS": {"timeout": 20, "init_command": BENCH_PRAGMAS},
    }
}
LOGGING = {"version": 1, "disable_existing_loggers": False}
