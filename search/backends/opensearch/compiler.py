"""The query compiler: query objects (search.querytree) to OpenSearch query DSL.

A phrase is a `match_phrase` on each folded text field with the field's weight (one token
is a term, several a phrase, so 경기도 never matches 기도 alone); the server analyzes it
with the field's own analyzer. Filters go into the bool query's `filter`, which restricts
the matches without scoring them. Nothing typed reaches the engine as syntax: every text
is a value of a match_phrase.
"""
from __future__ import annotations

from archive.textnorm import nfc
from search import querytree as qt
from search.analysis import analyze
from search.backends.opensearch import mapping
from search.backends.opensearch.mapping import DATE_FIELD, EXACT_FIELD, OLDEST_FIELD, TEXT_FIELDS

MATCH_ALL = {"match_all": {}}
MATCH_NONE = {"match_none": {}}


def compile_query(query: qt.Query) -> dict:
    if isinstance(query, qt.MatchAll):
        return MATCH_ALL
    if isinstance(query, qt.Phrase):
        one_word = len(analyze(query.text)) == 1
        return _any([_phrase(name, query.text, 1.0 if one_word else boost) for name, boost in TEXT_FIELDS.items()])
    if isinstance(query, qt.Exact):
        return _phrase(EXACT_FIELD, query.text, query.boost)
    if isinstance(query, qt.And):
        return _and(query.parts)
    if isinstance(query, qt.Alternatives) and query.kind == "place" and mapping.place_synonyms_on():
        return _place(query)
    if isinstance(query, qt.Or):  # Alternatives included
        return _any([compile_query(part) for part in query.parts])
    if isinstance(query, qt.Not):
        return {"bool": {"must": [MATCH_ALL], "must_not": [compile_query(query.part)]}}
    if isinstance(query, qt.Prefer):
        tiers = [{"constant_score": {"filter": _literal_tier(part.text), "boost": TIER_SCORE}}
                 for part in query.preferred if analyze(part.text)]
        if not tiers:
            return compile_query(query.query)
        return {"bool": {"must": [compile_query(query.query)], "should": tiers}}
    raise TypeError(f"no OpenSearch form for {type(query).__name__}")


def _place(query: qt.Alternatives) -> dict:
    """With the place synonyms in the search analyzer: one name of the place (the server
    expands it), and only the alternatives its rule does not cover (the typed form, a name
    shared with other places, the exact spelling)."""
    asked = mapping.place_synonyms()[1].get(query.key)
    if asked is None:
        return _any([compile_query(part) for part in query.parts])
    name, covered = asked
    rest = [part for part in query.parts if not (isinstance(part, qt.Phrase) and tuple(analyze(part.text)) in covered)]
    one_word = len(analyze(name)) == 1
    expanded = [_phrase(field, name, 1.0 if one_word else boost, mapping.PLACE_ANALYZER)
                for field, boost in TEXT_FIELDS.items()]
    return _any([*expanded, *[compile_query(part) for part in rest]])


# Literal first (search.query, as the embedded engine does it): an article about the words as
# typed (in its title, or qt.literal_repeats() times in its text) gets a whole tier of score.
TIER_SCORE = 10_000.0


def _literal_tier(text: str) -> dict:
    once = {"match": {"query": nfc(text), "max_gaps": 1}}
    repeats = qt.literal_repeats()
    repeated = {"intervals": {"text": once if repeats == 1 else {
        "all_of": {"intervals": [once] * repeats, "mode": "ordered", "max_gaps": -1}}}}
    return _any([_phrase("title", text, 1.0), repeated])


def _phrase(field: str, text: str, boost: float, analyzer: str | None = None) -> dict:
    # Unweighted single words, as the embedded engine ranks them (bench/relevance.py measured
    # that ranking); the texts are NFC like the indexed ones.
    phrase = {"query": nfc(text), "boost": boost}
    if analyzer:
        phrase["analyzer"] = analyzer
    return {"match_phrase": {field: phrase}}


def _any(parts: list[dict]) -> dict:
    if len(parts) == 1:
        return parts[0]
    return {"bool": {"should": parts, "minimum_should_match": 1}}


def _and(parts: tuple[qt.Query, ...]) -> dict:
    parts = tuple(p for p in parts if not isinstance(p, qt.MatchAll))
    if not parts:
        return MATCH_ALL
    must = [compile_query(p) for p in parts if not isinstance(p, qt.Not)]
    must_not = [compile_query(p.part) for p in parts if isinstance(p, qt.Not)]
    return {"bool": {"must": must or [MATCH_ALL], "must_not": must_not}}


def compile_filters(filters: tuple[qt.Filter, ...]) -> list[dict]:
    clauses: list[dict] = []
    for condition in filters:
        if isinstance(condition, qt.FieldIn):
            clauses.append({"terms": {condition.field: list(condition.values)}})
        elif isinstance(condition, qt.DateRange):
            # Unknown dates are stored as 0: never inside a range.
            bounds = {"gte": condition.start or 1}
            if condition.end is not None:
                bounds["lte"] = condition.end
            clauses.append({"range": {DATE_FIELD: bounds}})
        else:
            raise TypeError(f"no OpenSearch form for {type(condition).__name__}")
    return clauses


def search_body(request) -> dict:
    """The whole search: query, filters, page, sort, total and facet aggregations.

    A multi-select facet's own filter (request.own_filters) is a post filter: the hits and
    the total obey it, the aggregations do not; each facet's aggregation then applies the
    other facets' own filters itself. So the whole page is one search."""
    own = [condition for _, condition in request.own_filters]
    query = compile_query(request.query)
    filters = compile_filters(tuple(f for f in request.filters if f not in own))
    if filters:
        query = {"bool": {"must": [query], "filter": filters}}
    body: dict = {"query": query, "from": request.start, "size": request.size,
                  "track_total_hits": True, "_source": False, "stored_fields": [],
                  "docvalue_fields": ["django_id"]}
    if own:
        body["post_filter"] = {"bool": {"filter": compile_filters(tuple(own))}}
    if request.sort == "date":
        body["sort"] = [{DATE_FIELD: "desc"}, {"_score": "desc"}, {"django_id": "asc"}]
    elif request.sort == "oldest":
        # Unknown dates are stored as 0: they come last here too, as in the embedded engine.
        body["sort"] = [{OLDEST_FIELD: "asc"}, {"_score": "desc"}, {"django_id": "asc"}]
    else:
        # A tie in score breaks on the id, so pages join into the whole list.
        body["sort"] = [{"_score": "desc"}, {"django_id": "asc"}]
    if request.facets:
        body["aggs"] = {}
        for name in request.facets:
            terms = {"terms": {"field": name, "size": FACET_SIZE}}
            others = tuple(condition for facet, condition in request.own_filters if facet != name)
            body["aggs"][name] = {"filter": {"bool": {"filter": compile_filters(others)}},
                                  "aggs": {FILTERED: terms}} if others else terms
    return body


# The name of a facet's terms aggregation inside the filter aggregation that applies the
# other facets' own filters (search_body).
FILTERED = "filtered"


def facet_buckets(aggregation: dict) -> list[dict]:
    """A facet's buckets from its aggregation in the answer, filtered or not."""
    return (aggregation[FILTERED] if FILTERED in aggregation else aggregation)["buckets"]


# Facet values counted per field: the archive's places and sources are in the hundreds.
FACET_SIZE = 5000
