"""Haystack's default setup on OpenSearch through django-haystack-opensearch (measurement
only; bench/haystack_opensearch.py, issue 19's "Client" line).

Everything is bench.haystack_default.settings (the tutorial's SearchIndex on our Article
model, haystack's own signal processor), with the engine swapped for
`django_haystack_opensearch.haystack.OpenSearchSearchEngine` at HSO_OPENSEARCH_URL, index
HSO_OPENSEARCH_INDEX. That package needs opensearch-py>=3.1, which the archive's pin (2.8.0)
excludes: this module is only importable in the separate venv that
bench/haystack_opensearch.py describes, never in the project's.
"""
from __future__ import annotations

import os

from bench.haystack_default.settings import *  # noqa: F401,F403

HAYSTACK_CONNECTIONS = {
    "default": {
        "ENGINE": "django_haystack_opensearch.haystack.OpenSearchSearchEngine",
        "URL": os.environ.get("HSO_OPENSEARCH_URL", "http://127.0.0.1:9280"),
        "INDEX_NAME": os.environ.get("HSO_OPENSEARCH_INDEX", "hso-archive"),
        "INCLUDE_SPELLING": True,
    }
}
