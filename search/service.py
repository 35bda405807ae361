"""One search, shared by the page, the JSON API and the search feed.

Talks to the engine only through the engine interface (search.engine): the query is read
once (search.query) into a query object, the filters become filter objects, and whichever
backend the settings name compiles them. The service then joins the engine's ids with
the database, marks what matched and labels the facets.
"""
from __future__ import annotations

import calendar
import hashlib
import logging
import math
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import caches
from django.utils.text import format_lazy
from django.utils import translation
from django.utils.translation import gettext_lazy

from archive.models import LANGUAGES, OTHER_LANGUAGE, Article, Place, Source
from search import highlight
from search import querytree as qt
from search.engine import MAX_RESULT_WINDOW, QueryTooCostly, SearchRequest, engine
from search.indexing import ensure_index
from search.query import ParsedQuery, parse

log = logging.getLogger(__name__)
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_PAGE = MAX_RESULT_WINDOW
SORTS = ("relevance", "date", "oldest")  # date: newest first
# URL parameter -> the field it filters (from= and to= bound the publication date).
FILTERS = {"lang": "language", "place": "places", "year": "year", "source": "source", "from": "published",
           "to": "published"}
_DATE_BOUND = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")
FACET_NAMES = {"language": "language", "year": "year", "places": "place", "source": "source"}
# Facet name (as in the API) -> the URL parameter that filters on it.
FACET_PARAMS = {"language": "lang", "year": "year", "place": "place", "source": "source"}
# Parameters that may repeat (lang=fr&lang=vi): any of the values (OR within a facet); the
# different parameters are all required (AND across facets).
MULTI_FILTERS = ("lang", "place", "year", "source")
_YEAR = re.compile(r"^\d{4}$")
_VALUE = re.compile(r"^[a-z0-9-]{1,60}$")
LANGUAGE_NAMES = {**dict(LANGUAGES), OTHER_LANGUAGE: "Other languages"}


class BadRequest(ValueError):
    """A search that cannot be answered, and why. The reason is translated lazily: the page
    shows it in the interface's language, and the API in English (`english`), because
    clients parse it."""

    def english(self) -> str:
        with translation.override("en"):
            return str(self)


@dataclass
class Hit:
    article: Article
    title_html: str
    snippet: str
    # "Hanoï" for a query "Hanoi": the other spellings through which this article matched.
    matched_as: list[str] = field(default_factory=list)


@dataclass
class FacetValue:
    key: str
    label: str
    count: int
    selected: bool


@dataclass
class SearchOutcome:
    q: str
    query: ParsedQuery
    filters: dict[str, str]
    sort: str
    page: int
    page_size: int
    count: int = 0
    # Year -> number of articles in the whole result set (the results-per-year chart).
    years: list[tuple[str, int]] = field(default_factory=list)
    did_you_mean: str | None = None
    hits: list[Hit] = field(default_factory=list)
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    # The Place rows of the place facet's values and of the place filter, read once for the
    # facet's labels; the page names them again in its interface language.
    places: dict[str, Place] = field(default_factory=dict)

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.count / self.page_size))

    @property
    def past_end(self) -> bool:
        """A page asked for after the last one: answered empty, and said so."""
        return self.count > 0 and self.page > self.num_pages

    def filter_values(self, name: str) -> list[str]:
        value = self.filters.get(name)
        return [] if value is None else list(value) if isinstance(value, (list, tuple)) else [value]


def _int_param(value: str | None, name: str, default: int, low: int, high: int) -> int:
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise BadRequest(format_lazy(gettext_lazy("{name} must be a whole number, not {value}"),
                                     name=name, value=repr(value[:40])))
    if not low <= number <= high:
        raise BadRequest(format_lazy(gettext_lazy("{name} must be between {low} and {high}"),
                                     name=name, low=low, high=high))
    return number


def read_params(params, page_size_allowed: bool = True) -> dict:
    """Validated search parameters from a QueryDict; raises BadRequest."""
    page = _int_param(params.get("page"), "page", 1, 1, MAX_PAGE)
    page_size = DEFAULT_PAGE_SIZE
    if page_size_allowed:
        page_size = _int_param(params.get("page_size"), "page_size", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE)
    if page * page_size > MAX_RESULT_WINDOW:
        # The engine contract's deepest result (search.engine): past it, a clear refusal.
        raise BadRequest(format_lazy(gettext_lazy(
            "Results past the {limit}th are not shown; narrow the search with filters or another sort "
            "(page {page} of {size} results goes past it)."), limit=f"{MAX_RESULT_WINDOW:,}", page=page, size=page_size))
    sort = params.get("sort") or ""
    if sort and sort not in SORTS:
        raise BadRequest(format_lazy(gettext_lazy("sort must be one of: {sorts}"), sorts=", ".join(SORTS)))
    filters: dict[str, list[str] | str] = {}
    for name in FILTERS:
        if name in MULTI_FILTERS:
            values = list(dict.fromkeys(v.strip().lower() for v in params.getlist(name) if v.strip()))
            for value in values:
                _check_filter(name, value)
            if values:
                filters[name] = values
            continue
        value = (params.get(name) or "").strip().lower()
        if value:
            _check_filter(name, value)
            filters[name] = value
    return {"q": params.get("q") or "", "filters": filters, "sort": sort, "page": page, "page_size": page_size}


