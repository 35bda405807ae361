"""Whole-result evaluation in numpy (search/backends/whoosh/arrays.py) against Whoosh's own
collectors, on the judged relevance corpus (166 articles) indexed once for the module: for
every judged query and a set of other shapes (phrases of three words, the literal tier,
exclusions, filters, both date orders, later pages, an index with deleted documents), the
same total, the same facet counts and the same articles in the same order."""
from __future__ import annotations

import io
import json
from itertools import accumulate
from pathlib import Path

import numpy as np
import pytest
from django.core.management import call_command

from search.service import run_search

REPO = Path(__file__).resolve().parents[2]
RELEVANCE = REPO / "tests" / "relevance"

SHAPES = [
    {"q": "hợp tác phát triển nông nghiệp"},  # a phrase of pairs, with diacritics
    {"q": "\"sister city agreement\""},
    {"q": "\"thành phố kết nghĩa\""},
    {"q": "Gyeonggi -Hanoi"},
    {"q": "busan OR incheon"},
    {"q": "-busan"},
    {"q": "seasonal workers", "filters": {"lang": "en"}},
    {"q": "hợp tác", "filters": {"place": ["gyeonggi"]}},
    {"q": "cooperation", "filters": {"year": "2023"}},
    {"q": "cooperation", "page": 2},
    {"q": "jumelage", "sort": "date"},
    {"q": "jumelage", "sort": "oldest"},
    {"q": "", "sort": "date"},
    {"q": "", "sort": "oldest", "page": 3},
    {"q": "", "filters": {"lang": "ko"}},
    {"q": "계절근로자 업무협약"},
    {"q": "Đà Nẵng"},
    {"q": "da nang"},
    {"q": "zzqxnothing"},
]


def outcome(settings, matching: str, ask: dict) -> tuple:
    settings.ARCHIVE_WHOOSH_MATCHING = matching
    found = run_search(q=ask.get("q", ""), filters=ask.get("filters"), sort=ask.get("sort", ""),
                       page=ask.get("page", 1), page_size=20)
    facets = {name: [(v.key, v.count) for v in values] for name, values in found.facets.items()}
    return found.count, [hit.article.id for hit in found.hits], facets, found.years


@pytest.fixture(scope="module")
def corpus(django_db_setup, django_db_blocker):
    from search.indexing import rebuild_index

    with django_db_blocker.unblock():
        rebuild_index()
        call_command("import_articles", str(RELEVANCE / "corpus"), stdout=io.StringIO())
        yield
        call_command("flush", "--noinput")
        rebuild_index()


def asks() -> list[dict]:
    judged = json.loads((RELEVANCE / "queries.json").read_text(encoding="utf-8"))
    return [{"q": query["query"]} for query in judged] + SHAPES


@pytest.mark.django_db
def test_numpy_evaluation_answers_as_whoosh_collectors_do(corpus, settings):
    settings.ARCHIVE_SEARCH_CACHE = False
    differences = []
    for ask in asks():
        ours, whooshs = outcome(settings, "arrays", ask), outcome(settings, "collector", ask)
        if ours != whooshs:
            differences.append((ask, ours, whooshs))
    assert differences == []


@pytest.mark.django_db
def test_an_exclusion_ranks_the_true_top_matches_which_whoosh_replacement_drops(corpus, settings):
    """Whoosh's TopCollector replaces matchers as its heap fills, dropping subtrees that
    cannot lift a document into the top N; with a Not inside an And that drops true top
    matches. Both of the archive's paths score every match (the collector with
    replacement off), and agree with Whoosh scoring every match without a limit."""
    from haystack.constants import DJANGO_ID
    from whoosh import collectors

    from search.engine import engine
    from search.query import parse

    settings.ARCHIVE_SEARCH_CACHE = False
    backend = engine()
    searcher = backend.searcher()
    query = backend.compiler.compile(parse("경기도 -수원").to_query())
    every = [int(hit[DJANGO_ID]) for hit in searcher.search(query, limit=None)][:20]
    replacing = collectors.TopCollector(20)
    searcher.search_with_collector(query, replacing)
    assert [int(hit[DJANGO_ID]) for hit in replacing.results()] != every  # Whoosh's default loses some
    assert outcome(settings, "arrays", {"q": "경기도 -수원"})[1] == every


