"""Place rows in the database mirror the gazetteer, which is the source of their names."""
from __future__ import annotations

import threading
from contextlib import contextmanager

from django.db import transaction

from archive import gazetteer
from archive.models import Place


def sync_places() -> int:
    """Create or update one Place row per gazetteer place; returns how many rows changed."""
    changed = 0
    with transaction.atomic():
        existing = {p.slug: p for p in Place.objects.all()}
        for entry in gazetteer.all_places():
            fields = {
                "name": entry.name,
                "country": entry.country,
                "kind": entry.kind,
                "aliases": list(entry.aliases),
            }
            row = existing.get(entry.slug)
            if row is None:
                existing[entry.slug] = Place.objects.create(slug=entry.slug, **fields)
                changed += 1
            elif any(getattr(row, k) != v for k, v in fields.items()):
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


_local = threading.local()


@contextmanager
def cached_places():
    """Within it, place rows are read once and kept: a bulk import looks up the same
    hundred-odd places for every document. Outside it, every lookup reads the database."""
    outer = getattr(_local, "places", None)
    if outer is not None:
        yield
        return
    _local.places = {}
    try:
        yield
    finally:
        _local.places = None


def places_by_slug(slugs) -> dict[str, Place]:
    """Place rows for these slugs (unknown slugs are left out)."""
    slugs = set(slugs)
    cache = getattr(_local, "places", None)
    if cache is None:
        return {p.slug: p for p in Place.objects.filter(slug__in=slugs)} if slugs else {}
    missing = slugs - cache.keys()
    if missing:
        cache.update({p.slug: p for p in Place.objects.filter(slug__in=missing)})
    return {s: cache[s] for s in slugs if s in cache}
