"""Whole-result evaluation of a compiled Whoosh query in numpy: every match and its score
at once, over every segment, instead of Whoosh's one Python step per posting per matcher.

Whoosh answers a query by walking matchers document by document, in Python, and the
archive then asks for every match again (`Results.docs()` reruns the query for the total
and the facets). At 20,000 articles that was most of a search's time (bench/RESULTS.md,
"Whole-result evaluation"). Here a term's postings are read a block at a time (Whoosh's
own block format: delta-coded ids and float weights) into arrays, and the query tree is
evaluated with array operations: Or is a union whose scores add up, And an intersection,
AndNot a difference, AndMaybe adds the second query's scores where it matches, a constant
score query gives its constant. BM25F is computed as Whoosh's BM25FScorer computes it,
from the same global idf and average field length and the same byte-coded field lengths,
so the scores and the order are Whoosh's (tests/search/test_backend_whoosh_arrays.py
checks both against Whoosh's own collector).

Two shapes need positions: a phrase of three words or more (a phrase of pair terms), and
the literal tier's repeated phrase. A repeated single term ("in the text at least n
times") is a term frequency test on the weights. Every other node, and any field or
weighting this module does not know, is matched by Whoosh's own matcher on the segment
(`_by_matcher`), so the evaluation is total; only its speed depends on the shape.
"""
from __future__ import annotations

import threading
from itertools import chain
from io import BytesIO
from pickle import UnpicklingError, load as pickle_load, loads
import time
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.formats import Positions
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound
from whoosh.query import spans
from whoosh.scoring import BM25F
from whoosh.system import _INT_SIZE, unpack_int
from whoosh.util.numeric import byte_to_length

from search.backends.whoosh.compiler import _Require
from search.backends.whoosh.formats import NARROW, WIDE, ArrayPositions
from search.backends.whoosh.schema import PAIR_FIELDS
from search.backends.whoosh.segment_cache import per_segment
from search.engine import QueryTooCostly

# Whoosh's field-length byte -> length table, as doc_field_length decodes it.
_LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)
_EMPTY_IDS = np.zeros(0, dtype=np.int64)
_EMPTY_SCORES = np.zeros(0, dtype=np.float64)
# A phrase's candidate start as one integer: document number above, position below.
_POSITION_BITS = 32
# Decoded postings kept, in postings (16 bytes each: about 32 MB). A segment never changes,
# so a term's arrays stay right until its segment is merged away; place names and common
# words come back query after query.
MAX_CACHED_POSTINGS = 2_000_000

# Term dictionary entries kept (a few hundred bytes each).
MAX_CACHED_TERM_INFOS = 100_000

_postings: OrderedDict[tuple[str, str, bytes], tuple[np.ndarray, np.ndarray] | None] = OrderedDict()
_postings_size = [0]
_term_infos: OrderedDict[tuple[str, str, bytes], object] = OrderedDict()
_lock = threading.Lock()


@dataclass
class Matches:
    """Document numbers (sorted, unique) and their scores."""

    ids: np.ndarray
    scores: np.ndarray

    @classmethod
    def empty(cls) -> Matches:
        return cls(_EMPTY_IDS, _EMPTY_SCORES)


class Deadline:
    def __init__(self, seconds: float):
        self.seconds = seconds
        self.at = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() >= self.at:
            raise QueryTooCostly(f"the search took longer than {self.seconds:g} s")


# --- per-segment columns -------------------------------------------------------------

def field_lengths(reader, field: str) -> np.ndarray:
    """Each document's length in `field`, as Whoosh's doc_field_length gives it."""

    def read() -> np.ndarray:
        count = reader.doc_count_all()
        column = reader._perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
        if column is None:  # as doc_field_length's default
            return np.ones(count, dtype=np.float64)
        return _LENGTH_OF_BYTE[length_bytes(column, count)]

    return per_segment(reader, f"length:{field}", read)


