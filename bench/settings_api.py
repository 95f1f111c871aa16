"""Settings of bench_api.py: production settings (PostgreSQL + Redis from the environment) with
two baseline views added (bench/urls_api.py), throttles raised so that they are paid but never
refuse, and the request log formatted as in production but written to /dev/null."""

import os

from backend.settings.production import *  # noqa: F403
from backend.settings.production import LOGGING, REST_FRAMEWORK

ROOT_URLCONF = "bench.urls_api"
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {
        **REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
        "user": "1000000/min",
        "anon": "1000000/min",
    },
}
LOGGING = {
    **LOGGING,
    "handlers": {
        "console": {"class": "logging.FileHandler", "filename": os.devnull, "formatter": "json"}
    },
}
