"""Facet counts over a whole result set, from value tables kept per index segment.

Whoosh's FieldFacet rebuilds, for every query, a table of every document's values by
reading every posting of the facet field: at 3,000 articles that was most of a query's
time, and it grows with the archive. A segment never changes once written (deletions are
marked elsewhere, and deleted documents never match), so its table is built once, when a
searcher first meets the segment, and kept. A query then only looks up the values of the
documents it matched.

Whoosh-specific, like the rest of search/backends/whoosh/: an OpenSearch backend gets
facet counts from terms aggregations instead.
"""
from __future__ import annotations

import threading
from collections import Counter, OrderedDict
from itertools import chain

# Tables of this many (segment, field) pairs are kept: a few per segment of the index.
MAX_TABLES = 256

_tables: OrderedDict[tuple[str, str], list[tuple[str, ...]]] = OrderedDict()
_lock = threading.Lock()


def _segment_table(reader, field: str) -> list[tuple[str, ...]]:
    """Document number in the segment -> that document's values of `field`."""
    segment = reader.segment()
    if segment is None:  # an empty index has a reader without a segment
        return [()] * reader.doc_count_all()
    key = (segment.segment_id(), field)
    with _lock:
        table = _tables.get(key)
        if table is not None:
            _tables.move_to_end(key)
            return table
    table: list[tuple[str, ...]] = [()] * reader.doc_count_all()
    if field in reader.indexed_field_names():
        for value in reader.field_terms(field):
            for docnum in reader.postings(field, value).all_ids():
                table[docnum] += (value,)
    with _lock:
        _tables[key] = table
        while len(_tables) > MAX_TABLES:
            _tables.popitem(last=False)
    return table


def value_table(searcher, field: str) -> list[tuple[str, ...]]:
    """Global document number -> values, for every segment of the searcher's index."""
    cached = getattr(searcher, "_archive_value_tables", None)
    if cached is None:
        cached = searcher._archive_value_tables = {}
    if field not in cached:
        parts = []
        for leaf, offset in searcher.leaf_searchers():
            assert offset == sum(len(p) for p in parts)
            parts.append(_segment_table(leaf.reader(), field))
        cached[field] = list(chain.from_iterable(parts))
    return cached[field]


def count(searcher, docnums, fields) -> dict[str, Counter]:
    """Value -> number of the given documents having it, per field."""
    docnums = list(docnums)
    counts = {}
    for field in fields:
        table = value_table(searcher, field)
        counts[field] = Counter(chain.from_iterable(map(table.__getitem__, docnums)))
    return counts
