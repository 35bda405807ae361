"""The cleaner and the near-duplicate rule against the labelled sets in tests/gold/."""
import pytest

from bench.near_duplicates import pair_similarities, score


@pytest.mark.django_db
def test_near_duplicates_no_false_merge_and_most_copies_merged():
    result = score(pair_similarities(), None)
    assert result["false_merges"] == []
    assert result["recall"] >= 0.9


def test_cleaner_beats_trafilatura_on_every_gold_set():
    from bench.extraction import EVAL, SETS, SYSTEMS

    for label, pages, scorer in SETS:
        if not label.startswith("ours") and not EVAL.exists():
            continue  # the public sets live in ../shared/eval beside the checkout
        page_list = list(pages())
        f1 = {name: scorer(system, page_list)[2] for name, system in SYSTEMS.items()}
        assert f1["ours"] >= f1["trafilatura (default)"], (label, f1)
        if label.startswith("ours"):
            assert f1["ours"] >= 0.95 and f1["ours"] > f1["trafilatura (default)"], f1
