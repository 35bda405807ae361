"""Place rows in the database mirror the gazetteer, which is the source of their names."""
from __future__ import annotations

from django.db import transaction

from archive import gazetteer
from archive.models import Place


def _fields(entry) -> dict:
    return {"name": entry.name, "country": entry.country, "kind": entry.kind, "aliases": list(entry.aliases)}


def sync_places() -> int:
    """Create or update one Place row per gazetteer place; returns how many rows changed."""
    changed = 0
    with transaction.atomic():
        existing = {p.slug: p for p in Place.objects.all()}
        # New places in one statement (every place, on a fresh database). Another process
        # may insert the same ones at the same time: conflicts are ignored, the rows re-read.
        new = [Place(slug=e.slug, **_fields(e)) for e in gazetteer.all_places() if e.slug not in existing]
        if new:
            Place.objects.bulk_create(new, ignore_conflicts=True)
            existing.update({p.slug: p for p in Place.objects.filter(slug__in=[r.slug for r in new])})
        changed += len(new)
        for entry in gazetteer.all_places():
            fields = _fields(entry)
            row = existing[entry.slug]
            if any(getattr(row, k) != v for k, v in fields.items()):
                for key, value in fields.items():
                    setattr(row, key, value)
                row.save()
                changed += 1
        for entry in gazetteer.all_places():
            row = existing[entry.slug]
            successor = existing.get(entry.successor) if entry.successor else None
            if row.successor_id != (successor.id if successor else None):
                row.successor = successor
                row.save(update_fields=["successor"])
    return changed


class PlaceCache:
    """Place rows by slug, each read once: a bulk import looks up the same hundred-odd
    places for every document. An import run keeps one for its whole length; an editor's
    single change makes a fresh one, so it reads what the database holds now."""

    def __init__(self) -> None:
        self._rows: dict[str, Place] = {}

    def by_slug(self, slugs) -> dict[str, Place]:
        """Place rows for these slugs (unknown slugs are left out)."""
        slugs = set(slugs)
        missing = slugs - self._rows.keys()
        if missing:
            self._rows.update({p.slug: p for p in Place.objects.filter(slug__in=missing)})
        return {s: self._rows[s] for s in slugs if s in self._rows}
