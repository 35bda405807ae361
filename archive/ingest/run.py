"""One import run: the `import_articles` command, the admin upload and `reprocess`.

A run holds what its documents share, and says at its call sites when things happen:

    with ImportRun(status) as run:        # places synced, index checked, journal marked
        for outcome in run.import_files(paths):   # read -> clean -> extract -> fingerprint
            ...                                   #   -> store (one transaction a batch)
    # leaving: the index is flushed (and, in a bulk import, its new segments merged),
    # raw captures synced, the journal mark removed

- the place rows it has read (`PlaceCache`);
- the articles waiting for the index (`IndexBatch`), written in batches and at the end;
- the raw-capture writer, which may sync to disk in batches (`RawStore`);
- the import journal's mark, which lets the next run repair the index if this one is killed.
"""
from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from pathlib import Path

from django.conf import settings

from archive import blocklist
from archive.ingest import articles
from archive.ingest import store as store_stage
from archive.ingest.pipeline import Prepared, prepare_bytes, prepare_files, prepare_inputs
from archive.ingest.read import IngestError, Provenance
from archive.ingest.store import Outcome
from archive.ingest.uploads import iter_upload
from archive.ingest.warc import WarcInput
from archive.models import Article, Copy, RawCapture
from archive.places import PlaceCache, sync_places
from search import indexing

log = logging.getLogger(__name__)

# Documents of a file import stored together: their new articles, copies, keys, places
# and events are a few inserts per batch (`store.store_many`), in one transaction.
STORE_BATCH = 100


def import_status(draft: bool = False) -> str:
    """New articles are published unless the import asks for drafts (--draft, or
    ARCHIVE_IMPORT_STATUS=draft), which an editor then checks and publishes."""
    if draft or settings.ARCHIVE_IMPORT_STATUS == Article.Status.DRAFT:
        return Article.Status.DRAFT
    return Article.Status.PUBLISHED


