"""Vietnamese–Korean pairs of places that the archive has evidence for.

A pair has evidence when a published article is about both places. (Event extraction
will add what happened between them; this is the list those events hang on.)
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from archive import gazetteer

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


def place_and_descendants(place: Place, family: list[Place] | None = None) -> list[Place]:
    """A place, the units merged into it, and every unit inside any of them at any level
    (the gazetteer's parents): Gyeonggi's page carries Suwon's partnerships. Level-agnostic:
    a district inside a city inside a province rolls up to both. `family`: the place's
    place_and_predecessors(), when the caller has it."""
    family = place_and_predecessors(place) if family is None else family
    inside = {p.slug for p in family}
    children: dict[str, list[str]] = {}
    for entry in gazetteer.all_places():
        if entry.parent:
            children.setdefault(entry.parent, []).append(entry.slug)
    frontier = list(inside)
    while frontier:
        found = [c for slug in frontier for c in children.get(slug, []) if c not in inside]
        inside.update(found)
        frontier = found
    extra = Place.objects.filter(slug__in=inside - {p.slug for p in family})
    return family + list(extra)


# --- one real-world event, many reports ------------------------------------------------

_PRECISION_RANK = {"day": 0, "month": 1, "year": 2, "": 3}
DAY_TOLERANCE = 3  # two day-precise reports of one event give dates this close


def same_date(a: date | None, a_precision: str, b: date | None, b_precision: str) -> bool:
    """Within the stated tolerance: ±3 days when both are known to the day, the same month
    when either is known only to the month, the same year at year precision."""
    if a is None or b is None:
        return a is None and b is None
    coarsest = max(_PRECISION_RANK[a_precision or "day"], _PRECISION_RANK[b_precision or "day"])
    if coarsest == 0:
        return abs((a - b).days) <= DAY_TOLERANCE
    if coarsest == 1:
        return (a.year, a.month) == (b.year, b.month)
    return a.year == b.year


@dataclass
class MergedEvent:
    """One real-world event and every report of it (a PartnershipEvent per article
    sentence). Reads like its first report, so tables and charts take either."""

    first: PartnershipEvent
    reports: list = field(default_factory=list)
    partner: Place | None = None  # set by a place's page: the other side

    def __getattr__(self, name):
        if name in ("first", "reports", "partner"):
            raise AttributeError(name)
        return getattr(self.first, name)

    @property
    def report_count(self) -> int:
        return len(self.reports)

    @property
    def confirmed(self) -> bool:
        return any(r.status == PartnershipEvent.Status.CONFIRMED for r in self.reports)


def merge_reports(events) -> list[MergedEvent]:
    """Group reports of the same event: same type, same parties, same date within the
    tolerance. The report an editor confirmed, then the most precise date, then a date the
    sentence gives (not the article's), stands for the event; the others join it when their
    date agrees with its date."""
    confirmed = PartnershipEvent.Status.CONFIRMED
    ordered = sorted(events, key=lambda e: (e.status != confirmed, _PRECISION_RANK[e.date_precision or ""],
                                            e.date_from_article, e.date or date.min, e.id))
    groups: dict[tuple, list[MergedEvent]] = {}
    for event in ordered:
        candidates = groups.setdefault((event.type, event.vn_id, event.kr_id), [])
        for group in candidates:
            if same_date(group.first.date, group.first.date_precision, event.date, event.date_precision):
                group.reports.append(event)
                break
        else:
            candidates.append(MergedEvent(event, [event]))
    merged = [g for gs in groups.values() for g in gs]
    for group in merged:
        group.reports.sort(key=lambda e: e.id)
    merged.sort(key=lambda g: (g.date is None, g.date or date.min, g.first.id))
    return merged


def pairs(place: Place | None = None, inside: list[Place] | None = None) -> list[Pair]:
    """Every Vietnamese–Korean pair with evidence in a published article (an event between
    them, or a sentence naming both with cooperation words), most evidence first; with
    `place`, those of the place and the units inside it (`inside`: its
    place_and_descendants(), when the caller has it)."""
    published = Article.Status.PUBLISHED
    rows = []
    events = PartnershipEvent.objects.filter(article__status=published).exclude(
        status=PartnershipEvent.Status.REJECTED)
    evidence = PairEvidence.objects.filter(article__status=published)
    if place is not None:
        family = place_and_descendants(place) if inside is None else inside
        events = events.filter(Q(vn__in=family) | Q(kr__in=family))
        evidence = evidence.filter(Q(vn__in=family) | Q(kr__in=family))
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
