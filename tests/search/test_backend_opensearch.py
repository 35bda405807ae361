"""The backend contract (tests/search/backend_contract.py) on a real OpenSearch node, and
what only the OpenSearch backend does: index versions behind an alias."""
import uuid

import pytest
from opensearchpy import OpenSearch

from archive.models import Article
from search import indexing
from search import querytree as qt
from search.engine import SearchRequest
from tests.search.backend_contract import BackendTests
from tests.search.opensearch_node import running_node

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def opensearch_url():
    yield from running_node()


class TestOpenSearchBackend(BackendTests):
    engine_path = "search.backends.opensearch.ArchiveOpenSearchEngine"

    @pytest.fixture(autouse=True)
    def _node(self, opensearch_url):
        self.url = opensearch_url
        self.index_name = f"contract-{uuid.uuid4().hex[:8]}"
        yield
        client = OpenSearch(hosts=[opensearch_url])
        client.indices.delete(index=f"{self.index_name}*", params={"expand_wildcards": "all"})

    def connection(self, tmp_path) -> dict:
        return {"ENGINE": self.engine_path, "PATH": str(tmp_path / "index"), "URL": self.url,
                "INDEX_NAME": self.index_name}

    def test_the_node_is_asked_in_its_current_query_language(self, backend, docs):
        """No deprecated field in what the compiler writes: the node answers one with a
        warning header, which the client turns into a Python warning on every search (the
        literal tier's ordered intervals once were one: `ordered`, now `mode`)."""
        import warnings

        from opensearchpy.exceptions import OpenSearchWarning

        from search.query import parse

        assert qt.literal_repeats() > 1  # the tier whose intervals are ordered
        assert isinstance(parse("jumelage Gyeonggi").to_query(), qt.Prefer)  # "jumelage" is a concept
        with warnings.catch_warnings():
            warnings.simplefilter("error", OpenSearchWarning)
            for typed in ["jumelage Gyeonggi", "자매결연 Busan", '"Hà Nam" 2021', "Busan -prayer", "da nang OR busan"]:
                query = parse(typed).to_query()
                lang = qt.FieldIn("language", ("vi", "ko"))
                backend.execute(SearchRequest(query, filters=(lang,), facets=qt.FACET_FIELDS,
                                              own_filters=(("language", lang),), highlight=True))

    # --- index versions -----------------------------------------------------------

    def test_a_rebuild_serves_the_old_index_until_the_new_one_is_complete(self, backend, docs):
        (before,) = backend.served_indices()
        total = len(docs)
        seen_during: list[int] = []
        with backend.building():
            backend.index_ids([docs["danang"]])
            # Searches meanwhile read the complete old version.
            seen_during.append(backend.execute(SearchRequest(qt.MatchAll(), size=0)).total)
            assert backend.served_indices() == [before]
        assert seen_during == [total]
        (after,) = backend.served_indices()
        assert after != before and backend.document_count() == 1
        assert not backend.client.indices.exists(index=before)  # the old version is dropped

    def test_a_failed_rebuild_keeps_serving_the_old_index(self, backend, docs):
        (before,) = backend.served_indices()
        with pytest.raises(ZeroDivisionError):
            with backend.building():
                backend.index_ids([docs["danang"]])
                1 / 0
        assert backend.served_indices() == [before] and backend.document_count() == len(docs)
        assert len(backend.client.indices.get(index=f"{self.index_name}-*-*")) == 1  # the partial one is gone

    def test_reindex_moves_the_alias_to_a_new_version_with_every_document(self, backend, docs):
        (before,) = backend.served_indices()
        token = backend.state_token()
        after = backend.reindex()
        assert backend.served_indices() == [after] and after != before
        assert backend.document_count() == len(docs) and backend.state_token() != token
        assert not any(indexing.compare_with_database().values())
        assert self.found(backend, docs, qt.Phrase("경기도")) == {"gyeonggi_ko"}  # analysed by the new version

    def test_the_version_file_names_the_mapping(self, backend, docs):
        assert indexing.stored_version() == indexing.schema_version()
        assert not indexing.ensure_index()  # nothing to rebuild
        assert Article.objects.count() == len(docs)


class TestPlaceSynonyms:
    """ARCHIVE_OPENSEARCH_PLACE_SYNONYMS (off by default; bench/haystack_opensearch.py
    --synonyms): the gazetteer's aliases as a synonym_graph filter at search time, and a
    place asked by one of its names."""

    engine_path = TestOpenSearchBackend.engine_path
    backend, docs = BackendTests.backend, BackendTests.docs
    _node, connection = TestOpenSearchBackend._node, TestOpenSearchBackend.connection
    ids, found = BackendTests.ids, BackendTests.found

    @pytest.fixture(autouse=True)
    def _synonyms(self, settings):
        settings.ARCHIVE_OPENSEARCH_PLACE_SYNONYMS = True

    def test_a_place_is_asked_by_one_name_and_found_in_every_language(self, backend, docs):
        from search.backends.opensearch.compiler import compile_query
        from search.query import parse

        asked = compile_query(parse("Hanoi").to_query())
        phrases = [c for c in str(asked).split("'match_phrase'")][1:]
        assert 0 < len(phrases) <= 2 * 2  # one name and the typed form, on text and title
        assert self.found(backend, docs, "Hanoi") == {"gyeonggi_ko", "gyeonggi_en"}
        assert self.found(backend, docs, "하노이") == {"gyeonggi_ko", "gyeonggi_en"}
        assert self.found(backend, docs, "Busan") == {"busan"}
        assert self.found(backend, docs, qt.Phrase("경기도")) == {"gyeonggi_ko"}  # a phrase stays as typed

    def test_the_index_version_names_the_synonyms(self, backend, docs, settings):
        from search.backends.opensearch import mapping

        with_synonyms = mapping.signature()
        settings.ARCHIVE_OPENSEARCH_PLACE_SYNONYMS = False
        assert mapping.signature() != with_synonyms
