"""JSON API of the archive's places and partnerships: /api/places/<slug>/ and
/api/partnerships/ (conventions in DESIGN.md)."""
from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from archive import gazetteer
from archive import partnerships as pairs_module
from archive.models import Article, PartnershipEvent, Place


def json_response(data: dict, status: int = 200) -> JsonResponse:
    """JSON as the API writes it: UTF-8 text, not \\u escapes."""
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


_LEVELS = {1: "province", 2: "city", 3: "district"}


def place_level(slug: str) -> tuple[str | None, str | None]:
    """The place's level ('province', 'city' or 'district') and its parent's slug, from the
    gazetteer. Korean level-2 units are 'city' (시·군·구), their non-autonomous 구 'district';
    a Vietnamese quận/huyện is a 'district', its thành phố/thị xã a 'city'."""
    entry = gazetteer.get(slug)
    if entry is None:
        return None, None
    level = _LEVELS[entry.level]
    if entry.country == "vn" and entry.level == 2 and entry.kind in ("urban_district", "rural_district"):
        level = "district"
    return level, entry.parent


def _place_ref(place) -> dict:
    level, parent = place_level(place.slug)
    return {"slug": place.slug, "name": place.name, "level": level, "parent": parent}


def _event_json(event) -> dict:
    """One real-world event (a MergedEvent) with every report of it."""
    return {
        "type": event.type,
        "date": event.date_display,
        "date_precision": event.date_precision or None,
        "sentence": event.sentence,
        "article": event.article_id,
        "confirmed": event.confirmed,
        "report_count": event.report_count,
        "reports": [{"id": r.article_id, "event": r.id, "url": f"/articles/{r.article_id}/#event-{r.id}",
                     "sentence": r.sentence} for r in event.reports],
    }


@require_GET
def partnerships(request):
    # One query for every pair's events, not one per pair: each pair lists its own events
    # (a merged-away unit's partnerships are pairs of their own in this list).
    events_of: dict[tuple[int, int], list] = {}
    for event in (PartnershipEvent.objects.filter(article__status=Article.Status.PUBLISHED)
                  .exclude(status=PartnershipEvent.Status.REJECTED).order_by("date", "id")):
        events_of.setdefault((event.vn_id, event.kr_id), []).append(event)
    results = []
    for pair in pairs_module.pairs():
        events = events_of.get((pair.vn.id, pair.kr.id), [])
        results.append({
            "vn": _place_ref(pair.vn),
            "kr": _place_ref(pair.kr),
            "articles": pair.articles,
            "latest": pair.latest.isoformat() if pair.latest else None,
            "url": pair.get_absolute_url(),
            "events": [_event_json(e) for e in pairs_module.merge_reports(events)],
        })
    return json_response({"results": results})


@require_GET
def place(request, slug: str):
    obj = get_object_or_404(Place.objects.select_related("successor"), slug=slug)
    family = pairs_module.place_and_predecessors(obj)
    partners = []
    for pair in pairs_module.pairs(obj):
        own, other = (pair.vn, pair.kr) if pair.vn.country == obj.country else (pair.kr, pair.vn)
        # A partnership of a unit inside the place (Suwon's, on Gyeonggi) names that unit.
        partners.append({**_place_ref(other), "with": _place_ref(own), "articles": pair.articles,
                         "latest": pair.latest.isoformat() if pair.latest else None,
                         "partnership": pair.get_absolute_url()})
    level, parent = place_level(obj.slug)
    return json_response({
        "slug": obj.slug,
        "name": obj.name,
        "label": obj.label,
        "country": obj.country,
        "kind": obj.kind,
        "level": level,
        "parent": parent,
        "aliases": obj.aliases,
        # units merged into it or its own old names since 2000 ('huyện Hoành Bồ' for Hạ Long)
        "former_names": list(entry.former_names) if (entry := gazetteer.get(obj.slug)) else [],
        "successor": _place_ref(obj.successor) if obj.successor_id else None,
        "predecessors": [_place_ref(p) for p in family if p.id != obj.id],
        "partners": partners,
        # with the articles of the units inside it, as on its page and feed (roll-up)
        "articles": Article.objects.published().filter(
            places__in=pairs_module.place_and_descendants(obj)).distinct().count(),
        "url": f"/places/{obj.slug}/",
    })