def length_bytes(column, count: int) -> np.ndarray:
    """The length bytes of a segment's documents: the column's bytes in one read (a column
    of one byte a document, the documents past its end taking its default), else one
    look-up a document."""
    stored = getattr(column, "_count", None)
    if getattr(column, "_fixedlen", None) == 1 and stored is not None and hasattr(column, "_dbfile"):
        raw = np.frombuffer(column._dbfile.get(column._basepos, min(stored, count)), dtype=np.uint8)
        if len(raw) < count:
            default = np.frombuffer(column._defaultbytes, dtype=np.uint8)[0]
            raw = np.concatenate([raw, np.full(count - len(raw), default, dtype=np.uint8)])
        return raw.astype(np.int64)
    return np.fromiter((column[i] for i in range(count)), dtype=np.int64, count=count)


def column_values(reader, field: str) -> np.ndarray:
    """Each document's value of a sortable numeric field (the archive's date)."""

    def read() -> np.ndarray:
        count = reader.doc_count_all()
        column = reader.column_reader(field)
        return np.fromiter((column[i] or 0 for i in range(count)), dtype=np.int64, count=count)

    return per_segment(reader, f"column:{field}", read)


def searcher_column(searcher, field: str) -> np.ndarray:
    """`column_values` of every segment, over the searcher's global document numbers; kept
    on the searcher (which is replaced when the index changes), as facet tables are."""
    kept = getattr(searcher, "_archive_columns", None)
    if kept is None:
        kept = searcher._archive_columns = {}
    if field not in kept:
        parts = [column_values(leaf.reader(), field) for leaf, _ in searcher.leaf_searchers()]
        kept[field] = np.concatenate(parts) if parts else _EMPTY_IDS
    return kept[field]


def deleted(reader) -> np.ndarray:
    if not reader.has_deletions():
        return _EMPTY_IDS
    return np.fromiter(sorted(reader._perdoc.deleted_docs()), dtype=np.int64)


# --- postings ------------------------------------------------------------------------

def postings(reader, field: str, text: bytes) -> tuple[np.ndarray, np.ndarray] | None:
    """(document numbers, weights) of a term in one segment, deletions included (they are
    taken out once per segment), or None when the term is not there; kept while they fit
    in MAX_CACHED_POSTINGS."""
    segment = reader.segment()
    if segment is None:
        return read_postings(reader, field, text)
    key = (segment.segment_id(), field, text)
    with _lock:
        if key in _postings:
            _postings.move_to_end(key)
            return _postings[key]
    found = read_postings(reader, field, text)
    size = len(found[0]) if found is not None else 1
    if size <= MAX_CACHED_POSTINGS // 8:
        with _lock:
            if key not in _postings:
                _postings[key] = found
                _postings_size[0] += size
            while _postings_size[0] > MAX_CACHED_POSTINGS:
                _, gone = _postings.popitem(last=False)
                _postings_size[0] -= len(gone[0]) if gone is not None else 1
    return found


def _term_info(reader, terms, field: str, text: bytes):
    """The term's entry in the segment's term dictionary, or None; kept while they fit in
    MAX_CACHED_TERM_INFOS. A look-up reads about twenty small pieces of the segment's
    hash file, and a phrase looks its terms up twice (their postings, then the positions of
    the candidates), in every segment."""
    segment = reader.segment()
    key = (segment.segment_id(), field, text) if segment is not None else None
    if key is not None:
        with _lock:
            if key in _term_infos:
                _term_infos.move_to_end(key)
                return _term_infos[key]
    try:
        info = terms.term_info(field, text)
    except TermNotFound:
        info = None
    if key is not None:
        with _lock:
            _term_infos[key] = info
            while len(_term_infos) > MAX_CACHED_TERM_INFOS:
                _term_infos.popitem(last=False)
    return info


