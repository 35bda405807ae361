"""The archive's data: sources, places, raw captures, articles and their copies.

An Article is what readers see. Each time the same story arrives (from another site, at
another URL, or re-scraped) it becomes another Copy of that Article, and every Copy points
at the RawCapture of the exact bytes it was made from.
"""
from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from archive.textnorm import slugify_ascii

LANGUAGES = [("fr", _("French")), ("vi", _("Vietnamese")), ("ko", _("Korean")), ("en", _("English"))]
COUNTRIES = [("vn", _("Vietnam")), ("kr", _("South Korea"))]
DATE_PRECISIONS = [("day", _("day")), ("month", _("month")), ("year", _("year"))]
# The archive's own four; any other ISO 639-1 code is stored as it is and shown by name.
MAIN_LANGUAGES = tuple(code for code, _name in LANGUAGES)
OTHER_LANGUAGE = "other"  # the facet and filter key of every other language (lang=other)


def language_name(code: str | None) -> str:
    """'Vietnamese' for vi, and for a code outside the four its English name ('Malay')."""
    if not code:
        return ""
    if code in dict(LANGUAGES):
        return dict(LANGUAGES)[code]
    try:
        from babel import Locale

        return Locale(code).get_display_name("en") or code
    except Exception:  # an unknown or malformed code is shown as it is
        return code


def date_as_known(value, precision: str | None) -> str | None:
    """A date as precisely as it is known: '2023-02-21', '2019-11', '2019' or None."""
    if not value:
        return None
    if precision == "month":
        return value.strftime("%Y-%m")
    if precision == "year":
        return value.strftime("%Y")
    return value.isoformat()


class Source(models.Model):
    """A news agency, newspaper, portal or forum: 'vna', 'yonhap', 'binh-phuoc-portal'."""

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    homepage = models.URLField(_("homepage"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self) -> str:
        return self.name


class Place(models.Model):
    """A Vietnamese or Korean administrative unit; the gazetteer is the source of its names."""

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=200, help_text=_("In the place's own language."))
    country = models.CharField(_("country"), max_length=2, choices=COUNTRIES)
    kind = models.CharField(_("kind"), max_length=60, blank=True)
    successor = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="predecessors",
        verbose_name=_("successor"),
    )
    aliases = models.JSONField(_("aliases"), default=list, blank=True)

    class Meta:
        ordering = ["country", "name"]
        verbose_name = _("place")
        verbose_name_plural = _("places")

    def __str__(self) -> str:
        return self.label

    @property
    def kind_label(self) -> str:
        return self.kind.replace("_", " ")

    @property
    def label(self) -> str:
        """The own-language name, with the romanization first for Korean places:
        'Gyeonggi (경기도)', so readers of any language can read it."""
        from archive import gazetteer

        entry = gazetteer.get(self.slug)
        if entry and entry.country == "kr":
            roman = entry.names.get("vi") or entry.names.get("en")
            if roman and roman != self.name:
                return f"{roman} ({self.name})"
        return self.name


class RawCapture(models.Model):
    """The exact bytes of one input file, stored content-addressed under RAW_CAPTURE_DIR."""

    sha256 = models.CharField("SHA-256", max_length=64, unique=True)
    size = models.PositiveBigIntegerField(_("size"))
    original_name = models.CharField(_("original name"), max_length=500)
    media_type = models.CharField(_("media type"), max_length=100, blank=True)
    encoding = models.CharField(_("encoding"), max_length=50, blank=True)
    source_url = models.URLField(_("source URL"), max_length=2000, blank=True)
    site = models.CharField(_("site"), max_length=200, blank=True)
    captured_at = models.DateTimeField(_("captured at"), null=True, blank=True)
    first_seen = models.DateTimeField(_("first seen"), auto_now_add=True)
    rejected_reason = models.TextField(_("reason for rejection"), blank=True)
    purged_at = models.DateTimeField(
        _("purged at"), null=True, blank=True,
        help_text=_("When a superuser deleted these bytes from the raw store after a takedown."))

    class Meta:
        ordering = ["-first_seen"]
        verbose_name = _("raw capture")
        verbose_name_plural = _("raw captures")

    def __str__(self) -> str:
        return f"{self.original_name} ({self.sha256[:12]})"


