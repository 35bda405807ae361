import unicodedata

from search.analysis import analyze


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
