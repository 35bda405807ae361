"""Store: the one home for article and copy writes.

Everything that makes or changes an Article or a Copy from what the pipeline extracted
goes through here: the import, `reprocess`, re-extract in the admin, merge and split.
Two mappings live here and nowhere else:

- `copy_values`: extracted metadata (and the cleaned text and its fingerprint) to the
  fields of a Copy;
- `article_values`: the best fields of an article's copies to the fields of the Article.

Writes here do not go through the model signals: the caller's `Writes.index` is told which
articles changed, so an import run batches them and an editor's change is indexed when it
commits, both through the one index write path (`search.indexing.index_articles`).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from django.db import connection
from django.utils import timezone

from archive.ingest import review
from archive.ingest.event_store import refresh_events
from archive.ingest.extract import Metadata
from archive.ingest.fingerprint import Fingerprint
from archive.ingest.merge import ArticleFields, CopyFields, best_fields
from archive.ingest.read import Provenance
from archive.ingest.sites import KNOWN
from archive.models import Article, Copy, Place, RawCapture, SketchKey, Source
from archive.places import PlaceCache, sync_places


class IndexSink(Protocol):
    """Where the ids of changed articles go: an import run's batch, or after the commit."""

    def add(self, ids: Iterable[int]) -> None: ...


@dataclass
class Writes:
    """What one operation's writes share: the place rows it has read and where the
    articles it changes are sent for indexing."""

    places: PlaceCache
    index: IndexSink


# --- the two mappings -----------------------------------------------------------------

def copy_values(provenance: Provenance, text: str, meta: Metadata, fingerprint: Fingerprint) -> dict:
    """The fields of a Copy, from what the stages made of its bytes."""
    return {
        "source_url": provenance.source_url or "",
        "site": provenance.site or "",
        "captured_at": provenance.captured_at,
        "title": meta.title[:500],
        "title_derived": meta.title_derived,
        "body": text,
        "language": meta.language,
        "published": meta.published,
        "date_precision": meta.date_precision or "",
        "source_slug": meta.source.slug if meta.source else "",
        "date_basis": (meta.date_basis or "")[:500],
        "site_slug": meta.site.slug if meta.site else "",
        "site_name": (meta.site.name if meta.site else "")[:200],
        "metadata": meta.as_json(),
        "text_sha256": fingerprint.text_sha256,
        "sketch": fingerprint.sketch,
    }


def article_values(merged: ArticleFields) -> dict:
    """The machine's fields of an Article, from the best of its copies (the source aside:
    it is a row, see `_source`)."""
    return {
        "title": merged.title[:500],
        "title_derived": merged.title_derived,
        "body": merged.body,
        "language": merged.language,
        "published": merged.published,
        "date_precision": merged.date_precision or "",
        "source_url": merged.source_url or "",
        "countries": merged.countries,
        "venue_places": merged.venues,
        "date_basis": merged.date_basis[:500],
        "site": merged.site_slug,
        "site_name": merged.site_name[:200],
        "needs_review": bool(merged.review),
        "review_reasons": merged.review,
    }


def copy_fields(copy: Copy) -> CopyFields:
    """A copy as `merge.best_fields` compares it (read back from its row, so the values are
    the ones `copy_values` wrote)."""
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
        venues=list(meta.get("venues", [])),
        countries=list(meta.get("countries", [])),
        date_basis=copy.date_basis,
        site_slug=copy.site_slug,
        site_name=copy.site_name,
        review=list(meta.get("review", [])),
    )


# --- writes ---------------------------------------------------------------------------

def _source(slug: str | None, meta: Metadata | None) -> Source | None:
    if not slug:
        return None
    info = meta.source if meta and meta.source and meta.source.slug == slug else KNOWN.get(slug)
    name = info.name if info else slug
    source, _ = Source.objects.get_or_create(
        slug=slug, defaults={"name": name, "homepage": info.homepage if info else ""}
    )
    return source


def _save_article(article: Article) -> None:
    """`article.save()` without the post_save signal: the caller indexes the article."""
    article.updated = timezone.now()
    fields = [f for f in Article._meta.concrete_fields if not f.primary_key]
    Article.objects.filter(pk=article.pk).update(**{f.attname: getattr(article, f.attname) for f in fields})


def _set_places(article: Article, places: list[Place]) -> None:
    """`article.places.set(places)` without the m2m_changed signal."""
    through = Article.places.through
    wanted = {p.pk for p in places}
    current = set(through.objects.filter(article_id=article.pk).values_list("place_id", flat=True))
    if current - wanted:
        through.objects.filter(article_id=article.pk, place_id__in=current - wanted).delete()
    through.objects.bulk_create([through(article_id=article.pk, place_id=pk) for pk in sorted(wanted - current)])


