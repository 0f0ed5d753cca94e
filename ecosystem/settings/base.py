"""Settings shared by every environment. Everything a deployment changes comes from the
environment (see the configuration table in README.md)."""

import os
from datetime import timedelta
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

# Processes are the parallelism (web and Celery workers): a BLAS thread pool in each would
# fight them for the cores. Set before numpy is first imported (matchmaking).
for _threads in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_threads, "1")

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-change-me-in-production-0123456789")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
SITE_NAME = env("SITE_NAME", default="Smart City Innovation Ecosystem")

INSTALLED_APPS = [
    # Before the admin: translated model fields, edited side by side (README "Languages").
    "modeltranslation",
    "ecosystem.admin_apps.StaffAdminConfig",  # django.contrib.admin with the staff index
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_celery_beat",
    "csp",
    "allauth",
    "allauth.account",
    "ecosystem",
    "ecosystem.notifications",
    "ecosystem.privacy",
    "ecosystem.search",
    "ecosystem.matching",
    "stakeholders",
    "projects",
    "events",
    "procurement",
]

MIDDLEWARE = [
    # The security headers wrap everything, static files served by whitenoise included.
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ecosystem.i18n.middleware.LanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "ecosystem.urls"
WSGI_APPLICATION = "ecosystem.wsgi.application"
SITE_ID = 1

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
                "ecosystem.context_processors.site",
                "ecosystem.i18n.context_processors.languages",
                "ecosystem.notifications.context_processors.unread",
            ],
        },
    }
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent writers (``make run``): a transaction takes the write lock when it begins
    # (SELECT ... FOR UPDATE does nothing on SQLite), others wait up to SQLITE_TIMEOUT seconds;
    # WAL lets readers read meanwhile.
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "transaction_mode": "IMMEDIATE",
        "timeout": env.int("SQLITE_TIMEOUT", default=20),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    })
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Organisers check people in from this long before an event starts until it ends.
CHECKIN_OPENS_BEFORE = timedelta(minutes=env.int("CHECKIN_OPENS_BEFORE_MINUTES", default=120))

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "ecosystem.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "my-portal"

# django-allauth: e-mail is the login, verification is mandatory, rate limits stay on.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
ACCOUNT_ADAPTER = "stakeholders.accounts.AccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "stakeholders.accounts.SignupForm"

LANGUAGE_CODE = env("LANGUAGE_CODE", default="en")
LANGUAGES = [("en", _("English")), ("hr", _("Croatian")), ("de", _("German")), ("it", _("Italian"))]
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "ecosystem" / "formats" / "locale"]
TIME_ZONE = env("TIME_ZONE", default="Europe/Zagreb")
USE_I18N = True
USE_TZ = True
# Dates and numbers per language ("2. prosinca 2026. u 14:00"): ecosystem/formats/<lang>/.
FORMAT_MODULE_PATH = ["ecosystem.formats"]
# Content in several languages (django-modeltranslation): a text missing in the reader's
# language falls back to the first language it exists in, shown with a note.
# The admin requires a text in the portal's main language (LANGUAGE_CODE); others optional.
MODELTRANSLATION_DEFAULT_LANGUAGE = LANGUAGE_CODE if LANGUAGE_CODE in dict(LANGUAGES) else "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = (MODELTRANSLATION_DEFAULT_LANGUAGE,) + tuple(
    code for code, _name in LANGUAGES if code != MODELTRANSLATION_DEFAULT_LANGUAGE
)

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "private_media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
MAX_UPLOAD_SIZE = env.int("MAX_UPLOAD_SIZE", default=20 * 1024 * 1024)
# Public uploads (logos, images) under /media/ served by the portal itself; turn off when a
# reverse proxy serves MEDIA_ROOT. Private media are never served directly.
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=False)

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="portal@smartcity.example")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security headers on every response (see ecosystem/middleware for the rest).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
MAP_TILE_URL = env("MAP_TILE_URL", default="")
MAP_TILE_ATTRIBUTION = env("MAP_TILE_ATTRIBUTION", default="")
_tile_origin = "/".join(MAP_TILE_URL.split("/")[:3]) if MAP_TILE_URL.startswith("http") else None
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"] + ([_tile_origin] if _tile_origin else []),
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

