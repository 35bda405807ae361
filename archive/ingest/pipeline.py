"""The flow of one document: read -> clean -> extract -> fingerprint -> store.

`import_bytes` never raises for bad input: it returns a 'rejected' outcome with the
reason, after keeping the raw bytes, so one bad file never stops a batch.
"""
from __future__ import annotations

import logging
import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from django.conf import settings
from django.db import connections as db_connections

from archive.ingest import clean as clean_stage
from archive.ingest import extract as extract_stage
from archive.ingest import fingerprint as fp_stage
from archive.ingest import read as read_stage
from archive.ingest import store as store_stage
from archive.ingest.read import (
    IMPORTABLE_SUFFIXES,
    SIDECAR_SUFFIX,
    IngestError,
    Provenance,
    load_provenance,
    read_document,
    sha256_of,
)
from archive.ingest.uploads import iter_upload
from archive.ingest.warc import WarcInput
from archive.models import Article
from archive.ingest.events import read_events

log = logging.getLogger(__name__)


def import_status(draft: bool = False) -> str:
    """New articles are published unless the import asks for drafts (--draft, or
    ARCHIVE_IMPORT_STATUS=draft), which an editor then checks and publishes."""
    if draft or settings.ARCHIVE_IMPORT_STATUS == Article.Status.DRAFT:
        return Article.Status.DRAFT
    return Article.Status.PUBLISHED


@dataclass
class Prepared:
    """A document taken through every stage before store, or the reason it cannot be:
    plain data, made without the database (so import workers can make it)."""

    name: str
    data: bytes = b""
    provenance: Provenance | None = None
    parts: tuple | None = None  # (raw, cleaned, meta, fingerprint, events)
    reason: str = ""
    too_large: Path | None = None  # refused unread; its bytes are kept from the file
    unchanged: int | None = None  # the article these exact bytes were imported as


def prepare_bytes(data: bytes, name: str, provenance: Provenance, known=None) -> Prepared:
    """`known(sha256)` gives the article id of bytes imported before (then nothing else is
    done); import workers, which have no database, pass None and store finds out instead."""
    if data and known is not None:
        existing = known(sha256_of(data))
        if existing:
            return Prepared(name, unchanged=existing)
    try:
        raw = read_document(data, name, provenance)
        cleaned = clean_stage.clean(raw)
        meta = extract_stage.extract(cleaned, provenance)
        fingerprint = fp_stage.fingerprint(cleaned.text)
    except IngestError as exc:
        return Prepared(name, data, provenance, reason=str(exc))
    events = read_events(f"{meta.title[:500]}\n{cleaned.text}", meta.published, meta.places)
    return Prepared(name, data, provenance, parts=(raw, cleaned, meta, fingerprint, events))


def store_prepared(prepared: Prepared, status: str | None = None) -> store_stage.Outcome:
    """The only part of an import that writes: store, or keep the bytes of a rejection."""
    name = prepared.name
    if prepared.unchanged is not None:
        return store_stage.Outcome(name, "unchanged", prepared.unchanged)
    if prepared.too_large is not None:
        store_stage.record_rejected_file(prepared.too_large, prepared.reason)
        return store_stage.Outcome(name, "rejected", reason=prepared.reason)
    if prepared.parts is None:
        if prepared.data:
            store_stage.record_rejection(prepared.data, name, prepared.provenance or Provenance(), prepared.reason)
        return store_stage.Outcome(name, "rejected", reason=prepared.reason)
    raw, cleaned, meta, fingerprint, events = prepared.parts
    return store_stage.store(raw, cleaned, meta, fingerprint, status or import_status(), known_events=events)


def import_bytes(data: bytes, name: str, provenance: Provenance, status: str | None = None) -> store_stage.Outcome:
    return store_prepared(prepare_bytes(data, name, provenance, known=store_stage.already_imported), status)


CONTAINER_SUFFIXES = (".zip", ".warc", ".warc.gz")