class ArticleQuerySet(models.QuerySet):
    def published(self) -> "ArticleQuerySet":
        return self.filter(status=Article.Status.PUBLISHED)

    def for_lists(self) -> "ArticleQuerySet":
        """What a list of articles shows (archive/_result.html: the source, the places with
        their successors, the other reports of the same stories), read in four queries
        however long the list. The fields only editors read (LISTS_SKIP) are left unread:
        each is JSON, decoded per article.

        The places and stories come as plain lists (Article.listed_places, the stories'
        reports), not as a related manager's cache: Django makes a manager and a queryset
        for each article and relation to hold that cache, about 1.5 ms for a list of 20."""
        return self.select_related("source").defer(*LISTS_SKIP).prefetch_related(
            # A place's successor comes in the same query as the place ("now part of").
            models.Prefetch("places", queryset=Place.objects.select_related("successor").defer(
                "aliases", "successor__aliases"), to_attr=LISTED_PLACES),
            models.Prefetch("stories", queryset=Story.objects.only("id"), to_attr=LISTED_STORIES),
            # "also reported in" reads only these three fields of the story's other reports.
            models.Prefetch(f"{LISTED_STORIES}__articles", queryset=Article.objects.only("id", "status", "language"),
                            to_attr=LISTED_REPORTS),
        )

    def redirect_if_merged(self, pk: int, view_name: str):
        """A merged-away id answers with a permanent redirect to the published article it
        lives in (to that article's page when `view_name` is "article", otherwise to the
        URL named `view_name` with its id); None when the id was not merged away."""
        from django.shortcuts import redirect

        merged = self.filter(pk=pk, status=Article.Status.MERGED).first()
        if merged:
            final = merged.final()
            if final.status == Article.Status.PUBLISHED:
                if view_name == "article":
                    return redirect(final.get_absolute_url(), permanent=True)
                return redirect(view_name, pk=final.pk, permanent=True)
        return None


# The attributes for_lists() reads an article's places, its stories and their articles into.
LISTED_PLACES, LISTED_STORIES, LISTED_REPORTS = "_listed_places", "_listed_stories", "_listed_reports"

# An article's fields that only editors read (the admin, re-extraction): lists of articles
# (ArticleQuerySet.for_lists) leave them unread.
LISTS_SKIP = ("review_reasons", "edited_fields", "confirmed_places", "rejected_places")

# Fields an editor can correct; a corrected field is never overwritten by the machine.
EDITABLE_FIELDS = (
    "title", "title_derived", "body", "language", "published", "date_precision",
    "source", "source_url", "countries", "needs_review",
)


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        HIDDEN = "hidden", _("hidden")
        MERGED = "merged", _("merged into another article")
        # Removed everywhere by an editor's takedown (archive.takedown): answers 404 as a
        # hidden article does, and its text is gone from the database.
        TAKEN_DOWN = "taken_down", _("taken down")

    title = models.CharField(_("title"), max_length=500)
    title_derived = models.BooleanField(
        _("title derived"), default=False,
        help_text=_("No headline was found; the title was made from the lead sentence."),
    )
    body = models.TextField(_("body"))
    language = models.CharField(
        _("language"), max_length=2, db_index=True,
        help_text=_("ISO 639-1 code: vi, ko, fr, en, or another language's code (e.g. ms, ja)."),
    )
    published = models.DateField(_("published"), null=True, blank=True, db_index=True)
    date_precision = models.CharField(_("date precision"), max_length=5, choices=DATE_PRECISIONS, blank=True)
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("source"))
    source_url = models.URLField(_("source URL"), max_length=2000, blank=True)
    date_basis = models.CharField(
        _("date basis"), max_length=500, blank=True, help_text=_("How the date was found and the words that gave it."))
    site = models.CharField(_("site"), max_length=100, blank=True,
                            help_text=_("Slug of the site that carried the copy shown."))
    site_name = models.CharField(_("site name"), max_length=200, blank=True)
    needs_review = models.BooleanField(
        _("needs review"), default=False, db_index=True,
        help_text=_("The pipeline was unsure (no date, derived title, uncertain body or language); "
                    "the article is published all the same."))
    review_reasons = models.JSONField(_("review reasons"), default=list, blank=True,
                                      help_text=_("Why an editor should look at it."))
    places = models.ManyToManyField(Place, blank=True, related_name="articles", verbose_name=_("places"))
    venue_places = models.JSONField(
        _("venues and datelines"), default=list, blank=True,
        help_text=_("Place slugs named only as a venue or a dateline: not what the article is about."))
    countries = models.JSONField(_("countries"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PUBLISHED, db_index=True
    )
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_from",
        verbose_name=_("merged into"),
        help_text=_("Set when this article was merged into another: its permalink redirects there."),
    )
    edited_fields = models.JSONField(
        _("edited fields"), default=list, blank=True,
        help_text=_("Fields corrected by an editor; re-extraction leaves them alone."),
    )
    confirmed_places = models.JSONField(_("confirmed places"), default=list, blank=True,
                                        help_text=_("Place slugs an editor confirmed."))
    rejected_places = models.JSONField(_("rejected places"), default=list, blank=True,
                                       help_text=_("Place slugs an editor removed."))
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published", "-id"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    def __str__(self) -> str:
        return Truncator(self.title).chars(80)

    @property
    def slug(self) -> str:
        """ASCII words of the title; Hangul in Revised Romanization ('경기도' -> 'gyeonggido').
        An old URL with another slug (Korean titles once all had 'article') answers 301."""
        from archive.romanize import romanize

        return slugify_ascii(romanize(self.title))[:80].strip("-") or "article"

    def get_absolute_url(self) -> str:
        return reverse("article", args=[self.pk, self.slug])

    def listed_places(self) -> list["Place"]:
        """The article's places: as ArticleQuerySet.for_lists read them, else from the database."""
        places = getattr(self, LISTED_PLACES, None)
        return list(self.places.all()) if places is None else places

    def also_reported_in(self) -> list[tuple[str, int]]:
        """(language, story id) of other published reports of the same event."""
        found = {}
        stories = getattr(self, LISTED_STORIES, None)
        for story in self.stories.all() if stories is None else stories:
            reports = getattr(story, LISTED_REPORTS, None)
            for other in story.articles.all() if reports is None else reports:
                if other.pk != self.pk and other.status == Article.Status.PUBLISHED:
                    found.setdefault(other.language, story.pk)
        return sorted(found.items())

    def final(self) -> "Article":
        """The article this one now lives in, following merges."""
        article, seen = self, {self.pk}
        while article.merged_into_id and article.merged_into_id not in seen:
            seen.add(article.merged_into_id)
            article = article.merged_into
        return article

    @property
    def published_display(self) -> str | None:
        return date_as_known(self.published, self.date_precision)

    def get_language_display(self) -> str:
        return language_name(self.language)


