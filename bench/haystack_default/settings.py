"""Settings for haystack's default setup (measurement only; see this package's docstring).

Everything comes from `archive.settings` (database, templates, middleware, data folder),
then the search part is put back to haystack's defaults:

- engine `haystack.backends.whoosh_backend.WhooshEngine` at PATH = env HAYSTACK_DEFAULT_INDEX
  (default: `haystack_default_index/` in the archive's data folder, never our own index);
- signal processor `haystack.signals.BaseSignalProcessor` (haystack's default: no realtime
  updates; the index only changes through rebuild_index / update_index);
- HAYSTACK_LIMIT_TO_REGISTERED_MODELS unset, so haystack's default (True) applies;
- our `search` app is replaced by this one, so haystack's autodiscovery (the
  `search_indexes` module of each installed app) finds only
  `bench/haystack_default/search_indexes.py`;
- ROOT_URLCONF is this package's urls, which route only `/` and `/search/`: archive.urls
  imports our search views, and the archive's pages are not what is measured here.
"""
from __future__ import annotations

import os

from archive.settings import *  # noqa: F401,F403
from archive.settings import DATA_DIR, INSTALLED_APPS as _ARCHIVE_APPS

INSTALLED_APPS = [
    "bench.haystack_default" if app == "search" else app for app in _ARCHIVE_APPS
]

ROOT_URLCONF = "bench.haystack_default.urls"

HAYSTACK_CONNECTIONS = {
    "default": {
        "ENGINE": "haystack.backends.whoosh_backend.WhooshEngine",
        "PATH": os.environ.get("HAYSTACK_DEFAULT_INDEX") or str(DATA_DIR / "haystack_default_index"),
    }
}
HAYSTACK_SIGNAL_PROCESSOR = "haystack.signals.BaseSignalProcessor"  # haystack's own default
# archive.settings sets it to False; haystack's default is True.
del HAYSTACK_LIMIT_TO_REGISTERED_MODELS  # noqa: F821

# How the results page highlights: "tag" is haystack's `{% highlight %}` template tag
# (pure Python, on the stored text), "backend" is SearchQuerySet().highlight() (Whoosh's
# highlighter, StemmingAnalyzer terms). Both are stock haystack; "tag" is what the docs show first.
HAYSTACK_DEFAULT_HIGHLIGHT = os.environ.get("HAYSTACK_DEFAULT_HIGHLIGHT", "tag")
