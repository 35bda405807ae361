"""The parallel import (worker processes, index batches written by a forked child) gives
what the one-process import gives."""
import pytest
from django.core.management import call_command

from archive.models import Article, Copy
from search import indexing
from tests.synthetic import write_articles

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]  # forked workers


def _outcomes(folder, workers: int) -> list[tuple[str, str]]:
    import json
    from io import StringIO

    out = StringIO()
    call_command("import_articles", str(folder), "--json", "--workers", str(workers), stdout=out)
    return [(f["name"].rsplit("/", 1)[-1], f["status"]) for f in json.loads(out.getvalue())["files"]]


def test_workers_and_background_index_batches_match_one_process(search_index, tmp_path, monkeypatch, client):
    paths = write_articles(tmp_path / "docs", 0, 40)
    # A copy of article 3 under another name: the parallel path must merge it too.
    copy = paths[3].read_text(encoding="utf-8").replace(" ", "", 1) + "\nBình luận 0\n"
    (tmp_path / "docs" / "synthetic_copy_of_3.txt").write_text(copy, encoding="utf-8")
    # Small batches, so several forked children write to the index during the import.
    monkeypatch.setattr(indexing, "BULK_BATCH", 7)
    parallel = _outcomes(tmp_path / "docs", workers=2)
    assert len(parallel) == 41
    assert sum(1 for _, status in parallel if status == "imported") == 40
    assert ("synthetic_copy_of_3.txt", "merged") in parallel
    assert indexing.compare_with_database() == {"missing": [], "extra": [], "stale": []}
    assert client.get("/api/search/", {"q": "hợp tác"}).json()["count"] == 40

    call_command("flush", "--noinput")
    indexing.rebuild_index()
    assert _outcomes(tmp_path / "docs", workers=1) == parallel
    assert Article.objects.count() == 40 and Copy.objects.count() == 41
