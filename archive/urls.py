from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from archive import api as archive_api
from archive import browse, feeds, views
from archive.sitemaps import SITEMAPS
from search import api, export, opensearch
from search import views as search_views

FEEDS = [
    ("latest/", feeds.LatestFeed, "feed-latest"),
    ("lang/<str:code>/", feeds.LanguageFeed, "feed-lang"),
    ("place/<slug:slug>/", feeds.PlaceFeed, "feed-place"),
    ("partnership/<str:pair>/", feeds.PartnershipFeed, "feed-partnership"),
    ("search/", feeds.SearchFeed, "feed-search"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", search_views.search_page, name="search"),
    path("search/export/", export.export, name="search-export"),
    path("help/search/", search_views.search_help, name="search-help"),
    path("articles/<int:pk>/", views.article_detail, name="article-short"),
    path("articles/<int:pk>/<str:slug>/", views.article_detail, name="article"),
    path("articles/", browse.articles, name="articles"),
    path("places/", browse.places, name="places"),
    path("places/<slug:slug>/", views.place_detail, name="place"),
    path("sources/", browse.sources, name="sources"),
    path("stories/", browse.stories, name="stories"),
    path("partnerships/", views.partnership_list, name="partnerships"),
    path("partnerships/<str:pair>/", views.partnership_detail, name="partnership"),
    path("api/search/", api.search, name="api-search"),
    path("api/articles/<int:pk>/", api.article, name="api-article"),
    path("api/partnerships/", archive_api.partnerships, name="api-partnerships"),
    path("api/suggest/", opensearch.suggest, name="api-suggest"),
    path("opensearch.xml", opensearch.description, name="opensearch"),
    path("api/places/<slug:slug>/", archive_api.place, name="api-place"),
    path("stories/<int:pk>/", views.story_detail, name="story"),
    path("sitemap.xml", sitemap_views.sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("admin/", admin.site.urls),
    # The language switcher posts to Django's set_language (/i18n/setlang/).
    path("i18n/", include("django.conf.urls.i18n")),
    # Browsers ask for /favicon.ico whatever the page says; answer with the SVG icon.
    path("favicon.ico", RedirectView.as_view(url=static("favicon.svg"), permanent=True)),
]
for route, feed_class, name in FEEDS:
    urlpatterns.append(path(f"feeds/{route}", feed_class.view(), name=name))
    urlpatterns.append(path(f"feeds/{route}atom/", feeds.atom(feed_class).view(), name=f"{name}-atom"))
