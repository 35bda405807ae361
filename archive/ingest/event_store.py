"""Store, events: an article's events, pair evidence and stories, kept in the database.

Re-running replaces only what the machine extracted: events an editor confirmed, corrected
or rejected stay as the editor left them, and a rejected event is not extracted again.
"""
from __future__ import annotations

from datetime import timedelta

from django.db import transaction

from archive.ingest import events as rules
from archive.ingest.events import TextEvents, read_events
from archive.models import Article, PairEvidence, PartnershipEvent, Place, Story
from archive.places import PlaceCache


def extraction_key(event: rules.Event) -> str:
    return "|".join(str(part) for part in (event.type, event.vn, event.kr, event.date, event.date_precision or ""))


@transaction.atomic
def refresh_events(article: Article, places: PlaceCache, known: TextEvents | None = None,
                   slugs: list[str] | None = None, new: bool = False) -> None:
    """Re-read the article's events and pair evidence. `places` gives the place rows (an
    import run's cache); `known` is used when it was read from this very text, date and
    places; `new` says the article has no events, evidence or stories yet (it was just
    created), so there is nothing to look up or replace (see `add_new_events`)."""
    if new:
        add_new_events([(article, known, slugs)], places)
        return
    editor_kept = set(article.events.exclude(status=PartnershipEvent.Status.EXTRACTED)
                      .values_list("extracted_as", flat=True))
    article.events.filter(status=PartnershipEvent.Status.EXTRACTED).delete()
    article.pair_evidence.all().delete()
    events, pairs = _rows(article, places, known, slugs, editor_kept)
    if events:
        PartnershipEvent.objects.bulk_create(events)
    if pairs:
        PairEvidence.objects.bulk_create(pairs)
    regroup_story(article)


@transaction.atomic
def add_new_events(items: list[tuple[Article, TextEvents | None, list[str] | None]], places: PlaceCache) -> None:
    """The events and pair evidence of articles just created (none has any yet), each
    with its `known` events and place slugs as `refresh_events` takes them: one insert
    for all their events and one for all their evidence, then each joins its stories."""
    made = [(article, *_rows(article, places, known, slugs, set())) for article, known, slugs in items]
    events = [e for _, article_events, _ in made for e in article_events]
    pairs = [p for _, _, article_pairs in made for p in article_pairs]
    if events:
        PartnershipEvent.objects.bulk_create(events)
    if pairs:
        PairEvidence.objects.bulk_create(pairs)
    for article, article_events, _ in made:
        # A date taken from the article is no evidence of when the event was (a background
        # mention): such events make no story.
        kept = [rules.Event(e.type, e.vn.slug, e.kr.slug, e.date, e.date_precision or None, e.sentence)
                for e in article_events if not e.date_from_article]
        regroup_story(article, keys=rules.story_keys(kept, article.published), new=True)


def _rows(article: Article, places: PlaceCache, known: TextEvents | None, slugs: list[str] | None,
          editor_kept: set[str]) -> tuple[list[PartnershipEvent], list[PairEvidence]]:
    """The article's event and pair-evidence rows (not saved), but for events an editor
    kept (`editor_kept`: their extraction keys)."""
    text = f"{article.title}\n{article.body}"
    if slugs is None:
        slugs = [p.slug for p in article.places.all()]
    if known is None or (known.text, known.published, known.places) != (text, article.published, tuple(slugs)):
        known = read_events(text, article.published, slugs)
    found, evidence = known.events, known.evidence
    needed = {e.vn for e in found} | {e.kr for e in found} | {s for pair in evidence for s in pair}
    rows = places.by_slug(needed)
    # An event's date comes from its sentence, or else from the article's date with its
    # precision (issue 14); the extraction key stays what the rules read.
    fallback = (article.published, article.date_precision or "day") if article.published else (None, "")
    events = [
        PartnershipEvent(article=article, type=e.type, vn=rows[e.vn], kr=rows[e.kr],
                         date=e.date if e.date else fallback[0],
                         date_precision=(e.date_precision or "") if e.date else fallback[1],
                         date_from_article=not e.date and fallback[0] is not None,
                         sentence=rules.evidence_excerpt(e.sentence, 2000), extracted_as=extraction_key(e))
        for e in found
        if e.vn in rows and e.kr in rows and extraction_key(e) not in editor_kept
    ]
    pairs = [
        PairEvidence(article=article, vn=rows[vn], kr=rows[kr], sentence=rules.evidence_excerpt(sentence, 2000))
        for (vn, kr), sentence in evidence.items()
        if vn in rows and kr in rows
    ]
    return events, pairs


def _article_keys(article: Article):
    events = [
        rules.Event(e.type, e.vn.slug, e.kr.slug, e.date, e.date_precision or None, e.sentence)
        for e in article.events.exclude(status=PartnershipEvent.Status.REJECTED).exclude(date_from_article=True)
        .select_related("vn", "kr")
    ]
    return rules.story_keys(events, article.published)


def regroup_story(article: Article, keys=None, new: bool = False) -> None:
    """Put the article in the story of every other article reporting the same event.
    A `new` article is in no story yet; `keys` are its story keys when already known."""
    if not new:
        for story in list(article.stories.all()):
            story.articles.remove(article)
            if story.articles.count() < 2:
                story.delete()
    if article.status != Article.Status.PUBLISHED:
        return
    for type_, vn, kr, when in (_article_keys(article) if keys is None else keys):
        window = timedelta(days=rules.STORY_EVENT_DAYS + rules.STORY_REPORT_DAYS)
        candidates = (
            Article.objects.published()
            .exclude(pk=article.pk)
            .filter(events__type=type_, events__vn__slug=vn, events__kr__slug=kr,
                    published__range=(when - window, when + window))
            .distinct()
        )
        mates = [c for c in candidates if rules.same_story(_article_keys(c), [(type_, vn, kr, when)])]
        if not mates:
            continue
        story = Story.objects.filter(articles__in=mates, type=type_, vn__slug=vn, kr__slug=kr).first()
        if story is None:
            story = Story.objects.create(type=type_, vn=Place.objects.get(slug=vn), kr=Place.objects.get(slug=kr),
                                         date=when)
            story.articles.add(*mates)
        story.articles.add(article)
