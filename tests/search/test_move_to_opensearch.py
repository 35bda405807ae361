"""Moving an existing archive from the embedded Whoosh index to OpenSearch, as the README
says: keep the database, select OpenSearch, rebuild the index from the database, check it.
On the seeds plus the relevance corpus, the moved archive finds what the old one found."""
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command

from search import indexing
from search.engine import engine
from search.service import run_search
from tests.search.opensearch_node import running_node

pytestmark = pytest.mark.django_db(transaction=True)
CORPUS = Path(__file__).resolve().parents[1] / "relevance" / "corpus"
QUERIES = ["Binh Phuoc", "호치민", "jumelage", "TP.HCM", "Gyeonggi -Hanoi", "biên bản ghi nhớ", "Séoul"]


@pytest.fixture(scope="module")
def opensearch_url():
    yield from running_node()


def test_rebuilding_into_opensearch_from_the_database_finds_the_same(seeded_fresh, opensearch_url, settings,
                                                                      tmp_path):
    from haystack import connections

    settings.ARCHIVE_SEARCH_CACHE = False
    call_command("import_articles", str(CORPUS), stdout=open("/dev/null", "w"))
    before = {q: [h.article.id for h in run_search(q=q, page_size=100).hits] for q in QUERIES}
    assert any(before.values())
    default = settings.HAYSTACK_CONNECTIONS["default"]
    saved = dict(default)
    name = f"move-{uuid.uuid4().hex[:8]}"
    default.update({"ENGINE": "search.backends.opensearch.ArchiveOpenSearchEngine", "URL": opensearch_url,
                    "INDEX_NAME": name, "PATH": str(tmp_path / "opensearch")})
    connections.reload("default")
    try:
        call_command("rebuild_index", stdout=open("/dev/null", "w"))
        assert not any(indexing.compare_with_database().values())  # what check_index reports
        after = {q: [h.article.id for h in run_search(q=q, page_size=100).hits] for q in QUERIES}
        for q in QUERIES:  # the same articles found (the order may differ: another scorer)
            assert set(after[q]) == set(before[q]), q
    finally:
        engine().client.indices.delete(index=f"{name}*", params={"expand_wildcards": "all"})
        default.clear()
        default.update(saved)
        connections.reload("default")
