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
    wanted = [(BlockedItem.Kind.SHA256, sha256), (BlockedItem.Kind.TEXT, text_sha256), (BlockedItem.Kind.URL, url)]
    for kind, value in wanted:
        if value:
            found = BlockedItem.objects.filter(kind=kind, value=value).values_list("reason", flat=True).first()
            if found:
                return found
    return None


def refusal(prepared) -> str | None:
    """Why a prepared document (archive.ingest.pipeline.Prepared) must not be stored, or None."""
    from archive.ingest.read import sha256_of

    parts = prepared.parts
    if parts is not None:
        return lookup(parts.raw.sha256, parts.fingerprint.text_sha256, parts.raw.provenance.source_url)
    url = prepared.provenance.source_url if prepared.provenance else None
    return lookup(sha256_of(prepared.data) if prepared.data else None, None, url)


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
