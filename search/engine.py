"""The engine interface: what the archive asks of a search engine, and nothing more.

Every backend under search/backends/ is a haystack backend that also implements
`SearchEngine`; settings name the one in use (HAYSTACK_CONNECTIONS, or the environment's
ARCHIVE_SEARCH_ENGINE). The search service, the index upkeep (search.indexing) and the
commands talk to `engine()` only, with query objects (search.querytree), never with an
engine's query syntax. tests/search/backend_contract.py states what each method must do;
every backend runs it.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field, replace

from search.querytree import FACET_FIELDS, Filter, Query

# The deepest result any engine must serve: start + size never passes it. OpenSearch
# refuses from + size > 10,000 (index.max_result_window); every engine keeps the same
# limit so that a page that works on one works on all. Past it the page and the API say so.
MAX_RESULT_WINDOW = 10_000
SORTS = ("relevance", "date", "oldest")


class ResultWindowExceeded(ValueError):
    """A request for results past MAX_RESULT_WINDOW."""


class QueryTooCostly(ValueError):
    """A search that did not finish within the per-request budget (settings
    ARCHIVE_SEARCH_BUDGET_SECONDS): the engine stopped it rather than tie up a worker."""


def document_id(article_id: int) -> str:
    """The engine's identifier of an article (haystack's "app.model.pk")."""
    return f"archive.article.{article_id}"


@dataclass(frozen=True)
class SearchRequest:
    query: Query
    filters: tuple[Filter, ...] = ()
    sort: str = "relevance"  # or "date": newest first, or "oldest": oldest first; unknown dates last
    start: int = 0
    size: int = 20
    facets: tuple[str, ...] = ()  # fields of FACET_FIELDS, counted over the whole result set
    highlight: bool = False  # answer `highlight_terms`: what to mark in the shown texts
    # Multi-select facets: (a facet of `facets`, its own filter, one of `filters`). Such a
    # facet is counted without its own filter, so that its other values stay listed with
    # what choosing each adds (lang=fr still counts the Vietnamese articles); the ids, the
    # total and the other facets obey every filter.
    own_filters: tuple[tuple[str, Filter], ...] = ()

    def __post_init__(self) -> None:
        if self.sort not in SORTS:
            raise ValueError(f"sort must be one of {SORTS}")
        if self.start < 0 or self.size < 0:
            raise ValueError("start and size cannot be negative")
        if self.start + self.size > MAX_RESULT_WINDOW:
            raise ResultWindowExceeded(
                f"results past the {MAX_RESULT_WINDOW:,}th are not served; narrow the search with filters"
            )
        unknown = set(self.facets) - set(FACET_FIELDS)
        if unknown:
            raise ValueError(f"no facet {sorted(unknown)}")
        for name, condition in self.own_filters:
            if name not in self.facets or condition not in self.filters:
                raise ValueError(f"an own filter names a facet and a filter of the request: {name}")


@dataclass
class SearchResponse:
    ids: list[int]  # article ids of the requested slice, in order
    total: int  # matches of the whole (filtered) result set
    # Facet field -> (value, count) over every match, most frequent first, then by value.
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    # Token sequences (as search.analysis.analyze makes them) a result matched through.
    highlight_terms: list[tuple[str, ...]] = field(default_factory=list)


def highlight_terms(query: Query) -> list[tuple[str, ...]]:
    """What the shown texts mark for a query: each positive phrase's tokens, by the
    archive's analyzer whatever the engine's (search.highlight tokenizes the shown text
    with it), once each."""
    from search import querytree as qt
    from search.analysis import analyze

    found: list[tuple[str, ...]] = []
    for leaf in qt.positive_leaves(query):
        tokens = tuple(analyze(leaf.text))
        if tokens and tokens not in found:
            found.append(tokens)
    return found


class SearchEngine(ABC):
    """What every backend implements, beside haystack's backend methods. Every write
    (index, remove, clear, reset, setup of a new index, optimize) takes the index lock."""

    # The stored field a haystack `order_by` of dates names (each backend's mapping).
    date_field = "published"

    def search(self, query_string, sort_by=None, start_offset=0, end_offset=None, facets=None,
               narrow_queries=None, result_class=None, **kwargs):
        """haystack's entry point (SearchQuerySet), the same on every backend: the string is
        read once, in the archive's query language; haystack's narrow queries have no place here."""
        from haystack.models import SearchResult

        from search.query import parse

        if narrow_queries:
            raise ValueError("filter with search.engine.SearchRequest, not haystack narrow queries")
        size = (end_offset if end_offset is not None else start_offset + 20) - start_offset
        request = SearchRequest(
            parse(query_string if query_string != "*" else "").to_query(),
            sort="date" if sort_by and sort_by[0].lstrip("-") == self.date_field else "relevance",
            start=start_offset, size=size, facets=tuple(facets or ()),
        )
        response = self.execute(request)
        result_class = result_class or SearchResult
        return {
            "results": [result_class("archive", "article", pk, 0) for pk in response.ids],
            "hits": response.total,
            "facets": {"fields": response.facets},
        }

    @abstractmethod
    def execute(self, request: SearchRequest) -> SearchResponse:
        """One search; raises ResultWindowExceeded past the deepest result, and
        QueryTooCostly when matching takes longer than the request's budget."""

    def own_filter_counts(self, request: SearchRequest) -> dict[str, list[tuple[str, int]]]:
        """The facets of `request.own_filters`, each counted without its own filter, by one
        more search each (an engine that counts them within the same search does not ask)."""
        counts = {}
        for name, condition in request.own_filters:
            others = tuple(f for f in request.filters if f != condition)
            alone = replace(request, filters=others, start=0, size=0, facets=(name,), own_filters=(), highlight=False)
            counts[name] = self.execute(alone).facets.get(name, [])
        return counts

    @abstractmethod
    def remove_ids(self, article_ids: Iterable[int]) -> None:
        """Take these articles out of the index (absent ones are no error)."""

    @abstractmethod
    def state_token(self) -> str:
        """Changes on every committed write and on a rebuild: the version of cached results."""

    def warm(self) -> None:
        """Read now what every search would read the first time (a server process calls it
        as it starts, search.service.warm): this default reads nothing."""

    @abstractmethod
    def spelling_suggestions(self, words: list[str]) -> dict[str, str]:
        """For each word the index does not know, the nearest word it knows."""

    @abstractmethod
    def indexed_state(self) -> dict[int, str]:
        """Article id -> the `updated` time it was indexed with: check_index's listing."""

    @abstractmethod
    def document_count(self) -> int:
        """How many articles the index holds; raises when the index cannot be read."""

    def verify_readable(self, full: bool = False) -> None:
        """Check that the whole index reads (every segment, every stored document); raises
        when any part of it cannot be read. `check_index` and the server's repair use it.
        A backend may check what it has already read once by a cheaper proof (Whoosh: its
        segment files' hashes); `full` reads everything again."""
        self.document_count()
        self.indexed_state()

    @abstractmethod
    def write_lock(self) -> AbstractContextManager:
        """The lock every write takes (re-entrant in a thread, exclusive across processes):
        held by a rebuild, and by a test that makes writers meet."""

    @abstractmethod
    def reset(self) -> None:
        """Drop the index and create it empty."""

    @contextmanager
    def building(self) -> Iterator[None]:
        """A rebuild: the writes inside fill a new, empty index. This default empties the
        served one first; a backend that can (OpenSearch) builds beside it and serves the
        new index only once the block ends, so a half-built index is never searched."""
        with self.write_lock():
            self.reset()
            yield

    @contextmanager
    def bulk_writes(self) -> Iterator[None]:
        """A bulk import's writes: inside the block a backend may defer work each write
        would do (Whoosh's segment merges) and do it once when the block ends. Processes
        forked inside the block write the same way. This default defers nothing."""
        yield

    @abstractmethod
    def schema_signature(self) -> str:
        """Names the index's fields and their types: a change means a rebuild."""

    def index_ids(self, article_ids: Iterable[int]) -> None:
        """Index these articles from the database: published ones (again), others removed."""
        from archive.models import Article
        from haystack import connections

        ids = sorted(set(article_ids))
        if not ids:
            return
        index = connections[self.connection_alias].get_unified_index().get_index(Article)
        live = list(index.index_queryset().filter(id__in=ids))
        if live:
            self.update(index, live)
        live_ids = {article.id for article in live}
        gone = [i for i in ids if i not in live_ids]
        if gone:
            self.remove_ids(gone)


def engine(alias: str = "default") -> SearchEngine:
    """The engine the settings name."""
    from haystack import connections

    backend = connections[alias].get_backend()
    if not isinstance(backend, SearchEngine):
        raise TypeError(f"{type(backend).__name__} does not implement search.engine.SearchEngine")
    return backend