@pytest.mark.django_db
def test_a_replaced_document_is_matched_once(corpus, settings):
    from archive.models import Article
    from search.engine import engine

    settings.ARCHIVE_SEARCH_CACHE = False
    before = outcome(settings, "arrays", {"q": "cooperation"})
    article = Article.objects.get(id=before[1][0])
    article.title = article.title + " cooperation"
    backend = engine()
    backend.defer_merges = True  # as inside a bulk import: the commit merges nothing
    try:
        article.save()
        backend.index_ids([article.id])  # its old document is marked deleted in its segment
    finally:
        backend.defer_merges = False
    after = outcome(settings, "arrays", {"q": "cooperation"})
    assert any(leaf.reader().has_deletions() for leaf, _ in engine().searcher().leaf_searchers())
    assert after == outcome(settings, "collector", {"q": "cooperation"})
    assert after[0] == before[0] and after[1].count(article.id) == 1


def test_repeated_phrase_occurrences_are_counted_without_overlap():
    from search.backends.whoosh.arrays import _apart

    # "ha ha" in "ha ha ha ha" starts at 0, 1 and 2: only two occurrences do not overlap,
    # as Whoosh's ordered span of repeats (mindist 1) counts them.
    assert _apart([0, 1, 2], 2) == 2
    assert _apart([0, 2, 4], 2) == 3
    assert _apart([3], 3) == 1 and _apart([], 2) == 0


def test_positions_read_by_block_are_the_matchers_positions(tmp_path):
    """arrays.positions reads only the blocks holding the wanted documents: over postings of
    many blocks (the first, middle and last, a block skipped whole, a document without the
    term) and a term whose postings are inlined in its entry, it gives what Whoosh's matcher
    gives document by document."""
    from whoosh import fields, index

    from search.backends.whoosh.arrays import positions

    schema = fields.Schema(body=fields.TEXT(phrase=True))
    ix = index.create_in(str(tmp_path), schema)
    writer = ix.writer()
    for n in range(1000):
        words = ["filler"] * (n % 7) + ["common"] + ["filler"] * (n % 3) + ["common"] * (n % 2)
        if n % 5 == 0:
            words = ["filler"] * 3
        if n == 640:
            words.append("rare")
        writer.add_document(body=" ".join(words))
    writer.commit()
    with ix.searcher() as searcher:
        reader = searcher.reader()

        def by_matcher(text: str, docnums: list[int]) -> dict[int, list[int]]:
            matcher, found = reader.postings("body", text), {}
            for docnum in docnums:
                if not matcher.is_active():
                    break
                matcher.skip_to(docnum)
                if matcher.is_active() and matcher.id() == docnum:
                    found[docnum] = list(matcher.value_as("positions"))
            return found

        blocks, matcher = 1, reader.postings("body", b"common")
        while not matcher._lastblock:
            matcher._next_block()
            blocks += 1
        assert blocks >= 4
        wanted = np.array([0, 1, 2, 3, 250, 251, 252, 640, 641, 998, 999])

        def rows(found) -> list[tuple[int, int]]:
            return list(zip(found[0].tolist(), found[1].tolist()))

        expected = [(d, p) for d, at in by_matcher("common", wanted.tolist()).items() for p in at]
        assert rows(positions(reader, "body", b"common", wanted)) == expected
        assert (1, 1) in expected and (1, 3) in expected and (999, 5) in expected
        assert not [row for row in expected if row[0] == 0]
        assert rows(positions(reader, "body", b"rare", wanted)) == [(640, 3)]
        assert rows(positions(reader, "body", b"absent", wanted)) == []
        assert rows(positions(reader, "body", b"common", wanted[:0])) == []


