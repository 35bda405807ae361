"""The mapping: the archive's search fields as a Whoosh schema.

The schema uses the archive's multilingual analyzer, keeps no article text (the database
has it), stores facet values as keywords, and the publication date as a sortable number.
"""
from __future__ import annotations

from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from whoosh.fields import ID as WHOOSH_ID
from whoosh.fields import KEYWORD, NUMERIC, STORED, TEXT, Schema

from search.backends.whoosh.analysis import ArchiveAnalyzer, ExactAnalyzer, PairAnalyzer
from search.backends.whoosh.formats import ArrayPositions

# Folded text fields and their weights: every spelling matches.
TEXT_FIELDS = {"text": 1.0, "title": 2.0}
# The words with their diacritics, to rank exact matches first; searched only by Exact,
# word by word (compiler.py): no positions and no pair field, which made it the costliest
# field to write and to read through (bench/RESULTS.md, "The exact field without pairs").
EXACT_FIELD = "text_exact"
KEYWORD_FIELDS = {"language", "source", "year", "places", "countries"}
# Every place the gazetteer found in the article (parties and venues), by canonical id: a
# query naming a place is one term here, whatever alias or script it was typed in. Scored:
# a party is listed twice, a venue once (search_indexes.py).
PLACE_FIELD = "place_ids"
# Word-pair fields, filled from their source field's text when a document is written (not
# haystack fields: the OpenSearch mapping has no need of them): a two-word phrase is one
# term there, a longer one a phrase of pairs, instead of a phrase over every word's
# postings and positions.
PAIR_FIELDS = {"text_pairs": "text", "title_pairs": "title"}
DATE_FIELD = "published"  # yyyymmdd, 0 when unknown
STORED_FIELDS = {"updated"}


def text_analyzer(name: str):
    # "stemming" is haystack's default analyzer, kept only to measure against it
    # (bench/relevance.py); the archive always runs with its own.
    if name == "stemming":
        from whoosh.analysis import StemmingAnalyzer

        return StemmingAnalyzer()
    return ArchiveAnalyzer()


def build_schema(fields, analyzer_name: str = "archive") -> tuple[str, Schema]:
    """(the document field's name, the schema) for haystack's search fields."""
    schema_fields = {
        ID: WHOOSH_ID(stored=True, unique=True),
        DJANGO_CT: WHOOSH_ID(stored=True),
        DJANGO_ID: WHOOSH_ID(stored=True),
    }
    content_field_name = ""
    for field_class in fields.values():
        name = field_class.index_fieldname
        if name in TEXT_FIELDS:
            schema_fields[name] = _with_array_positions(TEXT(
                analyzer=text_analyzer(analyzer_name), stored=False, phrase=True,
                field_boost=TEXT_FIELDS[name], multitoken_query="phrase"))
        elif name == EXACT_FIELD:
            schema_fields[name] = TEXT(analyzer=ExactAnalyzer(), stored=False, phrase=False)
        elif name == PLACE_FIELD:
            schema_fields[name] = KEYWORD(stored=False, commas=True, scorable=True, sortable=False)
        elif name in KEYWORD_FIELDS:
            schema_fields[name] = KEYWORD(stored=True, commas=True, scorable=False, sortable=False)
        elif name in STORED_FIELDS:
            schema_fields[name] = STORED()
        elif name == DATE_FIELD:
            schema_fields[name] = NUMERIC(stored=True, numtype=int, bits=32, sortable=True)
        else:
            raise ValueError(f"search index field {name!r} has no place in the archive schema")
        if field_class.document:
            content_field_name = name
    for name, source in PAIR_FIELDS.items():
        if source in schema_fields and analyzer_name != "stemming":
            schema_fields[name] = _with_array_positions(TEXT(
                analyzer=PairAnalyzer(), stored=False, phrase=True, field_boost=TEXT_FIELDS.get(source, 1.0)))
    return content_field_name, Schema(**schema_fields)


def _with_array_positions(field: TEXT) -> TEXT:
    """A phrase field whose positions are stored as arrays (formats.ArrayPositions)."""
    field.format = ArrayPositions(field_boost=field.format.field_boost)
    return field


def pair_field(field: str, schema: Schema) -> str | None:
    """The word-pair field filled from `field`, if the schema has one."""
    name = next((pairs for pairs, source in PAIR_FIELDS.items() if source == field), None)
    return name if name in schema else None


def with_pair_fields(doc: dict, schema: Schema) -> dict:
    """A document as written: each pair field gets its source field's text."""
    for name, source in PAIR_FIELDS.items():
        if name in schema and source in doc:
            doc[name] = doc[source]
    return doc


def signature(schema: Schema) -> str:
    """Each field's name, type, analyzer and postings format (positions or not): a change
    means a rebuild."""
    return ",".join(sorted(f"{name}:{type(field).__name__}:{type(getattr(field, 'analyzer', None)).__name__}"
                           f":{type(getattr(field, 'format', None)).__name__}"
                           for name, field in schema.items()))
