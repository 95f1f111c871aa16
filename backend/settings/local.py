"""Development: the embedded default (SQLite, in-memory channel layer), debug on."""

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, env_bool

# `manage.py runserver` serves the sockets too (ASGI) when daphne comes first.
INSTALLED_APPS = ["daphne", *INSTALLED_APPS]

DEBUG = env_bool("DEBUG", True)
