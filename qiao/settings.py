"""Qiao settings: one env-driven module (see README "Configuration")."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("QIAO_DATA_DIR", BASE_DIR / "var")).resolve()


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("QIAO_DEBUG", False)
SECRET_KEY = os.environ.get("QIAO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and env_bool("QIAO_REQUIRE_SECRET_KEY", False):
        raise RuntimeError("QIAO_SECRET_KEY must be set in production")
    SECRET_KEY = "insecure-development-key-change-me"  # dev/demo only
ALLOWED_HOSTS = [
    h for h in os.environ.get("QIAO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h
]
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
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
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
            ],
            "builtins": ["qiao.core.templatetags.people"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'qiao.sqlite3'}"),
        conn_max_age=int(os.environ.get("QIAO_DB_CONN_MAX_AGE", "0")),
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
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Harbin"

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
        "rest_framework.authentication.TokenAuthentication",
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
    "loggers": {"jieba": {"level": "WARNING"}},
}

if env_bool("QIAO_SECURE", False):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

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
