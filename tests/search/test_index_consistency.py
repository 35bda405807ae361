"""The database is the truth: check_index finds differences and --fix repairs them; a dead
index is rebuilt from the database."""
import io
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from archive.models import Article
from search import indexing

pytestmark = pytest.mark.django_db(transaction=True)


def check(*args):
    out = io.StringIO()
    call_command("check_index", *args, stdout=out)
    return out.getvalue()


def test_check_index_reports_and_repairs_every_kind_of_difference(seeded_fresh, client):
    assert "The index matches the database." in check()
    hidden, edited, missing = seeded_fresh["002"], seeded_fresh["003"], seeded_fresh["004"]
    # Changes that bypass the signals, as a crash between commit and index write would.
    Article.objects.filter(pk=hidden.pk).update(status="hidden")
    Article.objects.filter(pk=edited.pk).update(title="Tiêu đề mới zebrafinch", updated=timezone.now())
    indexing.backend().remove_ids([missing.pk])
    with pytest.raises(CommandError):
        check()
    differences = indexing.compare_with_database()
    assert differences == {"missing": [missing.pk], "extra": [hidden.pk], "stale": [edited.pk]}
    assert "Repaired 3 differences" in check("--fix")
    assert "The index matches the database." in check()
    assert client.get("/api/search/", {"q": "zebrafinch"}).json()["count"] == 1
    assert client.get("/api/search/", {"q": "Jeollanam"}).json()["count"] == 1
    assert client.get("/api/search/", {"q": "KBIZ"}).json()["count"] == 0


def test_a_deleted_index_is_rebuilt_from_the_database(seeded_fresh, client):
    shutil.rmtree(indexing.backend().path)
    assert indexing.ensure_index() is True
    assert client.get("/api/search/").json()["count"] == 4


def test_a_corrupted_index_is_rebuilt_from_the_database(seeded_fresh, client):
    for toc in Path(indexing.backend().path).glob("_MAIN_*.toc"):
        toc.write_bytes(b"garbage")
    indexing.backend().setup_complete = False
    assert indexing.ensure_index() is True
    assert client.get("/api/search/", {"q": "Jeollanam"}).json()["count"] == 1