def test_blocks_walked_with_their_headers_read_in_one_piece_are_whooshs_blocks(tmp_path):
    """arrays.next_block reads a block's header in one piece: block after block, to the
    last, the matcher stands where Whoosh's own _next_block leaves it."""
    from whoosh import fields, index

    from search.backends.whoosh.arrays import next_block

    ix = index.create_in(str(tmp_path), fields.Schema(body=fields.TEXT(phrase=True)))
    writer = ix.writer()
    for n in range(700):
        writer.add_document(body=" ".join(["common"] * (1 + n % 9) + ["x"] * (n % 300)))
    writer.commit()
    state = ("_blocklength", "_maxid", "_maxweight", "_compression", "_minlength", "_maxlength",
             "_nextoffset", "_dataoffset", "_lastblock", "_atend", "_i", "_data")
    with ix.searcher() as searcher:
        ours, whooshs = (searcher.reader().postings("body", b"common") for _ in range(2))
        blocks = 0
        while whooshs.is_active():
            assert [getattr(ours, name) for name in state] == [getattr(whooshs, name) for name in state]
            ours._read_data(), whooshs._read_data()
            assert ours._data == whooshs._data
            next_block(ours), whooshs._next_block()
            blocks += 1
        assert not ours.is_active() and ours._atend and blocks >= 5


@pytest.mark.django_db
def test_warming_reads_every_segment_s_arrays_that_searches_read(corpus):
    from search.backends.whoosh import segment_cache
    from search.engine import engine
    from search.querytree import FACET_FIELDS

    backend = engine()
    searcher = backend.searcher()
    # What earlier searches of this module read is forgotten: only warm() reads it again.
    segment_cache._kept.clear()
    for kept_on_searcher in ("_archive_value_tables", "_archive_columns"):
        if hasattr(searcher, kept_on_searcher):
            delattr(searcher, kept_on_searcher)
    backend.warm()
    assert backend.searcher() is searcher
    kept = set(segment_cache._kept)
    for leaf, _offset in searcher.leaf_searchers():
        segment = leaf.reader().segment().segment_id()
        assert (segment, "length:text") in kept and (segment, "length:title_pairs") in kept
        assert all((segment, f"values:{name}") in kept for name in FACET_FIELDS)
    assert "published" in searcher._archive_columns


def test_field_lengths_read_in_one_piece_are_whooshs_lengths(tmp_path):
    from whoosh import fields, index

    from search.backends.whoosh.arrays import field_lengths

    ix = index.create_in(str(tmp_path), fields.Schema(body=fields.TEXT, other=fields.TEXT))
    writer = ix.writer()
    for n in range(300):
        writer.add_document(body=" ".join(["word"] * (n % 40)), other="x")
    for _ in range(5):  # past the end of the body's length column: its default
        writer.add_document(other="y")
    writer.commit()
    with ix.searcher() as searcher:
        reader = searcher.reader()
        expected = [reader.doc_field_length(d, "body") or 0 for d in range(reader.doc_count_all())]
        assert field_lengths(reader, "body").tolist() == expected
        assert expected[-1] == 0 and expected[1] == 1 and expected[39] >= 39  # lengths are byte-coded


def test_position_values_decoded_together_are_decoded_as_whoosh_decodes_each():
    from whoosh.formats import Positions

    from search.backends.whoosh.arrays import _position_deltas

    fmt = Positions()
    lists = [[1, 5, 9], [3], list(range(0, 3000, 3)), [70_000, 70_001]]  # > 1,000 items; big deltas
    values = [fmt.encode(positions) for positions in lists]
    deltas = _position_deltas(values)
    assert [list(accumulate(d)) for d in deltas] == lists
    assert [fmt.decode_positions(v) for v in values] == lists
    # A value without its final STOP (as older writers left it) is read one by one.
    assert _position_deltas([values[0][:-1], values[1]]) == [[1, 4, 4], [3]]


