"""The OpenSearch description (so a browser can add the archive as a search engine) and
as-you-type suggestions of place names and titles."""
from __future__ import annotations

from functools import cache

from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.views.decorators.http import require_GET

from archive import gazetteer
from archive.models import Article
from archive.textnorm import fold

MAX_SUGGESTIONS = 10


@require_GET
def description(request):
    base = request.build_absolute_uri("/")[:-1]
    # ShortName stays within the 16 characters the OpenSearch 1.1 format allows; the icon is
    # a PNG, which every browser that reads these descriptions shows.
    xml = render_to_string("search/opensearch.xml", {"base": base, "icon_png": static("favicon-32.png")})
    return HttpResponse(xml, content_type="application/opensearchdescription+xml; charset=utf-8")


@cache
def _folded_names() -> list[tuple]:
    """Every place with its names folded once (a thousand-odd places since issue 14)."""
    return [(p, tuple({fold(n) for n in (p.name, *p.names.values(), *p.aliases)})) for p in gazetteer.all_places()]


def suggestions(prefix: str) -> list[str]:
    """Place names whose any alias starts with the prefix (diacritics and case aside),
    then titles of published articles containing it."""
    folded = fold(prefix.strip())
    if len(folded) < 2:
        return []
    found: list[str] = []
    for place, names in _folded_names():
        if any(n.startswith(folded) for n in names):
            label = place.names.get("vi", place.name) if place.country == "vn" else f"{place.names.get('vi', place.name)} ({place.name})"
            if label not in found:
                found.append(label)
        if len(found) >= MAX_SUGGESTIONS // 2:
            break
    for title in Article.objects.published().filter(title__icontains=prefix.strip()).values_list("title", flat=True)[:MAX_SUGGESTIONS]:
        if title not in found:
            found.append(title)
    return found[:MAX_SUGGESTIONS]


@require_GET
def suggest(request):
    """OpenSearch suggestions format: [query, [completions]]."""
    q = (request.GET.get("q") or "")[:100]
    return JsonResponse([q, suggestions(q)], safe=False, json_dumps_params={"ensure_ascii": False})
