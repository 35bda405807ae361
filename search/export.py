"""/search/export/?format=ris|csv&<the search's parameters>: the results of a search (up to
EXPORT_LIMIT of them, in the search's own order) as a file for a reference manager or a
spreadsheet.

The search is the one the page, the API and the feed run (search.service): the same
parameters mean the same results, and only published articles can be among them. The
fields are the JSON Lines export's (archive.exporting.article_record), the RIS records the
article page's "Cite this" (archive.citations). A CSV cell that a spreadsheet would read as
a formula (starting with = + - @, a tab or a carriage return) is prefixed with an
apostrophe. The rate limit is the "export" group's (archive.limits).
"""
from __future__ import annotations

import csv
import io

from django.db.models import prefetch_related_objects
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from archive import citations
from archive.exporting import article_record
from search.service import BadRequest, read_params, run_search

EXPORT_LIMIT = 1000
FORMATS = ("ris", "csv")
CSV_COLUMNS = ("id", "title", "language", "published", "date_precision", "source_name", "source_url",
               "permalink", "places", "countries")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """A value as a CSV cell a spreadsheet shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def exported_articles(request) -> list:
    """The search's results, first EXPORT_LIMIT, published ones only (run_search reads the
    database through Article.objects.published())."""
    params = read_params(request.GET, page_size_allowed=False)
    params.update(page=1, page_size=EXPORT_LIMIT)
    outcome = run_search(**params)
    articles = [hit.article for hit in outcome.hits][:EXPORT_LIMIT]
    prefetch_related_objects(articles, "events__vn", "events__kr", "copies")
    return articles


def _bad(message: str) -> HttpResponse:
    return HttpResponse(message + "\n", status=400, content_type="text/plain; charset=utf-8")


@require_GET
def export(request):
    fmt = request.GET.get("format", "")
    if fmt not in FORMATS:
        return _bad(f"format must be one of: {', '.join(FORMATS)}")
    try:
        articles = exported_articles(request)
    except BadRequest as exc:
        return _bad(exc.english())
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    if fmt == "ris":
        accessed = timezone.now().date()
        body = "".join(
            citations.ris(citations.csl_item(a, request.build_absolute_uri(a.get_absolute_url()), accessed))
            for a in articles)
        response = HttpResponse(body, content_type="application/x-research-info-systems; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="vnkr-search-{stamp}.ris"'
        return response
    out = io.StringIO()
    out.write("\ufeff")  # a BOM, so spreadsheet programs read the file as UTF-8
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for article in articles:
        record = article_record(article)
        record["permalink"] = request.build_absolute_uri(record["url"])
        record["places"] = ";".join(p["slug"] for p in record["places"])
        record["countries"] = ";".join(record["countries"] or [])
        writer.writerow([csv_cell(record[c]) for c in CSV_COLUMNS])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="vnkr-search-{stamp}.csv"'
    return response
