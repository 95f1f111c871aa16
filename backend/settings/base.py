"""Settings shared by every environment; each value can be overridden from the environment."""

import os
import sys
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

# daphne is not an app here: gunicorn workers would import twisted for nothing. Sockets are
# served by the `daphne` command; development's settings add it back for `runserver`.
INSTALLED_APPS = [
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
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "channels",
    "csp",
    "backend",  # the core: input rules on every DRF field (backend.apps)
    "marketplace",
    "orders",
    "notifications",
    "programme",
    "chat",
    "metrics",
    "personal_data",
    "web",
    "demo",
]

MIDDLEWARE = [
    "backend.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files compressed and cached for a year under their hashed names, by the app itself
    # (`make run`, a container without nginx); behind nginx, nginx serves them first.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "backend.middleware.BodySizeLimitMiddleware",
    "backend.middleware.SiteCSPMiddleware",
    "backend.middleware.PermissionsPolicyMiddleware",
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
# A refused form says so in the visitor's language, inside the web app (web/views/errors.py).
CSRF_FAILURE_VIEW = "web.views.errors.csrf_failure"
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
    # Django's own, with the message its catalogues translate (backend/passwords.py).
    {"NAME": "backend.passwords.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/accounts/login/"

# ---- sign-in lock-out (backend/login_lockout.py), API and web alike: 5 failures for one
# (username, address) pair lock that pair for 15 minutes (the right password clears it); 30
# failures from one address within an hour lock the address (a success does not clear that).
AUTHENTICATION_BACKENDS = ["backend.login_lockout.LockoutModelBackend"]
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15)
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 30)
LOGIN_ADDRESS_WINDOW_MINUTES = env_int("LOGIN_ADDRESS_WINDOW_MINUTES", 60)

# ---- the caller's address (backend/client_address.py), for throttles, lock-out and logs:
# forwarded headers count only from these proxies (addresses or CIDRs, comma-separated) or,
# with NUM_PROXIES, that many hops from the right of X-Forwarded-For. Neither by default.
TRUSTED_PROXIES = [p.strip() for p in os.environ.get("TRUSTED_PROXIES", "").split(",") if p.strip()]
NUM_PROXIES = env_int("NUM_PROXIES", 0)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
# The checkout's catalogues, or an installed wheel's (pyproject's data-files).
LOCALE_PATHS = [
    next(
        (
            path
            for path in (BASE_DIR / "locale", Path(sys.prefix) / "share/meijia/locale")
            if path.is_dir()
        ),
        BASE_DIR / "locale",
    )
]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# collectstatic writes hashed names and their gzip twins (WhiteNoise); `make run` runs it first.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / "media"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "notifications.authentication.CachedJWTAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "backend.api.pagination.StandardPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "backend.api.errors.exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "backend.api.parsers.SafeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_METADATA_CLASS": "backend.api.metadata.ApiMetadata",
    # Per signed-in user and per address; generous (a phone polls a few times a minute), each
    # overridable from the environment. Callers are keyed by backend.client_address (behind
    # nginx set TRUSTED_PROXIES or NUM_PROXIES so the address is the caller's, not the proxy's).
    "DEFAULT_THROTTLE_CLASSES": [
        "backend.security.UserThrottle",
        "backend.security.AnonThrottle",
    ],
    "NUM_PROXIES": NUM_PROXIES or None,
    "DEFAULT_THROTTLE_RATES": {
        "user": os.environ.get("USER_THROTTLE_RATE", "600/min"),
        "anon": os.environ.get("ANON_THROTTLE_RATE", "120/min"),
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
    # Tokens carry a digest of the password hash: a password change ends them at once.
    "CHECK_REVOKE_TOKEN": True,
    # simplejwt's serializer plus the 429 answer when the sign-in lock-out refused it.
    "TOKEN_OBTAIN_SERIALIZER": "backend.security.TokenObtainPairSerializer",
}

# How long a user's auth snapshot (notifications.access) may be served from the cache; every
# change that must take effect at once (deactivation, password, sign-out) drops it anyway.
AUTH_CACHE_SECONDS = env_int("AUTH_CACHE_SECONDS", 60)

