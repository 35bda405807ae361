"""Web archive files (WARC, .warc or .warc.gz), read record by record, never whole.

Each HTML response record becomes one input with its capture URL and time as provenance.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from archive.ingest.read import MAX_DOCUMENT_BYTES, IngestError, Provenance

WARC_SUFFIXES = (".warc", ".warc.gz")
HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass
class WarcInput:
    name: str
    data: bytes | None  # None when refused; `reason` says why
    provenance: Provenance
    reason: str = ""


def is_warc(name: str) -> bool:
    return name.lower().endswith(WARC_SUFFIXES)


def _capture_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def iter_warc(stream: BinaryIO, name: str) -> Iterator[WarcInput]:
    """HTML responses of a WARC stream. A record over the size limit is refused without
    being read into memory; other records are skipped."""
    try:
        for index, record in enumerate(ArchiveIterator(stream)):
            if record.rec_type != "response" or record.http_headers is None:
                continue
            content_type = (record.http_headers.get_header("Content-Type") or "").lower()
            if not content_type.startswith(HTML_TYPES):
                continue
            status = record.http_headers.get_statuscode()
            url = record.rec_headers.get_header("WARC-Target-URI")
            label = f"{name}#{index} {url}"
            provenance = Provenance(
                source_url=url if url and url.startswith(("http://", "https://")) else None,
                captured_at=_capture_time(record.rec_headers.get_header("WARC-Date")),
            )
            if status != "200":
                yield WarcInput(label, None, provenance, f"HTTP status {status}, not a page")
                continue
            body = record.content_stream()
            data = body.read(MAX_DOCUMENT_BYTES + 1)
            if len(data) > MAX_DOCUMENT_BYTES:
                yield WarcInput(
                    label, None, provenance,
                    f"the record is over {MAX_DOCUMENT_BYTES // (1024 * 1024)} MB; documents that large are refused",
                )
                continue
            yield WarcInput(label, data, provenance)
    except ArchiveLoadFailed as exc:
        raise IngestError(f"not a readable WARC file: {exc}") from exc
