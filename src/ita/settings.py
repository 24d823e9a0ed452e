"""Django settings, driven by the environment variables listed in ita/conf.py.

With nothing set, ITA Workbench runs in development mode on a SQLite file (WAL mode) in ./var.
``DATABASE_URL`` selects PostgreSQL. Production (``ITA_ENV=production``) refuses to start with
the development secret key or with DEBUG on.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured

from ita.conf import env, env_bool, env_list

django_stubs_ext.monkeypatch()

PACKAGE_DIR = Path(__file__).resolve().parent
CHECKOUT_DIR = PACKAGE_DIR.parents[1]

ENVIRONMENT = env("ITA_ENV") or "development"
if ENVIRONMENT not in {"development", "test", "production"}:
    raise ImproperlyConfigured(f"ITA_ENV must be development, test or production: {ENVIRONMENT}")
PRODUCTION = ENVIRONMENT == "production"

_DEVELOPMENT_KEY = "development-only-key-never-use-in-production"
SECRET_KEY = env("ITA_SECRET_KEY") or _DEVELOPMENT_KEY
DEBUG = env_bool("ITA_DEBUG", default=ENVIRONMENT == "development")
if PRODUCTION and SECRET_KEY == _DEVELOPMENT_KEY:
    raise ImproperlyConfigured("production needs ITA_SECRET_KEY")
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("production must not run with ITA_DEBUG on")

ALLOWED_HOSTS = env_list("ITA_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("ITA_CSRF_TRUSTED_ORIGINS")
CSRF_FAILURE_VIEW = "ita.surveys.views.public.csrf_failure"  # polite on survey pages only

DATA_DIR = Path(env("ITA_DATA_DIR") or CHECKOUT_DIR / "var")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ita.thai",
    "ita.catalog",
    "ita.agencies",
    "ita.audit",
    "ita.assessments",
    "ita.jobs",
    "ita.documents",
    "huey.contrib.djhuey",
    "ita.surveys",
    "ita.measures",
    "ita.oit",
    "ita.supervision",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "ita.middleware.SecurityHeadersMiddleware",
    "ita.middleware.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ita.middleware.ThaiFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "ita.surveys.middleware.SurveyFormMiddleware",  # before CSRF reads the survey form
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ita.middleware.MessageMiddleware",  # none on the respondents' pages
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "ita.urls"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
WSGI_APPLICATION = "ita.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
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

_database_url = env("DATABASE_URL")
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "ita.sqlite3"),
            "OPTIONS": {
                # WAL lets readers work while one writer commits; IMMEDIATE takes the write
                # lock at the start of a transaction so concurrent writers queue, not fail.
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
                ),
                "transaction_mode": "IMMEDIATE",
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Argon2 first (OWASP's recommendation); older hashes still verify and are upgraded at login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},  # not-domain: characters
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "th"
LANGUAGES = [("th", "ไทย"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

# Background jobs (ita.jobs): a huey queue in SQLite next to the database, or Redis in production.
_redis_url = env("ITA_REDIS_URL")
_queue = {"url": _redis_url} if _redis_url else {"filename": str(DATA_DIR / "jobs.sqlite3")}
HUEY = {
    "name": "ita",
    "huey_class": "huey.RedisHuey" if _redis_url else "huey.SqliteHuey",
    "connection": _queue,
    "immediate": env_bool("ITA_JOBS_IMMEDIATE", default=False),
    "consumer": {"workers": 2, "worker_type": "thread"},
}

# Rate limits and short-lived caches. With Redis (ITA_REDIS_URL) they are shared by every worker
# process; without it each process counts for itself (limits then apply per process).
if _redis_url:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _redis_url,
            "KEY_PREFIX": "ita",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
DATA_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024  # uploads are refused above 5 MB with a message
FILE_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024
# Bodies above these sizes are refused before they are read (ita.middleware): public pages
# take small forms only; elsewhere a few OIT evidence files of at most 20 MB each.
PUBLIC_PATH_PREFIXES = ("/s/", "/p/", "/accounts/login/")
MAX_PUBLIC_REQUEST_BYTES = 64 * 1024
MAX_REQUEST_BYTES = 100 * 1024 * 1024

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
if not PRODUCTION:
    STATIC_ROOT.mkdir(
        parents=True, exist_ok=True
    )  # WhiteNoise expects it even before collectstatic
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
MEDIA_ROOT = DATA_DIR / "uploads"

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 12 * 60 * 60  # a working day; log in again the next morning
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True  # htmx reads the token from the page, not the cookie
LOGIN_RATE_LIMIT = (10, 15 * 60)  # not-domain: failed logins per address and name, per window (s)
TRUSTED_PROXIES = ("127.0.0.1", "::1")  # whose X-Forwarded-For names the client
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Self-assessment surveys (docs/security.md). Limits on the public links count in the cache
# only (per worker process with the default local-memory cache), never in the database.
SURVEYS_MIN_GROUP_SIZE = 5  # smallest group shown in results and exports; campaigns may raise it
SURVEYS_RATE_LIMIT = (200, 60 * 60)  # answers sent per client address and campaign, per window (s)
SURVEYS_CODE_ATTEMPTS = (20, 60 * 60)  # not-domain: wrong codes per client address, per window (s)
SURVEYS_MIN_SECONDS = 5  # a form sent sooner after it was first opened is refused as a robot's
SURVEYS_FORM_MAX_AGE = 7 * 24 * 60 * 60  # the form's cookie, in seconds
SURVEYS_RETRY_DAYS = 2  # a response keeps its retry-proof key this many days, then mixing rekeys it

# The daily OIT link check (docs/oit.md): keyword arguments of huey's crontab, in UTC;
# hour 19 is 02:00 in Thailand.
OIT_CHECK_SCHEDULE = {"minute": "0", "hour": "19"}
# Whether the link monitor may fetch addresses on private networks (loopback, 10.x, 192.168.x…).
# Off: users type the addresses, and the server must not become a probe of its own network.
OIT_CHECK_PRIVATE_ADDRESSES = env_bool("ITA_OIT_CHECK_PRIVATE_ADDRESSES", default=False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO" if PRODUCTION else "WARNING"},
}
