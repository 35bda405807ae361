"""URLs of haystack's default setup (measurement only): the search page and nothing else.

archive.urls is not included: it imports our own search views and API.
"""
from django.urls import path

from bench.haystack_default import views

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="haystack_search"),
]
