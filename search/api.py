"""JSON API: /api/search/ and /api/articles/<id>/ (conventions in DESIGN.md). Places and
partnerships are the archive's, in archive/api.py."""
from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from archive.api import json_response as _json
from archive.models import Article
from search.serialize import article_detail, article_summary
from search.service import BadRequest, read_params, run_search


@require_GET
def search(request):
    try:
        params = read_params(request.GET)
        outcome = run_search(**params)
    except BadRequest as exc:
        return _json({"error": exc.english()}, status=400)
    return _json(
        {
            "query": outcome.q,
            "filters": outcome.filters,
            "sort": outcome.sort,
            "count": outcome.count,
            "page": outcome.page,
            "num_pages": outcome.num_pages,
            # A page past the last one is empty, and says why.
            "message": (f"There is no page {outcome.page}: this search has {outcome.num_pages} pages."
                        if outcome.past_end else None),
            "results": [{**article_summary(h.article, h.snippet), "matched_as": h.matched_as} for h in outcome.hits],
            "facets": {name: {v.key: v.count for v in values} for name, values in outcome.facets.items()},
            "notes": outcome.query.described(),
            "did_you_mean": outcome.did_you_mean,
        }
    )


@require_GET
def article(request, pk: int):
    moved = Article.objects.redirect_if_merged(pk, "api-article")
    if moved:
        return moved
    obj = get_object_or_404(
        Article.objects.published().select_related("source").prefetch_related("places", "copies__raw"), pk=pk
    )
    return _json(article_detail(obj))
