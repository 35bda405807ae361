"""Haystack's default setup, for measurement only (issue 7's baseline).

This folder is a Django app that indexes and searches the archive's articles the way
django-haystack's tutorial and docs do it, with nothing of ours in the search path:
the stock Whoosh engine (StemmingAnalyzer, default batch size, AsyncWriter), the stock
signal processor (no realtime updates), `LIMIT_TO_REGISTERED_MODELS` left at its default,
a `use_template=True` document field, `faceted=True` fields, and `FacetedSearchView`
with `FacetedSearchForm` and the `{% highlight %}` template tag.

It exists to be measured against our search page, not to be used: it does no accent
folding, no Hangul bigrams, no place aliases, and its highlighter does not escape HTML.

    .venv/bin/python bench/haystack_default/build.py --data-dir DATA --index-dir DIR
    ARCHIVE_DATA_DIR=DATA HAYSTACK_DEFAULT_INDEX=DIR \
        DJANGO_SETTINGS_MODULE=bench.haystack_default.settings \
        .venv/bin/gunicorn archive.wsgi:application --bind 127.0.0.1:8765 --workers 2

Only `/` and `/search/?q=...&page=N&selected_facets=language_exact:vi` are served.
"""
