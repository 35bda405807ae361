"""RSS 2.0 and Atom feeds through Django's syndication framework.

Every feed: stable guids (the article's id permalink, which survives merges and title
edits), absolute URLs, an escaped snippet as summary, ETag/Last-Modified with 304 for a
conditional GET, the right language, and no control characters (invalid in XML, common
in scraped text).
"""
from __future__ import annotations

import hashlib
import re
from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Count, Max
from django.http import Http404
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import condition

from archive.display import parent_name, place_name
from archive.models import LANGUAGES, MAIN_LANGUAGES, OTHER_LANGUAGE, Article, Place
from archive.partnerships import pair_articles, parse_pair_slug, place_and_descendants
from search import highlight

FEED_SIZE = 50
# A publication's local date: Korean sources are in Seoul time, the rest in Vietnam.
ZONES = {"ko": ZoneInfo("Asia/Seoul")}
DEFAULT_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_safe(text: str | None) -> str:
    return _XML_INVALID.sub("", text or "")


def interface_language(request) -> str:
    """The language of a feed's own title and description: `?hl=` as the page that links
    the feed wrote it, else the reader's cookie or Accept-Language (LocaleMiddleware)."""
    hl = (request.GET.get("hl") or "").strip().lower()
    if hl in dict(settings.LANGUAGES):
        return hl
    return translation.get_language() or settings.LANGUAGE_CODE


def pub_datetime(article: Article) -> datetime:
    """Midnight local time on the publication date; a month-precision date is the first
    of the month (the stored date already is). Unknown dates use the import time."""
    if article.published:
        zone = ZONES.get(article.language, DEFAULT_ZONE)
        return datetime.combine(article.published, time(0, 0), tzinfo=zone)
    return article.created


class ArchiveAtomFeed(Atom1Feed):
    def item_attributes(self, item):
        # Each entry says its own language; the feed's xml:lang covers the rest.
        return {"xml:lang": item["language_code"]} if item.get("language_code") else {}


class ArticleFeed(Feed):
    feed_type = Rss201rev2Feed
    title = gettext_lazy("Vietnam–Korea Cooperation News Archive: latest articles")
    link = "/"
    description = gettext_lazy("The newest articles on cooperation between Vietnamese and Korean provinces and cities.")
    language = "mul"

    def __call__(self, request, *args, **kwargs):
        # Feeds are instantiated per request (see `view`), so keeping the request is safe.
        self.request = request
        self.snippets: dict[int, str] = {}
        with translation.override(interface_language(request)):
            response = super().__call__(request, *args, **kwargs)
        # The framework stamps the newest item's time; the conditional-GET wrapper sets
        # Last-Modified from the same state its ETag and 304s use, so one answer holds.
        if response.has_header("Last-Modified"):
            del response["Last-Modified"]
        return response

    @classmethod
    def view(cls):
        def view(request, *args, **kwargs):
            return cls()(request, *args, **kwargs)

        return condition(etag_func=feed_etag, last_modified_func=feed_last_modified)(view)

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        lang = self.feed_language(obj)
        feed.feed["language"] = lang
        for key in ("title", "description", "subtitle"):
            if feed.feed.get(key):
                feed.feed[key] = xml_safe(str(feed.feed[key]))
        return feed

    def feed_language(self, obj) -> str:
        return self.language

    def articles(self, obj):
        return Article.objects.published()

    def items(self, obj):
        return (
            self.articles(obj).select_related("source").prefetch_related("places")
            .order_by("-published", "-id")[:FEED_SIZE]
        )

    def item_title(self, item: Article) -> str:
        return xml_safe(item.title)

    def item_description(self, item: Article) -> str:
        # Escaped HTML (the article text escaped, matches in <mark>), escaped again as XML.
        return xml_safe(self.snippets.get(item.id) or str(highlight.snippet(item.body, [])))

    def item_link(self, item: Article) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: Article) -> str:
        # The id is the permalink; the slug can change with an edited title.
        return self.request.build_absolute_uri(f"/articles/{item.id}/")

    item_guid_is_permalink = True

    def item_pubdate(self, item: Article) -> datetime:
        return pub_datetime(item)

    def item_updateddate(self, item: Article) -> datetime:
        return item.updated

    def item_author_name(self, item: Article) -> str | None:
        return xml_safe(item.source.name) if item.source_id else None

    def item_categories(self, item: Article):
        return [item.language] + [p.slug for p in item.listed_places()]

    def item_extra_kwargs(self, item: Article):
        return {"language_code": item.language}


def feed_state(request) -> tuple:
    """The archive's state, read once per request: the ETag and Last-Modified both use it."""
    if not hasattr(request, "_feed_state"):
        state = Article.objects.aggregate(last=Max("updated"), n=Count("id"))
        request._feed_state = (state["last"], state["n"])
    return request._feed_state