def _leaf_matcher(reader, field: str, text: bytes):
    """The term's postings matcher in one segment, deletions included, or None (Whoosh's
    reader.postings looks the term up, and builds the set of deleted documents, on every
    call)."""
    terms = getattr(reader, "_terms", None)
    if terms is None:
        try:
            matcher = reader.postings(field, text)
        except TermNotFound:
            return None
        return matcher.child if isinstance(matcher, FilterMatcher) else matcher
    info = _term_info(reader, terms, field, text)
    if info is None:
        return None
    return terms._codec.postings_reader(terms._postfile, info, reader.schema[field].format, term=(field, text))


def _block_ids(matcher) -> np.ndarray:
    """The document numbers of the matcher's current block (its data read): raw bytes, or
    deltas."""
    raw_ids = matcher._data[0]
    if matcher._byteids:
        return np.frombuffer(raw_ids, dtype=np.uint8).astype(np.int64)
    return np.cumsum(np.asarray(raw_ids), dtype=np.int64)


# A block's header (its length, then a pickled tuple of six numbers) is read in one piece of
# this many bytes at most: Whoosh's _goto reads it through pickle.load on the compound file,
# about twenty small reads a block.
_HEADER_BYTES = 128


def next_block(matcher) -> None:
    """W3LeafMatcher._next_block, the next block's header read in one piece."""
    if matcher._lastblock:
        matcher._atend = True
        return
    position = matcher._nextoffset
    raw = matcher._postfile.get(position, _INT_SIZE + _HEADER_BYTES)
    stream = BytesIO(raw)
    stream.seek(_INT_SIZE)
    try:
        info = pickle_load(stream)
    except (EOFError, UnpicklingError):  # a longer header: Whoosh reads it
        matcher._goto(position)
        return
    length = unpack_int(raw[:_INT_SIZE])[0]
    matcher._data = matcher._ids = matcher._weights = matcher._values = None
    matcher._i = 0
    if length < 0:
        matcher._lastblock = True
        length = -length
    matcher._nextoffset = position + _INT_SIZE + length
    matcher._dataoffset = position + stream.tell()
    matcher._blocklength, matcher._maxid, matcher._maxweight, matcher._compression, shortest, longest = info
    matcher._minlength = byte_to_length(shortest)
    matcher._maxlength = byte_to_length(longest)


def read_postings(reader, field: str, text: bytes) -> tuple[np.ndarray, np.ndarray] | None:
    """(document numbers, weights) of a term in one segment, read a block at a time, not
    kept (`postings` keeps them), or None when the term is not there."""
    matcher = _leaf_matcher(reader, field, text)
    if matcher is None:
        return None
    if not isinstance(matcher, W3LeafMatcher):
        ids, weights = [], []
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
        return np.array(ids, dtype=np.int64), np.array(weights, dtype=np.float64)
    id_blocks, weight_blocks = [], []
    while matcher.is_active():
        if matcher._data is None:
            matcher._read_data()
        raw_weights, count = matcher._data[1], matcher._blocklength
        id_blocks.append(_block_ids(matcher))
        if raw_weights is None:
            weight_blocks.append(np.ones(count, dtype=np.float64))
        elif isinstance(raw_weights, float):
            weight_blocks.append(np.full(count, raw_weights, dtype=np.float64))
        else:
            weight_blocks.append(np.asarray(raw_weights, dtype=np.float64))
        next_block(matcher)
    if not id_blocks:
        return _EMPTY_IDS, _EMPTY_SCORES
    return np.concatenate(id_blocks), np.concatenate(weight_blocks)


