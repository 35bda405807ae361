"""The final merge of a bulk import (search.backends.whoosh.index.merge_beside) streams each
segment's postings into the merged segment instead of sorting them in Whoosh's pool: the
segment it writes must be the one Whoosh's own merge writes, posting for posting."""
import random
import shutil
from types import SimpleNamespace

from whoosh import index as whoosh_index
from whoosh.fields import ID, KEYWORD, NUMERIC, TEXT, Schema

from search.backends.whoosh.formats import ArrayPositions
from search.backends.whoosh.index import merge_beside

WORDS = [f"w{i}" for i in range(40)]


def _schema() -> Schema:
    text = TEXT(phrase=True)
    text.format = ArrayPositions(field_boost=1.0)
    return Schema(django_id=ID(stored=True, unique=True), text=text, title=TEXT(stored=True, field_boost=2.0),
                  places=KEYWORD(commas=True), published=NUMERIC(stored=True, sortable=True))


def _segmented_index(folder) -> None:
    """Five segments of 90 documents: common words (postings over several blocks), words
    of one document (one posting), deletions in three segments."""
    rng = random.Random(7)
    ix = whoosh_index.create_in(str(folder), _schema(), indexname="MAIN")
    number = 0
    for _ in range(5):
        writer = ix.writer()
        for _ in range(90):
            number += 1
            words = [rng.choice(WORDS[: rng.randint(3, 40)]) for _ in range(rng.randint(1, 60))]
            writer.add_document(django_id=str(number), text=" ".join(words + [f"only{number}"]),
                                title=" ".join(rng.sample(WORDS, 3)), places=",".join(rng.sample(["a", "b", "c"], 2)),
                                published=rng.randint(19900101, 20251231))
        writer.commit(merge=False)
    writer = ix.writer()
    for number in (3, 95, 96, 180, 181, 182):  # in the first, second and third segments
        writer.delete_by_term("django_id", str(number))
    writer.commit(merge=False)


def _contents(ix) -> dict:
    """Everything a search reads from a one-segment index."""
    with ix.searcher() as searcher:
        reader = searcher.reader()
        out = {"count": (reader.doc_count(), reader.doc_count_all()),
               "stored": list(reader.iter_docs()),
               "published": list(reader.column_reader("published")),
               "lengths": {}, "terms": {}}
        for field in ("text", "title"):
            out["lengths"][field] = ([reader.doc_field_length(d, field) for d in range(reader.doc_count_all())],
                                     reader.field_length(field), reader.min_field_length(field),
                                     reader.max_field_length(field))
        for field in ("django_id", "text", "title", "places", "published"):
            for text in reader.lexicon(field):
                info = reader.term_info(field, text)
                matcher = reader.postings(field, text)
                postings = []
                while matcher.is_active():
                    postings.append((matcher.id(), matcher.weight(), matcher.value()))
                    matcher.next()
                out["terms"][(field, text)] = (postings, info.weight(), info.doc_frequency(), info.min_length(),
                                               info.max_length(), info.max_weight(), info.min_id(), info.max_id())
        return out


def test_a_merge_beside_the_index_writes_the_segment_whooshs_own_merge_writes(tmp_path):
    ours, whooshs = tmp_path / "ours", tmp_path / "whooshs"
    ours.mkdir()
    _segmented_index(ours)
    shutil.copytree(ours, whooshs)

    ix = whoosh_index.open_dir(str(ours), indexname="MAIN")
    segments = ix._segments()
    assert len(segments) == 5 and sum(s.has_deletions() for s in segments) == 3
    backend = SimpleNamespace(index=ix, path=str(ours))
    assert merge_beside(backend, segments) is not None
    merged = whoosh_index.open_dir(str(ours), indexname="MAIN")
    assert len(merged._segments()) == 1

    theirs = whoosh_index.open_dir(str(whooshs), indexname="MAIN")
    theirs.writer().commit(optimize=True)  # Whoosh's add_reader, through its sorting pool
    theirs = whoosh_index.open_dir(str(whooshs), indexname="MAIN")
    assert len(theirs._segments()) == 1

    expected, got = _contents(theirs), _contents(merged)
    assert got["count"] == expected["count"] == (444, 444)
    assert ("text", b"only3") not in got["terms"]  # a deleted document's only word is gone
    assert any(len(p[0]) > 128 for p in got["terms"].values())  # postings over several blocks
    assert any(len(p[0]) == 1 for p in got["terms"].values())
    for key in ("stored", "published", "lengths"):
        assert got[key] == expected[key], key
    assert list(got["terms"]) == list(expected["terms"])
    for term, value in expected["terms"].items():
        assert got["terms"][term] == value, term
