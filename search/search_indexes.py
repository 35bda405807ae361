from __future__ import annotations

from haystack import indexes

from archive.models import MAIN_LANGUAGES, OTHER_LANGUAGE, Article


class ArticleIndex(indexes.SearchIndex, indexes.Indexable):
    text = indexes.CharField(document=True)
    title = indexes.CharField(model_attr="title")
    text_exact = indexes.CharField()
    language = indexes.CharField(model_attr="language")
    source = indexes.CharField(null=True)
    year = indexes.CharField(null=True)
    places = indexes.MultiValueField()
    countries = indexes.MultiValueField()
    # Every place the gazetteer found (search/backends/whoosh/schema.py PLACE_FIELD).
    place_ids = indexes.MultiValueField()
    published = indexes.IntegerField()
    # When the article last changed: check_index compares it with the database.
    updated = indexes.CharField(indexed=False, stored=True)

    def get_model(self):
        return Article

    def index_queryset(self, using=None):
        return Article.objects.published().select_related("source").prefetch_related("places")

    def prepare_text(self, obj: Article) -> str:
        return f"{obj.title}\n\n{obj.body}"

    def prepare_text_exact(self, obj: Article) -> str:
        return f"{obj.title}\n\n{obj.body}"

    def prepare_language(self, obj: Article) -> str:
        # A language outside the archive's four is faceted and filtered as `lang=other`.
        return obj.language if obj.language in MAIN_LANGUAGES else OTHER_LANGUAGE

    def prepare_source(self, obj: Article) -> str | None:
        return obj.source.slug if obj.source_id else None

    def prepare_year(self, obj: Article) -> str | None:
        return str(obj.published.year) if obj.published else None

    def prepare_places(self, obj: Article) -> list[str]:
        return sorted(p.slug for p in obj.places.all())

    def prepare_place_ids(self, obj: Article) -> list[str]:
        """The article's places by canonical id: a place it is about twice, a place named
        only as a venue or in passing once (the term's frequency ranks the first higher)."""
        parties = [p.slug for p in obj.places.all()]
        venues = [slug for slug in obj.venue_places or () if slug not in parties]
        return sorted(parties * 2 + venues)

    def prepare_countries(self, obj: Article) -> list[str]:
        return list(obj.countries or [])

    def prepare_published(self, obj: Article) -> int:
        # yyyymmdd for sorting by date; unknown dates sort last.
        return int(obj.published.strftime("%Y%m%d")) if obj.published else 0

    def prepare_updated(self, obj: Article) -> str:
        return obj.updated.isoformat()
