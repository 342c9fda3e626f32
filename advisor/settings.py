"""Settings for Model Strategy Advisor, read from the environment.

Development defaults are safe: debug is off unless DJANGO_DEBUG=1, and the
database is a SQLite file under ``var/``. ``DJANGO_ENV=production`` switches
on the HTTPS-only settings that ``check --deploy`` asks for.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("DJANGO_VAR_DIR", BASE_DIR / "var"))


def env_bool(name, default=False):
    value = os.environ.get(name, "")
    if value == "":
        return default
    if value not in ("0", "1"):
        # DJANGO_DEBUG=ture must not quietly mean False.
        raise ImproperlyConfigured(f"{name} must be 0 or 1, not {value!r}")
    return value == "1"


def env_list(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int(name, default):
    value = os.environ.get(name, "")
    if value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


ENVIRONMENT = os.environ.get("DJANGO_ENV", "development")
if ENVIRONMENT not in ("development", "production"):
    raise ImproperlyConfigured(f"DJANGO_ENV must be 'development' or 'production', not {ENVIRONMENT!r}")
PRODUCTION = ENVIRONMENT == "production"

DEBUG = env_bool("DJANGO_DEBUG", default=False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DJANGO_DEBUG=1 is not allowed with DJANGO_ENV=production")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "Set DJANGO_SECRET_KEY (or DJANGO_DEBUG=1 for local development). "
            "`make run` generates one and keeps it in var/secret_key."
        )
    SECRET_KEY = "django-insecure-local-development-only"  # noqa: S105 - debug only

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    "axes",
    "simple_history",
    "advisor",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "advisor.middleware.StaticFilesMiddleware",  # WhiteNoise, immutable files cached a year
    "advisor.middleware.RequestLogMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "advisor.middleware.ApiMiddleware",  # JSON bodies in, JSON errors out under /api/
    "advisor.middleware.DatabaseUnavailableMiddleware",  # an unreachable database: 503, try again
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",  # who made each catalogue change
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so axes sees the authentication result of the admin login.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "advisor.urls"
WSGI_APPLICATION = "advisor.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
            ],
        },
    },
]

# Database: a SQLite file by default; DATABASE_URL selects anything else.
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A web server writes from several processes at once: WAL lets readers go
    # on while one writer works, IMMEDIATE takes the write lock at BEGIN (so a
    # transaction never fails half-way on a lock upgrade) and the timeout makes
    # writers queue instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        # FULL: a result acknowledged to its visitor survives a power loss (NORMAL may lose the last ones).
        "init_command": (
            "PRAGMA journal_mode=WAL; "
            f"PRAGMA synchronous={'NORMAL' if env_bool('DJANGO_SQLITE_SYNCHRONOUS_NORMAL') else 'FULL'}; "
            "PRAGMA busy_timeout=20000;"
        ),
    }
    if env_bool("DJANGO_SQLITE_DEFAULT_OPTIONS"):
        # Django's own defaults (rollback journal, deferred transactions, 5 s
        # timeout), only to show what the options above prevent: under
        # concurrent writers, "database is locked" (tests/test_concurrency.py).
        DATABASES["default"]["OPTIONS"] = {}
    DATABASES["default"]["CONN_MAX_AGE"] = 0 if env_bool("DJANGO_SQLITE_NO_PERSIST") else 60
    # The database holds every saved answer: created readable by its owner only (SQLite gives its
    # -wal and -shm files the same mode).
    _db_file = Path(DATABASES["default"]["NAME"])
    if not _db_file.exists() and _db_file.parent.is_dir():
        os.close(os.open(_db_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Fail fast instead of hanging a worker: a connection attempt gives up after a few seconds and
    # no statement runs longer than the worker timeout allows.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        connect_timeout=env_int("DJANGO_DB_CONNECT_TIMEOUT", 2),  # libpq's smallest
        options=f"-c statement_timeout={env_int('DJANGO_DB_STATEMENT_TIMEOUT_MS', 10000)}",
    )
    # Every gunicorn thread would keep a persistent connection of its own (workers x threads of
    # them): by default a request opens one and closes it. Set DJANGO_CONN_MAX_AGE (e.g. 60) behind
    # a pooler such as PgBouncer, or with max_connections above workers x threads (docs/deploy.md).
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("DJANGO_CONN_MAX_AGE", 0)
if os.environ.get("DJANGO_TEST_DB_NAME"):
    # Lets several test runs share one PostgreSQL server without colliding.
    DATABASES["default"]["TEST"] = {"NAME": os.environ["DJANGO_TEST_DB_NAME"]}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache holds the catalogue snapshot and rendered pages, keyed by the latest published catalogue
# version (read from the database on every request, so no server ever serves a stale page). One machine: each
# process keeps its own, in memory. Several app servers: set REDIS_URL (e.g. redis://10.0.0.5:6379/0)
# and they share one through Django's Redis backend, sessions included (cached_db: the database
# stays the record, the cache saves its reads).
# CACHE_URL names the cache explicitly: redis://host:port/db, locmem:// (the default) or dummy://
# (no cache at all: what a page costs when nothing is cached, as bench/run.py measures it).
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_URL = os.environ.get("CACHE_URL", "") or REDIS_URL or "locmem://"
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": os.environ.get("DJANGO_CACHE_KEY_PREFIX", "advisor"),
            # A Redis outage must not hang a worker: give up on a connection after a second.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        },
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
elif CACHE_URL == "dummy://":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
elif CACHE_URL == "locmem://":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "advisor"}}
else:
    raise ImproperlyConfigured("CACHE_URL must be redis://..., locmem:// or dummy://")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# collectstatic writes here; tests and the benchmark point it at a temporary directory.
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_MAX_AGE = 60 if DEBUG else 3600

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Security headers. Every page is served with a strict CSP: no inline code,
# nothing from other origins.
SECURE_CSP = {
    "default-src": [CSP.NONE],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "manifest-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
    "form-action": [CSP.SELF],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "advisor.views.core.csrf_failure"

# Behind a reverse proxy, the client address is the right-most address the
# proxy appended; set DJANGO_TRUSTED_PROXY_COUNT to the number of proxies.
TRUSTED_PROXY_COUNT = env_int("DJANGO_TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    # Load balancers probe over plain HTTP: a redirect would read as healthy whatever the state.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SECURE_HSTS_SECONDS = 63072000  # two years
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# Email (Django 6.1's MAILERS, which replaces EMAIL_BACKEND and EMAIL_HOST etc.):
# real SMTP in production, the console in development.
if PRODUCTION:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ.get("DJANGO_EMAIL_HOST", "localhost"),
                "port": env_int("DJANGO_EMAIL_PORT", 25),
                "username": os.environ.get("DJANGO_EMAIL_HOST_USER", ""),
                "password": os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("DJANGO_EMAIL_USE_TLS", default=False),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "advisor@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ADMINS = [("Ops", addr) for addr in env_list("DJANGO_ADMINS", [])]

# Admin brute-force protection: lock a username *from one address* after
# repeated failures, for a cool-off that expires, so nobody can lock an editor
# out from elsewhere.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The friendly 429 page with a Retry-After of the cool-off.
AXES_LOCKOUT_CALLABLE = "advisor.ratelimit.admin_lockout"
# The same client address as the rest of the app (right behind
# DJANGO_TRUSTED_PROXY_COUNT proxies); django-ipware is not installed, and
# without this axes would see only the proxy's address.
AXES_CLIENT_IP_CALLABLE = "advisor.middleware.axes_client_ip"
AXES_VERBOSE = False

# Anonymous submissions are limited per client address, counted in the
# database so that every worker process shares the count.
ADVISOR_SUBMISSION_LIMIT = env_int("ADVISOR_SUBMISSION_LIMIT", 20)
# Answers to decision rooms a client may send per window (a whole team may share one office address).
ADVISOR_ROOM_ANSWER_LIMIT = env_int("ADVISOR_ROOM_ANSWER_LIMIT", 60)
# Days a decision room may stay open without activity; ``manage.py close_idle_rooms`` closes the others.
ADVISOR_ROOM_IDLE_DAYS = env_int("ADVISOR_ROOM_IDLE_DAYS", 90)
# Rendered pages (and the questionnaire's rendered questions) are kept in the cache; 0 turns that
# off, so every view renders afresh: bench/run.py's cold server measures what a first view costs.
ADVISOR_PAGE_CACHE = env_bool("ADVISOR_PAGE_CACHE", True)
# Reader reports of inaccuracies a client may send per submission window.
ADVISOR_REPORT_LIMIT = env_int("ADVISOR_REPORT_LIMIT", 5)
# /readyz answers 503 when a SQLite database's disk has less free space than this.
ADVISOR_MIN_FREE_DISK_MB = env_int("ADVISOR_MIN_FREE_DISK_MB", 50)
# /readyz answers 503 when the database has not answered within this many seconds.
ADVISOR_READYZ_TIMEOUT = float(os.environ.get("ADVISOR_READYZ_TIMEOUT", "1.5"))
ADVISOR_SUBMISSION_WINDOW = env_int("ADVISOR_SUBMISSION_WINDOW", 60)  # seconds
# Days a saved result is kept after its permalink was last opened; empty keeps every result.
# ``manage.py purge_results`` (run daily) deletes the others; see docs/deploy.md.
ADVISOR_RESULT_RETENTION_DAYS = env_int("ADVISOR_RESULT_RETENTION_DAYS", None)
if ADVISOR_RESULT_RETENTION_DAYS is not None and ADVISOR_RESULT_RETENTION_DAYS < 1:
    raise ImproperlyConfigured("ADVISOR_RESULT_RETENTION_DAYS must be at least 1 (or empty to keep every result)")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "advisor.middleware.JsonFormatter"}},
    "filters": {"route_pattern": {"()": "advisor.logs.RoutePatternFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["route_pattern"]},
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "advisor.request": {
            "handlers": ["console"],
            "level": os.environ.get("ADVISOR_REQUEST_LOG_LEVEL", "INFO"),
            "propagate": False,
        },
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}
