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


def test_issue_14_extension_anniversaries_plans_institutions_city_parties():
    """The extension written before the issue-14 rules (EVENTS_AND_STORIES.md §4)."""
    from bench.events import GOLD

    result = score_events(GOLD / "events" / "extended.jsonl")
    precision, recall = precision_recall(result["total"])
    assert precision >= 0.95 and recall >= 0.85, result["mistakes"]
