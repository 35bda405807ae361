"""Search quality on the judged set in tests/relevance/ (the targets of the search issue)."""
import pytest

from bench.relevance import run_config, score


@pytest.mark.slow
def test_full_system_meets_the_relevance_targets():
    table = score(run_config("full system"))
    ndcg_all = table["all"][0]
    assert ndcg_all >= 0.85, table
    for lang in ("en", "fr", "ko", "vi"):
        assert table[lang][0] >= 0.8, (lang, table[lang])
    assert table["place queries"][1] >= 0.95, table["place queries"]
