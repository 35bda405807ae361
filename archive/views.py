from __future__ import annotations

from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import escape, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from django.db.models import Q

from django.utils import timezone

from archive import charts, citations, partnerships
from archive.display import PLACE_KINDS, interface_language, place_name
from archive.models import date_as_known
from archive.models import LANGUAGES, MAIN_LANGUAGES, OTHER_LANGUAGE, Article, PartnershipEvent, Place, Story

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
    per_year_language = {
        (year, lang): n
        for year, lang, n in published.exclude(published=None)
        .annotate(year=ExtractYear("published"))
        .values_list("year", "language")
        .annotate(n=Count("id"))
        .order_by()
    }
    context = {
        "chart": charts.articles_per_year(per_year_language),
        "chart_rows": sorted(per_year_language.items(), reverse=True),
        "latest": published.for_lists()[:LATEST],
        "languages": [(code, name, by_language[code]) for code, name in LANGUAGES if code in by_language]
        + ([(OTHER_LANGUAGE, "Other languages", others)] if (others := sum(
            n for code, n in by_language.items() if code not in MAIN_LANGUAGES)) else []),
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
        .order_by("-shared", "-published", "-id")
        # Listed like search results: their places and stories read in one go, not per article.
        .for_lists()[:limit]
    )


def article_detail(request, pk: int, slug: str | None = None):
    moved = Article.objects.redirect_if_merged(pk, "article")
    if moved:
        return moved
    article = get_object_or_404(
        Article.objects.published().select_related("source").prefetch_related("places", "copies__raw"), pk=pk
    )
    if slug != article.slug:
        return redirect(article.get_absolute_url(), permanent=True)
    events = list(article.events.exclude(status=PartnershipEvent.Status.REJECTED).select_related("vn", "kr"))
    stories = list(article.stories.all())
    permalink = request.build_absolute_uri(article.get_absolute_url())
    return render(
        request,
        "archive/article.html",
        {
            "article": article,
            "paragraphs": [mark_sentences(p, events) for p in article.body.split("\n\n")],
            "events": partnerships.merge_reports(events),
            "stories": stories,
            "also_reported": article.also_reported_in(),
            "venues": sorted(Place.objects.filter(slug__in=article.venue_places or []),
                             key=lambda p: (article.venue_places or []).index(p.slug)),
            "related": more_like_this(article),
            "permalink": permalink,
            "citation_date": citation_date(article),
            "citations": citations.all_formats(article, permalink, timezone.now().date(),
                                                interface_language()),
        },
    )


def citation_date(article: Article) -> str:
    """citation_date as Google Scholar and Zotero read it: 2019/11/05, 2019/11 or 2019."""
    known = date_as_known(article.published, article.date_precision)
    return known.replace("-", "/") if known else ""


def mark_sentences(paragraph: str, events) -> str:
    """The paragraph as escaped HTML, each event's sentence marked and given an anchor per
    event (one sentence can state several agreements)."""
    by_sentence: dict[str, list[int]] = {}
    for event in events:
        by_sentence.setdefault(event.sentence, []).append(event.id)
    spans = []
    for sentence, ids in by_sentence.items():
        at = paragraph.find(sentence)
        if at != -1 and not any(s < at + len(sentence) and at < e for s, e, _ in spans):
            spans.append((at, at + len(sentence), ids))
    out, cursor = [], 0
    for start, end, ids in sorted(spans):
        out.append(escape(paragraph[cursor:start]))
        out.extend(f'<span id="event-{i}"></span>' for i in ids[1:])
        out.append(f'<mark class="event" id="event-{ids[0]}">{escape(paragraph[start:end])}</mark>')
        cursor = end
    out.append(escape(paragraph[cursor:]))
    return mark_safe("".join(out))


def place_detail(request, slug: str):
    place = get_object_or_404(Place.objects.select_related("successor"), slug=slug)
    family = partnerships.place_and_predecessors(place)
    # Articles, events and partners of every unit inside the place roll up to it (Suwon's on
    # Gyeonggi's page); each result's tags say "Suwon (in Gyeonggi)".
    inside = partnerships.place_and_descendants(place, family)
    articles = (
        Article.objects.published()
        .filter(places__in=inside)
        .distinct()
        .for_lists()
        .order_by("-published", "-id")
    )
    events = partnerships.merge_reports(
        PartnershipEvent.objects.filter(article__status=Article.Status.PUBLISHED)
        .filter(Q(vn__in=inside) | Q(kr__in=inside))
        .exclude(status=PartnershipEvent.Status.REJECTED)
        .select_related("vn", "kr", "article")
    )
    for event in events:
        event.partner = event.kr if event.vn.country == place.country else event.vn
    partners = partnerships.pairs(place, inside)
    for pair in partners:
        pair.own, pair.partner = (pair.vn, pair.kr) if pair.vn.country == place.country else (pair.kr, pair.vn)
    context = {
        "events": events,
        "timeline": charts.event_timeline(events),
        "place": place,
        "predecessors": [p for p in family if p.id != place.id],
        "predecessor_links": format_html_join(
            ", ", '<a href="{}">{}</a>', ((reverse("place", args=[p.slug]), place_name(p)) for p in family if p.id != place.id)),
        "partners": partners,
        "articles": articles[:50],
        "article_count": articles.count(),
        "kind_label": PLACE_KINDS.get(place.kind, place.kind_label),
        "feed_url": f"/feeds/place/{place.slug}/",
        "feed_title": _("%(place)s (RSS)") % {"place": place_name(place)},
    }
    return render(request, "archive/place.html", context)


def partnership_list(request):
    pairs = partnerships.pairs()
    # The phone form of the network: each Vietnamese place with its Korean partners.
    by_vn: dict[str, tuple] = {}
    for pair in sorted(pairs, key=lambda p: (place_name(p.vn), -p.articles, place_name(p.kr))):
        by_vn.setdefault(pair.vn.slug, (pair.vn, []))[1].append(pair)
    context = {"pairs": pairs, "network": charts.partnership_network(pairs), "network_by_vn": list(by_vn.values())}
    return render(request, "archive/partnerships.html", context)


def partnership_detail(request, pair: str):
    found = partnerships.parse_pair_slug(pair)
    if found is None:
        raise Http404("no such partnership")
    vn, kr = found
    articles = partnerships.pair_articles(vn, kr).for_lists()
    events = partnerships.merge_reports(partnerships.pair_events(vn, kr))
    context = {
        "events": events,
        "timeline": charts.event_timeline(events),
        "vn": vn,
        "kr": kr,
        "articles": articles.order_by("-published", "-id"),
        "feed_url": f"/feeds/partnership/{vn.slug}--{kr.slug}/",
        "feed_title": _("%(place)s (RSS)") % {"place": f"{place_name(vn)} – {place_name(kr)}"},
    }
    return render(request, "archive/partnership.html", context)


def story_detail(request, pk: int):
    story = get_object_or_404(Story.objects.select_related("vn", "kr"), pk=pk)
    articles = story.articles.filter(status=Article.Status.PUBLISHED).select_related("source").order_by("published", "id")
    if not articles:
        raise Http404("no published article in this story")
    return render(request, "archive/story.html", {"story": story, "articles": articles})