class Copy(models.Model):
    """One capture of an article: where it came from and what the pipeline made of it."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="copies", verbose_name=_("article"))
    raw = models.ForeignKey(RawCapture, on_delete=models.PROTECT, related_name="copies", verbose_name=_("raw capture"))
    source_url = models.URLField(_("source URL"), max_length=2000, blank=True)
    site = models.CharField(_("site"), max_length=200, blank=True)
    captured_at = models.DateTimeField(_("captured at"), null=True, blank=True)
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    # What extraction found in this copy alone; the article takes the best of its copies.
    title = models.CharField(_("title"), max_length=500, blank=True)
    title_derived = models.BooleanField(_("title derived"), default=False)
    body = models.TextField(_("body"))
    language = models.CharField(_("language"), max_length=2, blank=True)
    published = models.DateField(_("published"), null=True, blank=True)
    date_precision = models.CharField(_("date precision"), max_length=5, blank=True)
    source_slug = models.CharField(_("source slug"), max_length=100, blank=True)
    date_basis = models.CharField(_("date basis"), max_length=500, blank=True)
    site_slug = models.CharField(_("site slug"), max_length=100, blank=True)
    site_name = models.CharField(_("site name"), max_length=200, blank=True)
    metadata = models.JSONField(_("metadata"), default=dict, blank=True)
    text_sha256 = models.CharField(_("SHA-256 of the text"), max_length=64, db_index=True)
    sketch = models.JSONField(_("sketch"), default=list, help_text=_("Bottom-k sketch of character shingles."))

    class Meta:
        ordering = ["imported_at", "id"]
        verbose_name = _("copy")
        verbose_name_plural = _("copies")

    def __str__(self) -> str:
        return f"copy of #{self.article_id} from {self.source_url or self.raw.original_name}"


class SketchKey(models.Model):
    """The smallest shingle hashes of a copy: a copy that shares one is a near-duplicate candidate."""

    copy = models.ForeignKey(Copy, on_delete=models.CASCADE, related_name="keys")
    key = models.BigIntegerField(db_index=True)


class ArticleChange(models.Model):
    """One entry of an article's history: who changed which fields, from what, to what."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="history", verbose_name=_("article"))
    user = models.ForeignKey("auth.User", null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("user"))
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    action = models.CharField(_("action"), max_length=40)
    changes = models.JSONField(_("changes"), default=dict, blank=True, help_text=_("field -> [old, new]"))

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("change")
        verbose_name_plural = _("history")

    def __str__(self) -> str:
        who = self.user.username if self.user_id else "the system"
        return f"{self.action} by {who} at {self.at:%Y-%m-%d %H:%M}"


EVENT_TYPES = [
    ("mou", _("memorandum of understanding")),
    ("letter_of_intent", _("letter of intent")),
    ("sister_city", _("sister-city agreement")),
    ("visit", _("delegation visit")),
    ("investment_conference", _("investment conference")),
    ("anniversary", _("anniversary or commemoration")),
    ("other", _("other")),
    ("plan", _("plan or proposal")),
    ("negated", _("said not to have happened")),
]


