"""The haystack backend: haystack's Whoosh backend with our schema, write path and search.

What changes against haystack's own Whoosh backend, and why:
- the schema uses our multilingual analyzer, keeps no article text (the database has it),
  and stores facet values as keywords;
- every index write goes through `search.writer.locked_writer`, one writer at a time
  across processes, instead of AsyncWriter (which defers writes to a thread) and the
  default SILENTLY_FAIL (which drops a write on LockError);
- facet counts cover the whole filtered result set, not just the page, from value tables
  kept per segment (search.facet_counts) instead of tables rebuilt by every query;
- no per-query model narrowing: the index holds articles only;
- highlighting is done in `search.highlight` with the same analyzer;
- one searcher is kept open between queries and replaced when the index changes
  (`index_state`), instead of a new one per query; hits and facet counts come from one
  pass over the matches.
"""
from __future__ import annotations

import logging
import os
import re

from haystack.backends import BaseEngine
from haystack.backends.whoosh_backend import WhooshSearchBackend, WhooshSearchQuery
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.models import SearchResult
from haystack.utils import get_identifier
from whoosh import query as wq
from whoosh.fields import ID as WHOOSH_ID
from whoosh.fields import KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.qparser import AndGroup, MultifieldParser

from search.analysis import ArchiveAnalyzer, ExactAnalyzer
from search.facet_counts import count as facet_counts_of
from search.writer import locked_writer

log = logging.getLogger(__name__)

TEXT_FIELDS = {"text": 1.0, "title": 2.0}
# Searched only by name ("text_exact:…"): the words with their diacritics, to rank exact
# matches first; the folded fields above find every spelling.
EXACT_FIELDS = {"text_exact": 1.0}
KEYWORD_FIELDS = {"language", "source", "year", "places", "countries"}
SORT_FIELDS = {"published"}
STORED_FIELDS = {"updated"}