def _check_filter(name: str, value: str) -> None:
    """A filter value no article could have is a mistake to say, not an empty result."""
    if name == "year":
        ok = bool(_YEAR.match(value))
        hint = gettext_lazy("a year is written with four digits, such as 2023")
    elif name in ("from", "to"):
        ok = _date_bound(value, end=name == "to") is not None
        hint = gettext_lazy("write a date as 2023, 2023-01 or 2023-01-31")
    elif name == "lang":
        ok = value in LANGUAGE_NAMES
        hint = format_lazy(gettext_lazy("the languages are {codes}"), codes=", ".join(LANGUAGE_NAMES))
    else:
        ok = bool(_VALUE.match(value))
        hint = gettext_lazy("use the lower-case name shown in the filter links")
    if not ok:
        raise BadRequest(format_lazy(gettext_lazy("{name}={value} is not a valid filter: {hint}."),
                                     name=name, value=value[:40], hint=hint))


def _filters_key(filters: dict | None) -> tuple:
    return tuple(sorted((k, tuple(v) if isinstance(v, (list, tuple)) else v) for k, v in (filters or {}).items()))


# The form of a cached SearchOutcome: raised when its fields change, so that a server
# upgraded over a warm cache never reads an outcome pickled by the old code.
OUTCOME_FORM = 2


def _cache_key(state: str, *args) -> str:
    digest = hashlib.sha256(repr(args).encode("utf-8")).hexdigest()
    return f"search:{OUTCOME_FORM}:{state}:{digest}"


def run_search(q: str = "", filters: dict | None = None, sort: str = "", page: int = 1,
               page_size: int = DEFAULT_PAGE_SIZE, expand_places: bool = True) -> SearchOutcome:
    """A search, from the cache when the index has not changed since the same search ran.

    Every change of an article reaches the index (search.signals), so the index's state is
    the cache's version: a write makes every cached page stale at once, and nothing needs
    to be deleted. ARCHIVE_SEARCH_CACHE=0 turns the cache off."""
    if not settings.ARCHIVE_SEARCH_CACHE:
        return _run_search(q, filters, sort, page, page_size, expand_places)
    try:
        state = engine().state_token()
    except Exception:  # a missing or broken index: _run_search repairs it
        return _run_search(q, filters, sort, page, page_size, expand_places)
    key = _cache_key(state, q, _filters_key(filters), sort, page, page_size, expand_places)
    store = caches["search"]
    outcome = store.get(key)
    if outcome is None:
        outcome = _run_search(q, filters, sort, page, page_size, expand_places)
        store.set(key, outcome)
    return outcome