def feed_etag(request, *args, **kwargs) -> str:
    """Any change to any article changes every feed's ETag: cheap, and never stale."""
    last, count = feed_state(request)
    # The feed's title and description are in the interface language: it is part of the tag.
    key = f"{request.path}?{request.GET.urlencode()}|{interface_language(request)}|{last}|{count}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def feed_last_modified(request, *args, **kwargs):
    return feed_state(request)[0]


class LatestFeed(ArticleFeed):
    pass


class LanguageFeed(ArticleFeed):
    def get_object(self, request, code):
        if code not in dict(LANGUAGES) and code != OTHER_LANGUAGE:
            raise Http404("no such language")
        return code

    def title(self, obj):
        name = dict(LANGUAGES).get(obj, _("other languages"))
        return _("Vietnam–Korea Cooperation News Archive: articles in %(language)s") % {"language": name}

    def link(self, obj):
        return f"/search/?lang={obj}"

    def feed_language(self, obj):
        return obj if obj != OTHER_LANGUAGE else "und"

    def articles(self, obj):
        if obj == OTHER_LANGUAGE:
            return Article.objects.published().exclude(language__in=MAIN_LANGUAGES)
        return Article.objects.published().filter(language=obj)


class PlaceFeed(ArticleFeed):
    def get_object(self, request, slug):
        place = Place.objects.filter(slug=slug).first()
        if place is None:
            raise Http404("no such place")
        return place

    def title(self, obj):
        return _("Vietnam–Korea Cooperation News Archive: %(subject)s") % {"subject": place_name(obj)}

    def link(self, obj):
        return f"/places/{obj.slug}/"

    def description(self, obj):
        # the cities and districts inside it are included too (roll-up); the sentence keeps its
        # translated wording
        return _("Articles about %(place)s, including the units it succeeded.") % {"place": place_name(obj)}

    def articles(self, obj):
        return Article.objects.published().filter(places__in=place_and_descendants(obj)).distinct()

    def item_categories(self, item: Article) -> list[str]:
        """The places the article is about, a city marked with its province as on the
        pages: 'Suwon (수원시) (in Gyeonggi (경기도))'."""
        out = []
        for place in item.listed_places():
            parent = parent_name(place)
            marked = f"{place_name(place)} ({_('in %(parent)s') % {'parent': parent}})" if parent else place_name(place)
            out.append(xml_safe(marked))
        return out


class PartnershipFeed(ArticleFeed):
    def get_object(self, request, pair):
        found = parse_pair_slug(pair)
        if found is None:
            raise Http404("no such partnership")
        return found

    def title(self, obj):
        vn, kr = obj
        return _("Vietnam–Korea Cooperation News Archive: %(subject)s") % {
            "subject": f"{place_name(vn)} – {place_name(kr)}"}

    def link(self, obj):
        vn, kr = obj
        return f"/partnerships/{vn.slug}--{kr.slug}/"

    def description(self, obj):
        vn, kr = obj
        return _("Articles with evidence of cooperation between %(vn)s and %(kr)s.") % {
            "vn": place_name(vn), "kr": place_name(kr)}

    def articles(self, obj):
        return pair_articles(*obj)


class SearchFeed(ArticleFeed):
    """Any search, newest first: the "follow as RSS" of every search page."""

    def get_object(self, request):
        from search.service import BadRequest, read_params

        try:
            params = read_params(request.GET, page_size_allowed=False)
        except BadRequest as exc:  # a bad filter value or page: Django answers 400
            from django.core.exceptions import BadRequest as Refused

            raise Refused(str(exc)) from None
        params.update(sort="oldest" if params["sort"] == "oldest" else "date", page=1, page_size=FEED_SIZE)
        return params

    def title(self, obj):
        q = obj["q"] or _("all articles")
        filters = ", ".join(f"{k}: {' | '.join(v) if isinstance(v, list) else v}" for k, v in obj["filters"].items())
        subject = f"{q} ({filters})" if filters else q
        return xml_safe(_("Vietnam–Korea Cooperation News Archive: %(subject)s") % {"subject": subject})

    def link(self, obj):
        params = self.request.GET.copy()
        params.pop("hl", None)  # the interface language is the reader's, not part of the search
        return "/search/?" + params.urlencode()

    def feed_language(self, obj):
        languages = obj["filters"].get("lang") or []
        return languages[0] if len(languages) == 1 else self.language

    def items(self, obj):
        from django.core.exceptions import BadRequest as Refused

        from search.service import BadRequest, run_search

        try:
            outcome = run_search(**obj)
        except BadRequest as exc:  # a search too costly to answer: Django answers 400
            raise Refused(str(exc)) from None
        self.snippets = {hit.article.id: str(hit.snippet) for hit in outcome.hits}
        return [hit.article for hit in outcome.hits]


def atom(feed_class):
    return type(f"Atom{feed_class.__name__}", (feed_class,), {"feed_type": ArchiveAtomFeed})
