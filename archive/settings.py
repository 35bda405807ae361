"""Settings for the archive. Everything comes from the environment with safe local defaults.

ARCHIVE_DATA_DIR   where the SQLite database, the Whoosh index and the raw captures live
                   (default: data/ under the repository root; an exported value always wins)
ARCHIVE_DATABASE_URL  postgres://user:password@host:port/name selects PostgreSQL instead of
                   SQLite (scripts/postgres runs one; README "Scaling out")
ARCHIVE_DB_CONN_MAX_AGE  seconds a server process keeps its database connection (600; 0 opens
                   one per request)
ARCHIVE_SECRET_KEY required when ARCHIVE_DEBUG is off and ARCHIVE_ENV=production
ARCHIVE_DEBUG      1 to turn on Django's debug pages (default off)
ARCHIVE_ALLOWED_HOSTS  comma-separated (default: local addresses)
ARCHIVE_ENV        'production' turns on the HTTPS-only settings that `check --deploy` wants,
                   and refuses to start with DEBUG on or a weak secret key
ARCHIVE_RATELIMIT  0 turns every rate limit and the log-in lock-out off (tests, bench)
ARCHIVE_RATELIMIT_SEARCH / _API / _FEEDS / _EXPORT / _LOGIN   requests per client and window
                   ("60/m", "1000/h"; "0" or "" turns that one off)
ARCHIVE_IP_HEADER  the header a trusted proxy puts the client's address in (HTTP_X_FORWARDED_FOR)
ARCHIVE_LOGIN_FAILURES / ARCHIVE_LOGIN_COOLOFF_MINUTES   admin log-in lock-out
ARCHIVE_CSP        the Content-Security-Policy header (default in archive.headers)
"""
from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("ARCHIVE_DATA_DIR") or BASE_DIR / "data").resolve()
PRODUCTION = os.environ.get("ARCHIVE_ENV", "").lower() == "production"
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = os.environ.get("ARCHIVE_DEBUG", "0") == "1"
SECRET_KEY = os.environ.get("ARCHIVE_SECRET_KEY", "")
if PRODUCTION:
    from archive.production import refuse_unsafe_production

    refuse_unsafe_production(SECRET_KEY, DEBUG)
if not SECRET_KEY:
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
    "axes",
]

MIDDLEWARE = [
    "archive.headers.HeadAsGetMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "archive.headers.ContentSecurityPolicyMiddleware",
    "archive.limits.RateLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The interface language: the cookie set by the switcher (Django's set_language),
    # else Accept-Language. No URL prefix: permalinks stay as they are.
    "archive.middleware.InterfaceLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it answers a locked-out log-in.
    "axes.middleware.AxesMiddleware",
]

# --- limits (archive.limits; README "Limits") --------------------------------------------
ARCHIVE_RATELIMIT_ENABLED = os.environ.get("ARCHIVE_RATELIMIT", "1") != "0"
_RATE_DEFAULTS = {"search": "60/m", "api": "120/m", "feeds": "60/m", "export": "10/m", "login": "30/m"}
# "0" or an empty value turns one group's limit off.
ARCHIVE_RATELIMITS = {
    group: (rate if rate not in ("", "0") else None)
    for group, rate in ((g, os.environ.get(f"ARCHIVE_RATELIMIT_{g.upper()}", d)) for g, d in _RATE_DEFAULTS.items())
}
ARCHIVE_IP_HEADER = os.environ.get("ARCHIVE_IP_HEADER", "")
RATELIMIT_USE_CACHE = "ratelimit"
RATELIMIT_ENABLE = ARCHIVE_RATELIMIT_ENABLED

