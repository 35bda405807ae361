"""Web archive files (WARC, .warc or .warc.gz), read record by record, never whole.

Each HTML response record becomes one input with its capture URL and time as provenance.
"""
from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator

from archive.ingest.read import MAX_DOCUMENT_BYTES, IngestError, Provenance, check_url

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
    being read into memory; other records are skipped. A record cut short or whose length
    is wrong is an outcome too, its bytes kept; a file that breaks off or is damaged stops
    the reading there with an IngestError, so its bytes are kept as a container's."""
    records = ArchiveIterator(stream)
    pending: WarcInput | None = None
    errors = found = 0
    index = -1
    try:
        for index, record in enumerate(records):
            # warcio found no record boundary after the last record: its length is wrong.
            broken, errors = records.err_count > errors, records.err_count
            if pending is not None:
                if broken:
                    pending.reason = pending.reason or BROKEN_RECORD
                yield pending
                found += 1
                pending = None
            if record.format != "warc":  # warcio reads junk lines as ARC records
                raise IngestError(f"not a readable WARC file: record {index} is not a WARC record")
            pending = _input(record, index, name)
    except IngestError:
        raise
    except Exception as exc:  # noqa: BLE001 - warcio meets hostile bytes with any exception at all
        if pending is not None:
            yield pending
        if index < 0:
            raise IngestError(f"not a readable WARC file: {_short(exc)}") from exc
        raise IngestError(f"the WARC file breaks off or is damaged after record {index}: {_short(exc)}; "
                          f"the records before it were read") from exc
    if index < 0:
        raise IngestError("not a readable WARC file: no WARC record found in it")
    if pending is not None:
        if records.err_count > errors:
            pending.reason = pending.reason or BROKEN_RECORD
        yield pending
        found += 1
    if not found:
        raise IngestError(f"the WARC file holds no HTML page ({index + 1} records, none an HTML response)")
    if name.lower().endswith(".gz"):
        _check_gzip_end(stream, index)


def _check_gzip_end(stream: BinaryIO, index: int) -> None:
    """A .warc.gz cut off inside a record's gzip member ends its reading without a word
    from warcio: the file is read through once more to find out."""
    try:
        stream.seek(0)
        with gzip.GzipFile(fileobj=stream) as unzipped:
            while unzipped.read(1024 * 1024):
                pass
    except (EOFError, OSError, zlib.error) as exc:
        raise IngestError(f"the WARC file breaks off or is damaged after record {index}: {_short(exc)}; "
                          f"the records before it were read") from exc


BROKEN_RECORD = "the record is broken: its declared length does not match its content"


def _input(record, index: int, name: str) -> WarcInput | None:
    if record.rec_type != "response" or record.http_headers is None:
        return None
    content_type = (record.http_headers.get_header("Content-Type") or "").lower()
    if not content_type.startswith(HTML_TYPES):
        return None
    status = record.http_headers.get_statuscode()
    url = record.rec_headers.get_header("WARC-Target-URI")
    label = f"{name}#{index} {url}"
    try:
        source_url = check_url(url)
    except IngestError:
        source_url = None
    provenance = Provenance(source_url=source_url,
                            captured_at=_capture_time(record.rec_headers.get_header("WARC-Date")))
    if status != "200":
        return WarcInput(label, None, provenance, f"HTTP status {status}, not a page")
    data = record.content_stream().read(MAX_DOCUMENT_BYTES + 1)
    if len(data) > MAX_DOCUMENT_BYTES:
        return WarcInput(label, None, provenance,
                         f"the record is over {MAX_DOCUMENT_BYTES // (1024 * 1024)} MB; documents that large are refused")
    missing = getattr(record.raw_stream, "limit", 0) or 0
    if missing > 0:
        # The header promised more than the file holds: kept as evidence, never imported
        # as if it were the whole page.
        return WarcInput(label, data or None, provenance,
                         f"the record is cut short: {missing} of its declared bytes are missing")
    return WarcInput(label, data, provenance)


def _short(exc: BaseException) -> str:
    return (str(exc) or type(exc).__name__).splitlines()[0][:200]
