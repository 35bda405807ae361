"""Facet counts over a whole result set, from value arrays kept per index segment, counted
in C (numpy).

Whoosh's FieldFacet rebuilds, for every query, a table of every document's values by
reading every posting of the facet field: at 3,000 articles that was most of a query's
time, and it grows with the archive. A segment never changes once written (deletions are
marked elsewhere, and deleted documents never match), so its values are read once, when a
searcher first meets the segment, and kept as arrays: for each document, where its value
numbers start in one flat array (compressed sparse rows). A query then gathers the value
numbers of the documents it matched and counts them with `numpy.bincount`: no Python
step per matched document (bench/RESULTS.md, "Query speed (issue 20 items 1–3)").

Whoosh-specific, like the rest of search/backends/whoosh/: an OpenSearch backend gets
facet counts from terms aggregations instead.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from search.backends.whoosh.arrays import read_postings
from search.backends.whoosh.segment_cache import per_segment


@dataclass(frozen=True)
class ValueTable:
    """One field's values for a run of documents: document i holds the value numbers
    flat[starts[i]:starts[i + 1]], each naming values[number]."""

    values: tuple[str, ...]
    starts: np.ndarray  # int64, one more than the documents
    flat: np.ndarray  # int32

    def __len__(self) -> int:
        return len(self.starts) - 1

    def of(self, docnum: int) -> tuple[str, ...]:
        return tuple(self.values[v] for v in self.flat[self.starts[docnum]:self.starts[docnum + 1]])

    def count(self, docnums: np.ndarray) -> Counter:
        """Value -> number of the given documents having it."""
        if not len(docnums) or not len(self.values):
            return Counter()
        begin, end = self.starts[docnums], self.starts[docnums + 1]
        lengths = end - begin
        total = int(lengths.sum())
        if not total:
            return Counter()
        # The positions in `flat` of every matched document's values: each document's run
        # begin..end, laid end to end, without a Python loop.
        ends = np.cumsum(lengths)
        positions = np.arange(total, dtype=np.int64) + np.repeat(begin - (ends - lengths), lengths)
        counts = np.bincount(self.flat[positions], minlength=len(self.values))
        return Counter({self.values[v]: int(counts[v]) for v in np.flatnonzero(counts)})


def _empty(documents: int) -> ValueTable:
    return ValueTable((), np.zeros(documents + 1, dtype=np.int64), np.zeros(0, dtype=np.int32))


def _read_segment(reader, field: str) -> ValueTable:
    documents = reader.doc_count_all()
    if field not in reader.indexed_field_names():
        return _empty(documents)
    values: list[str] = []
    docs_of: list[np.ndarray] = []
    to_bytes = reader.schema[field].to_bytes
    for value in reader.field_terms(field):
        found = read_postings(reader, field, to_bytes(value))
        if found is not None:  # deleted documents stay in: only matches are counted
            values.append(value)
            docs_of.append(found[0])
    if not values:
        return _empty(documents)
    docs = np.concatenate(docs_of)
    numbers = np.repeat(np.arange(len(values), dtype=np.int32), [len(d) for d in docs_of])
    # Sorted by document, then by value (the terms come sorted, and the sort is stable).
    order = np.argsort(docs, kind="stable")
    starts = np.zeros(documents + 1, dtype=np.int64)
    np.cumsum(np.bincount(docs, minlength=documents), out=starts[1:])
    return ValueTable(tuple(values), starts, numbers[order])


def _segment_table(reader, field: str) -> ValueTable:
    """One segment's table of `field`, read once per segment and kept."""
    return per_segment(reader, f"values:{field}", lambda: _read_segment(reader, field))


def _join(tables: list[ValueTable]) -> ValueTable:
    """The segments' tables as one, over the searcher's global document numbers."""
    if len(tables) == 1:
        return tables[0]
    values = sorted(set().union(*(t.values for t in tables)))
    number = {v: i for i, v in enumerate(values)}
    starts, flats, offset = [np.zeros(1, dtype=np.int64)], [], 0
    for table in tables:
        renumber = np.array([number[v] for v in table.values], dtype=np.int32)
        flats.append(renumber[table.flat] if len(table.flat) else table.flat)
        starts.append(table.starts[1:] + offset)
        offset += len(table.flat)
    return ValueTable(tuple(values), np.concatenate(starts), np.concatenate(flats).astype(np.int32))


def value_table(searcher, field: str) -> ValueTable:
    """Global document number -> values, for every segment of the searcher's index; kept
    on the searcher (which is replaced when the index changes)."""
    cached = getattr(searcher, "_archive_value_tables", None)
    if cached is None:
        cached = searcher._archive_value_tables = {}
    if field not in cached:
        parts = []
        for leaf, offset in searcher.leaf_searchers():
            assert offset == sum(len(p) for p in parts)
            parts.append(_segment_table(leaf.reader(), field))
        cached[field] = _join(parts) if parts else _empty(0)
    return cached[field]


def count(searcher, docnums, fields) -> dict[str, Counter]:
    """Value -> number of the given documents having it, per field."""
    matched = np.fromiter(docnums, dtype=np.int64)
    return {field: value_table(searcher, field).count(matched) for field in fields}