def positions(reader, field: str, text: bytes, docnums: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where the term stands in the given documents of one segment (document numbers of
    the segment, sorted, unique): (document numbers, positions), one row per occurrence,
    in document then position order. Read a block at a time, only the blocks that hold one
    of the documents, and only those documents' positions decoded, into arrays (not one
    skip_to, one decode and one Python list per document through the matcher)."""
    matcher = _leaf_matcher(reader, field, text)
    if matcher is None or not len(docnums):
        return _EMPTY_IDS, _EMPTY_IDS
    fmt = reader.schema[field].format
    hit_docs: list[int] = []
    hit_values: list[bytes] = []
    if not isinstance(matcher, W3LeafMatcher):  # postings inlined in the term's entry
        for docnum in docnums.tolist():
            if not matcher.is_active():
                break
            matcher.skip_to(docnum)
            if matcher.is_active() and matcher.id() == docnum:
                hit_docs.append(docnum)
                hit_values.append(matcher.value())
    else:
        at = 0
        while matcher.is_active() and at < len(docnums):
            last = matcher._maxid
            if docnums[at] <= last:
                end = int(np.searchsorted(docnums, last, side="right"))
                if matcher._data is None:
                    matcher._read_data()
                ids = _block_ids(matcher)
                here = docnums[at:end]
                where = np.minimum(np.searchsorted(ids, here), len(ids) - 1)
                hit = ids[where] == here
                values = matcher._data[2]
                hit_docs.extend(here[hit].tolist())
                hit_values.extend(values[i] for i in where[hit].tolist())
                at = end
            next_block(matcher)
    if not hit_docs:
        return _EMPTY_IDS, _EMPTY_IDS
    if type(fmt) is ArrayPositions:
        counts, flat = _array_gaps(hit_values)
    elif type(fmt) is Positions:
        deltas = _position_deltas(hit_values)
        counts = np.fromiter(map(len, deltas), dtype=np.int64, count=len(deltas))
        flat = np.fromiter(chain.from_iterable(deltas), dtype=np.int64, count=int(counts.sum()))
    else:  # another format: its own decoder
        decoded = [fmt.decode_positions(value) for value in hit_values]
        counts = np.fromiter(map(len, decoded), dtype=np.int64, count=len(decoded))
        return np.repeat(np.array(hit_docs, dtype=np.int64), counts), np.fromiter(
            chain.from_iterable(decoded), dtype=np.int64, count=int(counts.sum()))
    running = np.cumsum(flat)
    first = np.cumsum(counts) - counts
    before = np.repeat(running[first] - flat[first], counts)
    return np.repeat(np.array(hit_docs, dtype=np.int64), counts), running - before


_GAP_TYPES = {NARROW[0]: np.dtype("<u2"), WIDE[0]: np.dtype("<u4")}


def _array_gaps(values: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
    """ArrayPositions values decoded together: (occurrences of each value, every gap in
    order). The values of one width are joined and read in one call; a value of the other
    width (a gap of 65,536 words or more) is read on its own."""
    skip = _INT_SIZE + 1
    counts = np.fromiter(map(len, values), dtype=np.int64, count=len(values)) - skip
    if all(value[_INT_SIZE] == NARROW[0] for value in values):
        counts //= 2
        flat = np.frombuffer(b"".join([value[skip:] for value in values]), dtype="<u2")
        return counts, flat.astype(np.int64)
    parts = [np.frombuffer(value, dtype=_GAP_TYPES[value[_INT_SIZE]], offset=skip) for value in values]
    counts = np.fromiter(map(len, parts), dtype=np.int64, count=len(parts))
    return counts, np.concatenate(parts).astype(np.int64) if parts else _EMPTY_IDS


# A pickle of protocol 2 starts with these two bytes and ends with STOP.
_PROTOCOL_2, _STOP = b"\x80\x02", b"."


def _position_deltas(values: list[bytes]) -> list[list[int]]:
    """Whoosh's Positions values (the count, then the pickled list of position deltas,
    protocol 2) decoded together: their pickles' bodies joined into one pickle of a list of
    lists, one `loads` for them all instead of one a value (at 100k the positions of the
    phrase queries took 9.0 s, 8.4 s so)."""
    start = _INT_SIZE + len(_PROTOCOL_2)
    if all(value[_INT_SIZE:start] == _PROTOCOL_2 and value[-1:] == _STOP for value in values):
        joined = loads(_PROTOCOL_2 + b"](" + b"".join([value[start:-1] for value in values]) + b"e" + _STOP)
        if len(joined) == len(values):
            return joined
    return [loads(value[_INT_SIZE:] if value.endswith(_STOP) else value[_INT_SIZE:] + _STOP) for value in values]


# --- evaluation ----------------------------------------------------------------------

class Evaluator:
    """Evaluates compiled queries over the whole index at once: a term's postings are
    gathered from every segment (with the segment's offset) into one array, so the query
    tree costs the same few array operations however many segments the index has."""

    def __init__(self, searcher, deadline: Deadline):
        self.top = searcher
        self.deadline = deadline
        self.leaves = list(searcher.leaf_searchers())
        self.doc_count = sum(leaf.reader().doc_count_all() for leaf, _ in self.leaves)
        # The searcher's deleted documents (its readers are a snapshot): read once, for the
        # query and its filter.
        gone = [deleted(leaf.reader()) + offset for leaf, offset in self.leaves]
        gone = [g for g in gone if len(g)]
        self.gone = Matches(np.concatenate(gone), _EMPTY_SCORES) if gone else Matches.empty()
        # A phrase's documents, by (terms, times): a query may ask one phrase twice (the
        # folded phrase, and again as what the exact words require).
        self.phrases: dict[tuple, np.ndarray] = {}

    def matches(self, query: wq.Query, scored: bool = True) -> Matches:
        """Every match of the whole index, as global document numbers, with scores."""
        return _difference(self._eval(query, scored), self.gone)

    def _eval(self, q: wq.Query, scored: bool) -> Matches:
        self.deadline.check()
        if q is wq.NullQuery or isinstance(q, wq.NullQuery.__class__):
            return Matches.empty()
        if isinstance(q, wq.Term):
            return self._term(q, scored)
        if isinstance(q, _AtLeast):
            return self._term(q.term, scored, min_weight=q.times)
        if isinstance(q, wq.Or) and not q.minmatch and not q.scale:
            return self._boosted(_union([self._eval(s, scored) for s in q.subqueries], scored), q.boost)
        if isinstance(q, wq.And):
            return self._boosted(self._intersection(q.subqueries, scored), q.boost)
        if isinstance(q, wq.AndNot):
            found = self._eval(q.a, scored)
            return _difference(found, self._eval(q.b, False))
        if isinstance(q, _Require):
            # The archive's _Require (search/backends/whoosh/compiler.py): the first
            # query's matches that the second has too, scored by the first.
            found = self._eval(q.a, scored)
            required = self._eval(q.b, False)
            keep = np.isin(found.ids, required.ids, assume_unique=True)
            return Matches(found.ids[keep], found.scores[keep])
        if isinstance(q, wq.AndMaybe):
            found = self._eval(q.a, scored)
            if not scored:
                return found
            maybe = self._eval(q.b, True)
            scores = found.scores.copy()
            where = np.searchsorted(maybe.ids, found.ids)
            hit = (where < len(maybe.ids)) & (maybe.ids[np.minimum(where, len(maybe.ids) - 1)] == found.ids) \
                if len(maybe.ids) else np.zeros(len(found.ids), dtype=bool)
            scores[hit] += maybe.scores[where[hit]]
            return Matches(found.ids, scores)
        if isinstance(q, wq.ConstantScoreQuery):
            found = self._eval(q.child, False)
            return Matches(found.ids, np.full(len(found.ids), float(q.score)))
        if isinstance(q, wq.Every) and q.fieldname in (None, "", "*"):
            ids = np.arange(self.doc_count, dtype=np.int64)
            return Matches(ids, np.full(len(ids), float(q.boost)))
        if isinstance(q, wq.NumericRange):
            return self._eval(q._compile_query(self.top.reader()), scored)
        repeated = _repeated_term(q)
        if repeated is not None:
            term, times = repeated
            found = self._term(term, False, min_weight=times)
            return Matches(found.ids, np.ones(len(found.ids)))
        sequence = _sequence(q)
        if sequence is not None:
            return self._sequence(*sequence, scored)
        return self._by_matcher(q, scored)

    def _sequence(self, terms: list[wq.Term], times: int, boost: float, scored: bool) -> Matches:
        """The documents where the terms stand at consecutive positions, at least `times`
        times without overlapping, scored as Whoosh scores a phrase (its terms' scores
        summed): the documents with every term, from the postings' arrays, then the
        positions of those candidates only, segment by segment. A phrase there `times`
        times has each of its terms at least `times` times: the candidates are first the
        documents where every term's frequency says so (the literal tier's repeated phrase
        then reads the positions of a few documents, not of every match)."""
        if times > 1:
            found = self._intersection([_AtLeast(term, times) for term in terms], scored)
        else:
            found = self._intersection(terms, scored)
        if not len(found.ids):
            return found
        key = (tuple((term.fieldname, term.text) for term in terms), times)
        if key not in self.phrases:
            self.phrases[key] = self._phrase_documents(terms, times, found.ids)
        keep = np.isin(found.ids, self.phrases[key], assume_unique=True)
        return Matches(found.ids[keep], found.scores[keep] * (boost * times))

    def _phrase_documents(self, terms: list[wq.Term], times: int, found_ids: np.ndarray) -> np.ndarray:
        """Of the candidates (global document numbers, each with every term), those where
        the terms stand at consecutive positions at least `times` times."""
        field = self.top.schema[terms[0].fieldname]
        # (offset in the phrase, term) of the terms whose positions are read: in a pair
        # field every other pair covers the words (pair i stands for words i and i + 1).
        checked = [(i, terms[i]) for i in _covering(len(terms), terms[0].fieldname in PAIR_FIELDS)]
        kept: list[np.ndarray] = []
        for leaf, offset in self.leaves:
            reader = leaf.reader()
            candidates = found_ids[(found_ids >= offset) & (found_ids < offset + reader.doc_count_all())] - offset
            # Each occurrence of term i as (document, position - i): the phrase starts
            # where every term has the same pair.
            starts = None
            for i, term in checked:
                if not len(candidates):
                    break
                docs, at = positions(reader, term.fieldname, field.to_bytes(term.text), candidates)
                keys = (docs << _POSITION_BITS) + (at - i)
                keys = keys[at >= i]
                starts = keys if starts is None else np.intersect1d(starts, keys, assume_unique=True)
                candidates = np.unique(starts >> _POSITION_BITS)
                self.deadline.check()
            if starts is None or not len(candidates):
                continue
            if times > 1:
                docs = starts >> _POSITION_BITS
                bounds = np.searchsorted(docs, candidates, side="right")
                firsts = np.searchsorted(docs, candidates, side="left")
                at = (starts & ((1 << _POSITION_BITS) - 1)).tolist()
                candidates = np.array([d for d, lo, hi in zip(candidates.tolist(), firsts.tolist(), bounds.tolist())
                                       if _apart(at[lo:hi], len(terms)) >= times], dtype=np.int64)
            kept.append(candidates + offset)
        return np.concatenate(kept) if kept else _EMPTY_IDS

    def _boosted(self, found: Matches, boost: float) -> Matches:
        return found if boost == 1.0 else Matches(found.ids, found.scores * boost)

    def _term(self, q: wq.Term, scored: bool, min_weight: float = 0) -> Matches:
        if q.fieldname not in self.top.schema:
            return Matches.empty()
        field = self.top.schema[q.fieldname]
        try:
            text = field.to_bytes(q.text)
        except ValueError:
            return Matches.empty()
        weighting = self.top.weighting
        bm25f = type(weighting) is BM25F and field.scorable
        if scored and not bm25f and field.scorable:
            return self._by_matcher(q, scored)  # another weighting: Whoosh's own scorer
        id_parts, weight_parts, length_parts = [], [], []
        for leaf, offset in self.leaves:
            reader = leaf.reader()
            found = postings(reader, q.fieldname, text)
            if found is None:
                continue
            ids, weights = found
            if min_weight:
                keep = weights >= min_weight
                ids, weights = ids[keep], weights[keep]
            id_parts.append(ids + offset)
            weight_parts.append(weights)
            if scored and bm25f:
                length_parts.append(field_lengths(reader, q.fieldname)[ids])
        if not id_parts:
            return Matches.empty()
        ids = np.concatenate(id_parts)
        if not scored:
            return Matches(ids, np.zeros(len(ids)))
        weights = np.concatenate(weight_parts)
        if bm25f:
            # BM25FScorer's figures, from the top searcher as it takes them: the global idf
            # and average field length, the field's B.
            idf = self.top.idf(q.fieldname, text)
            avgfl = self.top.avg_field_length(q.fieldname) or 1
            b, k1 = weighting._field_B.get(q.fieldname, weighting.B), weighting.K1
            lengths = np.concatenate(length_parts)
            scores = idf * ((weights * (k1 + 1)) / (weights + k1 * ((1 - b) + b * lengths / avgfl)))
        else:  # a field that is not scorable: Whoosh's WeightScorer, the posting's own weight
            scores = weights.copy()
        if q.boost != 1.0:
            scores = scores * q.boost
        return Matches(ids, scores)

    def _intersection(self, subqueries, scored: bool) -> Matches:
        positive = [s for s in subqueries if not isinstance(s, wq.Not)]
        negative = [s.query for s in subqueries if isinstance(s, wq.Not)]
        if not positive:
            found = self._eval(wq.Every(), False)
            found = Matches(found.ids, np.zeros(len(found.ids)))
        else:
            parts = [self._eval(s, scored) for s in positive]
            parts.sort(key=lambda m: len(m.ids))
            found = parts[0]
            for part in parts[1:]:
                common, mine, theirs = np.intersect1d(found.ids, part.ids, assume_unique=True, return_indices=True)
                found = Matches(common, found.scores[mine] + part.scores[theirs])
                if not len(common):
                    break
        for part in negative:
            found = _difference(found, self._eval(part, False))
            if scored:  # Whoosh scores a Not inside an And as a match of weight 1
                found = Matches(found.ids, found.scores + 1.0)
        return found

    def _by_matcher(self, q: wq.Query, scored: bool) -> Matches:
        """Any other query, by Whoosh's own matcher, segment by segment."""
        ids, scores = [], []
        step = 0
        for leaf, offset in self.leaves:
            context = leaf.context(needs_current=False) if scored else leaf.boolean_context()
            matcher = q.matcher(leaf, context)
            while matcher.is_active():
                ids.append(matcher.id() + offset)
                if scored:
                    scores.append(matcher.score())
                matcher.next()
                step += 1
                if step % 4096 == 0:
                    self.deadline.check()
        ids_a = np.array(ids, dtype=np.int64)
        order = np.argsort(ids_a, kind="stable")
        scores_a = np.array(scores, dtype=np.float64) if scored else np.zeros(len(ids_a))
        return Matches(ids_a[order], scores_a[order])


