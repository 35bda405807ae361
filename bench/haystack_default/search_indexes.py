"""The article index the way haystack's tutorial writes it (measurement only).

A `document=True, use_template=True` text field rendered from a template (title and body),
`faceted=True` fields (haystack adds a FacetCharField / FacetMultiValueField shadow named
`<field>_exact` for each, which `.facet("<field>")` and `selected_facets=<field>_exact:...`
use), a DateField for the date, and `index_queryset` = the published articles, with no
select_related/prefetch_related, as the tutorial has it.
"""
from __future__ import annotations

from haystack import indexes

from archive.models import Article


class ArticleIndex(indexes.SearchIndex, indexes.Indexable):
    # The template path is given explicitly (the default would be
    # search/indexes/archive/article_text.txt) so that a template of that name added to the
    # project's templates/ folder, which is searched before app folders, cannot shadow ours.
    text = indexes.CharField(
        document=True, use_template=True, template_name="haystack_default/article_text.txt"
    )
    language = indexes.CharField(model_attr="language", faceted=True)
    year = indexes.CharField(faceted=True, null=True)
    places = indexes.MultiValueField(faceted=True)
    source = indexes.CharField(model_attr="source__slug", faceted=True, null=True)
    published = indexes.DateField(model_attr="published", null=True)

    def get_model(self):
        return Article

    def index_queryset(self, using=None):
        return self.get_model().objects.published()

    def prepare_year(self, obj: Article) -> str | None:
        return str(obj.published.year) if obj.published else None

    def prepare_places(self, obj: Article) -> list[str]:
        return [place.slug for place in obj.places.all()]
