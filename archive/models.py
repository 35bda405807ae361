"""The archive's data: sources, places, raw captures, articles and their copies.

An Article is what readers see. Each time the same story arrives (from another site, at
another URL, or re-scraped) it becomes another Copy of that Article, and every Copy points
at the RawCapture of the exact bytes it was made from.
"""
from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.text import Truncator

from archive.textnorm import slugify_ascii

LANGUAGES = [("fr", "French"), ("vi", "Vietnamese"), ("ko", "Korean"), ("en", "English")]
COUNTRIES = [("vn", "Vietnam"), ("kr", "South Korea")]
DATE_PRECISIONS = [("day", "day"), ("month", "month"), ("year", "year")]
# The archive's own four; any other ISO 639-1 code is stored as it is and shown by name.
MAIN_LANGUAGES = tuple(code for code, _ in LANGUAGES)
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

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    homepage = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Place(models.Model):
    """A Vietnamese or Korean administrative unit; the gazetteer is the source of its names."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200, help_text="In the place's own language.")
    country = models.CharField(max_length=2, choices=COUNTRIES)
    kind = models.CharField(max_length=60, blank=True)
    successor = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="predecessors"
    )
    aliases = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["country", "name"]

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

    sha256 = models.CharField(max_length=64, unique=True)
    size = models.PositiveBigIntegerField()
    original_name = models.CharField(max_length=500)
    media_type = models.CharField(max_length=100, blank=True)
    encoding = models.CharField(max_length=50, blank=True)
    source_url = models.URLField(max_length=2000, blank=True)
    site = models.CharField(max_length=200, blank=True)
    captured_at = models.DateTimeField(null=True, blank=True)
    first_seen = models.DateTimeField(auto_now_add=True)
    rejected_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-first_seen"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.sha256[:12]})"


class ArticleQuerySet(models.QuerySet):
    def published(self) -> "ArticleQuerySet":
        return self.filter(status=Article.Status.PUBLISHED)

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


# Fields an editor can correct; a corrected field is never overwritten by the machine.
EDITABLE_FIELDS = (
    "title", "title_derived", "body", "language", "published", "date_precision",
    "source", "source_url", "countries", "needs_review",
)


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "draft"
        PUBLISHED = "published", "published"
        HIDDEN = "hidden", "hidden"
        MERGED = "merged", "merged into another article"

    title = models.CharField(max_length=500)
    title_derived = models.BooleanField(
        default=False, help_text="No headline was found; the title was made from the lead sentence."
    )
    body = models.TextField()
    language = models.CharField(
        max_length=2, db_index=True,
        help_text="ISO 639-1 code: vi, ko, fr, en, or another language's code (e.g. ms, ja).",
    )
    published = models.DateField(null=True, blank=True, db_index=True)
    date_precision = models.CharField(max_length=5, choices=DATE_PRECISIONS, blank=True)
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.SET_NULL)
    source_url = models.URLField(max_length=2000, blank=True)
    date_basis = models.CharField(
        max_length=500, blank=True, help_text="How the date was found and the words that gave it.")
    site = models.CharField(max_length=100, blank=True, help_text="Slug of the site that carried the copy shown.")
    site_name = models.CharField(max_length=200, blank=True)
    needs_review = models.BooleanField(
        default=False, db_index=True,
        help_text="The pipeline was unsure (no date, derived title, uncertain body or language); "
                  "the article is published all the same.")
    review_reasons = models.JSONField(default=list, blank=True, help_text="Why an editor should look at it.")
    places = models.ManyToManyField(Place, blank=True, related_name="articles")
    countries = models.JSONField(default=list, blank=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PUBLISHED, db_index=True
    )
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_from",
        help_text="Set when this article was merged into another: its permalink redirects there.",
    )
    edited_fields = models.JSONField(
        default=list, blank=True, help_text="Fields corrected by an editor; re-extraction leaves them alone."
    )
    confirmed_places = models.JSONField(default=list, blank=True, help_text="Place slugs an editor confirmed.")
    rejected_places = models.JSONField(default=list, blank=True, help_text="Place slugs an editor removed.")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published", "-id"]

    def __str__(self) -> str:
        return Truncator(self.title).chars(80)

    @property
    def slug(self) -> str:
        return slugify_ascii(self.title)[:80].strip("-") or "article"

    def get_absolute_url(self) -> str:
        return reverse("article", args=[self.pk, self.slug])

    def also_reported_in(self) -> list[tuple[str, int]]:
        """(language, story id) of other published reports of the same event."""
        found = {}
        for story in self.stories.all():
            for other in story.articles.all():
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

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="copies")
    raw = models.ForeignKey(RawCapture, on_delete=models.PROTECT, related_name="copies")
    source_url = models.URLField(max_length=2000, blank=True)
    site = models.CharField(max_length=200, blank=True)
    captured_at = models.DateTimeField(null=True, blank=True)
    imported_at = models.DateTimeField(auto_now_add=True)
    # What extraction found in this copy alone; the article takes the best of its copies.
    title = models.CharField(max_length=500, blank=True)
    title_derived = models.BooleanField(default=False)
    body = models.TextField()
    language = models.CharField(max_length=2, blank=True)
    published = models.DateField(null=True, blank=True)
    date_precision = models.CharField(max_length=5, blank=True)
    source_slug = models.CharField(max_length=100, blank=True)
    date_basis = models.CharField(max_length=500, blank=True)
    site_slug = models.CharField(max_length=100, blank=True)
    site_name = models.CharField(max_length=200, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    text_sha256 = models.CharField(max_length=64, db_index=True)
    sketch = models.JSONField(default=list, help_text="Bottom-k sketch of character shingles.")

    class Meta:
        ordering = ["imported_at", "id"]
        verbose_name_plural = "copies"

    def __str__(self) -> str:
        return f"copy of #{self.article_id} from {self.source_url or self.raw.original_name}"


class SketchKey(models.Model):
    """The smallest shingle hashes of a copy: a copy that shares one is a near-duplicate candidate."""

    copy = models.ForeignKey(Copy, on_delete=models.CASCADE, related_name="keys")
    key = models.BigIntegerField(db_index=True)


class ArticleChange(models.Model):
    """One entry of an article's history: who changed which fields, from what, to what."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="history")
    user = models.ForeignKey("auth.User", null=True, blank=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    action = models.CharField(max_length=40)
    changes = models.JSONField(default=dict, blank=True, help_text="field -> [old, new]")

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        who = self.user.username if self.user_id else "the system"
        return f"{self.action} by {who} at {self.at:%Y-%m-%d %H:%M}"


EVENT_TYPES = [
    ("mou", "memorandum of understanding"),
    ("letter_of_intent", "letter of intent"),
    ("sister_city", "sister-city agreement"),
    ("visit", "delegation visit"),
    ("investment_conference", "investment conference"),
    ("other", "other"),
]


class PartnershipEvent(models.Model):
    """Something that happened between a Vietnamese and a Korean place, and the sentence
    it was read from. Confirmed and rejected events are never touched by a re-run."""

    class Status(models.TextChoices):
        EXTRACTED = "extracted", "extracted"
        CONFIRMED = "confirmed", "confirmed by an editor"
        REJECTED = "rejected", "rejected by an editor"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="events")
    type = models.CharField(max_length=30, choices=EVENT_TYPES)
    vn = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="vn_events")
    kr = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="kr_events")
    date = models.DateField(null=True, blank=True)
    date_precision = models.CharField(max_length=5, choices=DATE_PRECISIONS, blank=True)
    sentence = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.EXTRACTED, db_index=True)
    extracted_as = models.CharField(
        max_length=300, blank=True, editable=False,
        help_text="What the rules first read (type, places, date): a re-run that reads it again knows "
                  "the editor already decided on it, even after a correction.",
    )

    class Meta:
        ordering = ["date", "id"]

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

    type = models.CharField(max_length=30, choices=EVENT_TYPES)
    vn = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="+")
    kr = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="+")
    date = models.DateField(null=True, blank=True)
    articles = models.ManyToManyField(Article, related_name="stories")

    class Meta:
        ordering = ["-date", "id"]
        verbose_name_plural = "stories"

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.vn} – {self.kr} {self.date or ''}"