@dataclass(frozen=True)
class _AtLeast:
    """A term's documents where it stands at least `times` times (evaluated here only)."""

    term: wq.Term
    times: int


def _repeated_term(q: wq.Query) -> tuple[wq.Term, int] | None:
    """A span of one term repeated n times in order with any distance between (the literal
    tier's "at least n times"): (the term, n)."""
    if not isinstance(q, spans.SpanNear2) or not q.ordered or q.slop < 1_000:
        return None
    terms = q.qs
    if not terms or not all(isinstance(t, wq.Term) for t in terms):
        return None
    first = terms[0]
    if any((t.fieldname, t.text) != (first.fieldname, first.text) for t in terms):
        return None
    return first, len(terms)


def _consecutive_terms(q: wq.Query) -> list[wq.Term] | None:
    """The terms of a phrase that must stand at consecutive positions: a Phrase of slop 1,
    or a span of Terms of one field, in order, next to each other."""
    if isinstance(q, wq.Phrase) and q.slop == 1 and q.words:
        return [wq.Term(q.fieldname, word) for word in q.words]
    if (isinstance(q, spans.SpanNear2) and q.ordered and q.slop == 1 and q.mindist == 1 and q.qs
            and all(isinstance(t, wq.Term) and t.fieldname == q.qs[0].fieldname and t.boost == 1.0 for t in q.qs)):
        return list(q.qs)
    return None


