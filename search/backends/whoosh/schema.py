"""The mapping: the archive's search fields as a Whoosh schema.

The schema uses the archive's multilingual analyzer, keeps no article text (the database
has it), stores facet values as keywords, and the publication date as a sortable number.
"""
from __future__ import annotations

from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from whoosh.fields import ID as WHOOSH_ID
from whoosh.fields import KEYWORD, NUMERIC, STORED, TEXT, Schema

from search.backends.whoosh.analysis import ArchiveAnalyzer, ExactAnalyzer

# Folded text fields and their weights: every spelling matches.
TEXT_FIELDS = {"text": 1.0, "title": 2.0}
# The words with their diacritics, to rank exact matches first; searched only by Exact.
EXACT_FIELD = "text_exact"
KEYWORD_FIELDS = {"language", "source", "year", "places", "countries"}
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
            schema_fields[name] = TEXT(analyzer=text_analyzer(analyzer_name), stored=False, phrase=True,
                                       field_boost=TEXT_FIELDS[name], multitoken_query="phrase")
        elif name == EXACT_FIELD:
            schema_fields[name] = TEXT(analyzer=ExactAnalyzer(), stored=False, phrase=True,
                                       multitoken_query="phrase")
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
    return content_field_name, Schema(**schema_fields)


def signature(schema: Schema) -> str:
    return ",".join(sorted(f"{name}:{type(field).__name__}" for name, field in schema.items()))
