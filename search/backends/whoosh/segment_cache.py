"""Arrays read once per index segment and kept: a segment never changes once written
(deletions are kept apart), so what is read from it stays right until a merge replaces
it. Facet value tables (facet_counts.py), field lengths and sort columns (arrays.py) are
kept here, in one bounded store keyed by segment and name.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

# Entries kept: about ten per segment (a few facet fields, field lengths, the date), for
# the hundred segments of a large index between merges.
MAX_ENTRIES = 1024

T = TypeVar("T")
_kept: OrderedDict[tuple[str, str], object] = OrderedDict()
_lock = threading.Lock()


def per_segment(reader, name: str, read: Callable[[], T]) -> T:
    """`read()` for this segment and name, read once and kept (an empty index's reader,
    which has no segment, is read every time)."""
    segment = reader.segment()
    if segment is None:
        return read()
    key = (segment.segment_id(), name)
    with _lock:
        if key in _kept:
            _kept.move_to_end(key)
            return _kept[key]  # type: ignore[return-value]
    found = read()
    with _lock:
        _kept[key] = found
        while len(_kept) > MAX_ENTRIES:
            _kept.popitem(last=False)
    return found
