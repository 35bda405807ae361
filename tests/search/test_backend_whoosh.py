"""The backend contract (tests/search/backend_contract.py) on the embedded Whoosh engine."""
import pytest

from tests.search.backend_contract import BackendTests

pytestmark = pytest.mark.django_db(transaction=True)


class TestWhooshBackend(BackendTests):
    engine_path = "search.backends.whoosh.ArchiveWhooshEngine"

    def test_bulk_writes_merge_no_segment_until_the_end_then_merge_in_bounded_steps(self, backend, docs,
                                                                                    monkeypatch):
        from search.backends.whoosh import index as whoosh_index

        def segment_sizes():
            return sorted(s.doc_count_all() for s in backend.index.refresh()._segments())

        before = self.ids(backend, "Báo cáo")
        assert segment_sizes() == [len(docs)]
        monkeypatch.setattr(whoosh_index, "MERGE_TIER_DOCS", 2)
        ids = sorted(docs.values())[:4]
        with backend.bulk_writes():
            for article_id in ids:
                backend.index_ids([article_id])  # one commit each, merging nothing
            assert segment_sizes() == [1, 1, 1, 1, len(docs)]
        # Merges of at most 2 documents: 1+1 twice; then no two segments fit in one.
        assert len(backend.last_merge_steps) == 2
        assert segment_sizes() == [2, 2, len(docs)]
        assert backend.document_count() == len(docs)
        assert self.ids(backend, "Báo cáo") == before
        # Outside the block a commit merges the smallest segments again, by Whoosh's rule
        # (five or more of them), but at most EDIT_MERGE_DOCS documents: never the large one.
        assert not backend.defer_merges
        monkeypatch.setattr(whoosh_index, "EDIT_MERGE_DOCS", 8)
        for article_id in ids[:3]:
            backend.index_ids([article_id])
        assert segment_sizes() == [1, 1, 1, 2, 2, len(docs)]
        backend.index_ids([ids[3]])
        sizes = segment_sizes()
        assert len(sizes) == 2 and sizes[-1] == len(docs)
        assert backend.document_count() == len(docs)

    def test_a_merge_built_beside_the_index_keeps_deletions_made_meanwhile(self, backend, docs):
        from pathlib import Path

        from search.backends.whoosh.index import merge_beside

        ids = sorted(docs.values())[:3]
        with backend.bulk_writes():
            for article_id in ids:
                backend.index_ids([article_id])  # three one-document segments
            segments = backend.index.refresh()._segments()
            chosen = sorted(segments, key=lambda s: s.doc_count_all())[:3]
            assert [s.doc_count_all() for s in chosen] == [1, 1, 1]
            # Deleted after the merge chose its segments (as an edit during the merge):
            # the merged segment must not bring the old copy back.
            backend.remove_ids([ids[0]])
            hold = merge_beside(backend, chosen)
            assert hold is not None and hold < 5
            sizes = sorted(s.doc_count_all() for s in backend.index.refresh()._segments())
            assert sizes == [3, len(docs)]
            assert backend.document_count() == len(docs) - 1
            assert set(backend.indexed_state()) == set(docs.values()) - {ids[0]}
            # A merge whose segments another merge took first is dropped, and leaves nothing.
            stale = sorted(backend.index._segments(), key=lambda s: s.doc_count_all())
            backend.optimize()
            assert merge_beside(backend, stale) is None
            assert backend.document_count() == len(docs) - 1
        assert not [p for p in Path(backend.path).iterdir() if p.name.startswith(".merging-")]
