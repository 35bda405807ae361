"""The Whoosh backend: haystack's Whoosh backend with the archive's schema (schema.py),
write path (index.py) and search, implementing the engine interface (search.engine).

What the reading half changes against haystack's, and why:
- queries arrive as query objects and are compiled (compiler.py), never parsed from text;
- facet counts cover the whole filtered result set, not just the page, from value tables
  kept per segment (facet_counts.py) instead of tables rebuilt by every query;
- no per-query model narrowing: the index holds articles only;
- one searcher is kept open between queries and replaced when the index changes
  (`state_token`), instead of a new one per query; hits and facet counts come from one
  pass over the matches;
- that pass is whole-result evaluation in numpy (arrays.py): every match and its BM25F
  score at once, the same scores and order as Whoosh's collectors give, which
  ARCHIVE_WHOOSH_MATCHING=collector still uses (for comparison: bench and tests).
"""
from __future__ import annotations

import os
import threading
from collections import OrderedDict

import numpy as np
from django.conf import settings
from haystack.backends import BaseEngine
from haystack.backends.whoosh_backend import WhooshSearchBackend, WhooshSearchQuery
from haystack.constants import DJANGO_ID

from search.analysis import analyze
from search.backends.whoosh import arrays, checksums
from search.backends.whoosh import schema as mapping
from search.backends.whoosh.compiler import WhooshCompiler
from search.backends.whoosh.facet_counts import count as facet_counts_of
from search.backends.whoosh.index import WhooshWrites
from search.backends.whoosh.budget import DeadlineCollector
from search.engine import SearchEngine, SearchRequest, SearchResponse, highlight_terms
from search.querytree import FACET_FIELDS
from whoosh import sorting
from whoosh.collectors import FilterCollector

UNKNOWN_DATE_LAST = 99_991_231

# "Did you mean": at most this many distinct words of a query are looked up, each among the
# indexed words that share its first letter (as Lucene's DirectSpellChecker assumes by
# default): the sorted term dictionary finds those without reading the rest.
MAX_SPELLED_WORDS = 8
SPELLING_PREFIX = 1
SPELLING_CACHE_SIZE = 4096
_spelling_cache: OrderedDict[tuple[str, str], str | None] = OrderedDict()  # (index state, word)
_spelling_lock = threading.Lock()