class ArchiveWhooshBackend(WhooshSearchBackend):
    def text_analyzer(self):
        # ANALYZER "stemming" is haystack's default, kept only to measure against it
        # (bench/relevance.py); the archive always runs with its own.
        if self.connection_options.get("ANALYZER") == "stemming":
            from whoosh.analysis import StemmingAnalyzer

            return StemmingAnalyzer()
        return ArchiveAnalyzer()

    def build_schema(self, fields):
        schema_fields = {
            ID: WHOOSH_ID(stored=True, unique=True),
            DJANGO_CT: WHOOSH_ID(stored=True),
            DJANGO_ID: WHOOSH_ID(stored=True),
        }
        content_field_name = ""
        for field_class in fields.values():
            name = field_class.index_fieldname
            if name in TEXT_FIELDS:
                schema_fields[name] = TEXT(
                    analyzer=self.text_analyzer(),
                    stored=False,
                    phrase=True,
                    field_boost=TEXT_FIELDS[name],
                    multitoken_query="phrase",
                )
            elif name in EXACT_FIELDS:
                schema_fields[name] = TEXT(analyzer=ExactAnalyzer(), stored=False, phrase=True,
                                           multitoken_query="phrase")
            elif name in KEYWORD_FIELDS:
                schema_fields[name] = KEYWORD(stored=True, commas=True, scorable=False, sortable=False)
            elif name in STORED_FIELDS:
                schema_fields[name] = STORED()
            elif name in SORT_FIELDS:
                schema_fields[name] = NUMERIC(stored=True, numtype=int, bits=32, sortable=True)
            else:
                raise ValueError(f"search index field {name!r} has no place in the archive schema")
            if field_class.document:
                content_field_name = name
        return content_field_name, Schema(**schema_fields)

    def __init__(self, connection_alias, **connection_options):
        super().__init__(connection_alias, **connection_options)
        self.connection_options = connection_options

    def setup(self):
        super().setup()
        self.parser = MultifieldParser(
            list(TEXT_FIELDS), schema=self.schema, fieldboosts=TEXT_FIELDS, group=AndGroup
        )

    # --- writes -------------------------------------------------------------------

    def update(self, index, iterable, commit=True):
        if not self.setup_complete:
            self.setup()
        docs = []
        for obj in iterable:
            doc = index.full_prepare(obj)
            docs.append({key: self._from_python(value) for key, value in doc.items() if key != "boost"})
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

    def remove(self, obj_or_string, commit=True):
        if not self.setup_complete:
            self.setup()
        with locked_writer(self) as writer:
            writer.delete_by_term(ID, get_identifier(obj_or_string))

    def remove_ids(self, identifiers: list[str]) -> None:
        if not self.setup_complete:
            self.setup()
        with locked_writer(self) as writer, writer.searcher() as searcher:
            for identifier in identifiers:
                writer.delete_by_term(ID, identifier, searcher=searcher)

    def clear(self, models=None, commit=True):
        if not self.setup_complete:
            self.setup()
        with locked_writer(self) as writer:
            writer.delete_by_query(wq.Every())

    # --- reads --------------------------------------------------------------------

    def _narrow(self, narrow_queries) -> wq.Query | None:
        """Filters arrive as 'field:value' strings; values are matched exactly."""
        terms = []
        for narrow in sorted(narrow_queries or ()):
            bound = re.match(r"^(\w+)(>=|<=)(\d+)$", narrow)
            if bound and bound.group(1) in SORT_FIELDS:
                value = int(bound.group(3))
                low, high = (value, None) if bound.group(2) == ">=" else (None, value)
                # Unknown dates are stored as 0: never inside a range.
                terms.append(wq.NumericRange(bound.group(1), low if low is not None else 1, high))
                continue
            field, _, value = narrow.partition(":")
            if field not in KEYWORD_FIELDS:
                raise ValueError(f"cannot filter on {field!r}")
            values = value.split("|")
            terms.append(wq.Term(field, values[0]) if len(values) == 1 else wq.Or([wq.Term(field, v) for v in values]))
        return wq.And(terms) if terms else None

    def parse(self, query_string: str) -> wq.Query:
        if not self.setup_complete:
            self.setup()
        if not query_string.strip() or query_string.strip() == "*":
            return wq.Every()
        parsed = self.parser.parse(query_string)
        return parsed if parsed is not None else wq.NullQuery

    def index_state(self) -> str:
        """Changes whenever a write commits or the index is rebuilt: the generation of its
        table of contents and that file's identity (a rebuilt index restarts generations)."""
        if not self.setup_complete:
            self.setup()
        generation = self.index.latest_generation()
        try:
            stat = os.stat(os.path.join(self.path, f"_{self.index.indexname}_{generation}.toc"))
        except OSError:
            return f"{generation}:missing"
        return f"{generation}:{stat.st_ino}:{stat.st_mtime_ns}"

    def searcher(self):
        """The open searcher, replaced when the index has changed since it was opened."""
        state = self.index_state()
        current = getattr(self, "_searcher", None)
        if current is not None and self._searcher_state == state:
            return current
        self.index = self.index.refresh()
        fresh = self.index.searcher()
        if current is not None:
            current.close()
        self._searcher, self._searcher_state = fresh, state
        return fresh

    def search(self, query_string, sort_by=None, start_offset=0, end_offset=None, facets=None,
               narrow_queries=None, result_class=None, **kwargs):
        if not self.setup_complete:
            self.setup()
        result_class = result_class or SearchResult
        parsed = self.parse(query_string)
        filter_query = self._narrow(narrow_queries)
        sortedby, reverse = None, False
        if sort_by:
            field = sort_by[0]
            reverse = field.startswith("-")
            sortedby = field.lstrip("-")
        end = end_offset if end_offset is not None else start_offset + 20
        searcher = self.searcher()
        hits = searcher.search(
            parsed, filter=filter_query, limit=max(end, 1), sortedby=sortedby, reverse=reverse, terms=False,
        )
        # Every match (filtered), found once: its size is the total, and facets count it.
        matched = hits.docs()
        results = [
            result_class("archive", "article", hit[DJANGO_ID], hit.score or 0)
            for hit in hits[start_offset:end]
        ]
        facet_counts = {}
        if facets:
            for name, counts in facet_counts_of(searcher, matched, facets).items():
                facet_counts[name] = sorted(
                    ((key, n) for key, n in counts.items() if key), key=lambda item: (-item[1], item[0])
                )
        return {"results": results, "hits": len(matched), "facets": {"fields": facet_counts}}

    def spelling_suggestions(self, words: list[str]) -> dict[str, str]:
        """For each word the index does not know, the nearest indexed word (the archive's
        own vocabulary), by Whoosh's edit-distance corrector."""
        if not self.setup_complete:
            self.setup()
        from search.analysis import analyze

        found: dict[str, str] = {}
        searcher = self.searcher()
        for word in words:
            tokens = analyze(word)
            if len(tokens) != 1 or len(tokens[0]) < 4 or searcher.doc_frequency("text", tokens[0]):
                continue
            suggestions = searcher.suggest("text", tokens[0], limit=1, maxdist=2)
            if suggestions:
                found[word] = suggestions[0]
        return found

    def indexed_state(self) -> dict[int, str]:
        """Article id -> the `updated` time it was indexed with, for consistency checks."""
        if not self.setup_complete:
            self.setup()
        self.index = self.index.refresh()
        with self.index.searcher() as searcher:
            return {int(f[DJANGO_ID]): f.get("updated", "") for f in searcher.all_stored_fields()}


class ArchiveWhooshEngine(BaseEngine):
    backend = ArchiveWhooshBackend
    query = WhooshSearchQuery
