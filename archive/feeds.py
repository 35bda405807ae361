"""RSS 2.0 and Atom feeds through Django's syndication framework."""
from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import Truncator

from archive.models import Article

FEED_SIZE = 50
# A publication's local date: Korean sources are in Seoul time, the rest in Vietnam.
ZONES = {"ko": ZoneInfo("Asia/Seoul")}
DEFAULT_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def pub_datetime(article: Article) -> datetime:
    """Midnight local time on the publication date; a month-precision date is the first
    of the month (the stored date already is). Unknown dates use the import time."""
    if article.published:
        zone = ZONES.get(article.language, DEFAULT_ZONE)
        return datetime.combine(article.published, time(0, 0), tzinfo=zone)
    return article.created


class LatestFeed(Feed):
    title = "Vietnam–Korea Cooperation News Archive: latest articles"
    link = "/"
    description = "The newest articles on cooperation between Vietnamese and Korean provinces and cities."
    language = "mul"

    def items(self):
        return Article.objects.published().select_related("source").order_by("-published", "-id")[:FEED_SIZE]

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        # Plain text; the syndication framework escapes it.
        return Truncator(item.body.replace("\n\n", " ")).words(60)

    def item_link(self, item: Article) -> str:
        return item.get_absolute_url()

    def __call__(self, request, *args, **kwargs):
        # Feeds are instantiated per request (see `view`), so keeping the request is safe.
        self.request = request
        return super().__call__(request, *args, **kwargs)

    @classmethod
    def view(cls):
        return lambda request, *args, **kwargs: cls()(request, *args, **kwargs)

    def item_guid(self, item: Article) -> str:
        # The id is the permalink; the slug can change with an edited title.
        return self.request.build_absolute_uri(f"/articles/{item.id}/")

    def item_pubdate(self, item: Article) -> datetime:
        return pub_datetime(item)

    def item_updateddate(self, item: Article) -> datetime:
        return item.updated

    def item_author_name(self, item: Article) -> str | None:
        return item.source.name if item.source_id else None

    def item_categories(self, item: Article):
        return [item.language]


class LatestAtomFeed(LatestFeed):
    feed_type = Atom1Feed
    subtitle = LatestFeed.description
