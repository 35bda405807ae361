"""Stage 5, store: the only stage that touches the ORM.

One transaction per document: the raw capture is recorded (its bytes are already on disk,
content-addressed), and the article is created, or the document is merged into an
existing article as another copy. The article and copy writes themselves are
`articles`'s; this module finds where a document belongs and keeps its raw bytes.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

from archive import db
from archive.ingest import articles
from archive.ingest import fingerprint as fp_stage
from archive.ingest.clean import CleanDocument
from archive.ingest.event_store import add_new_events, refresh_events
from archive.ingest.events import TextEvents
from archive.ingest.extract import Metadata
from archive.ingest.read import Provenance, RawDocument
from archive.models import Article, Copy, RawCapture, SketchKey


@dataclass(frozen=True)
class Outcome:
    name: str
    status: str  # 'imported' | 'merged' | 'unchanged' | 'rejected'
    article_id: int | None = None
    reason: str = ""


def raw_path(sha256: str) -> Path:
    return Path(settings.RAW_CAPTURE_DIR) / sha256[:2] / sha256[2:4] / sha256


class RawStore:
    """Writes raw captures, once and atomically: a killed import leaves either the whole
    file or none.

    With `batched_sync`, files are not flushed to disk one by one (a millisecond each, a
    tenth of a bulk import's storing time) but together, every SYNC_EVERY files and when
    the run ends (`sync`). A killed process loses nothing either way (written files stay in
    the OS's cache); a power cut can lose the files of the last few seconds, as it can lose
    the database's last commits (SQLite runs with synchronous=NORMAL)."""

    SYNC_EVERY = 1000

    def __init__(self, batched_sync: bool = False):
        self.batched_sync = batched_sync
        self.unsynced = 0

    def save(self, data: bytes, sha256: str) -> Path:
        path = raw_path(sha256)
        if path.exists():
            return path
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                if not self.batched_sync:
                    os.fsync(handle.fileno())
                else:
                    self.unsynced += 1
                    if self.unsynced >= self.SYNC_EVERY:
                        self.sync()
            os.replace(tmp, path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
        return path

    def sync(self) -> None:
        if self.batched_sync:
            os.sync()
        self.unsynced = 0


def record_rejected_file(path: Path, reason: str, name: str | None = None) -> None:
    """Keep a file too large to import (or a container that cannot be read), hashing and
    copying it in chunks."""
    with path.open("rb") as source:
        record_rejected_stream(source, name or str(path), reason)


def record_rejected_stream(source, name: str, reason: str) -> None:
    """Keep the bytes of a stream that cannot be imported, in chunks, never whole in memory."""
    digest = hashlib.sha256()
    target_dir = Path(settings.RAW_CAPTURE_DIR) / "incoming"
    target_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target_dir, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            for chunk in iter(lambda: source.read(1024 * 1024), b""):
                digest.update(chunk)
                handle.write(chunk)
        sha256 = digest.hexdigest()
        final = raw_path(sha256)
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp, final)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    RawCapture.objects.update_or_create(
        sha256=sha256,
        defaults={"size": final.stat().st_size, "original_name": name[:500], "rejected_reason": reason},
    )


def read_raw_bytes(capture: RawCapture) -> bytes:
    return raw_path(capture.sha256).read_bytes()


def already_imported(sha256: str) -> int | None:
    """The article id if these exact bytes were imported before."""
    copy = Copy.objects.filter(raw__sha256=sha256).only("article_id").first()
    return copy.article_id if copy else None


def record_rejection(data: bytes, name: str, provenance: Provenance, reason: str, captures: RawStore) -> None:
    """Keep the bytes of a file that could not be imported, so it can be retried after a fix."""
    sha256 = hashlib.sha256(data).hexdigest()
    captures.save(data, sha256)
    RawCapture.objects.update_or_create(
        sha256=sha256,
        defaults={
            "size": len(data),
            "original_name": name[:500],
            "source_url": provenance.source_url or "",
            "site": provenance.site or "",
            "captured_at": provenance.captured_at,
            "rejected_reason": reason,
        },
    )


# Rows read per lookup key, and candidates compared per new document: both bounded, so
# finding a copy costs the same whatever the size of the archive.
KEY_SAMPLE = 16
MAX_CANDIDATES = 12
# A copy shares most of its word 3-grams, so most of the 32 keys; one sharing
# fewer than 3 cannot be one, and is not even read.
MIN_SHARED_KEYS = 3


def _candidate_copies(keys: list[int]) -> list[tuple[int, int, list[int]]]:
    """(copy id, article id, sketch) of the copies sharing the most lookup keys with a new
    document, in one query, in order of copy id."""
    if not keys:
        return []
    table = SketchKey._meta.db_table
    one = f"SELECT copy_id FROM (SELECT copy_id FROM {table} WHERE key = %s LIMIT {KEY_SAMPLE}) AS k{{}}"
    sampled = " UNION ALL ".join(one.format(n) for n in range(len(keys)))
    best = (f"SELECT copy_id FROM ({sampled}) AS sampled GROUP BY copy_id HAVING COUNT(*) >= {MIN_SHARED_KEYS} "
            f"ORDER BY COUNT(*) DESC, copy_id LIMIT {MAX_CANDIDATES}")
    column = {name: connection.ops.quote_name(Copy._meta.get_field(name).column) for name in ("id", "article", "sketch")}
    sql = (f"SELECT {column['id']}, {column['article']}, {column['sketch']} FROM {Copy._meta.db_table} "
           f"WHERE {column['id']} IN ({best}) ORDER BY {column['id']}")
    with connection.cursor() as cursor:
        cursor.execute(sql, list(keys))
        # A JSON column comes back as its text (as Django's JSONField reads it).
        return [(copy_id, article_id, json.loads(sketch) if isinstance(sketch, str) else sketch)
                for copy_id, article_id, sketch in cursor.fetchall()]


def _find_duplicate(fingerprint: fp_stage.Fingerprint, text: str, places: list[str]) -> Article | None:
    """The article this text is a copy of: the same text, or a near-duplicate that names
    the same places and numbers (see fingerprint.same_article; measured in
    bench/near_duplicates.py)."""
    exact = Copy.objects.filter(text_sha256=fingerprint.text_sha256).only("article_id").first()
    if exact:
        return db.locked(Article.objects).get(pk=exact.article_id)
    best_id = _near_duplicate_id(fingerprint, text, places)
    if best_id is None:
        return None
    return _locked_final(best_id)


def _near_duplicate_id(fingerprint: fp_stage.Fingerprint, text: str, places: list[str]) -> int | None:
    """The article of the stored copy this text is a near-duplicate of, if any."""
    # Sketches only: most candidates share a few keys and are not similar enough; only
    # one that is has its places and body read, to compare their numbers.
    new_numbers = None
    best_id, best_score = None, 0.0
    hashes = set(fingerprint.sketch)
    for copy_id, article_id, sketch in _candidate_copies(fingerprint.keys):
        if not fp_stage.may_reach(hashes, sketch):
            continue
        score = fp_stage.similarity(fingerprint.sketch, sketch)
        if score < fp_stage.DUPLICATE_THRESHOLD or score <= best_score:
            continue
        if new_numbers is None:
            new_numbers = fp_stage.numbers(text)
        metadata, body = Copy.objects.values_list("metadata", "body").get(pk=copy_id)
        old_places = (metadata or {}).get("places", [])
        if fp_stage.same_article(score, places, old_places, new_numbers, fp_stage.numbers(body)):
            best_id, best_score = article_id, score
    return best_id


def _locked_final(article_id: int) -> Article:
    """The article a new copy joins, locked until the import's transaction ends, so that
    an editor's save of the same article waits for it instead of overwriting it."""
    best = db.locked(Article.objects).get(pk=article_id)
    if best.status != Article.Status.MERGED:
        return best
    final = best.final()
    return db.locked(Article.objects).get(pk=final.pk) if final.pk != best.pk else final


def store(
    raw: RawDocument,
    cleaned: CleanDocument,
    meta: Metadata,
    fingerprint: fp_stage.Fingerprint,
    status: str,
    writes: articles.Writes,
    captures: RawStore,
    known_events: TextEvents | None = None,
) -> Outcome:
    """`known_events`: the article's events as read in the extract pass
    (events.read_events), used if the stored article has that text."""
    captures.save(raw.data, raw.sha256)
    with transaction.atomic():
        # One import at a time looks for the document's duplicate and stores it, so two
        # copies imported side by side cannot both become new articles (archive.db).
        db.import_lock()
        existing = already_imported(raw.sha256)
        if existing:
            return Outcome(raw.name, "unchanged", existing)
        fields = _capture_fields(raw)
        # Inside this transaction nothing else can write the row: no savepoint needed.
        capture = RawCapture.objects.filter(sha256=raw.sha256).first()
        if capture is None:
            capture = RawCapture.objects.create(sha256=raw.sha256, **fields)
        else:
            RawCapture.objects.filter(pk=capture.pk).update(**fields)
        copy = articles.new_copy(capture, articles.copy_values(raw.provenance, cleaned.text, meta, fingerprint))
        article = _find_duplicate(fingerprint, cleaned.text, meta.places)
        if article is None:
            article, slugs = articles.create_article(copy, meta, status, writes)
            articles.add_copy(article, copy, fingerprint.keys)
            refresh_events(article, writes.places, known=known_events, slugs=slugs, new=True)
            return Outcome(raw.name, "imported", article.id)
        articles.add_copy(article, copy, fingerprint.keys)
        articles.refresh_article(article, writes, meta)
    return Outcome(raw.name, "merged", article.id)


@dataclass
class Document:
    """What `store_many` stores of one document: the stages' parts."""

    raw: RawDocument
    cleaned: CleanDocument
    meta: Metadata
    fingerprint: fp_stage.Fingerprint
    known_events: TextEvents | None = None


def _capture_fields(raw: RawDocument) -> dict:
    return {
        "size": len(raw.data),
        "original_name": raw.name[:500],
        "media_type": raw.media_type,
        "encoding": raw.encoding,
        "source_url": raw.provenance.source_url or "",
        "site": raw.provenance.site or "",
        "captured_at": raw.provenance.captured_at,
        "rejected_reason": "",
    }


class _Pending:
    """New articles decided in one `store_many` call, written together by `write`. A
    document that may be a copy of one of them (the same bytes, the same text, or a near
    duplicate as `_near_duplicate_id` judges one, over all of them where the database
    samples) is a `conflict`: the caller writes these first and stores that document on
    its own, so the merge is decided as it always is."""

    def __init__(self) -> None:
        self.docs: list[tuple[int, Document]] = []
        self.shas: set[str] = set()
        self.texts: set[str] = set()
        self.keys: dict[int, list[int]] = {}  # lookup key -> positions in docs

    def conflicts(self, doc: Document) -> bool:
        if doc.raw.sha256 in self.shas or doc.fingerprint.text_sha256 in self.texts:
            return True
        shared: dict[int, int] = {}
        for key in set(doc.fingerprint.keys):
            for n in self.keys.get(key, ()):
                shared[n] = shared.get(n, 0) + 1
        numbers = None
        hashes = set(doc.fingerprint.sketch)
        for n, count in shared.items():
            if count < MIN_SHARED_KEYS:
                continue
            other = self.docs[n][1]
            if not fp_stage.may_reach(hashes, other.fingerprint.sketch):
                continue
            score = fp_stage.similarity(doc.fingerprint.sketch, other.fingerprint.sketch)
            if score < fp_stage.DUPLICATE_THRESHOLD:
                continue
            if numbers is None:
                numbers = fp_stage.numbers(doc.cleaned.text)
            # As `_near_duplicate_id` compares a stored copy (its places are its metadata's).
            if fp_stage.same_article(score, doc.meta.places, other.meta.places, numbers,
                                     fp_stage.numbers(other.cleaned.text)):
                return True
        return False

    def add(self, position: int, doc: Document) -> None:
        n = len(self.docs)
        self.docs.append((position, doc))
        self.shas.add(doc.raw.sha256)
        self.texts.add(doc.fingerprint.text_sha256)
        for key in set(doc.fingerprint.keys):
            self.keys.setdefault(key, []).append(n)

    def write(self, status: str, writes: articles.Writes, known_captures: dict[str, RawCapture],
              outcomes: list) -> None:
        """Captures, articles, copies, keys, places and events of every pending document,
        a few inserts for all; each document's outcome set at its position."""
        if not self.docs:
            return
        fresh = [RawCapture(sha256=d.raw.sha256, **_capture_fields(d.raw)) for _, d in self.docs
                 if d.raw.sha256 not in known_captures]
        RawCapture.objects.bulk_create(fresh)
        captures = {c.sha256: c for c in fresh}
        for _, doc in self.docs:
            capture = known_captures.get(doc.raw.sha256)
            if capture is not None:  # kept before as a rejection: now imported
                RawCapture.objects.filter(pk=capture.pk).update(**_capture_fields(doc.raw))
                captures[doc.raw.sha256] = capture
        copies = [articles.new_copy(captures[d.raw.sha256],
                                    articles.copy_values(d.raw.provenance, d.cleaned.text, d.meta, d.fingerprint))
                  for _, d in self.docs]
        made = articles.create_articles([(copy, d.meta) for copy, (_, d) in zip(copies, self.docs)], status, writes)
        articles.add_copies([(article, copy, d.fingerprint.keys)
                             for (article, _), copy, (_, d) in zip(made, copies, self.docs)])
        add_new_events([(article, d.known_events, slugs) for (article, slugs), (_, d) in zip(made, self.docs)],
                       writes.places)
        for (article, _), (position, doc) in zip(made, self.docs):
            outcomes[position] = Outcome(doc.raw.name, "imported", article.id)
        self.__init__()


def store_many(docs: list[Document], status: str, writes: articles.Writes, captures: RawStore) -> list[Outcome]:
    """Documents in order, in one transaction, with their outcomes in the same order: what
    `store` gives for each in turn, in a few statements per batch instead of ~16 per
    document. New articles are written together (`_Pending`); a document that may be a
    copy of an article (in the database, or new in this batch) is stored by `store`, after
    the new articles before it are written, so every merge is decided as before."""
    outcomes: list[Outcome | None] = [None] * len(docs)
    with transaction.atomic():
        db.import_lock()
        shas = [d.raw.sha256 for d in docs]
        imported = dict(Copy.objects.filter(raw__sha256__in=shas).values_list("raw__sha256", "article_id"))
        known_captures = {c.sha256: c for c in RawCapture.objects.filter(sha256__in=shas)}
        same_text = set(Copy.objects.filter(text_sha256__in={d.fingerprint.text_sha256 for d in docs})
                        .values_list("text_sha256", flat=True))
        pending = _Pending()

        def write_pending() -> None:
            written = list(pending.docs)
            pending.write(status, writes, known_captures, outcomes)
            # Now in the database, where the checks at the batch's start did not look: a
            # later document with the same bytes is unchanged, one with the same text a
            # copy, as `store` would find them.
            for position, doc in written:
                imported.setdefault(doc.raw.sha256, outcomes[position].article_id)
                same_text.add(doc.fingerprint.text_sha256)

        for position, doc in enumerate(docs):
            captures.save(doc.raw.data, doc.raw.sha256)
            if doc.raw.sha256 in imported:
                outcomes[position] = Outcome(doc.raw.name, "unchanged", imported[doc.raw.sha256])
                continue
            if (not pending.conflicts(doc) and doc.fingerprint.text_sha256 not in same_text
                    and not _near_duplicate_in_database(doc)):
                pending.add(position, doc)
                continue
            write_pending()
            outcome = store(doc.raw, doc.cleaned, doc.meta, doc.fingerprint, status, writes, captures,
                            known_events=doc.known_events)
            outcomes[position] = outcome
            imported.setdefault(doc.raw.sha256, outcome.article_id)
            same_text.add(doc.fingerprint.text_sha256)
            known_captures.pop(doc.raw.sha256, None)
        write_pending()
    return outcomes


def _near_duplicate_in_database(doc: Document) -> bool:
    return _near_duplicate_id(doc.fingerprint, doc.cleaned.text, doc.meta.places) is not None
