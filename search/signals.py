"""Index updates follow database changes, after the transaction commits.

Reading the article again after commit means the index gets the final state, places
included (they are set after the article row is saved).
"""
from __future__ import annotations

from django.db.models import signals
from haystack.signals import BaseSignalProcessor

from search import indexing


def _schedule(article_id: int) -> None:
    indexing.AFTER_COMMIT.add([article_id])


class ArticleSignalProcessor(BaseSignalProcessor):
    def setup(self):
        from archive.models import Article, Source

        signals.post_save.connect(self._article_saved, sender=Article)
        signals.post_delete.connect(self._article_saved, sender=Article)
        signals.m2m_changed.connect(self._places_changed, sender=Article.places.through)
        signals.post_save.connect(self._source_saved, sender=Source)

    def teardown(self):
        from archive.models import Article, Source

        signals.post_save.disconnect(self._article_saved, sender=Article)
        signals.post_delete.disconnect(self._article_saved, sender=Article)
        signals.m2m_changed.disconnect(self._places_changed, sender=Article.places.through)
        signals.post_save.disconnect(self._source_saved, sender=Source)

    def _article_saved(self, sender, instance, **kwargs):
        _schedule(instance.pk)

    def _places_changed(self, sender, instance, action, reverse, pk_set, **kwargs):
        if not action.startswith("post_"):
            return
        if reverse:
            for article_id in pk_set or ():
                _schedule(article_id)
        else:
            _schedule(instance.pk)

    def _source_saved(self, sender, instance, **kwargs):
        indexing.AFTER_COMMIT.add(instance.article_set.values_list("id", flat=True))