def _run_search(q: str, filters: dict | None, sort: str, page: int, page_size: int,
                expand_places: bool) -> SearchOutcome:
    parsed = parse(q, expand_places=expand_places)
    active: dict[str, list[str] | str] = {k: [v] if k in MULTI_FILTERS else v for k, v in parsed.filters.items()}
    for name, value in (filters or {}).items():
        active[name] = list(value) if name in MULTI_FILTERS and isinstance(value, (list, tuple)) else \
            [value] if name in MULTI_FILTERS else value
    sort = sort or ("relevance" if not parsed.is_empty else "date")
    outcome = SearchOutcome(q=q, query=parsed, filters=active, sort=sort, page=page, page_size=page_size)
    if q.strip() and parsed.is_empty and not parsed.filters:
        return outcome  # nothing searchable was typed: say so rather than list everything

    filters: list[qt.Filter] = []
    by_param: dict[str, qt.Filter] = {}  # a multi-select facet's own filter, left out of its counts
    dates: dict[str, int] = {}
    for name, value in active.items():
        if name in MULTI_FILTERS:
            values = [v for v in value if _VALUE.match(v)]
            if not values:
                return outcome  # a filter no article can have
            if name == "place":
                # A place's filter includes the units merged into it: place=ninh-binh finds Hà Nam.
                values = [slug for v in values for slug in place_family(v)]
            by_param[name] = qt.FieldIn(FILTERS[name], tuple(dict.fromkeys(values)))
            filters.append(by_param[name])
            continue
        if name in ("from", "to"):
            bound = _date_bound(value, end=name == "to")
            if bound is None:
                parsed.notes.append(format_lazy(gettext_lazy(
                    "The date “{value}” was not understood; write it as 2023, 2023-01 or 2023-01-31."), value=value))
                continue
            dates[name] = bound
            continue
    if dates:
        filters.append(qt.DateRange(dates.get("from"), dates.get("to")))
    start = (page - 1) * page_size

    # A multi-select facet's counts leave out its own selection, so its other values stay
    # there to be added (lang=fr shows Vietnamese too, with the count lang=fr&lang=vi adds).
    own_filters = tuple((FILTERS[param], condition) for param, condition in by_param.items())

    def ask(query: ParsedQuery):
        try:
            return engine().execute(SearchRequest(
                query.to_query(), filters=tuple(filters),
                sort=sort if sort in ("date", "oldest") else "relevance",
                start=start, size=page_size, facets=tuple(FACET_NAMES), highlight=True, own_filters=own_filters,
            ))
        except QueryTooCostly:
            raise BadRequest(format_lazy(gettext_lazy(
                "This search is too costly to answer within {seconds} s; make it narrower: fewer words or "
                "alternatives, a phrase, or a filter by language, place or year."),
                seconds=f"{settings.ARCHIVE_SEARCH_BUDGET_SECONDS:g}")) from None

    try:
        raw = ask(parsed)
    except BadRequest:
        raise
    except Exception:
        # A damaged or missing index is rebuilt from the database, then asked again.
        log.exception("search failed; checking the index")
        if not ensure_index(deep=True):
            raise
        raw = ask(parsed)
    if raw.total == 0 and q.strip() and expand_places:
        # Nothing matched: perhaps a misspelt place name. Ask again with the nearest ones.
        retry = parse(q, fuzzy=True)
        if retry.corrections:
            retried = ask(retry)
            if retried.total:
                parsed, raw = retry, retried
                outcome.query = parsed
                parsed.notes.insert(0, format_lazy(gettext_lazy("No article matches “{typed}”; showing results for {places}."),
                                                   typed=q, places=", ".join(f"{place} (“{typed}”)"
                                                                             for typed, place in retry.corrections)))
    if raw.total == 0 and q.strip():
        words = [i.label for i in parsed.items if not i.negated and not i.place and " " not in i.label]
        corrections = engine().spelling_suggestions(words) if words else {}
        if corrections:
            outcome.did_you_mean = " ".join(corrections.get(w, w) for w in q.split())
    outcome.count = raw.total
    years = raw.facets.get("year", [])
    if "year" in by_param:
        # The chart counts the results: the year facet, counted without its own filter, cut
        # to the chosen years (an article has one year, so those counts are the results').
        chosen = set(by_param["year"].values)
        years = [(year, n) for year, n in years if year in chosen]
    outcome.years = sorted(years, key=lambda kv: kv[0])
    facet_counts = dict(raw.facets)
    ids = raw.ids
    articles = Article.objects.published().filter(id__in=ids).for_lists()
    by_id = {a.id: a for a in articles}
    wanted = widened(parsed)
    outcome.hits = [_hit(by_id[i], raw.highlight_terms, wanted) for i in ids if i in by_id]
    outcome.facets, outcome.places = _label_facets(facet_counts, active)
    return outcome


def warm() -> None:
    """What a server process reads once, read as it starts rather than by its first
    searches: the gazetteer and the query analysis (a query naming a place), and the
    engine's per-segment arrays (SearchEngine.warm). A failure is logged, never raised: a
    server with an unreadable index still starts, and its first search repairs or reports."""
    try:
        parse("hợp tác Gyeonggi")
        engine().warm()
    except Exception:  # noqa: BLE001 - warming is an optimisation; searching reports errors
        log.warning("warming the search engine failed", exc_info=True)


def _date_bound(value: str, end: bool) -> int | None:
    """'2023' -> 20230101 (or 20231231 as an end), '2024-06' -> 20240601 / 20240630."""
    m = _DATE_BOUND.match(value)
    if not m:
        return None
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    if month is None:
        return year * 10000 + (1231 if end else 101)
    month = int(month)
    if not 1 <= month <= 12:
        return None
    if day is None:
        return year * 10000 + month * 100 + (calendar.monthrange(year, month)[1] if end else 1)
    return year * 10000 + month * 100 + min(int(day), 31)


