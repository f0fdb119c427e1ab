"""Qiao settings: one env-driven module (see README "Configuration")."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from qiao.core.installation import installation_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("QIAO_DATA_DIR", BASE_DIR / "var")).resolve()


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("QIAO_DEBUG", False)

# --- secret key and allowed hosts (issue 15) -------------------------------------------------
# Without QIAO_SECRET_KEY the installation's own random key (DATA_DIR/secret_key) is used, never
# a published constant; production servers refuse to start without QIAO_SECRET_KEY and
# QIAO_ALLOWED_HOSTS (qiao.core.installation.refuse_insecure_production).
SECRET_KEY = os.environ.get("QIAO_SECRET_KEY", "").strip() or installation_secret_key(DATA_DIR)
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("QIAO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if h.strip()
]
# --- end secret key and allowed hosts --------------------------------------------------------
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("QIAO_CSRF_TRUSTED_ORIGINS", "").split(",") if o]
BASE_URL = os.environ.get("QIAO_BASE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "qiao.core.third_party.KnoxConfig",  # these three: app names in the reader's language
    "qiao.core.third_party.AxesConfig",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "qiao.core.third_party.TasksDatabaseConfig",
    "qiao.core",
    "qiao.search",
    "qiao.accounts",
    "qiao.organizations",
    "qiao.exchange",
    "qiao.careers",
    "qiao.deals",
    "qiao.alerts",
    "qiao.dashboards",
    "qiao.surveys",
    "qiao.alliance",
    "qiao.events",
    "qiao.governance",
    "qiao.programmes",
    "qiao.resources",
    "qiao.alliance_dashboard",
    "qiao.training",
    "qiao.assessment",
    "qiao.notifications",
    "qiao.demo",
    "qiao.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "qiao.accounts.middleware.PreferredLanguageMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "qiao.urls"
WSGI_APPLICATION = "qiao.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "qiao" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "qiao.notifications.context_processors.unread_notifications",
            ],
            "builtins": ["qiao.core.templatetags.people"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'qiao.sqlite3'}"),
        # Kept open between requests: opening one (and SQLite's pragmas) took ≈ 15 % of a
        # search request's CPU; the health check replaces one the server dropped.
        conn_max_age=int(os.environ.get("QIAO_DB_CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    # WAL + a busy timeout let the web process and the task worker share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"

# UI languages. Content languages are separate (qiao.core.languages).
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("zh-hans", _("Simplified Chinese")),
    ("ru", _("Russian")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "qiao" / "locale"]  # inside the package: `pip install .` ships it
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Harbin"
# Dates and times per UI language: English gets "6 Dec 2026, 14:30" instead of Django's US
# formats; zh-hans and ru keep Django's own (qiao/formats/en/formats.py says why).
FORMAT_MODULE_PATH = ["qiao.formats"]

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "media/"
# Files that must never be served as media (CVs, deal documents): outside MEDIA_ROOT and
# STATIC_ROOT, read only through permission-checking views.
QIAO_PRIVATE_MEDIA_ROOT = Path(os.environ.get("QIAO_PRIVATE_MEDIA_ROOT", DATA_DIR / "private"))
QIAO_DEAL_DOCUMENT_MAX_BYTES = int(os.environ.get("QIAO_DEAL_DOCUMENT_MAX_BYTES", 10 * 2**20))
# Deals whose deadline is this many days away (or past) get one reminder e-mail.
QIAO_DEAL_REMINDER_DAYS = int(os.environ.get("QIAO_DEAL_REMINDER_DAYS", "3"))
# Saved-search alerts skip profiles published this recently: the index may not hold them yet.
QIAO_ALERT_GRACE_SECONDS = int(os.environ.get("QIAO_ALERT_GRACE_SECONDS", "120"))
WHITENOISE_USE_FINDERS = True

EMAIL_BACKEND = os.environ.get(
    "QIAO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("QIAO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("QIAO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("QIAO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("QIAO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("QIAO_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("QIAO_DEFAULT_FROM_EMAIL", "Qiao <noreply@qiao.example>")

# Background work: django-tasks API, database-backed queue; `manage.py db_worker` runs it.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("QIAO_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Qiao API",
    "DESCRIPTION": "Organisations, technology profiles, cross-lingual search and matches.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and Redoc are served from drf-spectacular-sidecar: no CDN at run time.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One schema name per choice set (several fields share them): the schema must generate
    # without warnings (qiao/api/tests/test_schema.py).
    "ENUM_NAME_OVERRIDES": {
        "ContentLanguageEnum": "qiao.core.languages.ContentLanguage",
        "CountryEnum": "qiao.organizations.models.Country",
        "OrganizationKindEnum": "qiao.organizations.models.OrganizationKind",
        "ProfileKindEnum": "qiao.exchange.models.ProfileKind",
        "ProfileStatusEnum": "qiao.exchange.models.ProfileStatus",
        "MatchStatusEnum": "qiao.exchange.models.MatchStatus",
        "MatchSideEnum": "qiao.api.serializers.SIDES",
        "PostingStatusEnum": "qiao.careers.models.PostingStatus",
        "ApplicationStatusEnum": "qiao.careers.models.ApplicationStatus",
        "ChineseLevelEnum": "qiao.careers.models.ChineseLevel",
        "RussianLevelEnum": "qiao.careers.models.RussianLevel",
        "EnglishLevelEnum": "qiao.careers.models.EnglishLevel",
        "InterestStatusEnum": "qiao.deals.models.InterestStatus",
        "DealStageEnum": "qiao.deals.models.DealStage",
        "AgreementTypeEnum": "qiao.deals.models.AgreementType",
        "CurrencyEnum": "qiao.deals.models.Currency",
    },
}

# --- logins, API tokens and rate limits (issue 15; README "Configuration") -------------------
# Client addresses come from REMOTE_ADDR, or from X-Forwarded-For only behind this many
# reverse proxies: a header that clients can write must not pick the key of a limit.
QIAO_PROXY_COUNT = int(os.environ.get("QIAO_PROXY_COUNT", "0"))


def env_rate(name: str, default: str) -> str | None:
    """A DRF rate such as "5/min" from the environment; "off" (or empty) disables the limit."""
    value = os.environ.get(name, default).strip()
    return None if value.lower() in {"", "off"} else value


# django-axes: after QIAO_LOGIN_FAILURE_LIMIT wrong passwords for one user name from one
# address, that pair is refused (web login, admin and /api/auth/token/) for the cool-off time.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
MIDDLEWARE.append("axes.middleware.AxesMiddleware")
AXES_FAILURE_LIMIT = int(os.environ.get("QIAO_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("QIAO_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True  # no growing log of every successful login (who, where, when)
AXES_LOCKOUT_CALLABLE = "qiao.accounts.lockout.lockout_response"
AXES_IPWARE_PROXY_COUNT = QIAO_PROXY_COUNT or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if QIAO_PROXY_COUNT else ("REMOTE_ADDR",)
)
# django-rest-knox: API tokens are stored hashed, expire, and are listed and revoked at
# /accounts/tokens/; a password change or reset revokes them all (qiao.accounts.models.User).
QIAO_API_TOKEN_LIFETIME = timedelta(days=int(os.environ.get("QIAO_API_TOKEN_DAYS", "30")))
QIAO_API_TOKENS_PER_USER = int(os.environ.get("QIAO_API_TOKENS_PER_USER", "20"))
REST_KNOX = {
    "TOKEN_TTL": QIAO_API_TOKEN_LIFETIME,
    "TOKEN_LIMIT_PER_USER": QIAO_API_TOKENS_PER_USER,
    "AUTH_HEADER_PREFIX": "Token",
}
# Rate limits per client address (per user for signed-in API calls), counted in the default
# cache: per process unless a shared cache is configured.
REST_FRAMEWORK["NUM_PROXIES"] = QIAO_PROXY_COUNT
REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] = [
    "rest_framework.throttling.AnonRateThrottle",
    "rest_framework.throttling.UserRateThrottle",
]
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {
    "anon": env_rate("QIAO_API_RATE_ANON", "60/min"),
    "user": env_rate("QIAO_API_RATE_USER", "600/min"),
    # Forms that create accounts or send e-mail to an address typed in (qiao.core.throttling).
    "signup": env_rate("QIAO_SIGNUP_RATE", "5/min"),
    "alliance_application": env_rate("QIAO_ALLIANCE_APPLICATION_RATE", "5/hour"),
    "alliance_application_email": env_rate("QIAO_ALLIANCE_APPLICATION_EMAIL_RATE", "3/day"),
}
# --- end logins, API tokens and rate limits --------------------------------------------------

# Matching engine (framework-free library `matching`, used only through qiao.search).
QIAO_EMBEDDING_MODEL = os.environ.get("QIAO_EMBEDDING_MODEL", "use-multilingual-v3-int8")
# Search (qiao.search, docs/decisions/0008-search-state-in-db.md): the database holds
# every document's state; each process follows its change log.
QIAO_SEARCH_POLL_SECONDS = float(os.environ.get("QIAO_SEARCH_POLL_SECONDS", "0.5"))
QIAO_SEARCH_SWEEP_SECONDS = float(os.environ.get("QIAO_SEARCH_SWEEP_SECONDS", "0.5"))
QIAO_SEARCH_LEASE_SECONDS = int(os.environ.get("QIAO_SEARCH_LEASE_SECONDS", "120"))
QIAO_SEARCH_RECONCILE_SECONDS = int(os.environ.get("QIAO_SEARCH_RECONCILE_SECONDS", "3600"))
QIAO_SEARCH_TOMBSTONE_DAYS = int(os.environ.get("QIAO_SEARCH_TOMBSTONE_DAYS", "7"))
# A worker writes a checkpoint of the engines (new processes start from it) every this many
# seconds when at least this many changes came since the last one.
QIAO_SEARCH_CHECKPOINT_SECONDS = int(os.environ.get("QIAO_SEARCH_CHECKPOINT_SECONDS", "300"))
QIAO_SEARCH_CHECKPOINT_CHANGES = int(os.environ.get("QIAO_SEARCH_CHECKPOINT_CHANGES", "100"))
QIAO_SEARCH_ANN_THRESHOLD = int(os.environ.get("QIAO_SEARCH_ANN_THRESHOLD", "20000"))
QIAO_MATCHES_PER_PROFILE = int(os.environ.get("QIAO_MATCHES_PER_PROFILE", "10"))
QIAO_PROFILE_VALIDITY_DAYS = 365
# Search hides results below this match quality (0-100): on the demo data, unrelated profiles
# score under 7 and the weakest relevant ones about 10 (docs/matching.md; issue #3 derives
# the threshold from graded STS data).
QIAO_SEARCH_MIN_QUALITY = float(os.environ.get("QIAO_SEARCH_MIN_QUALITY", "8"))
# Internships and jobs (qiao.careers).
QIAO_CV_MAX_BYTES = 5 * 1024 * 1024
# A talent-pool match at or above this quality goes into the digest e-mails.
QIAO_POOL_MIN_QUALITY = float(os.environ.get("QIAO_POOL_MIN_QUALITY", "30"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("QIAO_LOG_LEVEL", "INFO")},
    "loggers": {"jieba": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}

# --- Deployment: HTTPS, HSTS, Content-Security-Policy, base URL -------------------------------
# docs/deployment.md walks through a production install; with its environment file
# (deploy/qiao.env.example) `manage.py check --deploy` reports nothing
# (qiao/core/tests/test_deploy_check.py).
from csp.constants import NONCE, NONE, SELF  # noqa: E402
from django.core.exceptions import ImproperlyConfigured  # noqa: E402

# QIAO_SECURE=1: served over HTTPS behind a TLS proxy that sets X-Forwarded-Proto.
SECURE = env_bool("QIAO_SECURE", False)
if SECURE:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("QIAO_SSL_REDIRECT", True)
# HSTS: a year by default once served over HTTPS. Browsers remember it, so a site that may go
# back to plain HTTP starts with a small QIAO_HSTS_SECONDS (docs/deployment.md).
SECURE_HSTS_SECONDS = int(os.environ.get("QIAO_HSTS_SECONDS", 31_536_000 if SECURE else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("QIAO_HSTS_INCLUDE_SUBDOMAINS", SECURE)
SECURE_HSTS_PRELOAD = env_bool("QIAO_HSTS_PRELOAD", False)

# No outside hosts, no inline script or style unless it carries the response's nonce, no
# on* handlers or style= attributes (static JS sets what they did: qiao/core/static/qiao/ui.js).
INSTALLED_APPS += ["csp"]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "csp.middleware.CSPMiddleware",
)
_CSP = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],  # data: for the inline favicon and Swagger UI's icons
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# QIAO_CSP_REPORT_ONLY=1 reports violations in the browser console instead of blocking.
if env_bool("QIAO_CSP_REPORT_ONLY", False):
    CONTENT_SECURITY_POLICY_REPORT_ONLY = _CSP
else:
    CONTENT_SECURITY_POLICY = _CSP

# Links in e-mails and certificate QR codes: production must say where it is served.
if SECURE and not os.environ.get("QIAO_BASE_URL"):
    raise ImproperlyConfigured(
        "QIAO_BASE_URL must be set in production (QIAO_SECURE=1), e.g. https://qiao.example.org: "
        "links in e-mails and certificate QR codes are built from it"
    )
# --- end deployment ---------------------------------------------------------------------------

# --- Input limits (issue 15: request size) ----------------------------------------------------
# The largest request body accepted (qiao.core.limits): above every form's files together (a
# resource file: 50 MB; an alliance application: three documents of 10 MB). `qiao serve` lets
# waitress buffer at most twice this; larger bodies are refused before they are stored.
QIAO_MAX_REQUEST_BYTES = int(os.environ.get("QIAO_MAX_REQUEST_BYTES", 64 * 2**20))
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.locale.LocaleMiddleware") + 1,
    "qiao.core.limits.RequestSizeLimitMiddleware",
)
# Form fields other than files (Django's default, stated): over it, the same 413 page.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Uploads larger than this go to a temporary file instead of memory (Django's default).
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# --- API errors and ids (issue 15, items 8 and 12: qiao/api/errors.py, qiao/api/ids.py) ------
# One JSON error shape for every API error, translated; documented per operation in the schema.
REST_FRAMEWORK["EXCEPTION_HANDLER"] = "drf_standardized_errors.handler.exception_handler"
REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"] = "qiao.api.errors.ApiAutoSchema"
REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"] = [
    "qiao.api.parsers.JSONParser",
    "rest_framework.parsers.FormParser",
    "qiao.api.parsers.MultiPartParser",
]
INSTALLED_APPS.append("drf_standardized_errors")
_API_ERROR_CODES = ["400", "401", "403", "404", "405", "406", "413", "415", "429", "500"]
DRF_STANDARDIZED_ERRORS = {
    "EXCEPTION_HANDLER_CLASS": "qiao.api.errors.ApiExceptionHandler",
    # Also when QIAO_DEBUG=1: an API client gets JSON, the traceback goes to the log.
    "ENABLE_IN_DEBUG_FOR_UNHANDLED_EXCEPTIONS": True,
    "ALLOWED_ERROR_STATUS_CODES": _API_ERROR_CODES,
    "ERROR_SCHEMAS": {code: "qiao.api.errors.ErrorSerializer" for code in _API_ERROR_CODES},
}
# <id:pk> in API paths (qiao.api.ids.IdConverter): an integer the database can hold
# (2**63 - 1 is qiao.api.ids.ID_MAX; qiao/api/tests/test_id_range.py checks they agree).
SPECTACULAR_SETTINGS["PATH_CONVERTER_OVERRIDES"] = {
    "id": {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}
}
# --- end of API errors and ids ---------------------------------------------------------------
