"""The real-text bench (bench/real_dumps.py) and its committed split.

The dumps are third-party news: they are read from ../shared at run time and never
copied here. These tests check that the split and the bench are sound, not the scores:
the scores are what the bench is for (bench/RESULTS.md).
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import real_dumps
from bench.real_dumps_split import (
    HALVES,
    SPLIT_FILE,
    check_split,
    load_labels,
    load_pairs,
    load_split,
    make_split,
    publisher,
)

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "eval" / "real-dumps"


# A few items that cover the edge cases: a Korean dump with no headline, a month-precision
# French one, a caption glued to a dateline, the Japanese twin, the raw-HTML page rejected.
FEW = ["d001", "d031", "d051", "d054", "d071"]


@pytest.fixture(scope="module")
def corpus() -> Path:
    if not (CORPUS / "manifest.json").exists():
        pytest.skip(f"the real dumps are not at {CORPUS}: they live beside the checkout, never in it")
    return CORPUS


def test_publisher_keys():
    assert publisher("m.wikitree.co.kr") == publisher("wikitree.co.kr") == "wikitree.co.kr"
    assert publisher("www5.ajunews.com") == "ajunews.com"
    assert publisher("fr.vietnamplus.vn") == publisher("en.vietnamplus.vn")
    assert publisher("xuyenmoc.baria-vungtau.gov.vn") == "baria-vungtau.gov.vn"
    assert publisher("happy700photo.tistory.com") == "happy700photo.tistory.com"


def test_split_is_valid(corpus):
    split, labels, pairs = load_split(), load_labels(corpus), load_pairs(corpus)
    assert check_split(split, labels, pairs) == []
    assert sorted(split["tune"] + split["test"]) == sorted(label["name"] for label in labels)
    assert split["rule"]


def test_split_is_what_its_rule_gives(corpus):
    assert make_split(corpus) == load_split()


def test_check_split_finds_a_pair_or_publisher_across_halves(corpus):
    split, labels, pairs = load_split(), load_labels(corpus), load_pairs(corpus)
    moved = pairs[0]["a"]
    half = next(h for h in HALVES if moved in split[h])
    other = next(h for h in HALVES if h != half)
    broken = {**split, half: [n for n in split[half] if n != moved], other: split[other] + [moved]}
    problems = check_split(broken, labels, pairs)
    assert any("pair" in p for p in problems) and any("publisher" in p for p in problems)
    assert check_split({**split, other: split[other] + [moved]}, labels, pairs)  # in both halves


def test_split_file_holds_names_not_texts(corpus):
    committed = SPLIT_FILE.read_text(encoding="utf-8")
    for label in load_labels(corpus):
        for words in (label["body_first_words"], label["body_last_words"], label["title"]):
            if words and len(words) > 12:
                assert words not in committed, label["name"]


def test_bench_figures_are_well_formed(corpus):
    judged = real_dumps.run("all", FEW, warm_up=False, corpus=corpus)
    assert sorted(j.name[:4] for j in judged) == FEW
    figures = real_dumps.all_figures(judged)
    json.dumps(figures)  # --json prints exactly this
    assert set(figures) <= {"tune", "test", "all"}
    for half in figures.values():
        for f in half.values():
            assert f["imported"] + f["rejected"] == f["n"]
            assert sum(f["date"].values()) == f["imported"]
            assert sum(f["headline"].values()) == f["imported"]
            assert 0 <= f["language_right"] <= f["imported"]
            assert f["source_as_url"] <= f["source_credited"] <= f["imported"]
            assert f["clean"] <= f["kept"] <= f["body_n"] <= f["n"]
            assert f["token_f1"] is None or 0.0 <= f["token_f1"] <= 1.0
            assert set(f["cpu_ms_per_article"]) == set(real_dumps.STAGES)
    by_name = {j.name[:4]: j for j in judged}
    assert by_name["d051"].body is None  # raw HTML: no body labelled, so no body measures
    assert all(stage in by_name["d001"].produced["cpu_ms"] for stage in real_dumps.STAGES)
    assert real_dumps.markdown(figures).count("\n") == len(real_dumps.ROWS) + 1


@pytest.mark.parametrize("ours, label, expected", [
    ("2020-01-10", "2020-01", "more_precise"),
    ("2024-07", "2024-07-31", "less_precise"),
    ("2024-07-31", "2024-07-31", "right"),
    (None, None, "right_none"),
    ("2019", None, "wrong"),  # invented: the text gives no year
    ("2019-05-12", "2019-05-11", "wrong"),
    (None, "2022", "missing"),
])
def test_judge_date(ours, label, expected):
    assert real_dumps.judge_date(ours, label) == expected


def test_judge_headline():
    assert real_dumps.judge_headline("A  title", False, "A title") == "right"
    assert real_dumps.judge_headline("Lead sentence…", True, None) == "right"
    assert real_dumps.judge_headline("A caption", False, None) == "wrong"
    assert real_dumps.judge_headline("Lead sentence…", True, "A title") == "derived"


def test_body_measures_ignore_spacing_and_sign_offs():
    label = {"name": "x", "language": "en", "body_first_words": "( ĐN) - One two",
             "body_last_words": "three four./."}
    raw = "Menu\n( ĐN) - One two and three four./.\nRelated news"
    measures = real_dumps.body_measures("(ĐN) - One two and three four.", raw, label)
    assert measures["clean"] and measures["kept"]
    assert real_dumps.body_measures("One two and three four.", raw, label)["clean"] is False