def _hit(article: Article, needles, wanted: dict) -> Hit:
    """A shown result. Its title and body are tokenized once, and the needles of its marks
    (`needles`) and of `matched_as` (`wanted`, the query's alternatives) are looked for in
    one pass over each: for a place, the two are mostly the same spellings."""
    from search.analysis import Tokens

    body = highlight.scanned(highlight.normalized(article.body))
    looked_for = list(dict.fromkeys([*needles, *wanted]))
    if not looked_for:  # nothing to mark (a listing without words): no tokens needed
        return Hit(article, highlight.highlight_all(article.title, needles),
                   highlight.scanned_snippet(body, needles), [])
    found = (highlight.find_needles(Tokens(article.title), looked_for),
             highlight.find_needles(Tokens(body), looked_for))
    return Hit(article, highlight.highlight_all(article.title, needles, found=found[0]),
               highlight.scanned_snippet(body, needles, found=found[1]),
               matched_as(article, body, wanted, found))


def widened(parsed: ParsedQuery) -> dict[tuple[str, ...], str]:
    """The query's alternatives that are not what the user typed, as tokens, each with
    what the user typed: once per query, for every shown result's `matched_as`."""
    from search.analysis import analyze

    wanted: dict[tuple[str, ...], str] = {}  # alternative's tokens -> what the user typed
    for item in parsed.items + [i for g in parsed.any_of for i in g]:
        if item.negated or len(item.alternatives) < 2:
            continue
        typed = tuple(analyze(item.label))
        for alternative in item.alternatives:
            tokens = tuple(analyze(alternative))
            if tokens and tokens != typed:
                wanted.setdefault(tokens, item.label)
    return wanted


def matched_as(article: Article, body: str, wanted: dict, found) -> list[str]:
    """Why an article matched a widened query: the alias or translation it contains, when
    that is not what the user typed ('Hanoi' matched 'Hà Nội', 'jumelage' matched '자매결연').
    `body`: its normalized body; `wanted`: `widened(parsed)`; `found`: find_needles of the
    title's and of the body's tokens for `wanted`'s needles and perhaps others (_hit)."""
    if not wanted:
        return []
    needles = list(wanted)
    found = (highlight.found_of(found[0], needles), highlight.found_of(found[1], needles))
    # The title, then the body: a needle does not run from one into the other.
    occurrences = [(0, start, end, needle, article.title) for start, end, needle in found[0]]
    occurrences += [(1, start, end, needle, body) for start, end, needle in found[1]]
    labels: list[str] = []
    seen: set[tuple[str, str]] = set()  # compared as plain text: a lazy label translates at each comparison
    for _, start, end, needle, text in sorted(occurrences, key=lambda o: o[:3]):
        key = (text[start:end], wanted[needle])
        if key in seen:
            continue
        seen.add(key)
        labels.append(format_lazy(gettext_lazy("{found} (for “{typed}”)"), found=key[0], typed=key[1]))
        if len(labels) >= 3:
            break
    return labels


def place_family(slug: str) -> list[str]:
    """The place, the units merged into it, and the cities and districts inside any of them:
    place=gyeonggi finds Suwon's articles, place=ninh-binh Hà Nam's (roll-up, issue 14)."""
    from archive import gazetteer
    from archive.partnerships import place_and_predecessors

    place = Place.objects.filter(slug=slug).first()
    family = [p.slug for p in place_and_predecessors(place)] if place else [slug]
    return family + [d for s in family for d in gazetteer.descendants(s) if d not in family]


def _label_facets(counts: dict, active: dict) -> tuple[dict[str, list[FacetValue]], dict[str, Place]]:
    """The facets' values with their labels, and the places among them by slug."""
    place_keys = [k for k, _ in counts.get("places", [])] + list(active.get("place") or [])
    source_keys = [k for k, _ in counts.get("source", [])] + list(active.get("source") or [])
    places = {p.slug: p for p in Place.objects.filter(slug__in=place_keys).defer("aliases")}
    place_names = {slug: p.label for slug, p in places.items()}
    source_names = dict(Source.objects.filter(slug__in=source_keys).values_list("slug", "name"))
    labels = {
        "language": lambda k: LANGUAGE_NAMES.get(k, k),
        "year": lambda k: k,
        "places": lambda k: place_names.get(k, k),
        "source": lambda k: source_names.get(k, k),
    }
    facets: dict[str, list[FacetValue]] = {}
    for field_name, param in FACET_NAMES.items():
        param_key = FACET_PARAMS[param]
        chosen = active.get(param_key) or []
        values = [
            FacetValue(key, labels[field_name](key), count, key in chosen)
            for key, count in counts.get(field_name, [])
        ]
        # A chosen value that no longer has any match stays listed, to be unselected.
        values += [FacetValue(key, labels[field_name](key), 0, True) for key in chosen
                   if key not in {v.key for v in values}]
        if field_name == "year":
            values.sort(key=lambda v: v.key, reverse=True)
        facets[param] = values
    return facets, places
