"""Pages to browse the archive without a query: places by country and level, sources,
stories (the same event in several reports) and all articles by date."""
from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import render
from django.urls import reverse
from django.utils.dates import MONTHS
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from archive.display import PLACE_KINDS, place_name
from archive.models import COUNTRIES, Article, Place, Source, Story

ARTICLES_PER_PAGE = 50
STORIES_PER_PAGE = 50
_PUBLISHED = Q(articles__status=Article.Status.PUBLISHED)
# Levels from the largest unit to the smallest; unknown kinds come last. The gazetteer's
# "city" is a first-level one (Hà Nội, Seoul, Busan), "municipal_city" a city in a province
# (Suwon): the place pages call both "city", this directory keeps them apart.
LEVELS = ["city", "special_self_governing_city", "province", "special_self_governing_province", "municipal_city",
          "provincial_city", "administrative_city", "town", "county", "urban_district", "rural_district", "district"]
LEVEL_LABELS = {**PLACE_KINDS, "city": gettext_lazy("first-level city")}


def places(request):
    """Every place in the archive, by country and administrative level, with the number of
    published articles naming it."""
    rows = Place.objects.annotate(n=Count("articles", filter=_PUBLISHED, distinct=True)).select_related("successor")
    groups: dict[tuple[str, str], list] = {}
    for place in rows:
        groups.setdefault((place.country, place.kind), []).append(place)
    countries = []
    for code, country in COUNTRIES:
        levels = []
        kinds = sorted({kind for c, kind in groups if c == code},
                       key=lambda k: (LEVELS.index(k) if k in LEVELS else len(LEVELS), k))
        for kind in kinds:
            members = sorted(groups[(code, kind)], key=lambda p: (-p.n, place_name(p)))
            levels.append({"kind": kind, "label": LEVEL_LABELS.get(kind, kind.replace("_", " ") or _("other")),
                           "places": [(p, place_name(p)) for p in members],
                           "articles": sum(p.n for p in members)})
        if levels:
            countries.append({"code": code, "name": country, "levels": levels})
    return render(request, "archive/places.html", {"countries": countries})


def sources(request):
    rows = (Source.objects.annotate(n=Count("article", filter=Q(article__status=Article.Status.PUBLISHED)))
            .filter(n__gt=0).order_by("-n", "name"))
    return render(request, "archive/sources.html", {"sources": rows})


def stories(request):
    rows = (Story.objects.annotate(n=Count("articles", filter=_PUBLISHED, distinct=True)).filter(n__gt=0)
            .select_related("vn", "kr").order_by("-date", "-id"))
    page = Paginator(rows, STORIES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "archive/stories.html", {"page": page, "stories": page.object_list})


class BadBrowse(ValueError):
    pass


def _int(value, name: str, low: int, high: int) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except ValueError:
        # The same messages as the search's own (search.service), in the interface language.
        raise BadBrowse(_("{name} must be a whole number, not {value}").format(name=name, value=repr(value[:40])))
    if not low <= number <= high:
        raise BadBrowse(_("{name} must be between {low} and {high}").format(name=name, low=low, high=high))
    return number


def articles(request):
    """All published articles, newest first, optionally of one year or one month; paged."""
    try:
        year = _int(request.GET.get("year"), "year", 1, 9999)
        month = _int(request.GET.get("month"), "month", 1, 12)
        if month and not year:
            raise BadBrowse(_("month needs a year"))
        page_number = _int(request.GET.get("page"), "page", 1, 1_000_000) or 1
    except BadBrowse as exc:
        return render(request, "archive/articles.html", {"error": str(exc)}, status=400)
    rows = Article.objects.published().for_lists()
    if year:
        rows = rows.filter(published__year=year)
    if month:
        rows = rows.filter(published__month=month)
    paginator = Paginator(rows.order_by("-published", "-id"), ARTICLES_PER_PAGE)
    page = paginator.page(min(page_number, paginator.num_pages))

    def url(**changes):
        params = {k: v for k, v in {"year": year, "month": month, **changes}.items() if v}
        return reverse("articles") + ("?" + urlencode(params) if params else "")

    years = (Article.objects.published().exclude(published=None).dates("published", "year", order="DESC"))
    months = (Article.objects.published().filter(published__year=year).dates("published", "month", order="DESC")
              if year else [])
    context = {
        "page": page,
        # Past the end, an empty page that says so (as the search API does), not another page.
        "articles": [] if page_number > paginator.num_pages else page.object_list,
        "last_url": url(page=paginator.num_pages if paginator.num_pages > 1 else None),
        "year": year,
        "month": month,
        "month_name": MONTHS[month] if month else "",
        "years": [(d.year, url(year=d.year, month=None, page=None)) for d in years],
        "months": [(d.month, MONTHS[d.month], url(month=d.month, page=None)) for d in months],
        "all_url": reverse("articles"),
        "prev_url": url(page=page.number - 1) if page.has_previous() else None,
        "next_url": url(page=page.number + 1) if page.has_next() else None,
        "past_end": page_number > paginator.num_pages,
    }
    return render(request, "archive/articles.html", context)
