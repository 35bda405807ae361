"""The write path into the Whoosh index: every write holds the index lock (search.writer).

Instead of haystack's AsyncWriter (which defers writes to a thread) and SILENTLY_FAIL
(which drops a write on LockError), a write waits for the lock, then commits or cancels.
Creating a missing index (setup), optimizing and resetting hold the same lock, so none of
them races a writer in another process.
"""
from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from haystack.constants import ID
from haystack.utils import get_identifier
from whoosh import query as wq
from whoosh.index import exists_in
from whoosh.reading import SegmentReader
from whoosh.util import fib

from search.backends.whoosh import checksums
from search.backends.whoosh.schema import with_pair_fields
from search.engine import document_id
from search.writer import index_lock

log = logging.getLogger(__name__)

# The final merge of a bulk import (`WhooshWrites.bulk_writes`) goes in steps, each
# merging the smallest segments up to this many documents in all, each under the lock
# alone, so an admin edit waiting for the lock waits for one step, not for the whole
# merge. An edit's index write runs in its request, which gunicorn ends at 30 s; Whoosh
# merged about 50 documents a second here with three other sessions' loads on the two
# cores (2,286 in 46.6 s), so a step is at most four index commits of 500
# (bench/RESULTS.md "Import speed (issue 20 item 4)" measures a step's hold).
MERGE_STEP_DOCS = 2_000
# Any other commit (an admin edit, a small upload) merges as Whoosh does (MERGE_SMALL, a
# Fibonacci rule over the smallest segments), but at most this many documents: Whoosh's
# rule alone, after a bulk import had left twenty segments of 2,000, would merge 40,000
# documents in one edit's request. Larger segments wait for the next bulk import's merge.
EDIT_MERGE_DOCS = 500


def merge_step(limit: int):
    """A Whoosh merge policy: merge the smallest segments, at least two, together holding
    at most `limit` documents; the others are left as they are."""

    def policy(writer, segments):
        ordered = sorted(segments, key=lambda s: s.doc_count_all())
        chosen, total = [], 0
        for segment in ordered:
            if chosen and total + segment.doc_count_all() > limit:
                break
            chosen.append(segment)
            total += segment.doc_count_all()
        if len(chosen) < 2:
            return segments
        return _merge(writer, segments, chosen)

    return policy


def merge_small(limit: int):
    """A Whoosh merge policy: Whoosh's own rule (MERGE_SMALL: the smallest segments, as
    soon as five or more of them hold fewer documents than a Fibonacci bound), but never
    more than `limit` documents in all; the others are left as they are."""

    def policy(writer, segments):
        ordered = sorted(segments, key=lambda s: s.doc_count_all())
        total = 0
        for i, segment in enumerate(ordered):
            total += segment.doc_count_all()
            if total > limit:
                break
            if i > 3 and total < fib(i + 5):
                return _merge(writer, segments, ordered[: i + 1])
        return segments

    return policy


def _merge(writer, segments, chosen) -> list:
    """Add the chosen segments' documents to the writer's new segment; returns the others."""
    for segment in chosen:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return [s for s in segments if s not in chosen]




def _mergeable(segments, limit: int) -> bool:
    counts = sorted(s.doc_count_all() for s in segments)
    return len(counts) >= 2 and counts[0] + counts[1] <= limit


@contextmanager
def locked_writer(backend, **commit_options) -> Iterator:
    """A committed-or-cancelled Whoosh writer, held under the index lock. Inside a bulk
    import's writes (`bulk_writes`), a commit merges nothing; any other merges only the
    segments of at most EDIT_MERGE_DOCS documents, as Whoosh would."""
    if not commit_options:
        commit_options = ({"merge": False} if getattr(backend, "defer_merges", False)
                          else {"mergetype": merge_small(EDIT_MERGE_DOCS)})
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
            backend.index = backend.index.refresh()
            checksums.record(backend.path, backend.index._segments())


class WhooshWrites:
    """The writing half of ArchiveWhooshBackend."""

    defer_merges = False
    # Lock hold (seconds) of each step of the last final merge, for bench/import_speed.py.
    last_merge_steps: list[float] = []

    def write_lock(self):
        return index_lock(self.path)

    @contextmanager
    def bulk_writes(self) -> Iterator[None]:
        """Commits inside write new segments and merge none (Whoosh's merges slowed a 100k
        import to a crawl, and one merge at the end costs less than one per batch); the
        end merges the small segments in steps (`merge_small_segments`)."""
        if self.defer_merges:  # nested: the outer block merges
            yield
            return
        self.defer_merges = True
        try:
            yield
        finally:
            self.defer_merges = False
        self.merge_small_segments()

    def merge_small_segments(self, limit: int | None = None) -> list[float]:
        """Merge segments in steps of at most `limit` documents each, the lock taken and
        released for each step; ends when no two segments fit in one step. Returns each
        step's lock hold in seconds."""
        limit = limit or MERGE_STEP_DOCS
        steps = []
        while True:
            started = None
            with index_lock(self.path):
                if not self.setup_complete:
                    self.setup()
                self.index = self.index.refresh()
                if not _mergeable(self.index._segments(), limit):
                    break
                started = time.perf_counter()
                with locked_writer(self, mergetype=merge_step(limit)):
                    pass  # a commit with nothing new: the merge step
                steps.append(time.perf_counter() - started)
        if steps:
            log.info("merged segments in %d steps, longest lock hold %.1f s", len(steps), max(steps))
        type(self).last_merge_steps = steps
        return steps

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
        if not self.setup_complete:  # the schema names the pair fields each document gets
            self.setup()
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