REST_FRAMEWORK = {
    # Token first: DRF answers a request without credentials with the first class's
    # challenge, so that is a 401 with `WWW-Authenticate: Token` (session authentication has
    # no challenge and would make it a 403). A signed-in browser is still known by its session.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "ecosystem.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    # JSON bodies; a view that takes a file adds MultiPartParser (its schema then lists
    # multipart/form-data too). A form-encoded body cannot say null, a list of objects or a file.
    "DEFAULT_PARSER_CLASSES": ["ecosystem.api.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "ecosystem.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": [
        "ecosystem.api.filters.FilterBackend",
        "ecosystem.api.filters.OrderingFilter",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_THROTTLE_ANON", default="600/min"),
        "user": env("API_THROTTLE_USER", default="1200/min"),
        "auth_token": env("API_THROTTLE_AUTH", default="10/min"),
    },
    "DEFAULT_SCHEMA_CLASS": "ecosystem.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "ecosystem.api.errors.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Smart City Innovation Ecosystem API",
    "DESCRIPTION": (
        "Open data and actions of the portal: organisations, themes, cities, events, "
        "calls for innovation procurement (with OCDS), projects, pilots and programmes. "
        'Errors always have the shape {"message": ..., "code": ..., "fields": {...}}.'
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # The schema is checked by its own test (spectacular --validate --fail-on-warn), not by
    # `check --deploy`, which stays about the security of the configuration.
    "ENABLE_DJANGO_DEPLOY_CHECK": False,
    # Group operations by resource (organisations, events, calls, ...) in the docs.
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    # Choice sets used by fields of the same name in several apps get explicit names.
    # ?lang= / Accept-Language on every operation, Content-Language on every answer.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "ecosystem.i18n.openapi.add_language_parameters",
        "ecosystem.api.schema.bodies_without_files",
        "ecosystem.api.schema.form_bodies_without_null",
        "ecosystem.api.schema.closed_request_bodies",
        "ecosystem.api.schema.empty_query_values",
    ],
    "ENUM_NAME_OVERRIDES": {
        "OrganisationKindEnum": "stakeholders.models.OrganisationKind",
        "HelixEnum": "stakeholders.models.Helix",
        "PhaseKindEnum": "projects.models.PhaseKind",
        "ProjectStatusEnum": "projects.models.Project.Status",
        "SavedSearchFrequencyEnum": "ecosystem.search.models.SavedSearch.Frequency",
        "RecommendationKindEnum": "ecosystem.matching.api.serializers.KIND_CHOICES",
    },
}

# Celery: Redis broker when REDIS_URL is set, otherwise every task runs in-process
# (task_always_eager: `make run` needs no worker). README "Background jobs" explains the rest.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
# Late acks: a message is acknowledged only after its task finished, and a worker process
# that dies (SIGKILL, OOM) puts it back, so it runs again; tasks are idempotent for that.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# A task that raised is acknowledged: retries go through the outbox (backoff, dead letter).
CELERY_TASK_ACKS_ON_FAILURE_OR_TIMEOUT = True
# Lost broker connection: cancel running late-ack tasks, whose messages come back anyway.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Time limits: no task may run longer than this (the e-mail tasks set 60/90 s themselves).
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=240)
# Must exceed the longest task (CELERY_TASK_TIME_LIMIT), or Redis hands a message that is
# still being worked on to a second worker. It is also how long a message held by a worker
# that was killed outright waits before Redis redelivers it.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    "socket_connect_timeout": 2,
    "socket_timeout": 10,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE: dict = {}

OCDS_PREFIX = env("OCDS_PREFIX", default="ocds-sc0001")
DIGEST_HOUR = env.int("DIGEST_HOUR", default=7)
# ISO weekday (1 = Monday) of the weekly digest, sent at DIGEST_HOUR.
DIGEST_WEEKDAY = env.int("DIGEST_WEEKDAY", default=1)

# Personal data and open data (README "Personal data and open data"): retention periods in
# days, each from RETENTION_<KEY>_DAYS; how long a data export's link works; the licence.
RETENTION_DAYS = {
    "unconfirmed_signups": env.int("RETENTION_UNCONFIRMED_SIGNUPS_DAYS", default=7),
    "expired_invitations": env.int("RETENTION_EXPIRED_INVITATIONS_DAYS", default=30),
    "past_event_attendees": env.int("RETENTION_PAST_EVENT_ATTENDEES_DAYS", default=1825),
    "checkin_codes": env.int("RETENTION_CHECKIN_CODES_DAYS", default=30),
    "read_notifications": env.int("RETENTION_READ_NOTIFICATIONS_DAYS", default=180),
    "delivered_outbox": env.int("RETENTION_DELIVERED_OUTBOX_DAYS", default=14),
    "sessions": env.int("RETENTION_SESSIONS_DAYS", default=0),
    "exports": env.int("RETENTION_EXPORTS_DAYS", default=0),
}
DATA_EXPORT_EXPIRY_DAYS = env.int("DATA_EXPORT_EXPIRY_DAYS", default=7)
OPEN_DATA_LICENCE_URL = env("OPEN_DATA_LICENCE_URL",
                            default="https://creativecommons.org/licenses/by/4.0/")
OPEN_DATA_LICENCE_NAME = env("OPEN_DATA_LICENCE_NAME", default="CC BY 4.0")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}

# Matchmaking (ecosystem/matching): weights of each signal per kind, how many rows are kept,
# the notification threshold. Unset keys take the defaults in ecosystem/matching/scoring.py.
MATCHING: dict = {}
