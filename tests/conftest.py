"""Shared fixtures: a real Whoosh index and a raw-capture store in a temporary folder."""
from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session", autouse=True)
def archive_data_dir(tmp_path_factory):
    """Point the index and the raw captures at a temporary folder for the whole run."""
    from django.conf import settings
    from haystack import connections

    data = tmp_path_factory.mktemp("archive-data")
    settings.RAW_CAPTURE_DIR = data / "raw"
    settings.HAYSTACK_CONNECTIONS["default"]["PATH"] = str(data / "whoosh_index")
    settings.CACHES["search"]["LOCATION"] = str(data / "search-cache")
    from django.core.cache import caches

    caches["search"]._dir = str(data / "search-cache")  # already built from the settings above
    connections.reload("default")
    return data


@pytest.fixture
def search_index(transactional_db):
    """An empty index matching an empty database (the database is flushed between tests)."""
    from search.indexing import rebuild_index

    rebuild_index()


@pytest.fixture
def seeded(search_index):
    """The five real seed documents, imported through the real command."""
    call_command("import_articles", str(SEEDS), stdout=open("/dev/null", "w"))
    from archive.models import Copy

    # Seed prefix ('000'...'004') -> its article; 000 and 001 are one article.
    return {Path(c.raw.original_name).name[:3]: c.article for c in Copy.objects.select_related("raw", "article")}
