from django.contrib import admin
from django.urls import path

from archive import feeds, views
from search import api
from search import views as search_views

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", search_views.search_page, name="search"),
    path("help/search/", search_views.search_help, name="search-help"),
    path("articles/<int:pk>/", views.article_detail, name="article-short"),
    path("articles/<int:pk>/<str:slug>/", views.article_detail, name="article"),
    path("feeds/latest/", feeds.LatestFeed.view(), name="feed-latest"),
    path("feeds/latest/atom/", feeds.LatestAtomFeed.view(), name="feed-latest-atom"),
    path("api/search/", api.search, name="api-search"),
    path("api/articles/<int:pk>/", api.article, name="api-article"),
    path("admin/", admin.site.urls),
]
