"""The stages before store, for every input: read -> clean -> extract (events included)
-> fingerprint, giving one `Prepared` document (or the reason it cannot be) per input.

Plain data, made without writing to the database, so import workers can make it; the
import run (`archive.ingest.run`) stores what this gives, then indexes it. Bad input never
raises here: it becomes a `Prepared` with a reason, so one bad file never stops a batch.
"""
from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from django.conf import settings
from django.db import connections as db_connections

from archive.ingest import clean as clean_stage
from archive.ingest import extract as extract_stage
from archive.ingest import fingerprint as fp_stage
from archive.ingest import read as read_stage
from archive.ingest.budget import Overrun, budget
from archive.ingest.clean import CleanDocument
from archive.ingest.events import TextEvents, read_events
from archive.ingest.extract import Metadata
from archive.ingest.read import (
    IMPORTABLE_SUFFIXES,
    SIDECAR_SUFFIX,
    IngestError,
    Provenance,
    RawDocument,
    display_name,
    load_provenance,
    read_document,
    sha256_of,
)
from archive.ingest.uploads import iter_upload
from archive.ingest.warc import WarcInput
from archive.procname import name_process

# `known(sha256)`: the article id of bytes imported before, or None.
Known = Callable[[str], "int | None"]


@dataclass(frozen=True)
class Parts:
    """What the stages made of one document, in their order."""

    raw: RawDocument
    cleaned: CleanDocument
    meta: Metadata
    events: TextEvents
    fingerprint: fp_stage.Fingerprint


@dataclass
class Prepared:
    """A document taken through every stage before store, or the reason it cannot be."""

    name: str
    data: bytes = b""
    provenance: Provenance | None = None
    parts: Parts | None = None
    reason: str = ""
    kept_file: Path | None = None  # refused unread (too large, a broken container): its bytes are kept from the file
    unchanged: int | None = None  # the article these exact bytes were imported as


def prepare_bytes(data: bytes, name: str, provenance: Provenance, known: Known | None = None) -> Prepared:
    """`known` saves all the work for bytes imported before; import workers, which have
    no database, pass None and store finds out instead."""
    if data and known is not None:
        existing = known(sha256_of(data))
        if existing:
            return Prepared(name, unchanged=existing)
    seconds = settings.ARCHIVE_DOCUMENT_SECONDS
    try:
        try:
            with budget(seconds):
                parts = _stages(data, name, provenance, plain=False)
        except Overrun:
            # Past the budget: the page's text with its tags stripped, flagged for review.
            try:
                with budget(seconds):
                    parts = _stages(data, name, provenance, plain=True)
            except Overrun:
                return Prepared(name, data, provenance, reason=(
                    f"refused: it took over {seconds:g} s to process, even as plain text"))
    except IngestError as exc:
        return Prepared(name, data, provenance, reason=str(exc))
    return Prepared(name, data, provenance, parts=parts)


def _stages(data: bytes, name: str, provenance: Provenance, plain: bool) -> Parts:
    raw = read_document(data, name, provenance)
    cleaned = clean_stage.clean(raw, plain=plain)
    meta = extract_stage.extract(cleaned, provenance)
    events = read_events(f"{meta.title[:500]}\n{cleaned.text}", meta.published, meta.places)
    fingerprint = fp_stage.fingerprint(cleaned.text)
    return Parts(raw, cleaned, meta, events, fingerprint)


CONTAINER_SUFFIXES = (".zip", ".warc", ".warc.gz")


def is_container(path: Path) -> bool:
    return path.name.lower().endswith(CONTAINER_SUFFIXES)