SPECTACULAR_SETTINGS = {
    "TITLE": "家政美家 Meijia API",
    "DESCRIPTION": "Home-service marketplace for the Linqing women's federation programme.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Public only when API_DOCS_PUBLIC is on (off by default in production); staff always.
    "SERVE_PERMISSIONS": ["backend.api.docs.ApiDocsPermission"],
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from the installed drf-spectacular-sidecar's static files: /api/docs/ works
    # without internet (no CDN).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One schema name per choice set, so clients get stable enum names (and no collisions).
    "ENUM_NAME_OVERRIDES": {
        "RoleEnum": "marketplace.models.Role",
        "DivisionKindEnum": "marketplace.models.Division.Kind",
        "PricingUnitEnum": "marketplace.models.Category.PricingUnit",
        "StaffRoleEnum": "marketplace.models.AgencyStaff.StaffRole",
        "RosterStatusEnum": "marketplace.models.RosterEntry.Status",
        "TrainingKindEnum": "marketplace.models.TrainingKind",
        "ConsentKindEnum": "marketplace.models.ConsentKind",
        "DeletionStatusEnum": "personal_data.models.DeletionStatus",
        "RequestKindEnum": "orders.statuses.RequestKind",
        "RequestStatusEnum": "orders.statuses.RequestStatus",
        "OfferStatusEnum": "orders.statuses.OfferStatus",
        "OfferSourceEnum": "orders.statuses.OfferSource",
        "OrderStatusEnum": "orders.statuses.OrderStatus",
        "ContractStatusEnum": "orders.statuses.ContractStatus",
        "RequestApplicationStatusEnum": "orders.models.applications.RequestApplication.Status",
        "PartyEnum": "orders.statuses.Party",
        "ReviewReportStatusEnum": "orders.models.reviews.ReviewReport.Status",
        "ReviewReportReasonEnum": "orders.models.reviews.ReviewReport.Reason",
        # Sign-up's role and a no-show's party: one choice set, so one name.
        "HouseholdOrWorkerEnum": ["household", "worker"],
        "OccurrenceStatusEnum": "orders.statuses.OccurrenceStatus",
        "DisputeStatusEnum": "orders.statuses.DisputeStatus",
        "DisputeOutcomeEnum": "orders.statuses.DisputeOutcome",
        "InvoiceKindEnum": "orders.models.invoices.InvoiceKind",
        "InvoiceStatusEnum": "orders.models.invoices.InvoiceStatus",
        "ReceiptChargeKindEnum": [
            "price",
            "cancellation_fee",
            "waived",
            "settlement",
            "dispute_refund",
        ],
        "ReceiptMovementKindEnum": ["captured", "fee", "offline_received", "refunded"],
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

API_DOCS_PUBLIC = env_bool("API_DOCS_PUBLIC", True)

# Key for encrypting ID-card numbers at rest; derived from SECRET_KEY when not given.
FIELD_ENCRYPTION_KEY = os.environ.get("FIELD_ENCRYPTION_KEY", "")

# Marketplace knobs (PRODUCT.md §3).
# 我的数据: days between asking to delete an account and its erasure, during which she can cancel.
ACCOUNT_DELETION_COOLING_OFF_DAYS = env_int("ACCOUNT_DELETION_COOLING_OFF_DAYS", 7)

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
    # The federation's number a worker without an agency calls about her checklist.
    "FEDERATION_PHONE": os.environ.get("MEIJIA_FEDERATION_PHONE", ""),
    # Socket flood control (per connection, token bucket): chat.send frames, and all frames.
    "SOCKET_CHAT_RATE": env_int("MEIJIA_SOCKET_CHAT_RATE", 10),
    "SOCKET_CHAT_BURST": env_int("MEIJIA_SOCKET_CHAT_BURST", 20),
    "SOCKET_FRAME_RATE": env_int("MEIJIA_SOCKET_FRAME_RATE", 30),
    "SOCKET_FRAME_BURST": env_int("MEIJIA_SOCKET_FRAME_BURST", 60),
    # Chat stays sendable this long after an order is completed, cancelled or replaced.
    "CHAT_OPEN_DAYS_AFTER_CLOSE": env_int("MEIJIA_CHAT_OPEN_DAYS_AFTER_CLOSE", 14),
    # Safety: start-code tries before check-in locks, and for how long;
    # how far from the address a phone-reported check-in may be (metres); minutes after a
    # visit's scheduled end before the agency is alerted that she has not checked out; days a
    # career-record share link lasts; the service card's photo upload limit.
    "START_CODE_MAX_TRIES": env_int("MEIJIA_START_CODE_MAX_TRIES", 5),
    "START_CODE_LOCK_MINUTES": env_int("MEIJIA_START_CODE_LOCK_MINUTES", 15),
    "CHECK_IN_MAX_DISTANCE_M": env_int("MEIJIA_CHECK_IN_MAX_DISTANCE_M", 500),
    "SAFETY_OVERDUE_MINUTES": env_int("MEIJIA_SAFETY_OVERDUE_MINUTES", 60),
    "CAREER_SHARE_DAYS": env_int("MEIJIA_CAREER_SHARE_DAYS", 30),
    "CARD_PHOTO_MAX_BYTES": env_int("MEIJIA_CARD_PHOTO_MAX_BYTES", 2 * 1024 * 1024),
    # The CJK TrueType font embedded in PDFs (backend.pdf); empty: Debian's fonts-wqy-microhei.
    "PDF_FONT_PATH": os.environ.get("MEIJIA_PDF_FONT_PATH", ""),
}

# One JSON object per line (LOG_FORMAT=plain for reading by eye); the request log
# (`meijia.request`, written by backend.middleware.RequestLogMiddleware) is one line per request
# with method, path, view, status, duration_ms, user_id and request_id (X-Request-ID in and out).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "backend.observability.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "meijia.request": {"level": os.environ.get("REQUEST_LOG_LEVEL", "INFO")},
        # The request log already has every request, with its id: no second access line.
        "django.request": {"level": "ERROR"},
        "django.channels.server": {"level": "WARNING"},
    },
}

