"""The write path into the Whoosh index: every write holds the index lock (search.writer).

Instead of haystack's AsyncWriter (which defers writes to a thread) and SILENTLY_FAIL
(which drops a write on LockError), a write waits for the lock, then commits or cancels.
Creating a missing index (setup), optimizing and resetting hold the same lock, so none of
them races a writer in another process.
"""
from __future__ import annotations

import shutil
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from haystack.constants import ID
from haystack.utils import get_identifier
from whoosh import query as wq
from whoosh.index import exists_in

from search.backends.whoosh.schema import with_pair_fields
from search.engine import document_id
from search.writer import index_lock


@contextmanager
def locked_writer(backend, **commit_options) -> Iterator:
    """A committed-or-cancelled Whoosh writer, held under the index lock."""
    with index_lock(backend.path):
        if not backend.setup_complete:
            backend.setup()
        backend.index = backend.index.refresh()
        writer = backend.index.writer()
        try:
            yield writer
        except BaseException:
            writer.cancel()
            raise
        else:
            writer.commit(**commit_options)


class WhooshWrites:
    """The writing half of ArchiveWhooshBackend."""

    def write_lock(self):
        return index_lock(self.path)

    def setup(self) -> None:
        # Whoosh's setup creates the folder and an empty index when none is there: two
        # processes doing that at once could each create one and lose the other's writes.
        # Opening an index that exists only reads, and need not wait for a long write.
        if exists_in(self.path):
            super().setup()
            return
        with index_lock(self.path):
            super().setup()

    def update(self, index, iterable, commit: bool = True) -> None:
        docs = []
        for obj in iterable:
            doc = index.full_prepare(obj)
            docs.append(with_pair_fields({key: self._from_python(value) for key, value in doc.items()
                                          if key != "boost"}, self.schema))
        if not docs:
            return
        with locked_writer(self) as writer:
            # Whoosh's update_document opens a searcher over every segment for each
            # document (to delete its old version): at 500 documents and a few segments
            # that was most of the write's time. One searcher does all the deletions.
            with writer.searcher() as searcher:
                for doc in docs:
                    writer.delete_by_term(ID, doc[ID], searcher=searcher)
            for doc in docs:
                writer.add_document(**doc)

    def remove(self, obj_or_string, commit: bool = True) -> None:
        with locked_writer(self) as writer:
            writer.delete_by_term(ID, get_identifier(obj_or_string))

    def remove_ids(self, article_ids: Iterable[int]) -> None:
        with locked_writer(self) as writer, writer.searcher() as searcher:
            for article_id in article_ids:
                writer.delete_by_term(ID, document_id(article_id), searcher=searcher)

    def clear(self, models=None, commit: bool = True) -> None:
        with locked_writer(self) as writer:
            writer.delete_by_query(wq.Every())

    def optimize(self) -> None:
        """Merge every segment into one (fewer files to search)."""
        with locked_writer(self, optimize=True):
            pass  # a commit with nothing new, merging every segment

    def reset(self) -> None:
        with index_lock(self.path):
            shutil.rmtree(self.path, ignore_errors=True)
            self.setup_complete = False
            self.setup()
