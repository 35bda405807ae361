"""Haystack's stock faceted search page (measurement only).

`haystack.generic_views.FacetedSearchView` with `FacetedSearchForm`, as the faceting docs
show it: 20 results a page (`?page=N`), facet counts for language, year, places and
source, drill-down through `selected_facets=<field>_exact:<value>`, and results loaded
from the database (`load_all`, the default). Highlighting is the `{% highlight %}`
template tag unless HAYSTACK_DEFAULT_HIGHLIGHT=backend, which uses
SearchQuerySet().highlight() instead; see settings.py.
"""
from __future__ import annotations

from django.conf import settings
from django.http import HttpResponseRedirect
from haystack.forms import FacetedSearchForm
from haystack.generic_views import FacetedSearchView
from haystack.query import SearchQuerySet


class DefaultFacetedSearchView(FacetedSearchView):
    form_class = FacetedSearchForm
    facet_fields = ["language", "year", "places", "source"]
    template_name = "haystack_default/search.html"
    paginate_by = 20

    def get_queryset(self):
        if self.queryset is None:
            sqs = SearchQuerySet()
            if settings.HAYSTACK_DEFAULT_HIGHLIGHT == "backend":
                sqs = sqs.highlight()
            self.queryset = sqs
        return super().get_queryset()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["highlight_mode"] = settings.HAYSTACK_DEFAULT_HIGHLIGHT
        return context


search = DefaultFacetedSearchView.as_view()


def home(request):
    return HttpResponseRedirect("/search/")
