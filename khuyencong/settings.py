"""Settings for the khuyến công portal, read from the environment.

SQLite by default so a fresh checkout just works; PostgreSQL by setting DATABASE_URL.
"""

import datetime
import os
import sys
from pathlib import Path

import dj_database_url
from csp import constants as csp_constants
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name, default="False"):
    return os.getenv(name, default).strip().lower() in ("1", "true", "yes", "on")


def envint(name, default):
    return int(os.getenv(name, str(default)))


def envlist(name, default=""):
    return [item.strip() for item in os.getenv(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", "False")

SECRET_KEY = os.getenv("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-khuyencong"  # noqa: S105

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "khuyencong.admin_apps.PortalAdminConfig",  # django.contrib.admin, logging old and new values
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "csp",
    "facilities",
    "khuyencong",
    "funding",
    "proposals",
    "reports",
    "registrations",
    "exchange",
    "demo",  # demo data on top of every app (load_demo)
]

MIDDLEWARE = [
    # First: every later log line carries the request id (khuyencong.logs).
    "khuyencong.middleware.RequestContext",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "khuyencong.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "khuyencong.middleware.NoStoreWhenSignedIn",
    # Before anything reads the body (CSRF reads the form in process_view).
    "khuyencong.middleware.RequestSizeLimit",
    "khuyencong.middleware.RefuseNulCharacters",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "khuyencong.middleware.DomainErrorPages",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it inspects the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "khuyencong.urls"
WSGI_APPLICATION = "khuyencong.wsgi.application"

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
                "django.template.context_processors.i18n",
            ],
            "builtins": [
                "khuyencong.templatetags.money",
                "khuyencong.templatetags.people",
                "django.templatetags.l10n",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.getenv("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=envint("DB_CONN_MAX_AGE", 60),
    )
}
# On PostgreSQL a request waits a bounded time for a row lock (then answers 409 "busy") and for
# a statement; 0 waits for ever. Management commands other than runserver (migrate, load_demo,
# generate_data) may legitimately run long statements, so they keep PostgreSQL's defaults.
_COMMAND = sys.argv[1] if Path(sys.argv[0]).name == "manage.py" and len(sys.argv) > 1 else None
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and _COMMAND in (
    None,
    "runserver",
):
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c lock_timeout={envint('DB_LOCK_TIMEOUT_MS', 5000)} "
        f"-c statement_timeout={envint('DB_STATEMENT_TIMEOUT_MS', 30000)}"
    )
# A connection the database dropped is noticed before a request uses it, not as a 500.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling: five failures per username and address lock out for 30 minutes.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Django's vi locale lacks grouping and dd/mm/yyyy input; ours live in khuyencong/formats.
FORMAT_MODULE_PATH = ["khuyencong.formats"]
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.getenv("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = Path(os.getenv("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"  # never served directly: attachments go through access-checked views
FILE_UPLOAD_MAX_MEMORY_SIZE = envint("FILE_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("DATA_UPLOAD_MAX_MEMORY_SIZE", 30 * 1024 * 1024)
ATTACHMENT_MAX_BYTES = envint("ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024)
# A whole request body (khuyencong.middleware.RequestSizeLimit answers 413 above it, unread):
# above a registration's 30 MB of files (registrations.workflow.MAX_TOTAL_BYTES) plus its form.
MAX_REQUEST_BYTES = envint("MAX_REQUEST_BYTES", 32 * 1024 * 1024)
# Uploaded import files are emptied this many days after upload once finished (`cleanup`).
IMPORT_RETENTION_DAYS = envint("IMPORT_RETENTION_DAYS", 90)

# Cached figures and pages (khuyencong.datacache) are keyed by a data version kept in the
# database, so the default per-process memory cache is correct with several server processes;
# CACHE_BACKEND/CACHE_LOCATION may name a shared one (Redis, Memcached) to compute each once.
CACHE_BACKEND = os.getenv("CACHE_BACKEND", "django.core.cache.backends.locmem.LocMemCache")
CACHES = {"default": {"BACKEND": CACHE_BACKEND, "LOCATION": os.getenv("CACHE_LOCATION", "")}}
if CACHE_BACKEND.endswith("LocMemCache"):
    # A national dashboard is ~0,2 MB: a bound on entries bounds each process's memory.
    CACHES["default"]["OPTIONS"] = {"MAX_ENTRIES": envint("CACHE_MAX_ENTRIES", 1000)}

# Online registration (registrations/): submissions and status look-ups per address per hour,
# counted in the cache (CACHES; the default local-memory cache counts per process). Behind
# reverse proxies set REGISTRATION_TRUSTED_PROXIES to their number, so the client address is
# read from X-Forwarded-For; otherwise REMOTE_ADDR is used and the header is ignored.
REGISTRATION_RATE_LIMIT = envint("REGISTRATION_RATE_LIMIT", 5)
REGISTRATION_LOOKUP_RATE_LIMIT = envint("REGISTRATION_LOOKUP_RATE_LIMIT", 30)
REGISTRATION_TRUSTED_PROXIES = envint("REGISTRATION_TRUSTED_PROXIES", 0)

EMAIL_BACKEND = os.getenv(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.getenv("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.getenv("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.getenv("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS")
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 10)  # seconds: a stuck mail server must not hold a worker
DEFAULT_FROM_EMAIL = os.getenv("DEFAULT_FROM_EMAIL", "khuyencong@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SITE_URL = os.getenv("SITE_URL", "http://127.0.0.1:8000")

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "True")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # One year: browsers then never try plain HTTP (set 0 while first trying TLS out).
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): scripts, styles, fonts and images from the portal's own
# files only — no inline script or handler, no CDN — so an injected <script> cannot run.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp_constants.SELF],
        "script-src": [csp_constants.SELF],
        "style-src": [csp_constants.SELF],
        "img-src": [csp_constants.SELF, "data:"],
        "font-src": [csp_constants.SELF],
        "connect-src": [csp_constants.SELF],
        "object-src": [csp_constants.NONE],
        "base-uri": [csp_constants.SELF],
        "form-action": [csp_constants.SELF],
        "frame-ancestors": [csp_constants.NONE],
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "knox.auth.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    # JSON without NUL characters or deep nesting (400, not a 500), forms and uploads.
    "DEFAULT_PARSER_CLASSES": [
        "khuyencong.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Money and ids stay numbers in JSON; formatting is the pages' business.
    "COERCE_DECIMAL_TO_STRING": False,
}
# API tokens (django-rest-knox): kept as digests, expire after API_TOKEN_TTL_DAYS, revoked by
# DELETE /api/v1/auth/token/, from the "Token API" page, and all at once by a password change.
REST_KNOX = {
    "TOKEN_TTL": datetime.timedelta(days=envint("API_TOKEN_TTL_DAYS", 30)),
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Khuyến công API",
    "DESCRIPTION": "API của cổng khuyến công / The khuyến công portal API (v1).",
    "VERSION": "1.0.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_INCLUDE_SCHEMA": False,
    # One schema name per choice set that several fields share.
    "ENUM_NAME_OVERRIDES": {
        "ProposalStateEnum": "proposals.models.State",
        "ProposalActionEnum": "proposals.lifecycle.ACTIONS",
        "RegistrationStatusEnum": "registrations.models.Status",
        "RegistrationActionEnum": "registrations.models.Action",
        "ImportKindEnum": "exchange.models.Kind",
    },
}

# Plain lines while developing, one JSON object per line in production (LOG_FORMAT=json|text);
# both carry the request id and the user id (khuyencong.logs).
LOG_FORMAT = os.getenv("LOG_FORMAT", "text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "khuyencong.logs.RequestFilter"}},
    "formatters": {
        "text": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s u=%(user_id)s] "
            "%(message)s"
        },
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": ["asctime", "levelname", "name", "message", "request_id", "user_id"],
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "INFO")},
    # runserver prints its own request lines; ours carry the user and the request id.
    "loggers": {"django.server": {"level": "WARNING"}},
}
