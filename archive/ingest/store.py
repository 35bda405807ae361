"""Stage 5, store: the only stage that touches the ORM.

One transaction per document: the raw capture is recorded (its bytes are already on disk,
content-addressed), and the article is created, or the document is merged into an
existing article as another copy.
"""
from __future__ import annotations

import hashlib
import os
import threading
from contextlib import contextmanager
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

from archive.ingest import fingerprint as fp_stage
from archive.ingest.clean import CleanDocument
from archive.ingest.extract import Metadata
from archive.ingest.merge import CopyFields, best_fields
from archive.ingest.read import Provenance, RawDocument
from archive.ingest.sites import KNOWN
from archive.models import Article, Copy, Place, RawCapture, SketchKey, Source
from archive.places import places_by_slug, sync_places


@dataclass(frozen=True)
class Outcome:
    name: str
    status: str  # 'imported' | 'merged' | 'unchanged' | 'rejected'
    article_id: int | None = None
    reason: str = ""


def raw_path(sha256: str) -> Path:
    return Path(settings.RAW_CAPTURE_DIR) / sha256[:2] / sha256[2:4] / sha256


_sync = threading.local()


@contextmanager
def synced_in_batches():
    """Within it, raw captures are not flushed to disk one by one (a millisecond each, a
    tenth of a bulk import's storing time) but together, every SYNC_EVERY files and at the
    end. A killed process loses nothing either way (written files stay in the OS's cache);
    a power cut can lose the files of the last few seconds, as it can lose the database's
    last commits (SQLite runs with synchronous=NORMAL)."""
    outer = getattr(_sync, "deferred", False)
    _sync.deferred = True
    _sync.unsynced = 0
    try:
        yield
    finally:
        _sync.deferred = outer
        if not outer:
            sync_raw_captures()


SYNC_EVERY = 1000


def sync_raw_captures() -> None:
    os.sync()
    _sync.unsynced = 0


def save_raw_bytes(data: bytes, sha256: str) -> Path:
    """Write once, atomically: a killed import leaves either the whole file or none."""
    path = raw_path(sha256)
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if not getattr(_sync, "deferred", False):
                os.fsync(handle.fileno())
            else:
                _sync.unsynced += 1
                if _sync.unsynced >= SYNC_EVERY:
                    sync_raw_captures()
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return path


def record_rejected_file(path: Path, reason: str) -> None:
    """Keep a file too large to import, hashing and copying it in chunks."""
    digest = hashlib.sha256()
    target_dir = Path(settings.RAW_CAPTURE_DIR) / "incoming"
    target_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target_dir, prefix=".tmp-")
    try:
        with path.open("rb") as source, os.fdopen(fd, "wb") as handle:
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
        defaults={"size": final.stat().st_size, "original_name": str(path)[:500], "rejected_reason": reason},
    )


def read_raw_bytes(capture: RawCapture) -> bytes:
    return raw_path(capture.sha256).read_bytes()


def already_imported(sha256: str) -> int | None:
    """The article id if these exact bytes were imported before."""
    copy = Copy.objects.filter(raw__sha256=sha256).only("article_id").first()
    return copy.article_id if copy else None


def record_rejection(data: bytes, name: str, provenance: Provenance, reason: str) -> None:
    """Keep the bytes of a file that could not be imported, so it can be retried after a fix."""
    sha256 = hashlib.sha256(data).hexdigest()
    save_raw_bytes(data, sha256)
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


def _source(slug: str | None, meta: Metadata | None) -> Source | None:
    if not slug:
        return None
    info = meta.source if meta and meta.source and meta.source.slug == slug else KNOWN.get(slug)
    name = info.name if info else slug
    source, _ = Source.objects.get_or_create(
        slug=slug, defaults={"name": name, "homepage": info.homepage if info else ""}
    )
    return source


# Rows read per lookup key, and candidates compared per new document: both bounded, so
# finding a copy costs the same whatever the size of the archive.
KEY_SAMPLE = 16
MAX_CANDIDATES = 12
# A copy shares most of its word 3-grams, so most of the 32 keys; one sharing
# fewer than 3 cannot be one, and is not even read.
MIN_SHARED_KEYS = 3


