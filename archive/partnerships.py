"""Vietnamese–Korean pairs of places that the archive has evidence for.

A pair has evidence when a published article is about both places. (Event extraction
will add what happened between them; this is the list those events hang on.)
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date


from django.db.models import Q

from archive.models import Article, PairEvidence, PartnershipEvent, Place


@dataclass
class Pair:
    vn: Place
    kr: Place
    articles: int
    latest: date | None
    updated: object = None
    latest_precision: str = ""  # how precisely `latest` is known: day, month or year

    @property
    def slug(self) -> str:
        return f"{self.vn.slug}--{self.kr.slug}"

    def get_absolute_url(self) -> str:
        return f"/partnerships/{self.slug}/"


def place_and_predecessors(place: Place) -> list[Place]:
    """A place and the units merged into it: Ninh Bình's feed includes Hà Nam's history."""
    found, frontier = [place], [place]
    while frontier:
        frontier = list(Place.objects.filter(successor__in=frontier).exclude(id__in=[p.id for p in found]))
        found.extend(frontier)
    return found


def pairs(place: Place | None = None) -> list[Pair]:
    """Every Vietnamese–Korean pair with evidence in a published article (an event between
    them, or a sentence naming both with cooperation words), most evidence first."""
    published = Article.Status.PUBLISHED
    rows = []
    events = PartnershipEvent.objects.filter(article__status=published).exclude(
        status=PartnershipEvent.Status.REJECTED)
    evidence = PairEvidence.objects.filter(article__status=published)
    if place is not None:
        events = events.filter(Q(vn=place) | Q(kr=place))
        evidence = evidence.filter(Q(vn=place) | Q(kr=place))
    fields = ("vn_id", "kr_id", "article_id", "article__published", "article__updated", "article__date_precision")
    rows.extend(events.values_list(*fields))
    rows.extend(evidence.values_list(*fields))
    grouped: dict[tuple[int, int], dict] = {}
    for vn, kr, article, published_on, updated, precision in rows:
        entry = grouped.setdefault((vn, kr), {"articles": set(), "latest": None, "updated": None, "precision": ""})
        entry["articles"].add(article)
        if published_on and (entry["latest"] is None or published_on > entry["latest"]):
            entry["latest"], entry["precision"] = published_on, precision
        if updated and (entry["updated"] is None or updated > entry["updated"]):
            entry["updated"] = updated
    places = Place.objects.in_bulk({k[0] for k in grouped} | {k[1] for k in grouped})
    result = [
        Pair(places[vn], places[kr], len(e["articles"]), e["latest"], e["updated"], e["precision"])
        for (vn, kr), e in grouped.items()
    ]
    result.sort(key=lambda p: (-p.articles, p.vn.slug, p.kr.slug))
    return result


def parse_pair_slug(value: str) -> tuple[Place, Place] | None:
    vn_slug, sep, kr_slug = value.partition("--")
    if not sep:
        return None
    found = {p.slug: p for p in Place.objects.filter(slug__in=[vn_slug, kr_slug])}
    vn, kr = found.get(vn_slug), found.get(kr_slug)
    if not vn or not kr or vn.country != "vn" or kr.country != "kr":
        return None
    return vn, kr


def pair_articles(vn: Place, kr: Place):
    """Articles with evidence for the pair (the units merged into either side count)."""
    vns, krs = place_and_predecessors(vn), place_and_predecessors(kr)
    return (
        Article.objects.published()
        .filter(Q(events__vn__in=vns, events__kr__in=krs) | Q(pair_evidence__vn__in=vns, pair_evidence__kr__in=krs))
        .distinct()
    )


def pair_events(vn: Place, kr: Place):
    return (
        PartnershipEvent.objects.filter(article__status=Article.Status.PUBLISHED,
                                        vn__in=place_and_predecessors(vn), kr__in=place_and_predecessors(kr))
        .exclude(status=PartnershipEvent.Status.REJECTED)
        .select_related("article", "vn", "kr")
        .order_by("date", "id")
    )
