"""CivicDesk settings: one module, driven by the environment.

Development (the default) is safe on localhost and needs nothing but Python: with no DATABASE_URL /
REDIS_URL the embedded PostgreSQL and Redis under var/ are started. Production (DJANGO_ENV=production)
refuses to start without SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL and REDIS_URL, and passes
`manage.py check --deploy` cleanly.
"""

from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from kombu import Queue

from portal import embedded, redis_url
from portal.env import (  # noqa: F401
    BASE_DIR,
    DJANGO_ENV,
    PRODUCTION,
    TESTING,
    env,
    env_bool,
    env_int_or_off,
    env_list,
    require,
)

# --- environment (DJANGO_ENV, PRODUCTION, TESTING: portal/env.py) ------------------------------------
if PRODUCTION:
    SECRET_KEY = require("SECRET_KEY")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DJANGO_ENV=production")
    DEBUG = False
else:
    SECRET_KEY = env("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production-0123456789abcdef")
    # Local use: the loopback names, plus the address `make run` was told to listen on (HOST).
    _local_hosts = ["127.0.0.1", "localhost", "[::1]"] + (["testserver"] if TESTING else [])
    if env("HOST") not in (None, "127.0.0.1", "0.0.0.0", "::"):  # noqa: S104 - a name, not a bind
        _local_hosts.append(env("HOST"))
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", _local_hosts)
    # Off unless a developer asks (`DEBUG=1 make run`): debug pages list every URL pattern and show
    # tracebacks, so the default run must be safe to show to a citizen.
    DEBUG = env_bool("DEBUG", False)

# --- services: PostgreSQL and Redis, embedded unless given -----------------------------------------
_database_url = env("DATABASE_URL")
_redis_url = env("REDIS_URL")
if PRODUCTION and not (_database_url and _redis_url):
    raise ImproperlyConfigured("DATABASE_URL and REDIS_URL must be set when DJANGO_ENV=production")
# DATABASE_OWNER_URL: the role that owns the tables (migrations, maintenance); DATABASE_URL: the application's
# role, which owns nothing and is subject to row-level security. Without an owner URL the one role does both.
_database_owner_url = env("DATABASE_OWNER_URL")
if not (_database_url and _redis_url):
    _services = embedded.ensure_services(need_database=not _database_url, need_redis=not _redis_url)
    if not _database_url:
        _database_url = _services.database_url
        _database_owner_url = _database_owner_url or _services.database_owner_url
    _redis_url = _redis_url or _services.redis_url
REDIS_URL = _redis_url
DATABASE_URL = _database_url
DATABASE_OWNER_URL = _database_owner_url or _database_url

DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=0)}
if not TESTING:
    # Under ASGI each request runs in its own thread, so persistent per-thread connections
    # (CONN_MAX_AGE) pile up until PostgreSQL refuses clients under load; a pool per process bounds them.
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": int(env("DATABASE_POOL_SIZE", "10")),
    }
# Server-side binding: parameters travel apart from the SQL, so psycopg prepares the statements a
# connection runs often (the hot paths: filing, chat messages, retrieval) and PostgreSQL stops
# parsing and planning them on every call.
DATABASES["default"].setdefault("OPTIONS", {})["server_side_binding"] = env_bool("DATABASE_SERVER_SIDE_BINDING", True)
# Django turns psycopg's automatic preparation off unless told: prepare a statement once a
# connection has run it this many times (empty: never).
DATABASES["default"]["OPTIONS"]["prepare_threshold"] = env_int_or_off("DATABASE_PREPARE_THRESHOLD", 5)
DATABASES["default"]["TEST"] = {"NAME": env("TEST_DATABASE_NAME", "test_civicdesk")}
# The owner's alias: `migrate` (portal/management/commands/migrate.py), DDL the app needs now and then, and
# maintenance use it. No pool: it is used rarely. In tests it points at the same test database (tests/conftest.py).
DATABASES["owner"] = dj_database_url.parse(DATABASE_OWNER_URL, conn_max_age=0)
DATABASES["owner"]["OPTIONS"] = {key: value for key, value in DATABASES["default"]["OPTIONS"].items() if key != "pool"}
DATABASES["owner"]["TEST"] = dict(DATABASES["default"]["TEST"])
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- applications ---------------------------------------------------------------------------------
INSTALLED_APPS = [
    "portal.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "channels",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "auditlog",
    "axes",
    "portal",
    "tenants",
    "knowledge",
    "chat",
    "requests_app",
    "registrations",
    "audit",
    "geocoding",
    "privacy",
    "analytics",
    "messaging",
    "frontdoor",
    "crisis",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # NUL, unpaired surrogates, over-deep or invalid JSON: 400; an over-large body: 413 (before any view).
    "core.input_guard.InputGuardMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "tenants.middleware.AgencyMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    # Last, so it sees the outcome of authentication attempts.
    "axes.middleware.AxesMiddleware",
]