def iter_input_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Files to import under the given files and folders, in a stable order.
    Sidecars are provenance, not documents. Symbolic links inside a folder are never
    followed (a link could make any file on the machine a capture editors can read):
    linked files are listed, to be refused by `prepare_path`, linked folders skipped."""
    for path in paths:
        if path.is_dir():
            found = []
            for folder, dirs, files in os.walk(path, followlinks=False):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                for file_name in files:
                    child = Path(folder) / file_name
                    if child.name.endswith(SIDECAR_SUFFIX) or child.name.startswith("."):
                        continue
                    if child.suffix.lower() in IMPORTABLE_SUFFIXES or is_container(child) or child.is_symlink():
                        found.append(child)
            yield from sorted(found)
        else:
            yield path



def prepare_inputs(inputs: Iterable[WarcInput], known: Known | None = None) -> Iterator[Prepared]:
    """Inputs from an upload, a zip or a WARC file; refused ones are reported, never dropped."""
    for item in inputs:
        if item.reason:  # refused; its bytes, when it has any, are kept
            yield Prepared(item.name, item.data or b"", item.provenance, reason=item.reason)
        else:
            yield prepare_bytes(item.data, item.name, item.provenance, known)


def prepare_path(path: Path, source_url: str | None = None, site: str | None = None,
                 known: Known | None = None) -> Prepared:
    """One page or dump on disk, read and taken through the stages before store."""
    name = display_name(path)
    if path.is_symlink():
        return Prepared(name, reason="refused: it is a symbolic link; links in an import folder are not followed")
    try:
        size = path.stat().st_size
        if size > read_stage.MAX_DOCUMENT_BYTES:
            # Refused without reading it into memory; its bytes are still kept, streamed.
            reason = (f"the document is {size / 1e6:.1f} MB; documents over "
                      f"{read_stage.MAX_DOCUMENT_BYTES // (1024 * 1024)} MB are refused")
            return Prepared(name, reason=reason, kept_file=path)
        data = path.read_bytes()
    except OSError as exc:
        return Prepared(name, reason=f"cannot be read: {exc.strerror or exc}")
    try:
        provenance = load_provenance(path, source_url=source_url, site=site)
    except IngestError as exc:
        return Prepared(name, data, Provenance(), reason=str(exc))
    return prepare_bytes(data, name, provenance, known)


def prepare_file(path: Path, source_url: str | None = None, site: str | None = None,
                 known: Known | None = None) -> Iterator[Prepared]:
    """One file on disk: a page or dump, or a zip or WARC file of many."""
    if not is_container(path):
        yield prepare_path(path, source_url, site, known)
        return
    name = display_name(path)
    if path.is_symlink():
        yield Prepared(name, reason="refused: it is a symbolic link; links in an import folder are not followed")
        return
    try:
        with path.open("rb") as stream:
            yield from prepare_inputs(iter_upload(name, stream), known)
    except IngestError as exc:
        # The container's own bytes are the evidence of what it held.
        yield Prepared(name, reason=str(exc), kept_file=path)
    except OSError as exc:
        yield Prepared(name, reason=f"cannot be read: {exc.strerror or exc}")


# Documents being prepared or waiting to be stored, at most: enough that the workers stay
# busy while the caller stores a whole batch (run.STORE_BATCH), few enough that prepared
# documents do not fill its memory (a few tens of kilobytes each).
WINDOW = 256
# A document a worker has not finished within this time is slow: the caller is told so
# (None) and stores what it holds. A worker usually hands one over within milliseconds, so
# the caller stores full batches; told at once, it stored a few at a time and paid a
# transaction's fixed cost for every few (bench/RESULTS.md, "Fuller store batches").
SLOW_SECONDS = 0.25


def _prepare_in_worker(args: tuple) -> Prepared:
    path, source_url, site = args
    return prepare_path(path, source_url, site)


def prepare_files(paths: list[Path], source_url: str | None = None, site: str | None = None,
                  known: Known | None = None, workers: int = 1) -> Iterator[Prepared | None]:
    """Files in order. With workers > 1, pages and dumps are prepared in that many worker
    processes while the caller stores them, one at a time and in the same order, so the
    outcome is the same as with one process. Each document is asked for only after the
    one before it was stored: `known` then sees it.

    None in the stream means "the next document is not ready yet (its file is still being
    read or prepared, SLOW_SECONDS after it was first waited for)": a caller that holds
    documents for a batched store stores them then, so a slow or blocked input never keeps
    the documents before it out of the archive."""
    pages = [p for p in paths if not is_container(p)]
    if workers <= 1 or len(pages) < 2 * workers:
        for path in paths:
            yield None  # reading this file may take long, or block
            yield from prepare_file(path, source_url, site, known)
        return
    # Forked workers must not share this process's database connections.
    db_connections.close_all()
    context = multiprocessing.get_context("fork")
    todo = iter(pages)
    with context.Pool(workers, initializer=name_process, initargs=("import-worker",)) as pool:
        # A bounded window of documents in flight: workers that run ahead of storing would
        # otherwise fill this process's memory with prepared documents (and slow every
        # garbage collection with them).
        window: deque = deque()

        def submit() -> None:
            for path in islice(todo, WINDOW - len(window)):
                window.append(pool.apply_async(_prepare_in_worker, ((path, source_url, site),)))

        submit()
        for path in paths:
            if is_container(path):
                yield None
                yield from prepare_file(path, source_url, site, known)
                continue
            if not window[0].ready():
                window[0].wait(SLOW_SECONDS)
                if not window[0].ready():
                    yield None
            prepared = window.popleft().get()
            submit()
            yield prepared
