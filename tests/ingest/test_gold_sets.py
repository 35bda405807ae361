"""The cleaner and the near-duplicate rule against the labelled sets in tests/gold/."""
import pytest

from bench.near_duplicates import pair_similarities, score


@pytest.mark.django_db
def test_near_duplicates_no_false_merge_and_most_copies_merged():
    result = score(pair_similarities(), None)
    assert result["false_merges"] == []
    assert result["recall"] >= 0.9
