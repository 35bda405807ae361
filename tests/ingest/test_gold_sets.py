"""The cleaner and the near-duplicate rule against the labelled sets in tests/gold/ and, where
they are beside the checkout, the public sets in ../shared/eval."""
import pytest

from bench.extraction import EVAL, SETS, SYSTEMS
from bench.near_duplicates import pair_similarities, score


@pytest.mark.django_db
def test_near_duplicates_no_false_merge_and_most_copies_merged():
    result = score(pair_similarities(), None)
    assert result["false_merges"] == []
    assert result["recall"] >= 0.9


@pytest.mark.slow
@pytest.mark.parametrize("label, pages, scorer", SETS, ids=[label.split(" (")[0] for label, _, _ in SETS])
def test_cleaner_beats_trafilatura_on_the_gold_set(label, pages, scorer):
    ours = label.startswith("ours")
    if not ours and not EVAL.exists():
        pytest.skip(f"{EVAL} is absent: the public gold sets live in ../shared/eval beside the checkout")
    page_list = list(pages())
    f1 = {name: scorer(system, page_list)[2] for name, system in SYSTEMS.items()}
    assert f1["ours"] >= f1["trafilatura (default)"], (label, f1)
    if ours:
        assert f1["ours"] >= 0.95 and f1["ours"] > f1["trafilatura (default)"], f1
