from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q

from archive import partnerships
from archive.models import Article, Place


class ArticleSitemap(Sitemap):
    changefreq = "monthly"
    limit = 5000

    def items(self):
        return Article.objects.published().only("id", "title", "updated").order_by("id")

    def lastmod(self, item):
        return item.updated


class PlaceSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return (
            Place.objects.filter(articles__status=Article.Status.PUBLISHED)
            .annotate(last=Max("articles__updated", filter=Q(articles__status=Article.Status.PUBLISHED)))
            .order_by("slug")
        )

    def location(self, item):
        return f"/places/{item.slug}/"

    def lastmod(self, item):
        return item.last


class PartnershipSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return partnerships.pairs()

    def lastmod(self, item):
        return item.updated


SITEMAPS = {"articles": ArticleSitemap, "places": PlaceSitemap, "partnerships": PartnershipSitemap}
