"""The write path into the Whoosh index: every write holds the index lock (search.writer).

Instead of haystack's AsyncWriter (which defers writes to a thread) and SILENTLY_FAIL
(which drops a write on LockError), a write waits for the lock, then commits or cancels.
Creating a missing index (setup), optimizing and resetting hold the same lock, so none of
them races a writer in another process.
"""
from __future__ import annotations

import logging
import os
import shutil
import tempfile
import time
import zlib
from array import array
from heapq import merge as merge_sorted
from io import BytesIO
from itertools import accumulate, repeat
from pickle import load as pickle_load, loads
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from haystack.constants import ID
from haystack.utils import get_identifier
from whoosh import query as wq
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC, clean_files, exists_in
from whoosh.reading import SegmentReader
from whoosh.writing import SegmentWriter
from whoosh.util import fib
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, WHOOSH3_HEADER_MAGIC, _lenfield
from whoosh.system import _INT_SIZE, unpack_int
from whoosh.util.numeric import byte_to_length

from search.backends.whoosh import checksums
from search.backends.whoosh.schema import with_pair_fields
from search.engine import document_id
from search.writer import index_lock

log = logging.getLogger(__name__)

# The final merge of a bulk import (`WhooshWrites.bulk_writes`) merges the smallest
# segments into segments of up to this many documents, each merge built beside the index
# without the lock (`merge_beside`): searches and writes go on, and the lock is held only
# to put the new segment in (a rename and a table of contents). Fewer, larger segments are
# fewer term look-ups per query: at 100,000 articles 50 segments of 2,000 against 5 of
# 20,000 took the median search from 63 to 42 ms in-process, and a merge held the lock
# 0.18-0.26 s (bench/RESULTS.md, "Whoosh at 100,000 files after this stop's query and
# merge work"). Whoosh's own merge did about 127 documents a second there, idle; the
# merge here streams the postings instead of sorting them again, about twice as fast at
# 10,000 ("The final merge streamed instead of sorted").
MERGE_TIER_DOCS = 20_000
# Any other commit (an admin edit, a small upload) merges as Whoosh does (MERGE_SMALL, a
# Fibonacci rule over the smallest segments), but at most this many documents: Whoosh's
# rule alone, after a bulk import had left twenty segments of 2,000, would merge 40,000
# documents in one edit's request. Larger segments wait for the next bulk import's merge.
EDIT_MERGE_DOCS = 500


def _smallest(segments, limit: int) -> list:
    """The smallest segments, at least two, together holding at most `limit` documents;
    none when no two fit."""
    chosen, total = [], 0
    for segment in sorted(segments, key=lambda s: s.doc_count_all()):
        if chosen and total + segment.doc_count_all() > limit:
            break
        chosen.append(segment)
        total += segment.doc_count_all()
    return chosen if len(chosen) >= 2 and total <= limit else []


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




class _Beside:
    """The index as a merge's SegmentWriter sees it: its table of contents, and a storage
    of its own for the new segment's files (a commit's clean-up deletes, from the index's
    folder, every segment file its table of contents does not list)."""

    def __init__(self, ix, storage):
        self._ix, self.storage, self.indexname = ix, storage, ix.indexname

    def _read_toc(self):
        return self._ix._read_toc()


def merge_beside(backend, chosen: list) -> float | None:
    """Merge the chosen segments into one, built in a folder beside the index without the
    lock; then, under the lock, put it in their place: its file moved into the index's
    folder, the deletions made since the merge began carried over, a new table of
    contents written. Returns the lock hold in seconds, or None when a chosen segment was
    gone by then (another merge took it): the new segment is dropped."""
    ix = backend.index
    folder = Path(backend.path)
    work = Path(tempfile.mkdtemp(prefix=".merging-", dir=folder))
    readers = []
    try:
        writer = SegmentWriter(_Beside(ix, FileStorage(str(work))), _lk=False)
        carried = []  # (segment id, deleted at the start, first new number, old -> new or None)
        for segment in chosen:
            try:
                reader = SegmentReader(ix.storage, ix.schema, segment)
            except FileNotFoundError:  # merged away and deleted since it was chosen
                writer._close_segment()
                return None
            readers.append(reader)
            base = writer.docnum
            names = set(ix.schema.names()) | {n for n in reader.indexed_field_names() if n in ix.schema}
            docmap = writer.write_per_doc(names, reader)
            carried.append((segment.segment_id(), set(segment.deleted_docs()), base, docmap))
        merged = _write_merged_postings(writer, ix.schema, readers, carried)
        for reader in readers:
            reader.close()
        readers.clear()
        writer._tempstorage.destroy()
        writer.is_closed = True
        with index_lock(backend.path):
            started = time.perf_counter()
            toc = ix._read_toc()
            current = {s.segment_id(): s for s in toc.segments}
            if any(segment_id not in current for segment_id, *_ in carried):
                return None
            for segment_id, deleted_before, base, docmap in carried:
                for docnum in set(current[segment_id].deleted_docs()) - deleted_before:
                    merged.delete_document(docmap[docnum] if docmap is not None else base + docnum)
            for name in os.listdir(work):
                if merged.segment_id() in name:
                    os.replace(work / name, folder / name)
            merged_away = {segment_id for segment_id, *_ in carried}
            segments = [s for s in toc.segments if s.segment_id() not in merged_away] + [merged]
            generation = toc.generation + 1
            TOC(ix.schema, segments, generation).write(ix.storage, ix.indexname)
            clean_files(ix.storage, ix.indexname, generation, segments)
            backend.index = ix.refresh()
            checksums.record(backend.path, backend.index._segments())
            return time.perf_counter() - started
    finally:
        for reader in readers:
            reader.close()
        shutil.rmtree(work, ignore_errors=True)


