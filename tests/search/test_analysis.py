import re
import unicodedata

from django.utils.html import escape
from hypothesis import given, settings as hsettings, strategies as st

from search import highlight
from search.analysis import WORD_RE, Tokens, analyze, iter_tokens


def test_folding_case_and_diacritics():
    assert analyze("Bình Phước") == analyze("binh phuoc") == analyze("BÌNH PHƯỚC") == ["binh", "phuoc"]
    assert analyze("Séoul") == analyze("Seoul") == ["seoul"]
    assert analyze("Đà Nẵng") == ["da", "nang"]  # đ folds to d, which NFD alone does not do


def test_decomposed_input_and_old_tone_placement_fold_the_same():
    assert analyze(unicodedata.normalize("NFD", "Hà Nội")) == ["ha", "noi"]
    assert analyze("Khánh Hoà") == analyze("Khánh Hòa") == ["khanh", "hoa"]


def test_hangul_runs_become_bigrams_and_stay_syllables():
    assert analyze("경기도와") == ["경기", "기도", "도와"]
    assert analyze("경기도") == ["경기", "기도"]
    assert analyze("MOU를") == ["mou", "를"]


def test_no_stemming_and_no_stop_words():
    assert analyze("the cooperation of provinces") == ["the", "cooperation", "of", "provinces"]


def test_tokens_keep_their_offsets_when_a_word_repeats():
    # Words are tokenized once and cached; each occurrence keeps its own offsets.
    text = "Hà Nội và MOU를 체결한 Hà Nội, 경기도와 경기도 — Đà Nẵng 2024 hà nội"
    tokens = list(Tokens(text))
    assert tokens == list(iter_tokens(text))
    assert [text[s:e] for _, s, e in tokens if _ == "ha"] == ["Hà", "Hà", "hà"]
    assert [(t, text[s:e]) for t, s, e in tokens if t == "mou"] == [("mou", "MOU")]
    assert [text[s:e] for t, s, e in tokens if t == "경기"] == ["경기", "경기"]
    exact = list(Tokens(text, folded=False))
    assert exact == list(iter_tokens(text, folded=False))
    assert [t for t, s, e in exact][:2] == ["hà", "nội"]


def test_strip_marks_is_the_definition_on_every_code_point():
    """textnorm.strip_marks takes a table and an ASCII shortcut; it must still be NFD, every
    combining mark dropped, NFC, then the extra folds: checked on every code point, alone
    and after a letter that marks combine with, and past the table's size limit."""
    from archive import textnorm

    def by_definition(text):
        decomposed = unicodedata.normalize("NFD", text)
        stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
        return unicodedata.normalize("NFC", stripped).translate(textnorm._EXTRA_FOLDS)

    points = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    for start in range(0, len(points), 4096):
        chunk = points[start:start + 4096]
        alone = " ".join(chunk)
        after_a_letter = "".join("a" + ch for ch in chunk)
        assert textnorm.strip_marks(alone) == by_definition(alone)
        assert textnorm.strip_marks(after_a_letter) == by_definition(after_a_letter)
    assert len(textnorm._STRIP_TABLE) <= textnorm._STRIP_TABLE_SIZE
    for text in ("Bình Phước", "Đà Nẵng", "경기도와", "Œuvre à Séoul", "plain ascii", ""):
        assert textnorm.strip_marks(text) == by_definition(text)


# Texts of the pieces that tokenizing treats apart: Vietnamese and French letters (composed
# and decomposed), Hangul runs next to Latin ones, digits, underscores, combining marks
# where no word starts, punctuation and spaces.
_PIECES = ["Hà", "Nội", "ha", "noi", "HÀ", "Ha\u0300", "\u0301", "Đà", "Nẵng", "경기도", "경기", "도와", "를", "MOU",
           "2024", "_", "x_y", "Œuvre", "ß", " ", "  ", ", ", "—", ".", "'", "\n"]
_TEXTS = st.lists(st.sampled_from(_PIECES), max_size=60).map("".join)


@hsettings(deadline=None, max_examples=300)
@given(_TEXTS, st.booleans())
def test_tokens_are_iter_tokens_and_their_spans_are_their_offsets(text, folded):
    """Tokens builds the tokens otherwise than iter_tokens (one split, offsets on demand):
    the same tokens, offsets and spans on any text."""
    expected = list(iter_tokens(text, folded))
    tokens = Tokens(text, folded)
    assert list(tokens) == expected
    assert tokens.words == [t for t, _, _ in expected]
    for i, (_, start, end) in enumerate(expected):
        assert tokens.spans([(i, i)]) == [(start, end)]
        assert tokens.spans([(0, i)]) == [(expected[0][1], end)]


def _find_needles_by_definition(text, needles):
    """Every occurrence of every needle, compared at every token (the old definition)."""
    triples = list(iter_tokens(text))
    words = [t for t, _, _ in triples]
    first = {}
    for needle in needles:
        first.setdefault(needle[0], []).append(needle)
    return [(triples[i][1], triples[i + len(needle) - 1][2], needle)
            for i in range(len(words)) for needle in first.get(words[i], [])
            if tuple(words[i:i + len(needle)]) == needle]


