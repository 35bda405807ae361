"""Shared fixtures: a real Whoosh index and a raw-capture store in a temporary folder."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.core.management import call_command

# The rate limits and the log-in lock-out are off for the tests (and for the servers they
# start, which inherit this); tests/archive/test_limits.py turns them on where it checks them.
os.environ["ARCHIVE_RATELIMIT"] = "0"

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
    settings.CACHES["ratelimit"]["LOCATION"] = str(data / "ratelimit-cache")
    caches["ratelimit"]._dir = str(data / "ratelimit-cache")
    settings.ARCHIVE_RATELIMIT_ENABLED = settings.RATELIMIT_ENABLE = settings.AXES_ENABLED = False
    connections.reload("default")
    return data


@pytest.fixture(scope="session")
def _database_reachable():
    """Under ARCHIVE_DATABASE_URL the tests run on PostgreSQL: a server that cannot be
    reached is a missing service (tests.services), not an error in every test."""
    from tests import postgres
    from tests.services import service_unavailable

    if postgres.URL and (why := postgres.reachable()):
        service_unavailable(why)


@pytest.fixture(scope="session")
def django_db_setup(_database_reachable, django_db_setup, django_db_blocker):
    """pytest-django's test database, once the server it lives on is known to answer.
    On PostgreSQL, connections that test threads left open are ended before the test
    database is dropped (PostgreSQL refuses to drop a database in use)."""
    yield django_db_setup
    from django.db import connection

    if connection.vendor == "postgresql":
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                           "WHERE datname = current_database() AND pid <> pg_backend_pid()")


@pytest.fixture
def search_index(transactional_db):
    """An empty index matching an empty database (the database is flushed between tests)."""
    from archive.models import RawCapture
    from search.indexing import rebuild_index

    # pytest-django runs a module's rolled-back tests before its transactional ones, so the
    # module's shared seeds (`seeds_once`) are still committed here: start from nothing.
    if RawCapture.objects.exists():
        call_command("flush", "--noinput")
    rebuild_index()


@pytest.fixture(autouse=True)
def _interface_language_reset():
    """Each test starts and ends in the default interface language. A request through the
    test client leaves the language LocaleMiddleware chose active in the thread, which would
    carry a Korean page's language into the next test's rendering."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_archive_first(request):
    """A test on a committed database starts from an empty archive before its other
    fixtures make users or pages (the emptying in `search_index` would remove them)."""
    if "search_index" in request.fixturenames:
        request.getfixturevalue("search_index")


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