# ---- operations (backend/observability.py)
# /metrics: with a token, `Authorization: Bearer <METRICS_TOKEN>`; without one, only a direct
# loopback caller (nginx also refuses /metrics from outside).
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
READINESS_TIMEOUT_SECONDS = float(os.environ.get("READINESS_TIMEOUT_SECONDS", "2"))
# /bench/bare/ (the load benchmark's baseline view) exists only when this is on.
BENCH_BARE_VIEW = env_bool("BENCH_BARE_VIEW", False)

# ---- upload limits: request bodies other than file uploads (JSON, forms) up to 2.5 MB, file
# uploads (multipart) up to MAX_UPLOAD_SIZE; nginx's client_max_body_size is the same 10 MB.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440)
FILE_UPLOAD_MAX_MEMORY_SIZE = env_int("FILE_UPLOAD_MAX_MEMORY_SIZE", 2_621_440)
DATA_UPLOAD_MAX_NUMBER_FIELDS = env_int("DATA_UPLOAD_MAX_NUMBER_FIELDS", 1000)
MAX_UPLOAD_SIZE = env_int("MAX_UPLOAD_SIZE", 10 * 1024 * 1024)

# ---- WebSocket caps. Frame and message size (bytes), refused before buffering: daphne's
# --websocket-max-frame-size/--websocket-max-message-size say the same in every start script,
# and backend/socket_server.py holds daphne to these whatever its command line said. A valid
# frame is at most ~48 KB (16,000 characters of JSON). Sockets one account may hold at once.
DAPHNE_WEBSOCKET_MAX_FRAME_SIZE = env_int("WEBSOCKET_MAX_FRAME_BYTES", 65536)
DAPHNE_WEBSOCKET_MAX_MESSAGE_SIZE = env_int("WEBSOCKET_MAX_MESSAGE_BYTES", 65536)
SOCKETS_PER_USER = env_int("SOCKETS_PER_USER", 10)

# ---- browser security headers
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = "geolocation=(self), camera=(), microphone=(), usb=()"

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

# ---- Content-Security-Policy (django-csp; backend.middleware.SiteCSPMiddleware adds
# ws://<host> and wss://<host> to connect-src for the socket). No 'unsafe-inline' anywhere: the
# web app's scripts and styles are static files (htmx's own inline indicator style is off).
_STRIPE_ENABLED = bool(STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET)
_STRIPE_JS = ["https://js.stripe.com"] if _STRIPE_ENABLED else []
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", *_STRIPE_JS],
        "connect-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "font-src": ["'self'"],
        "frame-src": _STRIPE_JS or ["'none'"],
        "frame-ancestors": ["'none'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "manifest-src": ["'self'"],
    },
}
CONTENT_SECURITY_POLICY_REPORT_ONLY = None

# ---- reaching people when the app is closed: Web Push, SMS, delivery (backend/settings/reach.py)
from backend.settings.reach import *  # noqa: E402, F403
