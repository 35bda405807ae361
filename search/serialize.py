"""The JSON shape of an article, shared by every API endpoint (stable: users build on it)."""
from __future__ import annotations

from archive.models import Article


def article_summary(article: Article, snippet: str | None = None) -> dict:
    data = {
        "id": article.id,
        "url": article.get_absolute_url(),
        "title": article.title,
        "language": article.language,
        "published": article.published_display,
        "date_precision": article.date_precision or None,
        "source": article.source.slug if article.source_id else None,
        "source_name": article.source.name if article.source_id else None,
        "site": article.site or None,
        "site_name": article.site_name or None,
        "places": sorted(p.slug for p in article.listed_places()),
        "venues": list(article.venue_places or []),
        "countries": list(article.countries or []),
    }
    if snippet is not None:
        data["snippet"] = str(snippet)
    return data


def article_detail(article: Article) -> dict:
    data = article_summary(article)
    data["title_derived"] = article.title_derived
    data["body"] = article.body
    data["copies"] = [
        {
            "source_url": copy.source_url or None,
            "sha256": copy.raw.sha256,
            "imported_at": copy.imported_at.isoformat().replace("+00:00", "Z"),
        }
        for copy in article.copies.all()
    ]
    return data
