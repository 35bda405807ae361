"""What editors do to articles, as plain functions: each records its change in the history.

The admin calls these; so can a script. Index updates follow through the signals for the
articles' own saves, and through `search.indexing.AFTER_COMMIT` for what the ingest writes
(`archive.ingest.articles`) recompute: both reach the one index write path.
"""
from __future__ import annotations

import contextvars
from contextlib import contextmanager
from datetime import date

from django.db import transaction
from django.db.models import signals

from archive import db
from archive.ingest.articles import Writes, refresh_article
from archive.ingest.run import reextract as reextract_copies
from archive.models import EDITABLE_FIELDS, Article, ArticleChange, Copy
from archive.places import PlaceCache
from search.indexing import AFTER_COMMIT


def _edit_writes() -> Writes:
    """An editor's change reads places as the database holds them now, and its articles are
    indexed when its transaction commits."""
    return Writes(places=PlaceCache(), index=AFTER_COMMIT)


def _plain(value):
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "pk"):
        return str(value)
    return value


def record(article: Article, user, action: str, changes: dict | None = None) -> ArticleChange:
    return ArticleChange.objects.create(
        article=article,
        user=user if getattr(user, "is_authenticated", False) else None,
        action=action,
        changes={k: [_plain(old), _plain(new)] for k, (old, new) in (changes or {}).items()},
    )


# Set while code that records its own history entry saves an article (the admin, the
# functions here, a takedown), so the shell's automatic entry is not written twice.
_RECORDED_HERE = contextvars.ContextVar("archive_history_recorded_here", default=False)
_WATCHED = tuple(EDITABLE_FIELDS) + ("status",)


@contextmanager
def recorded_here():
    token = _RECORDED_HERE.set(True)
    try:
        yield
    finally:
        _RECORDED_HERE.reset(token)


def _attname(name: str) -> str:
    return Article._meta.get_field(name).attname


def _shell_edit_before(sender, instance: Article, raw=False, update_fields=None, **kwargs) -> None:
    """A save from outside the admin (a shell, a script): note what it changes, as the
    admin would, and mark the corrected fields as an editor's."""
    if raw or instance.pk is None or _RECORDED_HERE.get():
        return
    names = [n for n in _WATCHED if update_fields is None or n in update_fields]
    before = Article.objects.filter(pk=instance.pk).values(*[_attname(n) for n in names]).first()
    if before is None:
        return
    changes = {n: (before[_attname(n)], getattr(instance, _attname(n))) for n in names
               if before[_attname(n)] != getattr(instance, _attname(n))}
    if changes and update_fields is None:
        mark_edited(instance, list(changes))
    instance._shell_changes = changes


def _shell_edit_after(sender, instance: Article, created=False, raw=False, **kwargs) -> None:
    changes = instance.__dict__.pop("_shell_changes", None)
    if changes and not raw:
        record(instance, None, "edited (shell)", changes)


def connect_signals() -> None:
    signals.pre_save.connect(_shell_edit_before, sender=Article, dispatch_uid="archive.curation.shell_before")
    signals.post_save.connect(_shell_edit_after, sender=Article, dispatch_uid="archive.curation.shell_after")


def mark_edited(article: Article, fields) -> None:
    """Remember which fields the editor corrected, so the machine never overwrites them."""
    edited = list(article.edited_fields or [])
    edited.extend(f for f in fields if f in EDITABLE_FIELDS and f not in edited)
    article.edited_fields = edited


def set_places(article: Article, slugs_after: set[str], user) -> None:
    """An editor's choice of places: removed ones stay removed, added ones stay confirmed."""
    before = {p.slug for p in article.places.all()}
    article.places.set(list(article.places.model.objects.filter(slug__in=slugs_after)))
    places_changed(article, before, set(slugs_after), user)


def places_changed(article: Article, before: set[str], slugs_after: set[str], user) -> None:
    removed, added = before - slugs_after, slugs_after - before
    if not removed and not added:
        return
    article.rejected_places = sorted((set(article.rejected_places or []) | removed) - added)
    article.confirmed_places = sorted((set(article.confirmed_places or []) | added) - removed)
    article.save(update_fields=["rejected_places", "confirmed_places", "updated"])
    record(article, user, "places", {"places": [sorted(before), sorted(slugs_after)]})


def confirm_places(article: Article, user) -> None:
    slugs = sorted({p.slug for p in article.places.all()} | set(article.confirmed_places or []))
    if slugs != sorted(article.confirmed_places or []):
        record(article, user, "confirm places", {"confirmed_places": [article.confirmed_places, slugs]})
        article.confirmed_places = slugs
        article.save(update_fields=["confirmed_places", "updated"])


def set_status(article: Article, status: str, user) -> bool:
    if article.status == status or article.status in (Article.Status.MERGED, Article.Status.TAKEN_DOWN):
        return False
    old = article.status
    article.status = status
    with recorded_here():
        article.save(update_fields=["status", "updated"])
    record(article, user, status, {"status": [old, status]})
    return True


@transaction.atomic
def merge(target: Article, others: list[Article], user) -> Article:
    """Make `others` copies of `target`. Their ids redirect to it from now on."""
    # An import adding a copy to one of them finishes first, and is then read afresh.
    db.lock_rows(Article.objects.filter(pk__in=[target.pk, *(o.pk for o in others)]))
    if db.is_postgresql():
        for article in (target, *others):
            article.refresh_from_db()
    with recorded_here():
        return _merge(target, others, user)


def _merge(target: Article, others: list[Article], user) -> Article:
    for other in others:
        if other.pk == target.pk:
            continue
        moved = list(other.copies.values_list("id", flat=True))
        Copy.objects.filter(article=other).update(article=target)
        target.confirmed_places = sorted(set(target.confirmed_places or []) | set(other.confirmed_places or []))
        old_status = other.status
        other.status = Article.Status.MERGED
        other.merged_into = target
        other.save(update_fields=["status", "merged_into", "updated"])
        record(other, user, "merged away", {"status": [old_status, "merged"], "merged_into": [None, target.pk]})
        record(target, user, "merged", {"copies": [None, f"{len(moved)} copies from article {other.pk}"]})
    target.save()
    return refresh_article(target, _edit_writes())


@transaction.atomic
def split(copy: Copy, user) -> Article:
    """Take one copy out of its article into a new article of its own (a wrong merge)."""
    source = copy.article
    if source.status == Article.Status.TAKEN_DOWN:
        raise ValueError("a taken-down article's copies stay with it")
    if source.copies.count() < 2:
        raise ValueError("an article's only copy cannot be split out")
    new = Article.objects.create(title=copy.title or source.title, body=copy.body,
                                 language=copy.language or source.language, status=source.status)
    copy.article = new
    copy.save(update_fields=["article"])
    writes = _edit_writes()
    refresh_article(new, writes)
    refresh_article(source, writes)
    record(source, user, "split", {"copies": [f"copy {copy.pk}", f"moved to article {new.pk}"]})
    record(new, user, "split from", {"article": [source.pk, new.pk]})
    return new


def reextract(articles, user) -> int:
    """Re-run cleaning and extraction on the articles' raw captures; corrections stay."""
    articles = list(articles)
    count = reextract_copies(Copy.objects.filter(article__in=articles), _edit_writes())
    for article in articles:
        record(article, user, "re-extracted")
    return count
