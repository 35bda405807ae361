"""The automaton in front of the place matcher (archive/gazetteer/_matcher.py) changes
its speed, never what it finds: with and without it, the same places at the same offsets."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from archive.gazetteer import _DATA
from archive.gazetteer._matcher import Matcher
from archive.gazetteer import _country_entries, _place_entries

REPO = Path(__file__).resolve().parents[2]
TEXTS = sorted((REPO / "seeds").glob("*.txt")) + sorted((REPO / "tests" / "fixtures" / "event_reports").glob("*.txt"))


@pytest.fixture(scope="module")
def data() -> dict:
    return json.loads(_DATA.read_text(encoding="utf-8"))


def _pieces(text: str) -> list[str]:
    """The whole text, and each sentence and line of it (the event rules ask per sentence)."""
    return [text] + [p for p in re.split(r"(?<=[.!?。])\s+|\n+", text) if p.strip()]


def _hits(matcher: Matcher, text: str) -> list[tuple]:
    return [(h.entry.target, h.start, h.end) for h in matcher.find(text)]


@pytest.mark.parametrize("kind", ["places", "countries"])
def test_the_automaton_finds_what_the_token_scan_finds(data, kind):
    if kind == "places":
        entries = _place_entries(data["places"], data["stop_phrases"])
    else:
        entries = _country_entries(data["countries"], data["country_stop_phrases"])
    fast, slow = Matcher(entries, prefilter=True), Matcher(entries, prefilter=False)
    assert TEXTS
    found = 0
    for path in TEXTS:
        for piece in _pieces(path.read_text(encoding="utf-8")):
            expected = _hits(slow, piece)
            assert _hits(fast, piece) == expected, piece[:200]
            found += len(expected)
    # Every alias, alone and inside a sentence, in its own spelling and in capitals.
    for row in data["places"]:
        for alias in row["aliases"][:6]:
            for text in (alias, f"Đoàn {alias} thăm Hàn Quốc.", f"{alias}시와 협력", alias.upper(),
                         f"x{alias}", f"{alias}9 and more"):
                assert _hits(fast, text) == _hits(slow, text), text
    assert found > 50  # the texts do name places: the comparison is not of empty lists


def test_a_text_naming_no_place_is_answered_before_any_token_scan(data):
    matcher = Matcher(_place_entries(data["places"], data["stop_phrases"]))
    assert not matcher._may_match("zzz qqq 0123")
    assert matcher._may_match("seoul") or matcher._may_match("ha noi")