@pytest.mark.parametrize("stored_as", ["Positions", "ArrayPositions"])
def test_phrases_of_pairs_checked_on_every_other_pair_match_where_the_words_do(tmp_path, stored_as):
    """A phrase of pairs reads the positions of every other pair only (pair i stands for
    words i and i + 1): over texts of three words, where most pairs of a long phrase stand
    somewhere and only some stand in a row, the documents it finds, once and three times,
    are those where the words stand in a row, and Whoosh's own phrase matcher finds the
    same."""
    import random

    from whoosh import fields, index
    from whoosh import query as wq
    from whoosh.analysis import RegexTokenizer

    from search.backends.whoosh.analysis import PairTokenizer, pairs
    from search.backends.whoosh.arrays import Deadline, Evaluator

    from search.backends.whoosh.formats import ArrayPositions

    schema = fields.Schema(text_pairs=fields.TEXT(analyzer=PairTokenizer(RegexTokenizer()), phrase=True))
    if stored_as == "ArrayPositions":
        schema["text_pairs"].format = ArrayPositions()
    ix = index.create_in(str(tmp_path), schema)
    rng = random.Random(7)
    texts = [[rng.choice("abc") for _ in range(rng.randint(0, 40))] for _ in range(400)]
    writer = ix.writer()
    for words in texts:
        writer.add_document(text_pairs=" ".join(words))
    writer.commit()

    def count(words: list[str], phrase: list[str]) -> int:
        """Occurrences one after another, from the first, as a span of the phrase's pairs
        counts them: apart by its number of pairs (they may share their last word)."""
        found, at = 0, 0
        while at + len(phrase) <= len(words):
            if words[at:at + len(phrase)] == phrase:
                found, at = found + 1, at + len(phrase) - 1
            else:
                at += 1
        return found

    checked = 0
    with ix.searcher() as searcher:
        for length in range(3, 9):
            for _ in range(6):
                phrase = [rng.choice("abc") for _ in range(length)]
                units = pairs(phrase)
                query = wq.Phrase("text_pairs", units)
                for times in (1, 3):
                    ours = Evaluator(searcher, Deadline(60))._sequence(
                        [wq.Term("text_pairs", unit) for unit in units], times, 1.0, False)
                    expected = [n for n, words in enumerate(texts) if count(words, phrase) >= times]
                    assert sorted(ours.ids.tolist()) == expected, (phrase, times)
                    checked += len(expected) > 0
                whooshs = sorted(hit.docnum for hit in searcher.search(query, limit=None))
                assert whooshs == [n for n, words in enumerate(texts) if count(words, phrase) >= 1]
    assert checked >= 20


def test_positions_stored_as_arrays_read_as_whoosh_positions_read():
    """ArrayPositions keeps what Positions keeps: the same positions, frequency and weight,
    narrow gaps and wide ones (65,536 words or more); arrays._array_gaps reads many values
    together, of one width or of both."""
    from whoosh.formats import Positions

    from search.backends.whoosh.arrays import _array_gaps
    from search.backends.whoosh.formats import NARROW, WIDE, ArrayPositions

    ours, whooshs = ArrayPositions(field_boost=2.0), Positions(field_boost=2.0)
    lists = [[0], [1, 5, 9], list(range(3, 9000, 3)), [70_000, 70_001], [5, 65_541, 65_542]]
    values = [ours.encode(positions) for positions in lists]
    for positions, value in zip(lists, values):
        assert ours.decode_positions(value) == whooshs.decode_positions(whooshs.encode(positions)) == positions
        assert ours.decode_frequency(value) == len(positions) and ours.decode_weight(value) == 2.0 * len(positions)
    assert [value[4:5] for value in values] == [NARROW, NARROW, NARROW, WIDE, WIDE]
    for chosen in (values[:3], values):
        counts, gaps = _array_gaps(chosen)
        assert counts.tolist() == [len(p) for p in lists[:len(chosen)]]
        at = 0
        for positions, count in zip(lists, counts.tolist()):
            assert list(accumulate(gaps[at:at + count].tolist())) == positions
            at += count
    assert ours.decode_positions(ours.combine([values[1], ours.encode([2, 5])])) == [1, 2, 5, 9]
