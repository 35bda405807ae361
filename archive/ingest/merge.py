"""Which value an article shows when it has several copies: the best each copy offers.

Plain data in, plain data out: `best_fields` never touches the database.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from archive.ingest.clean import repair_with_evidence
from archive.ingest import review
from archive.ingest.headline import headline_score

_PRECISION_RANK = {"day": 3, "month": 2, "year": 1, None: 0, "": 0}
_WORD = re.compile(r"[^\W_]+", re.U)


@dataclass
class CopyFields:
    title: str
    title_derived: bool
    body: str
    language: str
    published: date | None
    date_precision: str | None
    source_slug: str | None
    source_url: str | None
    places: list[str] = field(default_factory=list)
    venues: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    date_basis: str = ""
    site_slug: str = ""
    site_name: str = ""
    review: list[str] = field(default_factory=list)


@dataclass
class ArticleFields(CopyFields):
    """What an article shows: the best of its copies, under a copy's field names."""


def completeness(body: str) -> int:
    return len(_WORD.findall(body))


def cleanliness(body: str) -> float:
    """Share of the paragraphs that are running text; leftover menus, captions and lists
    lower it. Rounded, so that near-equal copies are then told apart by completeness."""
    from archive.ingest.clean import is_prose

    paragraphs = [p for p in body.split("\n\n") if p.strip()]
    if not paragraphs:
        return 0.0
    return round(sum(1 for p in paragraphs if is_prose(p)) / len(paragraphs), 1)


def best_fields(copies: list[CopyFields]) -> ArticleFields:
    """Merge copies, given oldest first. Each copy's glued words are repaired against the
    others' text; the cleanest, then most complete, repaired body is shown: never simply
    the first one imported."""
    if not copies:
        raise ValueError("an article needs at least one copy")
    bodies = []
    for index, copy in enumerate(copies):
        evidence = "\n".join(c.body for i, c in enumerate(copies) if i != index)
        bodies.append(repair_with_evidence(copy.body, evidence) if evidence else copy.body)
    # Cleanest first, then most complete; ties keep import order, so the result is stable.
    order = sorted(range(len(copies)), key=lambda i: (-cleanliness(bodies[i]), -completeness(bodies[i]), i))
    best = order[0]
    ranked = [copies[i] for i in order]

    # The best real headline among the copies, not merely the first one not derived.
    titled = sorted((c for c in ranked if c.title and not c.title_derived),
                    key=lambda c: -headline_score(c.title))
    title_copy = titled[0] if titled else ranked[0]
    dated = max(ranked, key=lambda c: _PRECISION_RANK[c.date_precision if c.published else None])
    places: list[str] = []
    countries: list[str] = []
    for copy in ranked:
        places.extend(p for p in copy.places if p not in places)
        countries.extend(c for c in copy.countries if c not in countries)
    # A place that is a party in any copy is a party; the rest keep their venue role.
    venues = list(dict.fromkeys(v for copy in ranked for v in copy.venues if v not in places))
    return ArticleFields(
        title=title_copy.title,
        title_derived=title_copy.title_derived,
        body=bodies[best],
        language=copies[best].language,
        published=dated.published,
        date_precision=dated.date_precision if dated.published else None,
        source_slug=next((c.source_slug for c in ranked if c.source_slug), None),
        source_url=next((c.source_url for c in ranked if c.source_url), None),
        places=places,
        venues=venues,
        countries=sorted(countries, key=lambda c: ["vn", "kr"].index(c) if c in ("vn", "kr") else 9),
        date_basis=dated.date_basis if dated.published else "",
        site_slug=copies[best].site_slug,
        site_name=copies[best].site_name,
        review=review.article_reasons(copies[best].review, dated.published, title_copy.title_derived),
    )
