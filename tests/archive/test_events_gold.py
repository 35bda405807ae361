"""Event extraction and story grouping against the labelled gold sets (tests/gold/)."""
import pytest

from bench.events import precision_recall, score_events, score_stories


def test_event_extraction_precision_and_recall():
    result = score_events()
    precision, recall = precision_recall(result["total"])
    assert precision >= 0.95, result["mistakes"]
    assert recall >= 0.8, result["mistakes"]
    for lang, counts in result["per_lang"].items():
        assert precision_recall(counts)[0] >= 0.9, (lang, counts)


@pytest.mark.django_db
def test_story_grouping_never_groups_wrongly():
    result = score_stories()
    assert result["pairs"] >= 30
    assert result["wrong"] == []
    assert result["counts"]["tp"] >= result["counts"]["fn"]
