"""Refusal reasons are stored and printed in English, and shown in the editor's language
(issue 15): every reason the ingest code can give has a listed shape with a translation."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.utils import translation

from archive.ingest import reasons

INGEST = Path(reasons.__file__).resolve().parent
# Where a reason is written: the exception, the refused input, the prepared result.
REASON_CALLS = {"IngestError", "WarcInput", "Prepared", "Outcome"}
REASON_NAMES = {"problem", "reason"}


def _sample(node) -> str | None:
    """The English a string or f-string literal gives, with each value as 'X7'."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        out = []
        for part in node.values:
            if isinstance(part, ast.Constant):
                out.append(str(part.value))
            else:
                out.append("X7")
        return "".join(out)
    return None


def reasons_written_in_the_ingest_code() -> list[tuple[str, str]]:
    found = []
    for path in sorted(INGEST.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            candidates = []
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", getattr(node.func, "attr", ""))
                if name in REASON_CALLS:
                    candidates += [a for a in node.args if isinstance(a, (ast.Constant, ast.JoinedStr))]
                    candidates += [k.value for k in node.keywords if k.arg == "reason"]
            elif isinstance(node, ast.Assign) and any(getattr(t, "id", None) in REASON_NAMES for t in node.targets):
                candidates.append(node.value)
            for candidate in candidates:
                sample = _sample(candidate)
                # Names and statuses passed positionally are not reasons: a reason has a space.
                if sample and " " in sample.strip():
                    found.append((path.name, sample))
    return found


def test_the_scan_finds_the_reasons():
    samples = {s for _, s in reasons_written_in_the_ingest_code()}
    assert "the file is empty" in samples and "not a text dump or an HTML page" in samples
    assert len(samples) >= 20


@pytest.mark.parametrize("lang", ["vi", "ko", "fr"])
def test_every_reason_in_the_ingest_code_is_shown_translated(lang):
    untranslated = []
    with translation.override(lang):
        for where, sample in reasons_written_in_the_ingest_code():
            shown = reasons.translate(sample)
            if shown == sample:
                untranslated.append(f"{where}: {sample!r}")
    assert untranslated == []


@pytest.mark.parametrize("lang", ["vi", "ko", "fr"])
def test_every_shape_keeps_its_details_and_nested_reasons_are_translated_too(lang):
    with translation.override(lang):
        for shape in reasons.SHAPES:
            names = reasons._PLACEHOLDER.findall(shape)
            english = shape % {name: f"Q{i}q" for i, name in enumerate(names)}
            shown = reasons.translate(english)
            assert shown != english, shape
            for i, _ in enumerate(names):
                assert f"Q{i}q" in shown, (shape, shown)
        nested = reasons.translate("refused: it is a symbolic link")
        assert nested == translation.gettext("refused: %(problem)s") % {
            "problem": translation.gettext("it is a symbolic link")}


def test_english_stays_english_and_unknown_reasons_are_shown_as_given():
    with translation.override("en"):
        assert reasons.translate("the sidecar a.json is too large") == "the sidecar a.json is too large"
    with translation.override("ko"):
        assert reasons.translate("a reason nobody listed") == "a reason nobody listed"
        assert reasons.translate("") == ""
