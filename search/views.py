from __future__ import annotations

import re
from urllib.parse import quote_plus

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from archive.display import place_name
from archive.models import Place

from search.service import FACET_PARAMS, FILTERS, MULTI_FILTERS, BadRequest, read_params, run_search

_FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# A facet lists this many values; the rest are behind "show more".
FACET_SHOWN = 8
# Numbered pages shown on each side of the current one (the first and last always are).
PAGE_WINDOW = 2


class _Links:
    """Links to the search page: its path (reversed once per page) with `base`'s parameters
    and some changed. A page has a hundred links repeating the same parameters, so each
    name=value pair is encoded once a page, as django.utils.http.urlencode encodes it
    (quote_plus of both)."""

    def __init__(self, path: str, base: dict):
        self.path, self.base, self._pairs = path, base, {}

    def __call__(self, **changes) -> str:
        params = []
        for name, value in {**self.base, **changes}.items():
            for v in value if isinstance(value, (list, tuple)) else [value]:
                if v not in (None, ""):
                    pair = self._pairs.get((name, v))
                    if pair is None:
                        pair = self._pairs[name, v] = quote_plus(name) + "=" + quote_plus(str(v))
                    params.append(pair)
        return self.path + ("?" + "&".join(params) if params else "")


def _url(path: str, base: dict, **changes) -> str:
    return _Links(path, base)(**changes)


# The filters' names on the page, in the interface language.
FILTER_LABELS = {"lang": gettext_lazy("Language"), "place": gettext_lazy("Place"), "year": gettext_lazy("Year"),
                 "source": gettext_lazy("Source"), "from": gettext_lazy("From"), "to": gettext_lazy("To")}
SORT_LABELS = {"relevance": gettext_lazy("relevance"), "date": gettext_lazy("newest first"),
               "oldest": gettext_lazy("oldest first")}


def _place_labels(outcome) -> dict[str, str]:
    """Facet and filter values that are places, named in the interface language: from the
    rows the search read for its facets, and from the database for a filter's value that
    the search did not reach (an empty query, a value no article can have)."""
    labels = {slug: place_name(p) for slug, p in outcome.places.items()}
    missing = set(outcome.filter_values("place")) - set(labels)
    if missing:
        labels.update({p.slug: place_name(p) for p in Place.objects.filter(slug__in=missing)})
    return labels


def _toggled(values: list[str], value: str) -> list[str]:
    return [v for v in values if v != value] if value in values else [*values, value]


def _page_numbers(page: int, pages: int) -> list[int | None]:
    """1 … 4 5 [6] 7 8 … 20: None is a gap."""
    shown = sorted({1, pages, *range(max(1, page - PAGE_WINDOW), min(pages, page + PAGE_WINDOW) + 1)})
    numbers: list[int | None] = []
    for n in shown:
        if numbers and n - numbers[-1] > 1:
            numbers.append(None)
        numbers.append(n)
    return numbers


def _form_values(request) -> dict:
    """What the form shows, as typed, also when the search was refused."""
    get = request.GET
    form = {"q": get.get("q", ""), "sort": get.get("sort", ""),
            "kept": [(name, v) for name in MULTI_FILTERS for v in get.getlist(name)]}
    for name in ("from", "to"):
        form[name] = get.get(name, "")
        # A date picker when the value is a whole date (or none); a year or a month as typed.
        form[f"{name}_type"] = "date" if not form[name] or _FULL_DATE.match(form[name]) else "text"
    return form


def search_page(request):
    try:
        params = read_params(request.GET, page_size_allowed=False)
        outcome = run_search(**params)
    except BadRequest as exc:
        return render(request, "search/search.html", {
            "error": str(exc), "q": request.GET.get("q", ""), "form": _form_values(request),
            "sort_labels": SORT_LABELS}, status=400)
    base = {"q": outcome.q, **outcome.filters, "sort": params["sort"]}
    path = reverse("search")
    link = _Links(path, base)
    # Facets are named as in the API; their links use the URL parameter (lang=, place=...).
    places = _place_labels(outcome)
    facet_links = {}
    for name, values in outcome.facets.items():
        param = FACET_PARAMS[name]
        chosen = outcome.filter_values(param)
        links = [
            {
                "value": value,
                "label": places.get(value.key, value.label) if name == "place" else value.label,
                # Another value is added to the selection (OR); a chosen one is taken out.
                "url": link(**{param: _toggled(chosen, value.key)}, page=None),
            }
            for value in values
        ]
        facet_links[param] = {"shown": links[:FACET_SHOWN], "more": links[FACET_SHOWN:]}
    # The feed is newest first unless the page is oldest first.
    feed_params = _url(path, {"q": outcome.q, **outcome.filters,
                        "sort": "oldest" if params["sort"] == "oldest" else None}).partition("?")[2]
    most = max((n for _, n in outcome.years), default=0)
    context = {
        "feed_url": reverse("feed-search") + ("?" + feed_params if feed_params else ""),
        "feed_atom_url": reverse("feed-search-atom") + ("?" + feed_params if feed_params else ""),
        "feed_title": _("Search: %(query)s (RSS)") % {"query": outcome.q or _("all articles")},
        "outcome": outcome,
        "q": outcome.q,
        "form": {**_form_values(request), "q": outcome.q},
        "sort_labels": SORT_LABELS,
        "facet_links": facet_links,
        "sort_links": {s: link(sort=s, page=None) for s in SORT_LABELS},
        "did_you_mean_url": _url(path, {"q": outcome.did_you_mean}) if outcome.did_you_mean else None,
        "prev_url": link(page=outcome.page - 1) if 1 < outcome.page <= outcome.num_pages else None,
        "next_url": link(page=outcome.page + 1) if outcome.page < outcome.num_pages else None,
        "first_url": link(page=None),
        "pages": [{"number": n, "url": link(page=n if n and n > 1 else None)} if n else None
                  for n in _page_numbers(min(outcome.page, outcome.num_pages), outcome.num_pages)],
        "years": [{"year": year, "count": n, "max": most, "url": link(year=[year], page=None)}
                  for year, n in outcome.years],
        "active_filters": [
            {"name": name, "value": value, "label": FILTER_LABELS.get(name, name),
             "value_label": _value_label(outcome, name, value, places),
             "remove_url": link(**{name: [v for v in outcome.filter_values(name) if v != value]
                                        if name in MULTI_FILTERS else None}, page=None)}
            for name in FILTERS for value in outcome.filter_values(name)
        ],
    }
    return render(request, "search/search.html", context)


def _value_label(outcome, name: str, value: str, places: dict) -> str:
    """A chip's value by its name (Tiếng Việt, Gyeonggi (경기도), Yonhap), not its code."""
    if name == "place":
        return places.get(value, value)
    facet = {"lang": "language", "source": "source"}.get(name)
    if facet:
        for v in outcome.facets.get(facet, []):
            if v.key == value:
                return v.label
    return value


def search_help(request):
    return render(request, "search/help.html")