def _candidate_copies(keys: list[int]) -> list[int]:
    """Copies sharing the most lookup keys with a new document, best first."""
    if not keys:
        return []
    table = SketchKey._meta.db_table
    one = f"SELECT copy_id FROM (SELECT copy_id FROM {table} WHERE key = %s LIMIT {KEY_SAMPLE}) AS k{{}}"
    sampled = " UNION ALL ".join(one.format(n) for n in range(len(keys)))
    sql = (f"SELECT copy_id FROM ({sampled}) AS sampled GROUP BY copy_id HAVING COUNT(*) >= {MIN_SHARED_KEYS} "
           f"ORDER BY COUNT(*) DESC, copy_id LIMIT {MAX_CANDIDATES}")
    with connection.cursor() as cursor:
        cursor.execute(sql, list(keys))
        return [row[0] for row in cursor.fetchall()]


def _find_duplicate(fingerprint: fp_stage.Fingerprint, text: str, places: list[str]) -> Article | None:
    """The article this text is a copy of: the same text, or a near-duplicate that names
    the same places and numbers (see fingerprint.same_article; measured in
    bench/near_duplicates.py)."""
    exact = Copy.objects.filter(text_sha256=fingerprint.text_sha256).select_related("article").first()
    if exact:
        return exact.article
    candidates = Copy.objects.filter(id__in=_candidate_copies(fingerprint.keys)).only(
        "id", "article_id", "sketch", "metadata")
    new_numbers = None
    best_id, best_score = None, 0.0
    for copy in candidates:
        score = fp_stage.similarity(fingerprint.sketch, copy.sketch)
        if score < fp_stage.DUPLICATE_THRESHOLD or score <= best_score:
            continue
        if new_numbers is None:
            new_numbers = fp_stage.numbers(text)
        old_places = (copy.metadata or {}).get("places", [])
        # The body is read only for a candidate similar enough to need its numbers.
        if fp_stage.same_article(score, places, old_places, new_numbers, fp_stage.numbers(copy.body)):
            best_id, best_score = copy.article_id, score
    if best_id is None:
        return None
    best = Article.objects.get(pk=best_id)
    return best.final() if best.status == Article.Status.MERGED else best


def copy_fields(copy: Copy) -> CopyFields:
    meta = copy.metadata or {}
    return CopyFields(
        title=copy.title,
        title_derived=copy.title_derived,
        body=copy.body,
        language=copy.language,
        published=copy.published,
        date_precision=copy.date_precision or None,
        source_slug=copy.source_slug or None,
        source_url=copy.source_url or None,
        places=list(meta.get("places", [])),
        countries=list(meta.get("countries", [])),
    )


def refresh_article(article: Article, meta: Metadata | None = None) -> Article:
    """Recompute an article's fields from all its copies.

    Fields an editor corrected (`edited_fields`) keep the editor's value, and places an
    editor confirmed or removed stay confirmed or removed.
    """
    merged = best_fields([copy_fields(c) for c in article.copies.order_by("imported_at", "id")])
    machine = {
        "title": merged.title[:500],
        "title_derived": merged.title_derived,
        "body": merged.body,
        "language": merged.language,
        "published": merged.published,
        "date_precision": merged.date_precision or "",
        "source_url": merged.source_url or "",
        "countries": merged.countries,
    }
    edited = set(article.edited_fields or [])
    for name, value in machine.items():
        if name not in edited:
            setattr(article, name, value)
    if "source" not in edited:
        article.source = _source(merged.source_slug, meta)
    article.save()
    rejected = set(article.rejected_places or [])
    slugs = [s for s in merged.places if s not in rejected]
    slugs += [s for s in (article.confirmed_places or []) if s not in slugs]
    places = list(Place.objects.filter(slug__in=slugs))
    if len(places) < len(set(slugs)):
        sync_places()
        places = list(Place.objects.filter(slug__in=slugs))
    article.places.set(places)
    from archive.ingest.event_store import refresh_events

    refresh_events(article)
    return article


