"""The query object: what the archive's query language means, with no engine's syntax.

`search.query.parse` reads what the user typed once and builds one of these trees; each
backend compiles the tree to its engine's own query (search/backends/<engine>/compiler.py).
No string is handed to an engine to be parsed a second time, so nothing the user typed
can reach an engine as an operator.

Matching leaves:
- `Phrase`: words matched in order on the folded text fields (a single word is a phrase
  of one word); the engine analyzes the text with the archive's analyzer;
- `Exact`: the same, on the field that keeps diacritics, to rank exact spellings first;
- `MatchAll`.
Combinators: `And`, `Or`, `Not`, `Prefer` (rank some matches in a tier above the rest), and `Alternatives` (an Or that records why it exists: the
aliases of a place, the translations of a cooperation concept, a word with its exact form).
Filters, ANDed with the query but never scored: `FieldIn` and `DateRange`.
"""
from __future__ import annotations

from dataclasses import dataclass


class Query:
    """A node of the query tree."""


@dataclass(frozen=True)
class MatchAll(Query):
    pass


@dataclass(frozen=True)
class Phrase(Query):
    text: str


@dataclass(frozen=True)
class Exact(Query):
    text: str
    boost: float = 1.0


@dataclass(frozen=True)
class And(Query):
    parts: tuple[Query, ...]


@dataclass(frozen=True)
class Or(Query):
    parts: tuple[Query, ...]


@dataclass(frozen=True)
class Not(Query):
    part: Query


@dataclass(frozen=True)
class Alternatives(Or):
    """Any of several spellings of one thing; `kind` is "place", "concept" or "word" (a
    country's names, or a word typed with diacritics with its exact form beside it)."""

    kind: str = "word"
    key: str | None = None  # the place slug or concept name
    label: str = ""  # what the user typed (a place's alternatives may not keep it as typed)


@dataclass(frozen=True)
class Prefer(Query):
    """The matches of `query`, ranked with the articles about each of `preferred` first:
    every preferred part a match is about (the backend's measure: in the title, or repeated
    in the text) adds one whole tier to its score, above any difference of relevance inside
    a tier. The literal form of each widened word, so that articles with what the user typed
    rank above those matched only through a translation (search.query)."""

    query: Query
    preferred: tuple[Query, ...]


def literal_repeats() -> int:
    """How many times in the text (short of the title) the words as typed make an article
    one of a Prefer tier: 3 ("about", settings.ARCHIVE_LITERAL_FIRST), or 1 ("every": any
    literal match)."""
    from django.conf import settings

    return 1 if settings.ARCHIVE_LITERAL_FIRST == "every" else 3


class Filter:
    """A condition on a keyword or date field: matches or not, never scored."""


# Filterable fields of the engine contract, and the facets it counts.
FILTER_FIELDS = ("language", "source", "year", "places", "countries")
FACET_FIELDS = ("language", "year", "places", "source")


@dataclass(frozen=True)
class FieldIn(Filter):
    """The field holds any of `values` (a multi-valued field: any of its values)."""

    field: str
    values: tuple[str, ...]

    def __post_init__(self) -> None:
        if self.field not in FILTER_FIELDS:
            raise ValueError(f"cannot filter on {self.field!r}")
        if not self.values:
            raise ValueError("a filter needs at least one value")


@dataclass(frozen=True)
class DateRange(Filter):
    """Publication date within [start, end], both yyyymmdd and inclusive; None is open.
    An article with an unknown date is never inside a range."""

    start: int | None = None
    end: int | None = None


def positive_leaves(query: Query) -> list[Phrase]:
    """The phrases a result may have matched through (not under a Not), in query order:
    what highlighting marks."""
    if isinstance(query, Phrase):
        return [query]
    if isinstance(query, (And, Or)):
        return [leaf for part in query.parts for leaf in positive_leaves(part)]
    if isinstance(query, Prefer):
        return positive_leaves(query.query)
    return []
