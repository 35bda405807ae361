"""Links to /search/export/ carrying the current search's parameters, whatever they are
(repeated ones too), so the export is always the search on the page."""
from __future__ import annotations

from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag(takes_context=True)
def export_url(context, fmt: str) -> str:
    params = context["request"].GET.copy()
    for name in ("format", "page", "page_size"):
        params.pop(name, None)
    params["format"] = fmt
    return reverse("search-export") + "?" + params.urlencode()
