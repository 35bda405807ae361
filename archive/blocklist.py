"""The block list: what an import must refuse because its article was taken down.

Three kinds of entry (`BlockedItem.Kind`): the sha256 of the raw bytes, the sha256 of the
cleaned text (the same article captured again with other page chrome), and, when the
editor asks for it, the source URL. The import run asks `refusal()` before it stores
anything, so blocked bytes are never written to the raw store again.

The list is also written into backups (`dump`/`load`), so a restore reapplies it.
"""
from __future__ import annotations

from collections.abc import Iterable

from archive.models import BlockedItem

TAKEN_DOWN = "taken down"


def block(kind: str, values: Iterable[str], takedown=None, reason: str = TAKEN_DOWN) -> int:
    """Add entries (existing ones are kept as they are). Returns how many were new."""
    added = 0
    for value in {v for v in values if v}:
        _, created = BlockedItem.objects.get_or_create(
            kind=kind, value=value, defaults={"takedown": takedown, "reason": reason})
        added += created
    return added


def lookup(sha256: str | None = None, text_sha256: str | None = None, url: str | None = None) -> str | None:
    """The reason these bytes, this text or this URL are blocked, or None."""
    return _reasons([(sha256, text_sha256, url)])[0]


def refusal(prepared) -> str | None:
    """Why a prepared document (archive.ingest.pipeline.Prepared) must not be stored, or None."""
    return refusals([prepared])[0]


def refusals(batch: list) -> list[str | None]:
    """`refusal` of each prepared document, in order, in one query for the whole batch (an
    import asks it of every document, and the list is almost always empty)."""
    from archive.ingest.read import sha256_of

    wanted = []
    for prepared in batch:
        parts = prepared.parts
        if parts is not None:
            wanted.append((parts.raw.sha256, parts.fingerprint.text_sha256, parts.raw.provenance.source_url))
        else:
            url = prepared.provenance.source_url if prepared.provenance else None
            wanted.append((sha256_of(prepared.data) if prepared.data else None, None, url))
    return _reasons(wanted)


# The kinds in the order a document's values are looked up: its bytes, its text, its URL.
_KINDS = (BlockedItem.Kind.SHA256, BlockedItem.Kind.TEXT, BlockedItem.Kind.URL)


def _reasons(values: list[tuple[str | None, str | None, str | None]]) -> list[str | None]:
    """For each (sha256, text sha256, url): the reason of the first of them that is
    blocked, or None. One query for all of them."""
    asked = {(kind, value) for triple in values for kind, value in zip(_KINDS, triple) if value}
    if not asked:
        return [None] * len(values)
    reasons: dict[tuple[str, str], str] = {}
    # (kind, value) is unique; a value may be blocked as more than one kind.
    for kind, value, reason in (BlockedItem.objects.filter(value__in={v for _, v in asked})
                                .values_list("kind", "value", "reason")):
        if (kind, value) in asked and reason:
            reasons[(kind, value)] = reason
    out = []
    for triple in values:
        out.append(next((reasons[(kind, value)] for kind, value in zip(_KINDS, triple)
                         if value and (kind, value) in reasons), None))
    return out


def dump() -> list[dict]:
    """The whole list as plain data (for backups)."""
    return [{"kind": b.kind, "value": b.value, "reason": b.reason, "created": b.created.isoformat()}
            for b in BlockedItem.objects.order_by("id")]


def load(entries: Iterable[dict]) -> int:
    """Add entries from `dump()`'s output; returns how many were new."""
    added = 0
    for entry in entries:
        _, created = BlockedItem.objects.get_or_create(
            kind=entry["kind"], value=entry["value"], defaults={"reason": entry.get("reason") or TAKEN_DOWN})
        added += created
    return added