def _write_merged_postings(writer, schema, readers: list, carried: list):
    """The merged segment's postings, streamed: each segment's postings already stand in
    the order a segment is written (field name, term, document), and the segments' new
    document numbers follow one another, so one heap merge of the segments' streams is
    that order, with no sort. (Whoosh's add_reader puts every posting of every segment
    through its sorting pool, pickled to temporary runs and read back.) Whoosh's field
    writer refuses postings out of order. Returns the segment."""
    writer.perdocwriter.close()
    perdoc = writer.per_document_reader() if writer.codec.length_stats else None
    try:
        lengths = _Lengths(perdoc, writer.docnum) if perdoc is not None else None
        streams = [_segment_postings(reader, schema, base, docmap)
                   for reader, (_, _, base, docmap) in zip(readers, carried)]
        writer.fieldwriter.add_postings(schema, lengths, merge_sorted(*streams))
        writer.fieldwriter.close()
    finally:
        if perdoc is not None:
            perdoc.close()
    writer._close_segment()
    writer._assemble_segment()
    return writer.get_segment()


class _Lengths:
    """The new segment's field lengths as the field writer asks for them (Whoosh's
    doc_field_length: the length, None for a byte 0, `default` without a column), each
    field's read in one piece the first time, not one file read per posting."""

    def __init__(self, perdoc, count: int):
        self._perdoc, self._count, self._fields = perdoc, count, {}

    def doc_field_length(self, docnum: int, fieldname: str, default=0):
        if fieldname not in self._fields:
            from search.backends.whoosh.arrays import length_bytes

            column = self._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
            self._fields[fieldname] = None if column is None else [
                byte_to_length(b) if b else None for b in length_bytes(column, self._count).tolist()]
        lengths = self._fields[fieldname]
        return default if lengths is None else lengths[docnum]


def _segment_postings(reader, schema, base: int, docmap: dict | None) -> Iterator[tuple]:
    """(field, term, new document number, weight, value) of every posting of a segment
    reader, by field name, term and document, renumbered as write_per_doc numbered its
    documents (base + number, or `docmap` when the segment has deletions: a deleted
    document has no entry and is left out). A term's postings are read in one piece."""
    terms = reader._terms
    for field in sorted(name for name in reader.indexed_field_names() if name in schema):
        fmt = schema[field].format
        fixed = fmt.fixed_value_size()
        for (name, text), info in terms.items_from(field, b""):
            if name != field:
                break
            if info.is_inlined():  # not written by Whoosh's codec as it stands: its matcher
                matcher = terms.matcher(field, text, fmt)
                postings = []
                while matcher.is_active():
                    postings.append((matcher.id(), matcher.weight(), matcher.value()))
                    matcher.next()
            else:
                offset, length = info.extent()
                # Whoosh reads a term's length back as a 1-tuple (struct.unpack's).
                postings = _block_postings(terms._postfile, offset, length[0] if isinstance(length, tuple) else length,
                                           fixed)
            for doc, weight, value in postings:
                new = base + doc if docmap is None else docmap.get(doc)
                if new is not None:
                    yield field, text, new, weight, value


def _block_postings(postfile, offset: int, length: int, fixed: int | None) -> Iterator[tuple]:
    """(document, weight, value) of a term's postings, as Whoosh's W3LeafMatcher reads them
    (a magic tag, then blocks: a length, negative for the last, a pickled header, the data
    pickled and perhaps compressed), from one read of the whole list."""
    raw = postfile.get(offset, length)
    if raw[:4] != WHOOSH3_HEADER_MAGIC:
        raise ValueError(f"no postings at {offset}")
    stream = BytesIO(raw)
    position = 4
    while True:
        block_length = unpack_int(raw[position:position + _INT_SIZE])[0]
        stream.seek(position + _INT_SIZE)
        count, _, _, compression, _, _ = pickle_load(stream)
        end = position + _INT_SIZE + abs(block_length)
        data = raw[stream.tell():end]
        ids, weights, values = loads(zlib.decompress(data) if compression else data)
        ids = accumulate(ids)
        if weights is None or isinstance(weights, float):
            weights = repeat(array("f", [1.0 if weights is None else weights])[0], count)
        if fixed == 0:
            values = repeat(None, count)
        elif fixed is not None and fixed > 0:
            values = [values[i:i + fixed] for i in range(0, len(values), fixed)]
        yield from zip(ids, weights, values)
        if block_length < 0:
            return
        position = end


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
        """Merge the smallest segments, up to `limit` documents each merge, each built
        beside the index (`merge_beside`), until no two fit in one. Returns each merge's
        lock hold in seconds."""
        limit = limit or MERGE_TIER_DOCS
        steps = []
        gone = 0  # merges dropped because another merge took a segment first
        while gone < 3:
            if not self.setup_complete:
                self.setup()
            self.index = self.index.refresh()
            chosen = _smallest(self.index._segments(), limit)
            if not chosen:
                break
            hold = merge_beside(self, chosen)
            if hold is None:
                gone += 1
            else:
                steps.append(hold)
        if steps:
            log.info("merged segments %d times, longest lock hold %.2f s", len(steps), max(steps))
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
