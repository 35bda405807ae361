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


def _seed_articles() -> dict:
    from archive.models import Copy

    # Seed prefix ('000'...'004') -> its article; 000 and 001 are one article.
    return {Path(c.raw.original_name).name[:3]: c.article for c in Copy.objects.select_related("raw", "article")}


@pytest.fixture(scope="module")
def seeds_once(django_db_setup, django_db_blocker):
    """The five seeds imported once per module, committed, with the index to match.

    Tests of such a module run inside a transaction that is rolled back, so whatever they
    change in the database is undone, and their index writes (made after commit) never
    happen: the next test finds the seeds as imported. A test that needs its writes to
    commit, or that writes the index itself, uses `seeded_fresh` instead."""
    from search.indexing import rebuild_index

    with django_db_blocker.unblock():
        rebuild_index()
        call_command("import_articles", str(SEEDS), stdout=open("/dev/null", "w"))
        ids = {prefix: article.pk for prefix, article in _seed_articles().items()}
        yield ids
        call_command("flush", "--noinput")  # post_migrate recreates the editor group
        rebuild_index()


@pytest.fixture
def seeded(request, seeds_once, db):
    """The seeds as imported, read afresh for each test (see `seeds_once`)."""
    marker = request.node.get_closest_marker("django_db")
    assert not (marker and marker.kwargs.get("transaction")), \
        "a transactional test flushes the shared seeds: use seeded_fresh"
    from django.core.cache import caches

    from archive.models import Article

    # Results are cached by the index's state, which a rolled-back test never changes: an
    # earlier test's results must not answer for this test's database.
    caches["search"].clear()
    articles = Article.objects.in_bulk(set(seeds_once.values()))
    return {prefix: articles[pk] for prefix, pk in seeds_once.items()}


@pytest.fixture
def seeded_fresh(search_index):
    """The five real seed documents, imported through the real command for this test alone,
    in a database that commits (for tests whose writes must reach the index)."""
    call_command("import_articles", str(SEEDS), stdout=open("/dev/null", "w"))
    return _seed_articles()
