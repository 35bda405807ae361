"""JSON API: /api/search/ and /api/articles/<id>/ (conventions in DESIGN.md)."""
from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from archive.models import Article
from search.serialize import article_detail, article_summary
from search.service import BadRequest, read_params, run_search


def _json(data: dict, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


@require_GET
def search(request):
    try:
        params = read_params(request.GET)
    except BadRequest as exc:
        return _json({"error": str(exc)}, status=400)
    outcome = run_search(**params)
    return _json(
        {
            "query": outcome.q,
            "count": outcome.count,
            "page": outcome.page,
            "num_pages": outcome.num_pages,
            "results": [{**article_summary(h.article, h.snippet), "matched_as": h.matched_as} for h in outcome.hits],
            "facets": {name: {v.key: v.count for v in values} for name, values in outcome.facets.items()},
            "notes": outcome.query.described(),
            "did_you_mean": outcome.did_you_mean,
        }
    )


@require_GET
def article(request, pk: int):
    from archive.views import redirect_if_merged

    moved = redirect_if_merged(pk, "api-article")
    if moved:
        return moved
    obj = get_object_or_404(
        Article.objects.published().select_related("source").prefetch_related("places", "copies__raw"), pk=pk
    )
    return _json(article_detail(obj))


def _place_ref(place) -> dict:
    return {"slug": place.slug, "name": place.name}


def _event_json(event) -> dict:
    return {
        "type": event.type,
        "date": event.date_display,
        "date_precision": event.date_precision or None,
        "sentence": event.sentence,
        "article": event.article_id,
        "confirmed": event.status == "confirmed",
    }


@require_GET
def partnerships(request):
    from archive import partnerships as pairs_module
    from archive.models import PartnershipEvent

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
            "events": [_event_json(e) for e in events],
        })
    return _json({"results": results})


@require_GET
def place(request, slug: str):
    from archive import partnerships as pairs_module
    from archive.models import Place

    obj = get_object_or_404(Place.objects.select_related("successor"), slug=slug)
    family = pairs_module.place_and_predecessors(obj)
    partners = []
    for pair in pairs_module.pairs(obj):
        other = pair.kr if pair.vn.id == obj.id else pair.vn
        partners.append({**_place_ref(other), "articles": pair.articles,
                         "latest": pair.latest.isoformat() if pair.latest else None,
                         "partnership": pair.get_absolute_url()})
    return _json({
        "slug": obj.slug,
        "name": obj.name,
        "label": obj.label,
        "country": obj.country,
        "kind": obj.kind,
        "aliases": obj.aliases,
        "successor": _place_ref(obj.successor) if obj.successor_id else None,
        "predecessors": [_place_ref(p) for p in family if p.id != obj.id],
        "partners": partners,
        "articles": Article.objects.published().filter(places__in=family).distinct().count(),
        "url": f"/places/{obj.slug}/",
    })