class PartnershipEvent(models.Model):
    """Something that happened between a Vietnamese and a Korean place, and the sentence
    it was read from. Confirmed and rejected events are never touched by a re-run."""

    class Status(models.TextChoices):
        EXTRACTED = "extracted", _("extracted")
        CONFIRMED = "confirmed", _("confirmed by an editor")
        REJECTED = "rejected", _("rejected by an editor")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="events", verbose_name=_("article"))
    type = models.CharField(_("type"), max_length=30, choices=EVENT_TYPES)
    vn = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="vn_events",
                           verbose_name=_("Vietnamese place"))
    kr = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="kr_events", verbose_name=_("Korean place"))
    date = models.DateField(_("date"), null=True, blank=True)
    date_precision = models.CharField(_("date precision"), max_length=5, choices=DATE_PRECISIONS, blank=True)
    sentence = models.TextField(_("sentence"))
    date_from_article = models.BooleanField(
        _("date of the article"), default=False,
        help_text=_("The sentence gives no date: the event takes the article's date and its precision."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.EXTRACTED,
                              db_index=True)
    extracted_as = models.CharField(
        _("extracted as"), max_length=300, blank=True, editable=False,
        help_text=_("What the rules first read (type, places, date): a re-run that reads it again knows "
                    "the editor already decided on it, even after a correction."),
    )

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("partnership event")
        verbose_name_plural = _("partnership events")

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.vn} – {self.kr} {self.date or ''}"

    @property
    def date_display(self) -> str | None:
        return date_as_known(self.date, self.date_precision)


class PairEvidence(models.Model):
    """A sentence that names a Vietnamese and a Korean place together with cooperation words."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="pair_evidence")
    vn = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="+")
    kr = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="+")
    sentence = models.TextField()

    class Meta:
        unique_together = [("article", "vn", "kr")]


class Story(models.Model):
    """Articles reporting the same event, in any language or site. Each keeps its own page."""

    type = models.CharField(_("type"), max_length=30, choices=EVENT_TYPES)
    vn = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="+", verbose_name=_("Vietnamese place"))
    kr = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="+", verbose_name=_("Korean place"))
    date = models.DateField(_("date"), null=True, blank=True)
    articles = models.ManyToManyField(Article, related_name="stories", verbose_name=_("articles"))

    class Meta:
        ordering = ["-date", "id"]
        verbose_name = _("story")
        verbose_name_plural = _("stories")

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.vn} – {self.kr} {self.date or ''}"


# --- operating the archive: takedowns, the block list and the audit trail -------------------

class Takedown(models.Model):
    """An editor's decision that an article must not be served anywhere (archive.takedown)."""

    article = models.ForeignKey(Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="takedowns",
                                verbose_name=_("article"))
    article_number = models.PositiveBigIntegerField(
        _("article number"), help_text=_("The article's id, kept if its row is ever deleted."))
    user = models.ForeignKey("auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             verbose_name=_("user"))
    username = models.CharField(_("user name"), max_length=150, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    reason = models.TextField(_("reason"))
    blocks_url = models.BooleanField(_("blocks the URL"), default=False,
                                     help_text=_("Re-imports from the article's URLs are refused too."))

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("takedown")
        verbose_name_plural = _("takedowns")

    def __str__(self) -> str:
        return f"takedown of article {self.article_number} by {self.username or 'the system'}"


class BlockedItem(models.Model):
    """What an import refuses: the exact bytes, the cleaned text, or a URL of a taken-down article."""

    class Kind(models.TextChoices):
        SHA256 = "sha256", _("raw bytes (sha256)")
        TEXT = "text", _("cleaned text (sha256)")
        URL = "url", _("source URL")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    value = models.CharField(_("value"), max_length=2000)
    takedown = models.ForeignKey(Takedown, null=True, blank=True, on_delete=models.SET_NULL, related_name="blocks",
                                 verbose_name=_("takedown"))
    reason = models.CharField(_("reason"), max_length=200, default="taken down")
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["kind", "value"]
        constraints = [models.UniqueConstraint(fields=["kind", "value"], name="blocked_item_unique")]
        verbose_name = _("blocked item")
        verbose_name_plural = _("blocked items")

    def __str__(self) -> str:
        return f"{self.kind}: {self.value[:80]}"


class AuditEntry(models.Model):
    """Who did what to the archive, for superusers: imports, uploads, takedowns, purges,
    exports, log-ins and failed log-ins (archive.audit)."""

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    user = models.ForeignKey("auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             verbose_name=_("user"))
    username = models.CharField(_("user name"), max_length=150, blank=True,
                                help_text=_("As typed, for a failed log-in."))
    action = models.CharField(_("action"), max_length=30, db_index=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        return f"{self.action} by {self.username or 'the system'} at {self.at:%Y-%m-%d %H:%M}"
