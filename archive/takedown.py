"""Taking an article down: gone from every public place, its text gone from the database,
its bytes refused by later imports, and the decision on record.

- The article's status becomes `taken_down`, which every public query leaves out (pages,
  API, feeds, sitemap, suggestions, counts, related lists, exports), and the index write
  that follows the commit removes it from search. The search cache is emptied (its pages
  hold titles and snippets), and the feeds' ETags change with the article's `updated`.
- Its partnership events and quoted evidence are deleted, and it leaves its stories (a
  story left with no article is deleted).
- Its title and body, and its copies' text, are blanked; its history keeps who, when and
  which fields, but no longer the old or new values of text fields.
- The raw bytes, the cleaned text's hash and (if asked) the URLs go on the block list
  (archive.blocklist); the raw capture stays as evidence until a superuser purges it.
"""
from __future__ import annotations

from django.core.cache import caches
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from archive import audit, blocklist
from archive.models import (
    Article,
    ArticleChange,
    BlockedItem,
    PairEvidence,
    PartnershipEvent,
    RawCapture,
    SketchKey,
    Takedown,
)

REMOVED = "(removed)"
TAKEN_DOWN_TITLE = "(taken down)"
# History values kept after a takedown: they say nothing of the article's text.
KEPT_VALUES = {"status", "merged_into", "language", "published", "date_precision", "countries"}


class TakedownError(ValueError):
    pass


def _scrub_history(article: Article) -> None:
    for change in ArticleChange.objects.filter(article=article):
        scrubbed = {name: (values if name in KEPT_VALUES else [REMOVED, REMOVED])
                    for name, values in (change.changes or {}).items()}
        if scrubbed != change.changes:
            ArticleChange.objects.filter(pk=change.pk).update(changes=scrubbed)


@transaction.atomic
def take_down(article: Article, user, reason: str, block_url: bool = False, request=None) -> Takedown:
    reason = (reason or "").strip()
    if not reason:
        raise TakedownError(gettext("a takedown needs a reason"))
    if article.status == Article.Status.MERGED:
        article = article.final()
    if article.status == Article.Status.TAKEN_DOWN:
        raise TakedownError(gettext("article %(id)s is already taken down") % {"id": article.pk})
    copies = list(article.copies.select_related("raw"))
    username = user.get_username() if getattr(user, "is_authenticated", False) else ""
    takedown = Takedown.objects.create(
        article=article, article_number=article.pk, user=user if username else None, username=username,
        reason=reason, blocks_url=block_url)
    blocklist.block(BlockedItem.Kind.SHA256, [c.raw.sha256 for c in copies], takedown)
    blocklist.block(BlockedItem.Kind.TEXT, [c.text_sha256 for c in copies], takedown)
    if block_url:
        urls = [c.source_url for c in copies] + [c.raw.source_url for c in copies] + [article.source_url]
        blocklist.block(BlockedItem.Kind.URL, urls, takedown)

    PartnershipEvent.objects.filter(article=article).delete()
    PairEvidence.objects.filter(article=article).delete()
    for story in list(article.stories.all()):
        story.articles.remove(article)
        if not story.articles.exists():
            story.delete()
    SketchKey.objects.filter(copy__article=article).delete()
    article.copies.update(title="", body="", metadata={}, sketch=[])
    old_status = article.status
    _scrub_history(article)
    article.title, article.body, article.source_url = TAKEN_DOWN_TITLE, "", ""
    article.status = Article.Status.TAKEN_DOWN
    from archive.curation import recorded_here

    with recorded_here():
        article.save()  # the signal sends it to the index, which removes it after the commit
    article.places.clear()
    ArticleChange.objects.create(
        article=article, user=takedown.user, action="taken down",
        changes={"status": [old_status, Article.Status.TAKEN_DOWN], "title": [REMOVED, TAKEN_DOWN_TITLE],
                 "body": [REMOVED, ""], "places": [REMOVED, []]})
    # Cached search pages are keyed by the index's state and would never be read again, but
    # they hold the article's title and snippets on disk: they go now, not when they age out.
    transaction.on_commit(caches["search"].clear)
    audit.record("takedown", user=user, request=request, summary=f"article {article.pk} taken down: {reason}"[:500],
                 article=article.pk, reason=reason, blocks_url=block_url,
                 raw=[c.raw.sha256 for c in copies])
    return takedown


def purgeable(capture: RawCapture) -> bool:
    """Only the bytes of a taken-down article (on the block list) can be purged."""
    return BlockedItem.objects.filter(kind=BlockedItem.Kind.SHA256, value=capture.sha256).exists()


def purge_raw(capture: RawCapture, user, request=None) -> bool:
    """Delete a taken-down capture's bytes from the raw store (superusers only). The row
    stays, so the copies that point at it and the block list still make sense."""
    from archive.ingest.store import raw_path

    if not getattr(user, "is_superuser", False):
        raise TakedownError(gettext("only a superuser can purge a raw capture"))
    if not purgeable(capture):
        raise TakedownError(gettext("capture %(sha)s is not from a taken-down article") % {"sha": capture.sha256[:12]})
    if capture.purged_at:
        return False
    raw_path(capture.sha256).unlink(missing_ok=True)
    RawCapture.objects.filter(pk=capture.pk).update(purged_at=timezone.now())
    audit.record("purge", user=user, request=request, summary=f"raw capture {capture.sha256[:12]} purged",
                 sha256=capture.sha256)
    return True
