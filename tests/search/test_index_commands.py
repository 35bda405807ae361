"""haystack's stock index commands are the archive's: they go through the locked write
path, and clear_index refuses."""
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from archive.models import Article
from search import indexing

pytestmark = pytest.mark.django_db(transaction=True)


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_stock_commands_keep_the_index_in_step_with_the_database(seeded_fresh):
    with pytest.raises(CommandError, match="rebuild_index"):
        call_command("clear_index", "--noinput")
    assert indexing.backend().document_count() == 4
    Article.objects.filter(pk=seeded_fresh["002"].pk).update(status="hidden")  # bypassing the signals
    assert "Repaired 1 differences" in run("update_index")
    assert "rebuilt: 3 articles" in run("rebuild_index", "--noinput")
    assert indexing.stored_version() == indexing.schema_version()


def test_a_rebuild_writes_as_a_bulk_import_does_and_merges_once_at_the_end(seeded_fresh, monkeypatch):
    """Batches commit without merging, and the new index's segments are merged once it is
    complete (at 100,000 articles, Whoosh's merge at every batch made a rebuild crawl)."""
    from search.backends.whoosh.backend import ArchiveWhooshBackend

    monkeypatch.setattr(indexing, "BATCH", 1)
    backend = indexing.backend()
    ArchiveWhooshBackend.last_merge_steps = None
    assert "rebuilt: 4 articles" in run("rebuild_index", "--noinput")
    assert len(ArchiveWhooshBackend.last_merge_steps) == 1  # four one-article segments, one merge
    backend.index = backend.index.refresh()
    assert len(backend.index._segments()) == 1 and backend.document_count() == 4