def create_article(first: Copy, meta: Metadata, status: str, writes: Writes) -> tuple[Article, list[str]]:
    """A new article made from its first copy (not saved yet): `create_articles` of one."""
    return create_articles([(first, meta)], status, writes)[0]


def create_articles(firsts: list[tuple[Copy, Metadata]], status: str, writes: Writes) -> list[tuple[Article, list[str]]]:
    """New articles, each made from its first copy (not saved yet), their fields as
    `refresh_article` would compute them, written in one insert; with the places that
    have a row, in one more. Returns each article and those places' slugs."""
    sources: dict[str | None, Source | None] = {}
    made = []
    for first, meta in firsts:
        merged = best_fields([copy_fields(first)])
        if merged.source_slug not in sources:
            sources[merged.source_slug] = _source(merged.source_slug, meta)
        article = Article(**article_values(merged), source=sources[merged.source_slug], status=status)
        made.append((article, merged.places))
    Article.objects.bulk_create([a for a, _ in made])  # no signal: the articles are indexed through `writes`
    wanted = {s for _, places in made for s in places}
    found = writes.places.by_slug(wanted)
    if len(found) < len(wanted):
        sync_places()
        found = writes.places.by_slug(wanted)
    out = [(article, [s for s in places if s in found]) for article, places in made]
    through = Article.places.through
    through.objects.bulk_create([through(article_id=a.pk, place_id=found[s].pk) for a, slugs in out for s in slugs])
    writes.index.add([a.pk for a, _ in out])
    return out


def new_copy(capture: RawCapture, values: dict) -> Copy:
    return Copy(raw=capture, **values)


def add_copy(article: Article, copy: Copy, keys: list[int]) -> Copy:
    """Save a copy as one of the article's, with its near-duplicate lookup keys."""
    add_copies([(article, copy, keys)])
    return copy


def add_copies(items: list[tuple[Article, Copy, list[int]]]) -> None:
    """Save copies, each as one of its article's, with their lookup keys: two inserts."""
    for article, copy, _ in items:
        copy.article = article  # (and the capture's id, if it was saved after the copy was made)
    Copy.objects.bulk_create([copy for _, copy, _ in items])
    _insert_keys([(copy.pk, k) for _, copy, keys in items for k in keys])


def _insert_keys(rows: list[tuple[int, int]]) -> None:
    """(copy id, key) rows of SketchKey, in one prepared statement: a copy has 32 keys,
    and making a model object of each cost five times the insert (0.49 against 0.09 ms a
    copy)."""
    if not rows:
        return
    quote = connection.ops.quote_name
    table, copy_column, key_column = (quote(SketchKey._meta.db_table), quote(SketchKey._meta.get_field("copy").column),
                                      quote(SketchKey._meta.get_field("key").column))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({copy_column}, {key_column}) VALUES (%s, %s)", rows)


def update_copy(copy: Copy, values: dict, keys: list[int]) -> None:
    """A copy extracted again from its raw bytes; its article is refreshed by the caller."""
    for name, value in values.items():
        setattr(copy, name, value)
    copy.save()
    copy.keys.all().delete()
    _insert_keys([(copy.pk, k) for k in keys])


def refresh_article(article: Article, writes: Writes, meta: Metadata | None = None) -> Article:
    """Recompute an article's fields from all its copies.

    Fields an editor corrected (`edited_fields`) keep the editor's value, and places an
    editor confirmed or removed stay confirmed or removed.
    """
    merged = best_fields([copy_fields(c) for c in article.copies.order_by("imported_at", "id")])
    edited = set(article.edited_fields or [])
    for name, value in article_values(merged).items():
        if name not in edited:
            setattr(article, name, value)
    # A date or headline an editor supplied is no longer a reason to look.
    article.review_reasons = review.article_reasons(merged.review, article.published, article.title_derived)
    if "needs_review" not in edited:
        article.needs_review = bool(article.review_reasons)
    if "source" not in edited:
        article.source = _source(merged.source_slug, meta)
    _save_article(article)
    rejected = set(article.rejected_places or [])
    slugs = [s for s in merged.places if s not in rejected]
    slugs += [s for s in (article.confirmed_places or []) if s not in slugs]
    places = list(Place.objects.filter(slug__in=slugs))
    if len(places) < len(set(slugs)):
        sync_places()
        places = list(Place.objects.filter(slug__in=slugs))
    _set_places(article, places)
    writes.index.add([article.pk])
    refresh_events(article, writes.places)
    return article