def _sequence(q: wq.Query) -> tuple[list[wq.Term], int, float] | None:
    """(terms, times, boost) of a phrase, or of a phrase repeated n times in order at any
    distance (the literal tier's "at least n times": a span of n equal phrases)."""
    terms = _consecutive_terms(q)
    if terms is not None:
        return terms, 1, q.boost if isinstance(q, wq.Phrase) else 1.0
    if isinstance(q, spans.SpanNear2) and q.ordered and q.slop >= 1_000 and q.mindist == 1 and q.qs:
        inner = _consecutive_terms(q.qs[0])
        if inner is not None and all(part == q.qs[0] for part in q.qs):
            return inner, len(q.qs), 1.0
    return None


def _covering(count: int, pairs: bool) -> list[int]:
    """The offsets of a phrase's terms whose positions prove it. Each term of a plain field
    is one word: all of them. Pair i of a pair field stands for words i and i + 1 at
    consecutive positions, so pairs 0, 2, 4, ... and the last one stand for every word of
    the phrase at its place: 4 pairs (5 words) need 0, 2, 3, and 8 need 5."""
    if not pairs or count <= 2:
        return list(range(count))
    chosen = list(range(0, count, 2))
    if chosen[-1] != count - 1:
        chosen.append(count - 1)
    return chosen


