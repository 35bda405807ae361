from __future__ import annotations

from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from archive import partnerships
from archive.models import LANGUAGES, Article, Place

LATEST = 10


def home(request):
    published = Article.objects.published()
    by_language = dict(published.values_list("language").annotate(n=Count("id")).order_by())
    by_year = (
        published.exclude(published=None)
        .annotate(year=ExtractYear("published"))
        .values_list("year")
        .annotate(n=Count("id"))
        .order_by("-year")
    )
    context = {
        "latest": published.select_related("source").prefetch_related("places")[:LATEST],
        "languages": [(code, name, by_language[code]) for code, name in LANGUAGES if code in by_language],
        "years": list(by_year),
        "total": published.count(),
    }
    return render(request, "archive/home.html", context)


def more_like_this(article: Article, limit: int = 5):
    """Articles sharing the most places with this one, newest first among equals."""
    place_ids = [p.id for p in article.places.all()]
    if not place_ids:
        return Article.objects.none()
    return (
        Article.objects.published()
        .exclude(id=article.id)
        .filter(places__in=place_ids)
        .annotate(shared=Count("places"))
        .order_by("-shared", "-published", "-id")[:limit]
    )


def redirect_if_merged(pk: int, view_name: str):
    """A merged-away id answers with a permanent redirect to the article it lives in."""
    merged = Article.objects.filter(pk=pk, status=Article.Status.MERGED).first()
    if merged:
        final = merged.final()
        if final.status == Article.Status.PUBLISHED:
            if view_name == "article":
                return redirect(final.get_absolute_url(), permanent=True)
            return redirect(view_name, pk=final.pk, permanent=True)
    return None


def article_detail(request, pk: int, slug: str | None = None):
    moved = redirect_if_merged(pk, "article")
    if moved:
        return moved
    article = get_object_or_404(
        Article.objects.published().select_related("source").prefetch_related("places", "copies__raw"), pk=pk
    )
    if slug != article.slug:
        return redirect(article.get_absolute_url(), permanent=True)
    return render(
        request,
        "archive/article.html",
        {"article": article, "paragraphs": article.body.split("\n\n"), "related": more_like_this(article)},
    )


def place_detail(request, slug: str):
    place = get_object_or_404(Place.objects.select_related("successor"), slug=slug)
    family = partnerships.place_and_predecessors(place)
    articles = (
        Article.objects.published()
        .filter(places__in=family)
        .distinct()
        .select_related("source")
        .prefetch_related("places")
        .order_by("-published", "-id")
    )
    context = {
        "place": place,
        "predecessors": [p for p in family if p.id != place.id],
        "partners": partnerships.pairs(place),
        "articles": articles[:50],
        "article_count": articles.count(),
        "feed_url": f"/feeds/place/{place.slug}/",
        "feed_title": f"{place.label} (RSS)",
    }
    return render(request, "archive/place.html", context)


def partnership_list(request):
    return render(request, "archive/partnerships.html", {"pairs": partnerships.pairs()})


def partnership_detail(request, pair: str):
    found = partnerships.parse_pair_slug(pair)
    if found is None:
        raise Http404("no such partnership")
    vn, kr = found
    articles = partnerships.pair_articles(vn, kr).select_related("source").prefetch_related("places")
    context = {
        "vn": vn,
        "kr": kr,
        "articles": articles.order_by("-published", "-id"),
        "feed_url": f"/feeds/partnership/{vn.slug}--{kr.slug}/",
        "feed_title": f"{vn.label} – {kr.label} (RSS)",
    }
    return render(request, "archive/partnership.html", context)
