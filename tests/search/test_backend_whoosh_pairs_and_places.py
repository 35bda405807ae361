"""Word-pair fields and place ids in the Whoosh backend (issue 20, items 1 and 2)."""
from whoosh import fields
from whoosh import query as wq
from whoosh.filedb.filestore import RamStorage

from search.backends.whoosh.analysis import PairAnalyzer, pairs
from search.backends.whoosh.compiler import PLACE_BOOST, WhooshCompiler
from search.backends.whoosh.schema import build_schema
from search.query import parse


def _pair_index(texts):
    ix = RamStorage().create_index(fields.Schema(id=fields.ID(stored=True), pairs=fields.TEXT(
        analyzer=PairAnalyzer(), phrase=True)))
    writer = ix.writer()
    for n, text in enumerate(texts):
        writer.add_document(id=str(n), pairs=text)
    writer.commit()
    return ix


def _ids(ix, query):
    with ix.searcher() as searcher:
        return sorted(hit["id"] for hit in searcher.search(query, limit=None))


def test_pairs_are_folded_consecutive_tokens_and_korean_bigram_pairs():
    tokens = [t.text for t in PairAnalyzer()("Hợp tác, Smart City 경기도", positions=True)]
    assert tokens == ["hop tac", "tac smart", "smart city", "city 경기", "경기 기도"]


def test_a_phrase_of_pairs_matches_exactly_where_the_phrase_of_words_does():
    ix = _pair_index(["smart city and city plan", "the smart city plan", "plan city smart", "경기도와 기도"])
    assert _ids(ix, wq.Phrase("pairs", pairs(["smart", "city", "plan"]))) == ["1"]
    assert _ids(ix, wq.Term("pairs", "smart city")) == ["0", "1"]
    # 경기도 (경기 기도) is found inside 경기도와, and 기도 alone is no pair at all.
    assert _ids(ix, wq.Term("pairs", "경기 기도")) == ["3"]


def _schema():
    from haystack import connections

    return build_schema(connections["default"].get_unified_index().all_searchfields())[1]


def _compiled(text, place_spellings="all"):
    return WhooshCompiler(_schema(), place_spellings).compile(parse(text).to_query())


def _leaves(query):
    if query.is_leaf():
        return [query]
    return [leaf for child in query.children() for leaf in _leaves(child)]


def _word_phrases(leaves):
    return [q for q in leaves if isinstance(q, wq.Phrase) and not q.fieldname.endswith("_pairs")]


def test_a_place_in_any_script_is_its_id_and_no_phrase_over_words():
    for typed in ("경기도", "Gyeonggi", "Kyonggi", "tỉnh Gyeonggi", "Hô Chi Minh-Ville"):
        leaves = _leaves(_compiled(typed))
        assert any(q.fieldname == "place_ids" for q in leaves if isinstance(q, wq.Term)), typed
        assert not _word_phrases(leaves), typed
    assert wq.Term("place_ids", "gyeonggi", boost=PLACE_BOOST) in _leaves(_compiled("경기도"))


def test_a_place_s_spellings_need_no_positions_a_quoted_phrase_does():
    # Every spelling of Hồ Chí Minh City (many of three words or more, 호찌민시 four
    # syllables) is the And of its word pairs: no phrase anywhere in a place's query.
    for typed in ("Hô Chi Minh-Ville", "thành phố Hồ Chí Minh", "호찌민시", "경상남도"):
        leaves = _leaves(_compiled(typed))
        assert not [q for q in leaves if isinstance(q, wq.Phrase)], typed
        assert len([q for q in leaves if q.fieldname.endswith("_pairs")]) >= 4, typed
    # A quoted phrase that names no place keeps its order.
    leaves = _leaves(_compiled('"hop tac phat trien"'))
    assert wq.Phrase("text_pairs", ["hop tac", "tac phat", "phat trien"]) in leaves
    # Pairs of a spelling standing apart are what the And gives up: it matches them.
    ix = _pair_index(["ho chi minh city", "ho chi and chi minh"])
    unordered = wq.And([wq.Term("pairs", unit) for unit in pairs(["ho", "chi", "minh"])])
    assert _ids(ix, unordered) == ["0", "1"]
    assert _ids(ix, wq.Phrase("pairs", pairs(["ho", "chi", "minh"]))) == ["0"]


def test_typed_spellings_ask_the_place_id_and_the_words_as_typed_only():
    for typed in ("경기도", "Gyeonggi", "Kyonggi"):
        leaves = _leaves(_compiled(typed, "typed"))
        assert wq.Term("place_ids", "gyeonggi", boost=PLACE_BOOST) in leaves, typed
        assert not [q for q in leaves if isinstance(q, wq.Phrase)], typed
        assert len(leaves) <= 3, (typed, leaves)  # the id, the typed words in text and title


def test_two_words_are_one_pair_term_longer_phrases_a_phrase_of_pairs():
    leaves = _leaves(_compiled('"hop tac"'))
    assert wq.Term("text_pairs", "hop tac") in leaves
    assert not [q for q in leaves if isinstance(q, wq.Phrase)]
    leaves = _leaves(_compiled('"cuong hop tac"'))
    assert wq.Phrase("text_pairs", ["cuong hop", "hop tac"]) in leaves
    assert not _word_phrases(leaves)


def test_words_typed_with_diacritics_rank_by_exact_terms_inside_the_folded_phrase():
    schema = _schema()
    assert not schema["text_exact"].format.supports("positions")
    assert "text_exact_pairs" not in schema
    query = _compiled('"hợp tác"')
    exact = [q for q in _leaves(query) if getattr(q, "fieldname", None) == "text_exact"]
    assert exact == [wq.Term("text_exact", "hợp"), wq.Term("text_exact", "tác")]
    required = [q for q in query.children() if isinstance(q, wq.Require)]
    assert len(required) == 1, query
    assert _leaves(required[0]) == [*exact, wq.Term("text_pairs", "hop tac")]


def test_require_keeps_the_first_querys_matches_that_the_second_has_too():
    # Whoosh 2.7's own Require gives the first query's matches *without* the second's.
    from search.backends.whoosh.compiler import _Require

    ix = _pair_index(["smart city plan", "smart city", "city plan"])
    query = _Require(wq.Term("pairs", "smart city"), wq.Term("pairs", "city plan"))
    assert _ids(ix, query) == ["0"]
    assert _ids(ix, wq.Require(wq.Term("pairs", "smart city"), wq.Term("pairs", "city plan"))) == ["1"]