class ImportRun:
    """`background_index`: index batches are written by a forked child while the run goes
    on storing (bulk imports). `batched_sync`: raw captures reach the disk together, not one
    by one (see `RawStore`)."""

    def __init__(self, status: str | None = None, *, background_index: bool = False, batched_sync: bool = False,
                 user=None, origin: str = ""):
        self.status = status or import_status()
        # For the audit trail: who ran the import, from where ('command', 'upload'), and
        # how each document fared. A run without an origin (reprocess, tests) is not recorded.
        self.user, self.origin = user, origin
        self.outcomes: Counter = Counter()
        self.index = indexing.IndexBatch(background=background_index)
        self.writes = articles.Writes(places=PlaceCache(), index=self.index)
        self.captures = store_stage.RawStore(batched_sync=batched_sync)
        self.index_rebuilt = False
        self._stack = ExitStack()

    def __enter__(self) -> ImportRun:
        sync_places()
        self.index_rebuilt = indexing.ensure_index()
        self._stack.enter_context(indexing.write_journal())
        if self.index.background:
            # A bulk import's index batches merge no segments; leaving the run merges
            # them once, in steps (after the final flush: the stack closes after it).
            self._stack.enter_context(indexing.backend().bulk_writes())
        return self

    def __exit__(self, *exc_info) -> None:
        try:
            self.flush()
            self.captures.sync()
        finally:
            self._stack.close()
            if self.origin and self.outcomes:
                from archive import audit

                counts = ", ".join(f"{n} {status}" for status, n in sorted(self.outcomes.items()))
                audit.record("upload" if self.origin == "upload" else "import", user=self.user,
                             username="" if self.user else _system_user(),
                             summary=f"{self.origin}: {counts}", origin=self.origin,
                             outcomes=dict(self.outcomes))

    # --- the stages ---------------------------------------------------------------------

    def import_files(self, paths: list[Path], source_url: str | None = None, site: str | None = None,
                     workers: int = 1) -> Iterator[Outcome]:
        """Pages, dumps, zip and WARC files, in order, each reported."""
        batch: list[Prepared] = []
        for prepared in prepare_files(paths, source_url, site, known=_known, workers=workers):
            if prepared is not None:
                batch.append(prepared)
            if batch and (prepared is None or len(batch) >= STORE_BATCH):  # None: the next one is slow
                yield from self.store_batch(batch)
                batch = []
        yield from self.store_batch(batch)

    def store_batch(self, batch: list[Prepared]) -> list[Outcome]:
        """Documents in order, their outcomes in the same order, as `store` gives them one
        by one; the new articles among them written together (`store.store_many`)."""
        outcomes: list[Outcome | None] = [None] * len(batch)
        docs, positions = [], []
        for position, (prepared, refused) in enumerate(zip(batch, blocklist.refusals(batch))):
            outcome = self._settle(prepared, refused)
            if outcome is not None:
                outcomes[position] = outcome
                continue
            parts = prepared.parts
            docs.append(store_stage.Document(parts.raw, parts.cleaned, parts.meta, parts.fingerprint, parts.events))
            positions.append(position)
        for position, outcome in zip(positions, store_stage.store_many(docs, self.status, self.writes,
                                                                       self.captures)):
            outcomes[position] = outcome
        for outcome in outcomes:
            self.outcomes[outcome.status] += 1
        return outcomes

    def import_inputs(self, inputs: Iterable[WarcInput]) -> Iterator[Outcome]:
        """The inputs of one uploaded file."""
        for prepared in prepare_inputs(inputs, known=_known):
            yield self.store(prepared)

    def import_upload(self, name: str, stream) -> Iterator[Outcome]:
        """Every input of one uploaded file (a page, a zip or a WARC file). A container that
        cannot be read to the end is one more outcome, its bytes kept as the evidence."""
        try:
            yield from self.import_inputs(iter_upload(name, stream))
        except IngestError as exc:
            stream.seek(0)
            store_stage.record_rejected_stream(stream, name, str(exc))
            outcome = Outcome(name, "rejected", reason=str(exc))
            self.outcomes[outcome.status] += 1
            yield outcome

    def store(self, prepared: Prepared) -> Outcome:
        outcome = self._store(prepared)
        self.outcomes[outcome.status] += 1
        return outcome

    def _store(self, prepared: Prepared) -> Outcome:
        """The only part of an import that writes: store, or keep the bytes of a rejection."""
        outcome = self._settle(prepared, blocklist.refusal(prepared))
        if outcome is not None:
            return outcome
        parts = prepared.parts
        return store_stage.store(parts.raw, parts.cleaned, parts.meta, parts.fingerprint, self.status,
                                 self.writes, self.captures, known_events=parts.events)

    def _settle(self, prepared: Prepared, refused: str | None) -> Outcome | None:
        """The outcome of a document that is not stored as an article (blocked, unchanged,
        rejected: a rejection's bytes are kept), or None for one to store. `refused`: why
        the block list refuses it (blocklist.refusal), or None."""
        name = prepared.name
        # A taken-down article's bytes, text or URL: refused before anything is written.
        if refused:
            return Outcome(name, "blocked", reason=refused)
        if prepared.unchanged is not None:
            return Outcome(name, "unchanged", prepared.unchanged)
        if prepared.kept_file is not None:
            store_stage.record_rejected_file(prepared.kept_file, prepared.reason, prepared.name)
            return Outcome(name, "rejected", reason=prepared.reason)
        if prepared.parts is None:
            if prepared.data:
                store_stage.record_rejection(prepared.data, name, prepared.provenance or Provenance(),
                                             prepared.reason, self.captures)
            return Outcome(name, "rejected", reason=prepared.reason)
        return None

    def reprocess(self, copies=None) -> int:
        """Take these copies' raw bytes (all copies by default) through the stages again."""
        return reextract(Copy.objects.all() if copies is None else copies, self.writes)

    def retry_rejected(self) -> list[Outcome]:
        """Captures refused under older rules, taken through the stages again: what the
        rules now read as an article is imported (its kept bytes are the evidence)."""
        outcomes = []
        for capture in RawCapture.objects.filter(copies__isnull=True).exclude(rejected_reason="").iterator():
            try:
                data = store_stage.read_raw_bytes(capture)
            except OSError as exc:
                log.warning("reprocess: rejected capture %s cannot be read: %s", capture.sha256[:12], exc)
                continue
            provenance = Provenance(capture.source_url or None, capture.captured_at, capture.site or None)
            outcomes.append(self.store(prepare_bytes(data, capture.original_name, provenance)))
        return outcomes

    def flush(self) -> None:
        """Write every article stored so far to the index."""
        self.index.flush(final=True)


def _system_user() -> str:
    """Who ran a command-line import: the operating system's user name."""
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def _known(sha256: str) -> int | None:
    """Bytes imported before are `unchanged`, unless they are blocked: those go on to
    `ImportRun.store`, which reports them as blocked."""
    if blocklist.lookup(sha256=sha256):
        return None
    return store_stage.already_imported(sha256)


def reextract(copies, writes: articles.Writes) -> int:
    """Re-run the stages before store on these copies' raw bytes, then recompute their
    articles (editor corrections stay: see `articles.refresh_article`). Returns how many
    copies were extracted again."""
    count = 0
    changed = set()
    # A taken-down article's text is gone for good (archive.takedown): never extracted again.
    copies = copies.exclude(article__status=Article.Status.TAKEN_DOWN)
    for copy in copies.select_related("raw").iterator():
        data = store_stage.read_raw_bytes(copy.raw)
        provenance = Provenance(copy.source_url or None, copy.captured_at, copy.site or None)
        prepared = prepare_bytes(data, copy.raw.original_name, provenance)
        if prepared.parts is None:
            log.warning("reprocess: copy %s of article %s: %s", copy.id, copy.article_id, prepared.reason)
            continue
        parts = prepared.parts
        values = articles.copy_values(provenance, parts.cleaned.text, parts.meta, parts.fingerprint)
        articles.update_copy(copy, values, parts.fingerprint.keys)
        changed.add(copy.article_id)
        count += 1
    for article in Article.objects.filter(id__in=changed):
        articles.refresh_article(article, writes)
    return count