class ArchiveWhooshBackend(WhooshWrites, SearchEngine, WhooshSearchBackend):
    date_field = mapping.DATE_FIELD

    def __init__(self, connection_alias, **connection_options):
        super().__init__(connection_alias, **connection_options)
        self.connection_options = connection_options

    def build_schema(self, fields):
        return mapping.build_schema(fields, self.connection_options.get("ANALYZER", "archive"))

    def setup(self) -> None:
        super().setup()
        # Segments are read with file reads, not memory maps: a segment cut short (a full
        # disk, a bad copy) is then an exception, which the server answers with a rebuild,
        # not a SIGBUS that kills the worker.
        self.storage.supports_mmap = False
        self.compiler = WhooshCompiler(self.schema, self.connection_options.get("PLACE_SPELLINGS", "all"))

    def _ready(self) -> None:
        if not self.setup_complete:
            self.setup()

    # --- state --------------------------------------------------------------------

    def state_token(self) -> str:
        """The generation of the index's table of contents and that file's identity
        (a rebuilt index restarts generations)."""
        self._ready()
        generation = self.index.latest_generation()
        try:
            stat = os.stat(os.path.join(self.path, f"_{self.index.indexname}_{generation}.toc"))
        except OSError:
            return f"{generation}:missing"
        return f"{generation}:{stat.st_ino}:{stat.st_mtime_ns}"

    def searcher(self):
        """The open searcher, replaced when the index has changed since it was opened."""
        state = self.state_token()
        current = getattr(self, "_searcher", None)
        if current is not None and self._searcher_state == state:
            return current
        self.index = self.index.refresh()
        fresh = self.index.searcher()
        if current is not None:
            current.close()
        self._searcher, self._searcher_state = fresh, state
        return fresh

    def schema_signature(self) -> str:
        from haystack import connections

        _, schema = self.build_schema(connections[self.connection_alias].get_unified_index().all_searchfields())
        return mapping.signature(schema)

    def document_count(self) -> int:
        self._ready()
        return self.index.refresh().doc_count()

    def indexed_state(self) -> dict[int, str]:
        self._ready()
        self.index = self.index.refresh()
        with self.index.searcher() as searcher:
            return {int(f[DJANGO_ID]): f.get("updated", "") for f in searcher.all_stored_fields()}

    def verify_readable(self, full: bool = False) -> None:
        """Check that every segment reads as it was written: a segment whose files are
        listed with their hashes (`checksums`) by hashing them, any other (or every one,
        with `full`) by reading all of it: stored documents, every field's terms and their
        postings, linear in the number of terms."""
        self._ready()
        self.index = self.index.refresh()
        with self.index.reader() as reader:
            checksums.verify(self.path, [leaf for leaf, _offset in reader.leaf_readers()],
                             _decode_segment, full=full)

    # --- reads --------------------------------------------------------------------

    def execute(self, request: SearchRequest) -> SearchResponse:
        self._ready()
        searcher = self.searcher()
        if settings.ARCHIVE_WHOOSH_MATCHING == "collector":
            page, matched = self._matches_by_collector(searcher, request)
        else:
            page, matched = self._matches_by_arrays(searcher, request)
        response = SearchResponse(ids=[int(searcher.stored_fields(int(docnum))[DJANGO_ID]) for docnum in page],
                                  total=len(matched))
        own = {name for name, _ in request.own_filters}
        counted = tuple(name for name in request.facets if name not in own)
        for name, counts in facet_counts_of(searcher, matched, counted).items():
            response.facets[name] = sorted(((k, n) for k, n in counts.items() if k), key=lambda kv: (-kv[1], kv[0]))
        response.facets.update(self.own_filter_counts(request))
        if request.highlight:
            response.highlight_terms = highlight_terms(request.query)
        return response

    def warm(self) -> None:
        """Read each segment's arrays that searches read (the scored fields' lengths, the
        date column, the facet tables): at 100,000 articles about 2 s a process, paid by
        its first searches otherwise. A segment written later is read when first met."""
        self._ready()
        searcher = self.searcher()
        for leaf, _offset in searcher.leaf_searchers():
            reader = leaf.reader()
            for name, field in searcher.schema.items():
                if field.scorable:
                    arrays.field_lengths(reader, name)
        arrays.searcher_column(searcher, mapping.DATE_FIELD)
        facet_counts_of(searcher, (), FACET_FIELDS)

    def _matches_by_arrays(self, searcher, request: SearchRequest) -> tuple[list[int], np.ndarray]:
        """(the page's document numbers, every match's), evaluated in numpy (arrays.py)."""
        end = request.start + request.size
        evaluator = arrays.Evaluator(searcher, arrays.Deadline(settings.ARCHIVE_SEARCH_BUDGET_SECONDS))
        found = evaluator.matches(self.compiler.compile(request.query), scored=request.sort == "relevance")
        query_filter = self.compiler.compile_filters(request.filters)
        if query_filter is not None:
            allowed = evaluator.matches(query_filter, scored=False)
            keep = np.isin(found.ids, allowed.ids, assume_unique=True)
            found = arrays.Matches(found.ids[keep], found.scores[keep])
        if request.sort == "relevance":
            ordered = arrays.top(found, end)
        else:
            ordered = arrays.by_value(searcher, found, mapping.DATE_FIELD, end, newest_first=request.sort == "date",
                                      missing_last=UNKNOWN_DATE_LAST)
        return [int(d) for d in ordered[request.start:end]], found.ids

    def _matches_by_collector(self, searcher, request: SearchRequest) -> tuple[list[int], set[int]]:
        """The same by Whoosh's own collectors, one Python step per posting."""
        end = request.start + request.size
        sortedby = None
        if request.sort == "date":
            sortedby = mapping.DATE_FIELD
        elif request.sort == "oldest":
            # Unknown dates are stored as 0: read as the latest, they come last here too.
            sortedby = sorting.TranslateFacet(lambda value: value or UNKNOWN_DATE_LAST,
                                              sorting.FieldFacet(mapping.DATE_FIELD))
        collector = searcher.collector(
            limit=max(end, 1),
            sortedby=sortedby,
            reverse=request.sort == "date",
            terms=False,
        )
        # Whoosh's matcher replacement (every 10 matches, subtrees that cannot lift a
        # document into the top N are dropped) is inexact for an And with a Not: on the
        # judged corpus it dropped 6 of the true top 20 of '경기도 -수원'
        # (tests/search/test_backend_whoosh_arrays.py). Off, the collector scores exactly.
        collector.replace = 0
        collector = DeadlineCollector(collector, settings.ARCHIVE_SEARCH_BUDGET_SECONDS)
        query_filter = self.compiler.compile_filters(request.filters)
        if query_filter is not None:
            # Outermost, as Searcher.collector() puts it: the filter works in its own loop.
            collector = FilterCollector(collector, query_filter)
        searcher.search_with_collector(self.compiler.compile(request.query), collector)
        hits = collector.results()
        # Every match (filtered): its size is the total, and facets count it.
        return [hit.docnum for hit in hits[request.start:end]], hits.docs()

    def spelling_suggestions(self, words: list[str]) -> dict[str, str]:
        """The nearest indexed word (the archive's own vocabulary), by Whoosh's
        edit-distance corrector, for at most MAX_SPELLED_WORDS distinct words; answers are
        kept per index state, so a repeated misspelling costs nothing."""
        self._ready()
        searcher = self.searcher()
        state = self.state_token()
        found: dict[str, str] = {}
        for word in list(dict.fromkeys(words))[:MAX_SPELLED_WORDS]:
            key = (state, word)
            with _spelling_lock:
                known = key in _spelling_cache
                suggestion = _spelling_cache.get(key)
                if known:
                    _spelling_cache.move_to_end(key)
            if not known:
                suggestion = self._nearest_word(searcher, word)
                with _spelling_lock:
                    _spelling_cache[key] = suggestion
                    if len(_spelling_cache) > SPELLING_CACHE_SIZE:
                        _spelling_cache.popitem(last=False)
            if suggestion:
                found[word] = suggestion
        return found

    @staticmethod
    def _nearest_word(searcher, word: str) -> str | None:
        tokens = analyze(word)
        if len(tokens) != 1 or len(tokens[0]) < 4 or searcher.doc_frequency("text", tokens[0]):
            return None
        suggestions = searcher.suggest("text", tokens[0], limit=1, maxdist=2, prefix=SPELLING_PREFIX)
        return suggestions[0] if suggestions else None


class ArchiveWhooshEngine(BaseEngine):
    backend = ArchiveWhooshBackend
    query = WhooshSearchQuery


def _decode_segment(leaf) -> None:
    for _fields in leaf.all_stored_fields():
        pass
    for fieldname in leaf.indexed_field_names():
        for term in leaf.lexicon(fieldname):
            for _doc in leaf.postings(fieldname, term).all_ids():
                pass
        if leaf.has_column(fieldname):
            column = leaf.column_reader(fieldname)
            for _value in column:
                pass