def _apart(starts: list[int], length: int) -> int:
    """How many of the phrase's occurrences (start positions, sorted) follow one another
    without overlapping, counted from the first."""
    count, end = 0, -1
    for start in starts:
        if start > end:
            count += 1
            end = start + length - 1
    return count


def _union(parts: list[Matches], scored: bool) -> Matches:
    parts = [p for p in parts if len(p.ids)]
    if not parts:
        return Matches.empty()
    if len(parts) == 1:
        return parts[0]
    ids = np.concatenate([p.ids for p in parts])
    unique, inverse = np.unique(ids, return_inverse=True)
    if not scored:
        return Matches(unique, np.zeros(len(unique)))
    scores = np.bincount(inverse, weights=np.concatenate([p.scores for p in parts]), minlength=len(unique))
    return Matches(unique, scores)


def _difference(found: Matches, minus: Matches) -> Matches:
    if not len(minus.ids) or not len(found.ids):
        return found
    keep = ~np.isin(found.ids, minus.ids, assume_unique=True)
    return Matches(found.ids[keep], found.scores[keep])


# --- ordering ------------------------------------------------------------------------

def top(found: Matches, end: int) -> np.ndarray:
    """The first `end` document numbers by score, ties by document number (Whoosh's
    TopCollector order)."""
    if not len(found.ids) or end <= 0:
        return _EMPTY_IDS
    # Scores summed in another order differ in the last bits: compared at 12 digits.
    rounded = np.round(found.scores, 9)
    if end < len(found.ids):
        cut = np.argpartition(-rounded, end - 1)[:end]
        kth = rounded[cut].min()
        candidates = np.flatnonzero(rounded >= kth)
    else:
        candidates = np.arange(len(found.ids))
    order = np.lexsort((found.ids[candidates], -rounded[candidates]))
    return found.ids[candidates[order]][:end]


def by_value(searcher, found: Matches, field: str, end: int, newest_first: bool, missing_last: int) -> np.ndarray:
    """The first `end` document numbers by a numeric column (Whoosh's SortingCollector:
    the key, then the document number, both reversed when newest first); a value of 0 is
    `missing_last` when oldest first."""
    if not len(found.ids) or end <= 0:
        return _EMPTY_IDS
    keys = searcher_column(searcher, field)[found.ids]
    if not newest_first:
        keys = np.where(keys == 0, missing_last, keys)
        order = np.lexsort((found.ids, keys))
    else:
        order = np.lexsort((-found.ids, -keys))
    return found.ids[order[:end]]
