"""Facet counts from numpy value arrays (search/backends/whoosh/facet_counts.py) against a
count made document by document from the stored values, over several segments."""
from collections import Counter

from whoosh import fields
from whoosh.filedb.filestore import RamStorage

from search.backends.whoosh import facet_counts

SCHEMA = fields.Schema(id=fields.ID(stored=True), places=fields.KEYWORD(stored=True, commas=True),
                       language=fields.KEYWORD(stored=True, commas=True), text=fields.TEXT)

DOCS = [
    ("1", "busan,gyeonggi", "vi", "a b"), ("2", "", "ko", "a"), ("3", "ha-noi", "vi", "b"),
    ("4", "busan", "fr", "a b"), ("5", "gyeonggi,ha-noi,busan", "", "a"), ("6", "busan", "vi", "c"),
]


def _index():
    ix = RamStorage().create_index(SCHEMA)
    for start in range(0, len(DOCS), 2):  # three segments
        writer = ix.writer()
        for doc_id, places, language, text in DOCS[start:start + 2]:
            writer.add_document(id=doc_id, places=places, language=language, text=text)
        writer.commit(merge=False)
    writer = ix.writer()
    writer.delete_by_term("id", "3")
    writer.commit(merge=False)
    return ix


def _expected(searcher, docnums, field):
    counted = Counter()
    for docnum in docnums:
        value = searcher.stored_fields(docnum).get(field) or ""
        counted.update(v for v in value.split(",") if v)
    return counted


def test_counts_equal_a_count_of_stored_values_over_segments():
    ix = _index()
    with ix.searcher() as searcher:
        assert len(searcher.leaf_searchers()) == 3
        for words in (["a"], ["b"], ["a", "b"], ["c"]):
            from whoosh import query

            results = searcher.search(query.And([query.Term("text", w) for w in words]), limit=None)
            docnums = results.docs()
            counts = facet_counts.count(searcher, docnums, ("places", "language"))
            assert counts["places"] == _expected(searcher, docnums, "places")
            assert counts["language"] == _expected(searcher, docnums, "language")
        everyone = [d for d in range(searcher.doc_count_all()) if not searcher.reader().is_deleted(d)]
        assert facet_counts.count(searcher, everyone, ("places",))["places"] == Counter(
            {"busan": 4, "gyeonggi": 2, "ha-noi": 1})
        assert facet_counts.count(searcher, [], ("places",))["places"] == Counter()


def test_a_document_values_read_back():
    ix = _index()
    with ix.searcher() as searcher:
        table = facet_counts.value_table(searcher, "places")
        by_id = {searcher.stored_fields(d)["id"]: table.of(d) for d in range(searcher.doc_count_all())
                 if not searcher.reader().is_deleted(d)}
        assert by_id["5"] == ("busan", "gyeonggi", "ha-noi")
        assert by_id["2"] == ()
