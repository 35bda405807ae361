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


def test_a_slow_document_is_announced_and_the_ones_before_it_come_first(tmp_path, monkeypatch):
    """With workers, the stream says None ("the next one is not ready") when a document
    is still not prepared after pipeline.SLOW_SECONDS, so the caller stores what it holds;
    documents that come sooner are not announced as slow. The slow one waits on an event
    the test sets only once it has seen the None: without the announcement the stream
    would stop on it (until the worker's own 30 s limit) and the order below would differ."""
    import multiprocessing

    from archive.ingest import pipeline

    paths = write_articles(tmp_path / "docs", 0, 12)
    slow_name = paths[6].name
    release = multiprocessing.get_context("fork").Event()
    prepare = pipeline.prepare_path

    def held(path, *args, **kwargs):
        if path.name == slow_name:
            release.wait(30)
        return prepare(path, *args, **kwargs)

    prepare(paths[0])  # the rules' data loaded here, so the forked workers start warm
    monkeypatch.setattr(pipeline, "prepare_path", held)  # the forked workers inherit it
    monkeypatch.setattr(pipeline, "SLOW_SECONDS", 3.0)  # a warm worker takes milliseconds
    stream = []
    for item in pipeline.prepare_files(paths, workers=2):
        if item is None and not release.is_set():
            release.set()
        stream.append(None if item is None else item.name.rsplit("/", 1)[-1])
    names = [p.name for p in paths]
    announced = [i for i, item in enumerate(stream) if item is None]
    # Exactly one announcement, right before the slow document, after every earlier one.
    assert [s for s in stream if s is not None] == names
    assert len(announced) == 1 and stream[announced[0] + 1] == slow_name
    assert stream[:announced[0]] == names[:6]
