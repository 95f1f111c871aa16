"""Settings shared by every environment; each value can be overridden from the environment."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


# A development key: production.py refuses to start with it.
INSECURE_SECRET_KEY = "django-insecure-meijia-development-only-key-do-not-deploy"  # noqa: S105
SECRET_KEY = os.environ.get("SECRET_KEY", INSECURE_SECRET_KEY)
DEBUG = env_bool("DEBUG", False)
IS_PRODUCTION = False
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework_simplejwt",
    "rest_framework_simplejwt.token_blacklist",
    "drf_spectacular",
    "django_filters",
    "django_htmx",
    "channels",
    "marketplace",
    "orders",
    "notifications",
    "programme",
    "metrics",
    "web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "backend.urls"
WSGI_APPLICATION = "backend.wsgi.application"
ASGI_APPLICATION = "backend.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# SQLite file by default so a fresh clone runs with no services; DATABASE_URL selects PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the server, the periodic worker and tests share one file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            # A prefix per deployment (or per test run) keeps pub/sub channels apart: the pub/sub
            # layer ignores the Redis database number.
            "CONFIG": {"hosts": [REDIS_URL], "prefix": os.environ.get("CHANNEL_PREFIX", "meijia")},
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "marketplace.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/accounts/login/"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / "media"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework_simplejwt.authentication.JWTAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "backend.api.pagination.StandardPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "backend.api.errors.exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "login": os.environ.get("LOGIN_THROTTLE_RATE", "10/min"),
        "register": os.environ.get("REGISTER_THROTTLE_RATE", "20/hour"),
    },
}

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env_int("JWT_ACCESS_MINUTES", 15)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env_int("JWT_REFRESH_DAYS", 14)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": True,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "家政美家 Meijia API",
    "DESCRIPTION": "Home-service marketplace for the Linqing women's federation programme.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # One schema name per choice set, so clients get stable enum names (and no collisions).
    "ENUM_NAME_OVERRIDES": {
        "RoleEnum": "marketplace.models.Role",
        "DivisionKindEnum": "marketplace.models.Division.Kind",
        "PricingUnitEnum": "marketplace.models.Category.PricingUnit",
        "StaffRoleEnum": "marketplace.models.AgencyStaff.StaffRole",
        "RosterStatusEnum": "marketplace.models.RosterEntry.Status",
        "TrainingKindEnum": "marketplace.models.TrainingKind",
        "RequestKindEnum": "orders.statuses.RequestKind",
        "RequestStatusEnum": "orders.statuses.RequestStatus",
        "OfferStatusEnum": "orders.statuses.OfferStatus",
        "OfferSourceEnum": "orders.statuses.OfferSource",
        "OrderStatusEnum": "orders.statuses.OrderStatus",
        "ContractStatusEnum": "orders.statuses.ContractStatus",
        "PartyEnum": "orders.statuses.Party",
        "OccurrenceStatusEnum": "orders.statuses.OccurrenceStatus",
        "DisputeStatusEnum": "orders.statuses.DisputeStatus",
        "DisputeOutcomeEnum": "orders.statuses.DisputeOutcome",
        "CourseStatusEnum": "programme.models.CourseStatus",
        "CourseModeEnum": "programme.models.CourseMode",
        "EnrolmentStatusEnum": "programme.models.EnrolmentStatus",
        "CompletionResultEnum": "programme.models.CompletionResult",
        "ExamStatusEnum": "programme.models.ExamStatus",
        "ExamResultEnum": "programme.models.ExamResult",
        "CompetitionStatusEnum": "programme.models.CompetitionStatus",
        "PrizeEnum": "programme.models.Prize",
        "FairModeEnum": "programme.models.FairMode",
        "FairStatusEnum": "programme.models.FairStatus",
        "OpeningStatusEnum": "programme.models.OpeningStatus",
        "ApplicationStatusEnum": "programme.models.ApplicationStatus",
    },
}

# Key for encrypting ID-card numbers at rest; derived from SECRET_KEY when not given.
FIELD_ENCRYPTION_KEY = os.environ.get("FIELD_ENCRYPTION_KEY", "")

# Marketplace knobs (PRODUCT.md §3).
MEIJIA = {
    "OFFER_WAVE_SIZE": env_int("MEIJIA_OFFER_WAVE_SIZE", 5),
    "OFFER_TTL_MINUTES": env_int("MEIJIA_OFFER_TTL_MINUTES", 15),
    "AUTO_CONFIRM_HOURS": env_int("MEIJIA_AUTO_CONFIRM_HOURS", 48),
    "REVIEW_WINDOW_DAYS": env_int("MEIJIA_REVIEW_WINDOW_DAYS", 14),
    "FREE_CANCELLATION_HOURS": env_int("MEIJIA_FREE_CANCELLATION_HOURS", 24),
    "LATE_CANCELLATION_FEE_PERCENT": env_int("MEIJIA_LATE_CANCELLATION_FEE_PERCENT", 20),
    "DEFAULT_MAX_DISTANCE_KM": env_int("MEIJIA_DEFAULT_MAX_DISTANCE_KM", 20),
    # "gazetteer" (offline, division points) or a geopy geocoder name such as "nominatim".
    "GEOCODER": os.environ.get("MEIJIA_GEOCODER", "gazetteer"),
    "GEOCODER_OPTIONS": {"user_agent": "meijia"},
    "DEMO_PASSWORD": "meijia-demo",
    # Socket flood control (per connection, token bucket): chat.send frames, and all frames.
    "SOCKET_CHAT_RATE": env_int("MEIJIA_SOCKET_CHAT_RATE", 10),
    "SOCKET_CHAT_BURST": env_int("MEIJIA_SOCKET_CHAT_BURST", 20),
    "SOCKET_FRAME_RATE": env_int("MEIJIA_SOCKET_FRAME_RATE", 30),
    "SOCKET_FRAME_BURST": env_int("MEIJIA_SOCKET_FRAME_BURST", 60),
    # Chat stays sendable this long after an order is completed, cancelled or replaced.
    "CHAT_OPEN_DAYS_AFTER_CLOSE": env_int("MEIJIA_CHAT_OPEN_DAYS_AFTER_CLOSE", 14),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# Payments (orders/payments). Stripe is enabled only when both secrets are set; otherwise the
# offline provider (the agency records money received) is used. STRIPE_API_BASE points the
# stripe library at a local fake in tests.
STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
STRIPE_PUBLISHABLE_KEY = os.environ.get("STRIPE_PUBLISHABLE_KEY", "")
STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE", "https://api.stripe.com")
STRIPE_WEBHOOK_TOLERANCE_SECONDS = env_int("STRIPE_WEBHOOK_TOLERANCE_SECONDS", 300)
PAYMENTS = {
    # The platform's share of every payment, then the agency's share of the rest (percent).
    "PLATFORM_COMMISSION_PERCENT": env_int("MEIJIA_PLATFORM_COMMISSION_PERCENT", 5),
    "AGENCY_COMMISSION_PERCENT": env_int("MEIJIA_AGENCY_COMMISSION_PERCENT", 10),
    # A card authorisation lasts about 7 days; longer services save the card and charge later.
    "HOLD_DAYS": env_int("MEIJIA_PAYMENT_HOLD_DAYS", 6),
    # Pending operations are retried by run_periodic after this many seconds.
    "RETRY_AFTER_SECONDS": env_int("MEIJIA_PAYMENT_RETRY_AFTER_SECONDS", 60),
}
