"""The words of an import report, shared by the command and the admin upload."""
from __future__ import annotations

from collections import Counter

from archive.ingest.store import Outcome

STATUSES = ("imported", "merged", "unchanged", "rejected")
# Named in a report only when some document was blocked (a taken-down article's bytes).
BLOCKED = "blocked"


def reported_statuses(outcomes) -> tuple[str, ...]:
    return STATUSES + ((BLOCKED,) if any(o.status == BLOCKED for o in outcomes) else ())


def describe(outcome: Outcome) -> str:
    if outcome.status == "imported":
        return f"{outcome.name}: imported as article {outcome.article_id}"
    if outcome.status == "merged":
        return f"{outcome.name}: merged as a copy of article {outcome.article_id}"
    if outcome.status == "unchanged":
        return f"{outcome.name}: unchanged (already imported, article {outcome.article_id})"
    if outcome.status == "blocked":
        return f"{outcome.name}: blocked ({outcome.reason})"
    return f"{outcome.name}: rejected: {outcome.reason}"


def summary(outcomes: list[Outcome]) -> str:
    counts = Counter(o.status for o in outcomes)
    return "Done: " + ", ".join(f"{counts.get(s, 0)} {s}" for s in reported_statuses(outcomes)) + "."