# The webhooks' own chain (/hooks/, `portal.handlers`): nothing of sessions, CSRF or logins.
HOOK_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.input_guard.InputGuardMiddleware",
    "tenants.middleware.AgencyMiddleware",
    "messaging.hook_middleware.HookErrorsMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = None
ASGI_APPLICATION = "portal.asgi.application"

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
                "tenants.context_processors.agency",
                "crisis.context_processors.current_alerts",
            ],
        },
    },
]

# --- authentication -------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "staff-login"
LOGIN_REDIRECT_URL = "staff-home"
LOGOUT_REDIRECT_URL = "home"
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# django-axes: lock a username+IP pair out after repeated failures.
AXES_FAILURE_LIMIT = int(env("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(env("LOGIN_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

# django-guardian
ANONYMOUS_USER_NAME = "AnonymousUser"
GUARDIAN_RAISE_403 = False

# --- internationalisation -------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("zh-hans", _("Simplified Chinese")),
    ("es", _("Spanish")),
    ("fr", _("French")),
    ("vi", _("Vietnamese")),
    ("ko", _("Korean")),
    ("ar", _("Arabic")),
    ("de", _("German")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Formats Django's locales lack (Arabic has no date-and-time format): portal/formats/<language>/formats.py.
FORMAT_MODULE_PATH = ["portal.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- static and media -----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "var" / "staticfiles")))
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
# Stored files are never static: /media/<name> checks access (core/media.py), then sends the bytes
# itself ("django"), or lets the front server send them: "x-accel-redirect" (nginx: an `internal;`
# location at MEDIA_ACCEL_PREFIX aliased to MEDIA_ROOT) or "x-sendfile" (Apache mod_xsendfile, lighttpd).
MEDIA_SERVE = env("MEDIA_SERVE", "django")
if MEDIA_SERVE not in ("django", "x-accel-redirect", "x-sendfile"):
    raise ImproperlyConfigured("MEDIA_SERVE must be django, x-accel-redirect or x-sendfile")
MEDIA_ACCEL_PREFIX = env("MEDIA_ACCEL_PREFIX", "/protected-media/")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "portal.staticstorage.ManifestStaticFilesStorage"  # whitenoise's, and the chat widget's parts
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024
# A whole multipart request (files included; five 10 MB photos, a 20 MB document): larger ones get 413.
REQUEST_MAX_UPLOAD_BYTES = int(float(env("REQUEST_MAX_UPLOAD_MB", "64")) * 1024 * 1024)

# --- caches, channels, celery ---------------------------------------------------------------------
CACHES = {
    "default": {
        "BACKEND": "core.redis_cache.SharedPoolRedisCache",
        "LOCATION": redis_url.database_url(REDIS_URL, "cache"),
        "KEY_PREFIX": "test" if TESTING else "civicdesk",
    }
}
CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "core.channel_layer.RedisChannelLayer",
        "CONFIG": {
            # channels_redis waits on BZPOPMIN for 5 s; redis-py's default read timeout is also 5 s, so
            # an idle socket's receive raced it and the consumer died. Give the reads headroom, and more
            # than redis-py's default 100 connections (its pool raises, not waits, when exhausted).
            "hosts": [
                {"address": redis_url.database_url(REDIS_URL, "channels"), "socket_timeout": 15, "max_connections": 500}
            ],
            "prefix": "test-asgi" if TESTING else "asgi",
            "capacity": 1000,
            "expiry": 60,
        },
    }
}
# Tests have a broker database of their own: a `make run` worker must never take their tasks.
CELERY_BROKER_URL = redis_url.database_url(REDIS_URL, "test_broker" if TESTING else "broker")
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# Channel replies' delivery runs have a queue of their own, which every worker consumes beside the default
# one (the Redis transport takes from its queues in turn): a delivery run queued behind thousands of inbound
# turns would otherwise wait for all of them, and the people with it (bench/messaging/RESULTS.md).
CELERY_TASK_DEFAULT_QUEUE = "celery"
# Bulk work (an alert's fan-out and its senders: thousands of rows at the providers' pace) has a queue of its
# own, consumed by a worker that runs at low CPU priority (`CELERY_BULK_NICE`, applied by the worker itself when
# it consumes only bulk queues, `portal.celery`): a broadcast then takes only the CPU the chat and the other
# tasks leave (bench/crisis/RESULTS.md). A worker started without `-Q` consumes every queue, bulk included.
CELERY_BULK_QUEUE = "bulk"
CELERY_BULK_NICE = int(env("CELERY_BULK_NICE", "10"))
CELERY_BULK_CONCURRENCY = int(env("CELERY_BULK_CONCURRENCY", "4"))
CELERY_TASK_QUEUES = (Queue("celery"), Queue("messaging-deliver"), Queue(CELERY_BULK_QUEUE))
CELERY_TASK_ROUTES = {
    "messaging.outbound_deliver": {"queue": "messaging-deliver"},
    "crisis.alert_fan_out": {"queue": CELERY_BULK_QUEUE},
    "crisis.deliveries_send": {"queue": CELERY_BULK_QUEUE},
    # Background embedding for answers across languages (knowledge.shared_space): on the niced worker.
    "knowledge.fill_shared_vectors": {"queue": CELERY_BULK_QUEUE},
}
# Keep a worker's database connection across tasks (closed every 200 tasks) instead of reconnecting
# for each one, which costs more than a typical task. (Tests: closed after each task, as before.)
CELERY_DB_REUSE_MAX = None if TESTING else 100
CELERY_BEAT_SCHEDULE: dict = {
    "requests-sla-check": {"task": "requests_app.sla_check_all", "schedule": 300.0},
    "audit-seal-chains": {"task": "audit.seal_chains", "schedule": crontab(hour=0, minute=5)},
    "privacy-retention": {"task": "privacy.retention_run_all", "schedule": crontab(hour=2, minute=30)},
    "chat-agent-photos-purge": {"task": "chat.agent_photos_purge_all", "schedule": crontab(hour=3, minute=15)},
    # Webhook events whose turn was lost (a killed worker) and outbound messages due for a retry.
    "messaging-sweep": {"task": "messaging.sweep", "schedule": 15.0},
    "crisis-sweep": {"task": "crisis.sweep", "schedule": 20.0},
    "analytics-rollups": {
        "task": "analytics.rollups_refresh_all",
        "schedule": float(env("ANALYTICS_ROLLUP_REFRESH_SECONDS", "600")),
    },
}
# Analytics rollups: refreshed by beat (above); every day of the last year rebuilt this often.
ANALYTICS_ROLLUP_FULL_HOURS = float(env("ANALYTICS_ROLLUP_FULL_HOURS", "24"))
# Retention: an agency may not keep audit entries for less than this (platform minimum), nor other data
# for less than RETENTION_MIN_DAYS.
RETENTION_AUDIT_MIN_DAYS = int(env("RETENTION_AUDIT_MIN_DAYS", "365"))
RETENTION_MIN_DAYS = int(env("RETENTION_MIN_DAYS", "30"))
CELERY_BEAT_SCHEDULE_FILENAME = str(BASE_DIR / "var" / "celerybeat-schedule")

# --- API ------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "portal.api_schema.CivicDeskAutoSchema",
    "DEFAULT_PAGINATION_CLASS": "portal.pagination.StrictLimitOffsetPagination",
    # The API speaks JSON; the views that take uploads add multipart themselves.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "portal.api.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"anon": "120/minute", "user": "600/minute", "chat_photo": "20/minute"},
    # Client IPs for throttling: 0 = the socket peer. Behind N trusted proxies set NUM_PROXIES=N, so a
    # client cannot dodge limits with a forged X-Forwarded-For.
    "NUM_PROXIES": int(env("NUM_PROXIES", "0")),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CivicDesk API",
    "DESCRIPTION": "Agencies, knowledge-base answers, service requests and registrations.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "portal.api_schema.add_error_responses",
    ],
}

# --- audit ----------------------------------------------------------------------------------------
AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_DISABLE_REMOTE_ADDR = False

# --- the features' settings (e-mail, SMS, messaging, crisis, encryption, maps, LLM, knowledge) -------
from portal.feature_settings import *  # noqa: E402, F403

# --- security -------------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [f"https://{host}" for host in ALLOWED_HOSTS])
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

# --- logging --------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    # httpx and httpcore log every request at INFO: a line per alert message sent (bench/crisis/RESULTS.md).
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "httpx": {"level": "WARNING"},
        "httpcore": {"level": "WARNING"},
    },
}
