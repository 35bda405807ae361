"""Exports: the published archive as JSON Lines for researchers, and the raw captures as
a WARC file for operators.

The JSON Lines export is what the public site shows, one article a line: its metadata,
places, partnership events and the URLs of its copies; never the raw captures (and
nothing of hidden, draft, merged-away or taken-down articles). The WARC export is the
evidence itself, so only the admin offers it, to superusers (archive.admin).
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from typing import BinaryIO

from archive.models import Article, PartnershipEvent, RawCapture, date_as_known

CHUNK = 500


def article_record(article: Article) -> dict:
    events = [e for e in article.events.all() if e.status != PartnershipEvent.Status.REJECTED]
    return {
        "id": article.pk,
        "url": article.get_absolute_url(),
        "title": article.title,
        "title_derived": article.title_derived,
        "language": article.language,
        "published": date_as_known(article.published, article.date_precision),
        "date_precision": article.date_precision or None,
        "source": article.source.slug if article.source_id else None,
        "source_name": article.source.name if article.source_id else None,
        "source_url": article.source_url or None,
        "countries": article.countries,
        "places": [{"slug": p.slug, "name": p.name, "country": p.country} for p in article.places.all()],
        "events": [{"type": e.type, "vn": e.vn.slug, "kr": e.kr.slug, "date": e.date_display,
                    "sentence": e.sentence, "confirmed": e.status == PartnershipEvent.Status.CONFIRMED}
                   for e in events],
        "copies": [{"url": c.source_url or None, "site": c.site or None,
                    "captured_at": c.captured_at.isoformat() if c.captured_at else None}
                   for c in article.copies.all()],
        "body": article.body,
    }


def published_articles():
    return (Article.objects.published().order_by("id").select_related("source")
            .prefetch_related("places", "events__vn", "events__kr", "copies"))


def iter_jsonl() -> Iterator[str]:
    """One line per published article, in id order, read in chunks."""
    last = 0
    while True:
        chunk = list(published_articles().filter(id__gt=last)[:CHUNK])
        if not chunk:
            return
        for article in chunk:
            yield json.dumps(article_record(article), ensure_ascii=False) + "\n"
        last = chunk[-1].pk


def write_warc(out: BinaryIO, captures=None) -> int:
    """Every raw capture still in the raw store (purged ones are gone) as a WARC
    'resource' record of its exact bytes. Returns how many were written."""
    from io import BytesIO

    from warcio.warcwriter import WARCWriter

    from archive.ingest.store import raw_path

    writer = WARCWriter(out, gzip=True)
    count = 0
    for capture in (captures if captures is not None else RawCapture.objects.order_by("id")).iterator():
        path = raw_path(capture.sha256)
        if capture.purged_at or not path.exists():
            continue
        data = path.read_bytes()
        uri = capture.source_url or f"urn:sha256:{capture.sha256}"
        headers = {"WARC-Payload-Digest": f"sha256:{capture.sha256}",
                   "WARC-Archive-Original-Name": capture.original_name}
        if capture.captured_at:
            headers["WARC-Date"] = capture.captured_at.strftime("%Y-%m-%dT%H:%M:%SZ")
        record = writer.create_warc_record(
            uri, "resource", payload=BytesIO(data), length=len(data),
            warc_content_type=capture.media_type or "application/octet-stream",
            warc_headers_dict=headers)
        writer.write_record(record)
        count += 1
    return count
