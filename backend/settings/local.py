"""Development: the embedded default (SQLite, in-memory channel layer), debug on."""

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, env_bool

# `manage.py runserver` serves the sockets too (ASGI) when daphne comes first.
INSTALLED_APPS = ["daphne", *INSTALLED_APPS]

DEBUG = env_bool("DEBUG", True)

# Static files as production serves them (hashed, gzip, a year's cache), from collectstatic's
# output, which `make run` refreshes at each start.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "backend.static_files.ServedAsInProductionStorage"},
}
WHITENOISE_USE_FINDERS = False
WHITENOISE_AUTOREFRESH = False