# The admin log-in lock-out (django-axes): after ARCHIVE_LOGIN_FAILURES failures for one
# user name from one address, that pair is refused for the cool-off time.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = ARCHIVE_RATELIMIT_ENABLED
AXES_FAILURE_LIMIT = int(os.environ.get("ARCHIVE_LOGIN_FAILURES", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("ARCHIVE_LOGIN_COOLOFF_MINUTES", "15")) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_IPWARE_META_PRECEDENCE_ORDER = [ARCHIVE_IP_HEADER, "REMOTE_ADDR"] if ARCHIVE_IP_HEADER else ["REMOTE_ADDR"]
AXES_VERBOSE = False

from archive.headers import DEFAULT_POLICY as _DEFAULT_CSP  # noqa: E402

ARCHIVE_CSP = os.environ.get("ARCHIVE_CSP", _DEFAULT_CSP)

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
                "django.template.context_processors.i18n",
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
# PostgreSQL instead (README "Scaling out"): postgres://user:password@host:port/name.
# Writers there do not queue on one database lock: imports serialise on an advisory
# lock and edits take row locks (archive.db).
if os.environ.get("ARCHIVE_DATABASE_URL"):
    from archive.db import database_from_url

    DATABASES["default"] = database_from_url(os.environ["ARCHIVE_DATABASE_URL"])
# A server process keeps its database connection from one request to the next (Django's
# persistent connections), checked before reuse. Opening one for every request cost about
# 1.5 ms of CPU on SQLite: the connection, its PRAGMAs and the schema read again (bench/
# RESULTS.md). ARCHIVE_DB_CONN_MAX_AGE: seconds a connection is kept (0: one per request).
DATABASES["default"].update(CONN_MAX_AGE=int(os.environ.get("ARCHIVE_DB_CONN_MAX_AGE", "600")),
                            CONN_HEALTH_CHECKS=True)

# The search engine is a setting: a haystack engine whose backend implements
# search.engine.SearchEngine (the backends live in search/backends/).
# ARCHIVE_SEARCH_ENGINE is "whoosh" (the embedded default), "opensearch" (a server or
# cluster at ARCHIVE_OPENSEARCH_URL, comma-separated nodes; README "Scaling out"), or a
# haystack engine's dotted path.
SEARCH_ENGINES = {
    "whoosh": "search.backends.whoosh.ArchiveWhooshEngine",
    "opensearch": "search.backends.opensearch.ArchiveOpenSearchEngine",
}
_engine = os.environ.get("ARCHIVE_SEARCH_ENGINE", "whoosh")
HAYSTACK_CONNECTIONS = {
    "default": {
        "ENGINE": SEARCH_ENGINES.get(_engine, _engine),
        "PATH": os.environ.get("ARCHIVE_INDEX_PATH") or str(
            DATA_DIR / ("opensearch_index" if "opensearch" in _engine else "whoosh_index")),
        # Only bench/relevance.py sets this, to compare with haystack's default analyzer.
        "ANALYZER": os.environ.get("ARCHIVE_SEARCH_ANALYZER", "archive"),
        # A place named in a query: its id OR every spelling ("all"), or OR only the words
        # as typed ("typed"; measured in bench/RESULTS.md, not the archive's choice).
        "PLACE_SPELLINGS": os.environ.get("ARCHIVE_PLACE_SPELLINGS", "all"),
        # The OpenSearch engine's (ignored by Whoosh): the nodes, and the alias searched.
        "URL": os.environ.get("ARCHIVE_OPENSEARCH_URL", "http://127.0.0.1:9250"),
        "INDEX_NAME": os.environ.get("ARCHIVE_OPENSEARCH_INDEX", "archive"),
    }
}
# Literal first (issue 17): "about" (the default) puts first the articles *about* the words as
# typed (in the title, or three times in the text); "every" puts first every article with a
# literal match, as issue 17 first worded it. bench/RESULTS.md "Literal first" measured both on
# the judged set: "every" made Korean and French nDCG@10 fall (0.932 -> 0.912, 0.873 -> 0.856).
ARCHIVE_LITERAL_FIRST = os.environ.get("ARCHIVE_LITERAL_FIRST", "about")
if ARCHIVE_LITERAL_FIRST not in ("about", "every"):
    raise ImproperlyConfigured(f"ARCHIVE_LITERAL_FIRST must be 'about' or 'every', not {ARCHIVE_LITERAL_FIRST!r}")
# The OpenSearch engine's place alternatives as a synonym_graph filter from the gazetteer
# (search/backends/opensearch/mapping.py) instead of the archive's own query-time expansion:
# off, as bench/haystack_opensearch.py --synonyms measured (bench/RESULTS.md, issue 19).
ARCHIVE_OPENSEARCH_PLACE_SYNONYMS = os.environ.get("ARCHIVE_OPENSEARCH_PLACE_SYNONYMS", "0") == "1"
# How the Whoosh engine finds and scores the matches: "arrays" (the default) evaluates the
# whole result in numpy (search/backends/whoosh/arrays.py); "collector" is Whoosh's own
# collectors, kept to compare (bench/RESULTS.md "Whole-result evaluation"). Same answers.
ARCHIVE_WHOOSH_MATCHING = os.environ.get("ARCHIVE_WHOOSH_MATCHING", "arrays")
if ARCHIVE_WHOOSH_MATCHING not in ("arrays", "collector"):
    raise ImproperlyConfigured(f"ARCHIVE_WHOOSH_MATCHING must be 'arrays' or 'collector', not {ARCHIVE_WHOOSH_MATCHING!r}")
# Index updates are sent by search.signals after the database transaction commits.
HAYSTACK_SIGNAL_PROCESSOR = "search.signals.ArticleSignalProcessor"
HAYSTACK_LIMIT_TO_REGISTERED_MODELS = False

# Search results are cached in files shared by all the server's processes, keyed by the
# index's state (search.service): any index write makes them stale, and stale entries are
# never read again (they age out). ARCHIVE_SEARCH_CACHE=0 turns the cache off.
ARCHIVE_SEARCH_CACHE = os.environ.get("ARCHIVE_SEARCH_CACHE", "1") != "0"
# A server process (archive/wsgi.py) reads what searches read once (the gazetteer, the
# index's per-segment arrays) as it starts: search.service.warm. ARCHIVE_WARM_ON_START=0
# leaves it to the first searches.
ARCHIVE_WARM_ON_START = os.environ.get("ARCHIVE_WARM_ON_START", "1") != "0"
# Matching stops after this many seconds and the search is refused with a 400 that says
# so: one costly query must not hold a worker until its timeout (gunicorn's is 30 s).
ARCHIVE_SEARCH_BUDGET_SECONDS = float(os.environ.get("ARCHIVE_SEARCH_BUDGET_SECONDS", "5"))
# The time one document may take through the stages before store (archive/ingest/budget.py):
# past it the page is read again as plain text, and refused only if that too runs over.
ARCHIVE_DOCUMENT_SECONDS = float(os.environ.get("ARCHIVE_DOCUMENT_SECONDS", "10"))
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"},
    "search": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("ARCHIVE_SEARCH_CACHE_DIR") or str(DATA_DIR / "search-cache"),
        "TIMEOUT": 24 * 3600,
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
    # Rate-limit counters (archive.limits), shared by every server process through files.
    "ratelimit": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("ARCHIVE_RATELIMIT_CACHE_DIR") or str(DATA_DIR / "ratelimit-cache"),
        "TIMEOUT": 3600,
        "OPTIONS": {"MAX_ENTRIES": 20000},
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
# The interface languages, each named in itself for the switcher. `lang=` in a URL is
# never the interface language: it filters articles.
LANGUAGES = [("vi", "Tiếng Việt"), ("ko", "한국어"), ("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "archive_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
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
