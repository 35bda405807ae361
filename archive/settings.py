"""Settings for the archive. Everything comes from the environment with safe local defaults.

ARCHIVE_DATA_DIR   where the SQLite database, the Whoosh index and the raw captures live
                   (default: data/ under the repository root; an exported value always wins)
ARCHIVE_SECRET_KEY required when ARCHIVE_DEBUG is off and ARCHIVE_ENV=production
ARCHIVE_DEBUG      1 to turn on Django's debug pages (default off)
ARCHIVE_ALLOWED_HOSTS  comma-separated (default: local addresses)
ARCHIVE_ENV        'production' turns on the HTTPS-only settings that `check --deploy` wants
"""
from __future__ import annotations

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("ARCHIVE_DATA_DIR") or BASE_DIR / "data").resolve()
PRODUCTION = os.environ.get("ARCHIVE_ENV", "").lower() == "production"
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = os.environ.get("ARCHIVE_DEBUG", "0") == "1"
SECRET_KEY = os.environ.get("ARCHIVE_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise RuntimeError("ARCHIVE_SECRET_KEY must be set when ARCHIVE_ENV=production")
    # A local-only key: this archive on 127.0.0.1 has no secrets worth signing.
    SECRET_KEY = "local-development-key-not-for-production-" + "x" * 20

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ARCHIVE_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.syndication",
    "django.contrib.sitemaps",
    "archive",
    # Before haystack: the archive's rebuild_index, update_index and clear_index replace
    # haystack's, which would write around the index lock and the index version.
    "search",
    "haystack",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "archive.urls"
WSGI_APPLICATION = "archive.wsgi.application"

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
            ],
        },
    },
]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("ARCHIVE_DB_PATH") or str(DATA_DIR / "archive.sqlite3"),
        # A busy timeout lets an import and an admin save wait for each other instead
        # of failing with "database is locked"; WAL is switched on in archive.apps.
        # BEGIN IMMEDIATE: a transaction takes the write lock when it starts, so two
        # writers queue on the busy timeout instead of failing on a lock upgrade.
        "OPTIONS": {"timeout": 30, "transaction_mode": "IMMEDIATE"},
        "TEST": {"NAME": os.environ.get("ARCHIVE_TEST_DB_PATH") or None},
    }
}

# The search engine is a setting: a haystack engine whose backend implements
# search.engine.SearchEngine (the backends live in search/backends/).
HAYSTACK_CONNECTIONS = {
    "default": {
        "ENGINE": os.environ.get("ARCHIVE_SEARCH_ENGINE", "search.backends.whoosh.ArchiveWhooshEngine"),
        "PATH": os.environ.get("ARCHIVE_INDEX_PATH") or str(DATA_DIR / "whoosh_index"),
        # Only bench/relevance.py sets this, to compare with haystack's default analyzer.
        "ANALYZER": os.environ.get("ARCHIVE_SEARCH_ANALYZER", "archive"),
    }
}
# Index updates are sent by search.signals after the database transaction commits.
HAYSTACK_SIGNAL_PROCESSOR = "search.signals.ArticleSignalProcessor"
HAYSTACK_LIMIT_TO_REGISTERED_MODELS = False

# Search results are cached in files shared by all the server's processes, keyed by the
# index's state (search.service): any index write makes them stale, and stale entries are
# never read again (they age out). ARCHIVE_SEARCH_CACHE=0 turns the cache off.
ARCHIVE_SEARCH_CACHE = os.environ.get("ARCHIVE_SEARCH_CACHE", "1") != "0"
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"},
    "search": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("ARCHIVE_SEARCH_CACHE_DIR") or str(DATA_DIR / "search-cache"),
        "TIMEOUT": 24 * 3600,
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
}

RAW_CAPTURE_DIR = DATA_DIR / "raw"
ARCHIVE_IMPORT_STATUS = os.environ.get("ARCHIVE_IMPORT_STATUS", "published")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Only for `collectstatic` in production; locally WhiteNoise serves from the app folders.
STATIC_ROOT = os.environ.get("ARCHIVE_STATIC_ROOT") or None
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "archive": {"handlers": ["console"], "level": "INFO"},
        "search": {"handlers": ["console"], "level": "INFO"},
    },
}

if PRODUCTION:
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
