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
