"""The words of an import report, shared by the command and the admin upload.

The command prints them in English (management commands run in the default language); the
admin upload shows them in the editor's language, reasons included (`reasons.translate`).
"""
from __future__ import annotations

from collections import Counter

from django.utils.translation import gettext, pgettext

from archive.ingest import reasons
from archive.ingest.store import Outcome

STATUSES = ("imported", "merged", "unchanged", "rejected")
# Named in a report only when some document was blocked (a taken-down article's bytes).
BLOCKED = "blocked"


def reported_statuses(outcomes) -> tuple[str, ...]:
    return STATUSES + ((BLOCKED,) if any(o.status == BLOCKED for o in outcomes) else ())


def describe(outcome: Outcome) -> str:
    values = {"name": outcome.name, "id": outcome.article_id,
              "reason": reasons.translate(outcome.reason or "")}
    if outcome.status == "imported":
        return gettext("%(name)s: imported as article %(id)s") % values
    if outcome.status == "merged":
        return gettext("%(name)s: merged as a copy of article %(id)s") % values
    if outcome.status == "unchanged":
        return gettext("%(name)s: unchanged (already imported, article %(id)s)") % values
    if outcome.status == "blocked":
        return gettext("%(name)s: blocked (%(reason)s)") % values
    return gettext("%(name)s: rejected: %(reason)s") % values


def status_label(status: str) -> str:
    labels = {
        "imported": pgettext("import report", "imported"),
        "merged": pgettext("import report", "merged"),
        "unchanged": pgettext("import report", "unchanged"),
        "rejected": pgettext("import report", "rejected"),
        "blocked": pgettext("import report", "blocked"),
    }
    return labels.get(status, status)


def summary(outcomes: list[Outcome]) -> str:
    counts = Counter(o.status for o in outcomes)
    parts = ", ".join(f"{counts.get(s, 0)} {status_label(s)}" for s in reported_statuses(outcomes))
    return gettext("Done: %(counts)s.") % {"counts": parts}