def iter_input_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Files to import under the given files and folders, in a stable order.
    Sidecars are provenance, not documents."""
    for path in paths:
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if child.name.endswith(SIDECAR_SUFFIX) or child.name.startswith("."):
                    continue
                lower = child.name.lower()
                if child.suffix.lower() in IMPORTABLE_SUFFIXES or lower.endswith(CONTAINER_SUFFIXES):
                    yield child
        else:
            yield path


def import_inputs(inputs: Iterable[WarcInput], status: str | None = None) -> Iterator[store_stage.Outcome]:
    """Inputs from an upload, a zip or a WARC file; refused ones are reported, never dropped."""
    for item in inputs:
        if item.data is None:
            yield store_stage.Outcome(item.name, "rejected", reason=item.reason)
        else:
            yield import_bytes(item.data, item.name, item.provenance, status)


def import_file(path: Path, source_url: str | None = None, site: str | None = None,
                status: str | None = None) -> Iterator[store_stage.Outcome]:
    """One file on disk: a page or dump, or a zip or WARC file of many."""
    if path.name.lower().endswith(CONTAINER_SUFFIXES):
        try:
            with path.open("rb") as stream:
                yield from import_inputs(iter_upload(path.name, stream), status)
        except (OSError, IngestError) as exc:
            yield store_stage.Outcome(str(path), "rejected", reason=str(exc))
        return
    yield import_path(path, source_url=source_url, site=site, status=status)


def prepare_path(path: Path, source_url: str | None = None, site: str | None = None, known=None) -> Prepared:
    """One page or dump on disk, read and taken through the stages before store."""
    name = str(path)
    try:
        size = path.stat().st_size
        if size > read_stage.MAX_DOCUMENT_BYTES:
            # Refused without reading it into memory; its bytes are still kept, streamed.
            reason = (f"the document is {size / 1e6:.1f} MB; documents over "
                      f"{read_stage.MAX_DOCUMENT_BYTES // (1024 * 1024)} MB are refused")
            return Prepared(name, reason=reason, too_large=path)
        data = path.read_bytes()
    except OSError as exc:
        return Prepared(name, reason=f"cannot be read: {exc.strerror or exc}")
    try:
        provenance = load_provenance(path, source_url=source_url, site=site)
    except IngestError as exc:
        return Prepared(name, data, Provenance(), reason=str(exc))
    return prepare_bytes(data, name, provenance, known)


def import_path(path: Path, source_url: str | None = None, site: str | None = None,
                status: str | None = None) -> store_stage.Outcome:
    return store_prepared(prepare_path(path, source_url, site, known=store_stage.already_imported), status)


# Documents being prepared or waiting to be stored, at most.
WINDOW = 64


def _prepare_in_worker(args: tuple) -> Prepared:
    path, source_url, site = args
    return prepare_path(path, source_url, site)


def import_files(paths: list[Path], source_url: str | None = None, site: str | None = None,
                 status: str | None = None, workers: int = 1) -> Iterator[store_stage.Outcome]:
    """Files in order, each reported. With workers > 1, pages and dumps are read, cleaned
    and extracted in that many worker processes while this process stores them, one at a
    time and in the same order, so the outcome is the same as with one process."""
    pages = [p for p in paths if not p.name.lower().endswith(CONTAINER_SUFFIXES)]
    if workers <= 1 or len(pages) < 2 * workers:
        for path in paths:
            yield from import_file(path, source_url=source_url, site=site, status=status)
        return
    # Forked workers must not share this process's database connections.
    db_connections.close_all()
    context = multiprocessing.get_context("fork")
    todo = iter(pages)
    with context.Pool(workers) as pool:
        # A bounded window of documents in flight: workers that run ahead of storing would
        # otherwise fill this process's memory with prepared documents (and slow every
        # garbage collection with them).
        window: deque = deque()

        def submit() -> None:
            for path in islice(todo, WINDOW - len(window)):
                window.append(pool.apply_async(_prepare_in_worker, ((path, source_url, site),)))

        submit()
        for path in paths:
            if path.name.lower().endswith(CONTAINER_SUFFIXES):
                yield from import_file(path, source_url=source_url, site=site, status=status)
                continue
            prepared = window.popleft().get()
            submit()
            yield store_prepared(prepared, status)


def reprocess_all() -> int:
    """Re-run clean and extract on every copy's raw bytes, then recompute its article."""
    from archive.models import Copy

    return reprocess_copies(Copy.objects.all())


def reprocess_copies(copies) -> int:
    """Re-run clean and extract on these copies' raw bytes, then recompute their articles
    (editor corrections stay: see `store.refresh_article`)."""
    count = 0
    articles = set()
    for copy in copies.select_related("raw").iterator():
        data = store_stage.read_raw_bytes(copy.raw)
        provenance = Provenance(copy.source_url or None, copy.captured_at, copy.site or None)
        try:
            raw = read_document(data, copy.raw.original_name, provenance)
            cleaned = clean_stage.clean(raw)
            meta = extract_stage.extract(cleaned, provenance)
        except IngestError as exc:
            log.warning("reprocess: copy %s of article %s: %s", copy.id, copy.article_id, exc)
            continue
        fingerprint = fp_stage.fingerprint(cleaned.text)
        copy.title = meta.title[:500]
        copy.title_derived = meta.title_derived
        copy.body = cleaned.text
        copy.language = meta.language
        copy.published = meta.published
        copy.date_precision = meta.date_precision or ""
        copy.source_slug = meta.source.slug if meta.source else ""
        copy.metadata = meta.as_json()
        copy.text_sha256 = fingerprint.text_sha256
        copy.sketch = fingerprint.sketch
        copy.save()
        copy.keys.all().delete()
        store_stage.SketchKey.objects.bulk_create(
            [store_stage.SketchKey(copy=copy, key=k) for k in fingerprint.keys]
        )
        articles.add(copy.article_id)
        count += 1
    for article in Article.objects.filter(id__in=articles):
        store_stage.refresh_article(article)
    return count

