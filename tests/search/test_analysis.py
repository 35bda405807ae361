import unicodedata

from search.analysis import analyze, iter_tokens, token_list


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
    tokens = token_list(text)
    assert tokens == list(iter_tokens(text))
    assert [text[s:e] for _, s, e in tokens if _ == "ha"] == ["Hà", "Hà", "hà"]
    assert [(t, text[s:e]) for t, s, e in tokens if t == "mou"] == [("mou", "MOU")]
    assert [text[s:e] for t, s, e in tokens if t == "경기"] == ["경기", "경기"]
    exact = token_list(text, folded=False)
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
