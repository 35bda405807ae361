from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from archive.display import place_name
from archive.models import Place

from search.service import FACET_PARAMS, BadRequest, read_params, run_search


def _url(base: dict, **changes) -> str:
    params = {k: v for k, v in {**base, **changes}.items() if v not in (None, "")}
    return reverse("search") + ("?" + urlencode(params) if params else "")


# The filters' names on the page, in the interface language.
FILTER_LABELS = {"lang": gettext_lazy("Language"), "place": gettext_lazy("Place"), "year": gettext_lazy("Year"),
                 "source": gettext_lazy("Source"), "from": gettext_lazy("From"), "to": gettext_lazy("To")}


def _place_labels(slugs) -> dict[str, str]:
    """Facet and filter values that are places, named in the interface language."""
    return {p.slug: place_name(p) for p in Place.objects.filter(slug__in=set(slugs))}


def search_page(request):
    try:
        params = read_params(request.GET, page_size_allowed=False)
        outcome = run_search(**params)
    except BadRequest as exc:
        return render(request, "search/search.html", {"error": str(exc), "q": request.GET.get("q", "")}, status=400)
    base = {"q": outcome.q, **outcome.filters, "sort": params["sort"]}
    # Facets are named as in the API; their links use the URL parameter (lang=, place=...).
    places = _place_labels([v.key for v in outcome.facets.get("place", [])] + [outcome.filters.get("place", "")])
    facet_links = {
        FACET_PARAMS[name]: [
            {
                "value": value,
                "label": places.get(value.key, value.label) if name == "place" else value.label,
                "url": _url(base, **{FACET_PARAMS[name]: None if value.selected else value.key}, page=None),
            }
            for value in values
        ]
        for name, values in outcome.facets.items()
    }
    feed_query = urlencode({k: v for k, v in {"q": outcome.q, **outcome.filters}.items() if v})
    context = {
        "feed_url": reverse("feed-search") + ("?" + feed_query if feed_query else ""),
        "feed_atom_url": reverse("feed-search-atom") + ("?" + feed_query if feed_query else ""),
        "feed_title": _("Search: %(query)s (RSS)") % {"query": outcome.q or _("all articles")},
        "outcome": outcome,
        "q": outcome.q,
        "facet_links": facet_links,
        "sort_links": {s: _url(base, sort=s, page=None) for s in ("relevance", "date")},
        "did_you_mean_url": _url({"q": outcome.did_you_mean}) if outcome.did_you_mean else None,
        "prev_url": _url(base, page=outcome.page - 1) if outcome.page > 1 else None,
        "next_url": _url(base, page=outcome.page + 1) if outcome.page < outcome.num_pages else None,
        "active_filters": [
            {"name": name, "value": value, "label": FILTER_LABELS.get(name, name),
             "value_label": places.get(value, value) if name == "place" else value,
             "remove_url": _url(base, **{name: None}, page=None)}
            for name, value in outcome.filters.items()
        ],
    }
    return render(request, "search/search.html", context)


def search_help(request):
    return render(request, "search/help.html")
