"""The mapping: the archive's search fields and its analyzer chain as OpenSearch index
settings.

The chain is search.analysis's, spelled with OpenSearch's own parts: the standard
tokenizer (Unicode words), `cjk_width` (full-width Latin and half-width kana to their usual
forms), lowercase, `asciifolding` (which folds đ to d as well as the marks) and
`cjk_bigram` for Hangul, which indexes 경기도 as 경기 기도 so that it is found inside
경기도와 and, searched as a phrase, never as 기도 alone. The words with their diacritics
are a subfield, `text.exact`, searched only by Exact to rank the exact spelling first.
No stemming and no stop words, as in the embedded engine.

With the setting ARCHIVE_OPENSEARCH_PLACE_SYNONYMS (off by default; measured in
bench/haystack_opensearch.py --synonyms), the index also has an analyzer ending in a
`synonym_graph` filter built from the gazetteer's aliases, and the compiler asks a place by
one of its names through it instead of by every alias.
"""
from __future__ import annotations

import functools
import hashlib
import json
import unicodedata
from collections import defaultdict

from haystack.constants import DJANGO_CT, DJANGO_ID, ID

# Folded text fields and their weights (as the Whoosh schema weighs them).
TEXT_FIELDS = {"text": 1.0, "title": 2.0}
EXACT_FIELD = "text.exact"
# haystack's field that feeds the exact subfield: not sent, the subfield reads `text`.
EXACT_SOURCE = "text_exact"
KEYWORD_FIELDS = ("language", "source", "year", "places", "countries")
DATE_FIELD = "published"  # yyyymmdd, 0 when unknown
# The same date for oldest-first sorting, with an unknown date as the latest (it sorts last).
OLDEST_FIELD = "published_oldest"
UNKNOWN_DATE_LAST = 99_999_999
MAX_RESULT_WINDOW = 10_000

_CHAIN = ["cjk_width", "lowercase"]
_HANGUL_BIGRAMS = {"type": "cjk_bigram", "ignored_scripts": ["han", "hiragana", "katakana"]}

# The archive's words are runs of letters, digits and marks: the standard tokenizer keeps
# "TP.HCM", "3.5" and "l'accord" whole (Unicode word rules), where the archive's analyzer
# (and a reader searching "TP HCM") sees two words. Any other character is a space first.
_SPLIT = {"type": "pattern_replace", "pattern": "[^\\p{L}\\p{N}\\p{M}]", "replacement": " "}

ANALYSIS = {
    "char_filter": {"archive_word_breaks": _SPLIT},
    "filter": {"archive_hangul_bigrams": _HANGUL_BIGRAMS},
    "analyzer": {
        "archive_folded": {"type": "custom", "char_filter": ["archive_word_breaks"], "tokenizer": "standard",
                           "filter": [*_CHAIN, "asciifolding", "archive_hangul_bigrams"]},
        "archive_exact": {"type": "custom", "char_filter": ["archive_word_breaks"], "tokenizer": "standard",
                          "filter": [*_CHAIN, "archive_hangul_bigrams"]},
    },
}


MAPPINGS = {
    "dynamic": "strict",
    "properties": {
        ID: {"type": "keyword"},
        DJANGO_CT: {"type": "keyword"},
        DJANGO_ID: {"type": "keyword"},
        "text": {"type": "text", "analyzer": "archive_folded",
                 "fields": {"exact": {"type": "text", "analyzer": "archive_exact"}}},
        "title": {"type": "text", "analyzer": "archive_folded"},
        **{name: {"type": "keyword"} for name in KEYWORD_FIELDS},
        # Every place the gazetteer found, by canonical id (parties twice, venues once).
        "place_ids": {"type": "keyword"},
        DATE_FIELD: {"type": "integer"},
        OLDEST_FIELD: {"type": "integer", "index": False},
        # When the article last changed: read back by check_index, never searched.
        "updated": {"type": "keyword", "index": False, "doc_values": False},
    },
}


def place_synonyms_on() -> bool:
    from django.conf import settings

    return bool(getattr(settings, "ARCHIVE_OPENSEARCH_PLACE_SYNONYMS", False))


@functools.cache
def place_synonyms() -> tuple[tuple[str, ...], dict[str, tuple[str, frozenset]]]:
    """The gazetteer's aliases as synonym rules: one equivalence line per place (its name and
    aliases). A form that names several places (중구, Bac Giang) is in no rule: the compiler
    still asks it as typed. Also, per place slug: the name the compiler asks for, and the
    (analyzed) forms its rule covers."""
    from archive import gazetteer
    from search.analysis import analyze

    places = gazetteer.all_places()
    owners: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for place in places:
        for form in (place.name, *place.aliases):
            owners[tuple(analyze(form))].add(place.slug)
    rules, asked = [], {}
    for place in places:
        line: dict[tuple[str, ...], str] = {}
        for form in (place.name, *place.aliases):
            key = tuple(analyze(form))
            if key and len(owners[key]) == 1 and key not in line:
                line[key] = form
        if len(line) > 1:
            rules.append(", ".join(" ".join(_rule_words(form)) for form in line.values()))
            asked[place.slug] = (next(iter(line.values())), frozenset(line))
    return tuple(rules), asked


def _rule_words(form: str) -> list[str]:
    # The rule syntax's own characters (",", "=>", "#") are word breaks to the analyzer anyway.
    return "".join(c if c.isalnum() or c.isspace() or unicodedata.category(c)[0] == "M" else " " for c in form).split()


# The folded chain followed by the place synonyms: named by the compiler for a place's name
# only, so that a phrase, a quoted name or the spelling suggester keeps the words as typed.
PLACE_ANALYZER = "archive_folded_places"


def analysis() -> dict:
    if not place_synonyms_on():
        return ANALYSIS
    folded = ANALYSIS["analyzer"]["archive_folded"]
    return {
        **ANALYSIS,
        "filter": {**ANALYSIS["filter"], "archive_place_synonyms": {
            "type": "synonym_graph", "lenient": True, "synonyms": list(place_synonyms()[0])}},
        "analyzer": {**ANALYSIS["analyzer"], PLACE_ANALYZER: {
            **folded, "filter": [*folded["filter"], "archive_place_synonyms"]}},
    }


def index_body(shards: int = 1, replicas: int = 0) -> dict:
    return {
        "settings": {
            "index": {"number_of_shards": shards, "number_of_replicas": replicas,
                      "max_result_window": MAX_RESULT_WINDOW, "refresh_interval": "1s"},
            "analysis": analysis(),
        },
        "mappings": MAPPINGS,
    }


def signature() -> str:
    """Names the fields, their types and the analysis: a change means a new index version."""
    digest = hashlib.sha256(json.dumps([analysis(), MAPPINGS], sort_keys=True).encode()).hexdigest()[:12]
    fields = ",".join(f"{name}:{spec['type']}" for name, spec in sorted(MAPPINGS["properties"].items()))
    return f"{fields}|analysis:{digest}"