def _new_copy_fields(raw: RawDocument, cleaned: CleanDocument, meta: Metadata) -> CopyFields:
    return CopyFields(
        title=meta.title[:500],
        title_derived=meta.title_derived,
        body=cleaned.text,
        language=meta.language,
        published=meta.published,
        date_precision=meta.date_precision or None,
        source_slug=meta.source.slug if meta.source else None,
        source_url=raw.provenance.source_url or None,
        places=list(meta.places),
        countries=list(meta.countries),
    )


def _create_article(raw: RawDocument, cleaned: CleanDocument, meta: Metadata, status: str) -> tuple[Article, list[str]]:
    """A new article, its fields as `refresh_article` would compute them from its one copy,
    written once. Returns it and its place slugs."""
    merged = best_fields([_new_copy_fields(raw, cleaned, meta)])
    article = Article.objects.create(
        title=merged.title[:500],
        title_derived=merged.title_derived,
        body=merged.body,
        language=merged.language,
        published=merged.published,
        date_precision=merged.date_precision or "",
        source_url=merged.source_url or "",
        countries=merged.countries,
        source=_source(merged.source_slug, meta),
        status=status,
    )
    return article, merged.places


def _add_new_places(article: Article, slugs: list[str]) -> list[str]:
    """Places of an article that has none yet; returns the slugs that have a place row."""
    found = places_by_slug(slugs)
    if len(found) < len(set(slugs)):
        sync_places()
        found = places_by_slug(slugs)
    through = Article.places.through
    through.objects.bulk_create([through(article_id=article.pk, place_id=found[s].pk) for s in slugs if s in found])
    return [s for s in slugs if s in found]


def store(
    raw: RawDocument,
    cleaned: CleanDocument,
    meta: Metadata,
    fingerprint: fp_stage.Fingerprint,
    status: str = Article.Status.PUBLISHED,
    known_events=None,
) -> Outcome:
    """`known_events`: the article's events as read ahead by an import worker
    (events.read_events), used if the stored article has that text."""
    save_raw_bytes(raw.data, raw.sha256)
    with transaction.atomic():
        existing = already_imported(raw.sha256)
        if existing:
            return Outcome(raw.name, "unchanged", existing)
        fields = {
            "size": len(raw.data),
            "original_name": raw.name[:500],
            "media_type": raw.media_type,
            "encoding": raw.encoding,
            "source_url": raw.provenance.source_url or "",
            "site": raw.provenance.site or "",
            "captured_at": raw.provenance.captured_at,
            "rejected_reason": "",
        }
        # Inside this transaction nothing else can write the row: no savepoint needed.
        capture = RawCapture.objects.filter(sha256=raw.sha256).first()
        if capture is None:
            capture = RawCapture.objects.create(sha256=raw.sha256, **fields)
        else:
            RawCapture.objects.filter(pk=capture.pk).update(**fields)
        article = _find_duplicate(fingerprint, cleaned.text, meta.places)
        new = article is None
        if new:
            article, slugs = _create_article(raw, cleaned, meta, status)
        copy = Copy.objects.create(
            article=article,
            raw=capture,
            source_url=raw.provenance.source_url or "",
            site=raw.provenance.site or "",
            captured_at=raw.provenance.captured_at,
            title=meta.title[:500],
            title_derived=meta.title_derived,
            body=cleaned.text,
            language=meta.language,
            published=meta.published,
            date_precision=meta.date_precision or "",
            source_slug=meta.source.slug if meta.source else "",
            metadata=meta.as_json(),
            text_sha256=fingerprint.text_sha256,
            sketch=fingerprint.sketch,
        )
        SketchKey.objects.bulk_create([SketchKey(copy=copy, key=k) for k in fingerprint.keys])
        if new:
            from archive.ingest.event_store import refresh_events

            refresh_events(article, known=known_events, slugs=_add_new_places(article, slugs), new=True)
        else:
            refresh_article(article, meta)
    return Outcome(raw.name, "merged" if not new else "imported", article.id)