@hsettings(deadline=None, max_examples=100)
@given(st.lists(_TEXTS, min_size=1, max_size=4), st.booleans())
def test_tokens_stay_right_when_the_one_token_words_are_forgotten(texts, folded):
    """The words known to be one token are forgotten when there are ONE_TOKEN_WORDS of them:
    a text's tokens are the same before, across and after that."""
    from search import analysis

    old_limit, old_words = analysis.ONE_TOKEN_WORDS, analysis._ONE_TOKEN
    analysis.ONE_TOKEN_WORDS, analysis._ONE_TOKEN = 3, {True: {}, False: {}}
    try:
        most = 0  # the most words of one text so far: the look-up holds at most 3 more
        for text in texts:
            most = max(most, len(set(WORD_RE.findall(text))))
            tokens = Tokens(text, folded)
            expected = list(iter_tokens(text, folded))
            assert list(tokens) == expected
            assert tokens.spans([(i, i) for i in range(len(expected))]) == [(s, e) for _, s, e in expected]
            assert len(analysis._ONE_TOKEN[folded]) <= 3 + most
    finally:
        analysis.ONE_TOKEN_WORDS, analysis._ONE_TOKEN = old_limit, old_words


def test_a_text_of_one_token_words_is_read_by_look_up():
    """Most texts outside Hangul are one token a word: their tokens come from _ONE_TOKEN,
    and their offsets and spans are still the words' own."""
    text = "Hà Nội và Đà Nẵng, MOU 2024; Ha\u0300 noi 경기 를"
    tokens = Tokens(text)
    assert tokens._pieces is None  # the look-up path
    expected = list(iter_tokens(text))
    assert list(tokens) == expected and tokens.words == [t for t, _, _ in expected]
    assert tokens.spans([(0, 1), (4, 4)]) == [(expected[0][1], expected[1][2]), (expected[4][1], expected[4][2])]
    assert Tokens("경기도와 Hà")._pieces is not None  # a Hangul word of three syllables is three tokens


_QUERIES = st.lists(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=3).map(" ".join), max_size=4)


@hsettings(deadline=None, max_examples=200)
@given(_TEXTS, _QUERIES, _QUERIES)
def test_needles_looked_for_with_others_mark_what_they_mark_alone(text, queries, others):
    """A result's marks and its "matched as" are looked for in one pass (search.service._hit):
    the marks of some needles, from the occurrences of those and others, are their own."""
    needles = list(dict.fromkeys(tuple(analyze(q)) for q in queries if analyze(q)))
    more = list(dict.fromkeys([*needles, *(tuple(analyze(q)) for q in others if analyze(q))]))
    found = highlight.find_needles(Tokens(text), more)
    assert highlight.found_of(found, needles) == highlight.find_needles(Tokens(text), needles)
    assert highlight.match_spans(text, needles, found=found) == highlight.match_spans(text, needles)
    assert highlight.highlight_all(text, needles, found=found) == highlight.highlight_all(text, needles)
    body = highlight.scanned(highlight.normalized(text))
    assert highlight.scanned_snippet(body, needles, found=highlight.find_needles(Tokens(body), more)) == \
        highlight.scanned_snippet(body, needles)


@hsettings(deadline=None, max_examples=300)
@given(_TEXTS, st.lists(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=3).map(" ".join), max_size=4))
def test_needles_are_found_where_the_definition_finds_them(text, queries):
    needles = list(dict.fromkeys(tuple(analyze(q)) for q in queries if analyze(q)))
    assert highlight.find_needles(Tokens(text), needles) == _find_needles_by_definition(text, needles)


def test_tokens_of_words_that_give_no_token(monkeypatch):
    """With ARCHIVE_KOREAN_TOKENS=kiwi a word can give no token (its morphemes are all
    particles): the offsets of the tokens after it stay right."""
    from search import analysis

    word_tokens = analysis._word_tokens

    def some_words_silent(word, folded):
        return () if word in ("và", "를") else word_tokens(word, folded)

    monkeypatch.setattr(analysis, "_word_tokens", some_words_silent)
    monkeypatch.setattr(analysis, "_ONE_TOKEN", {True: {}, False: {}})  # words seen as one token before
    text = "Hà Nội và 경기도와 를 MOU를 và x"
    expected = list(iter_tokens(text))
    tokens = Tokens(text)
    assert list(tokens) == expected and "va" not in tokens.words
    assert tokens.spans([(i, i) for i in range(len(expected))]) == [(s, e) for _, s, e in expected]


@hsettings(deadline=None, max_examples=200)
@given(_TEXTS, st.lists(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=3).map(" ".join), max_size=4))
def test_a_result_snippet_is_the_snippet_of_its_text(text, queries):
    """A result's snippet is made from the tokens its body was already cut into
    (scanned_snippet); it is the snippet of the raw text, and it marks what the definition finds."""
    needles = list(dict.fromkeys(tuple(analyze(q)) for q in queries if analyze(q)))
    body = highlight.scanned(highlight.normalized(text))
    shown = highlight.scanned_snippet(body, needles, tokens=Tokens(body))
    assert shown == highlight.snippet(text, needles) == highlight.scanned_snippet(body, needles)
    if len(body) <= 60:  # a text this short is shown whole
        merged = []
        for start, end in sorted((s, e) for s, e, _ in _find_needles_by_definition(body, needles)):
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
            else:
                merged.append((start, end))
        assert re.findall("<mark>(.*?)</mark>", shown) == [escape(body[s:e]) for s, e in merged]
