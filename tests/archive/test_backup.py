"""Backup -> wipe -> restore gives back every article, copy, raw capture, event, history
row, block-list entry and search result."""
import json
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from archive import takedown
from archive.backup import MANIFEST
from archive.ingest.store import raw_path
from archive.models import Article, ArticleChange, BlockedItem, Copy, PartnershipEvent, RawCapture

pytestmark = pytest.mark.django_db(transaction=True)
QUERIES = ["Gyeonggi", "Jeollanam", "hanoi", "경기도", "coopération", "Binh Phuoc"]


def state(client) -> dict:
    return {
        "articles": list(Article.objects.order_by("id").values()),
        "places": {a.pk: sorted(p.slug for p in a.places.all()) for a in Article.objects.all()},
        "copies": list(Copy.objects.order_by("id").values()),
        "raw": sorted((c.sha256, c.size, raw_path(c.sha256).exists() and
                       __import__("hashlib").sha256(raw_path(c.sha256).read_bytes()).hexdigest())
                      for c in RawCapture.objects.all()),
        "events": list(PartnershipEvent.objects.order_by("id").values()),
        "history": list(ArticleChange.objects.order_by("id").values()),
        "blocked": list(BlockedItem.objects.order_by("id").values("kind", "value")),
        "search": {q: client.get("/api/search/", {"q": q}).json() for q in QUERIES},
    }


def wipe() -> None:
    call_command("flush", "--noinput", verbosity=0)
    shutil.rmtree(settings.RAW_CAPTURE_DIR, ignore_errors=True)
    from search.indexing import rebuild_index

    rebuild_index()


def test_backup_wipe_restore_gives_everything_back(seeded_fresh, client, tmp_path):
    takedown.take_down(seeded_fresh["004"], None, "a test takedown")
    from archive import curation

    curation.set_status(seeded_fresh["002"], "hidden", None)
    before = state(client)
    assert before["search"]["Gyeonggi"]["count"] > 0 and before["blocked"]
    call_command("backup", str(tmp_path / "b"), stdout=open("/dev/null", "w"))
    manifest = json.loads((tmp_path / "b" / MANIFEST).read_text())
    assert manifest["counts"]["archive_article"] == 4
    assert sum(1 for name in manifest["files"] if name.startswith("raw/")) == 5

    wipe()
    assert client.get("/api/search/", {"q": "Gyeonggi"}).json()["count"] == 0
    call_command("restore", str(tmp_path / "b"), stdout=open("/dev/null", "w"))
    after = state(client)
    for name in before:
        assert after[name] == before[name], name
    # The block list still holds after the restore.
    seed = next((Path(__file__).resolve().parents[2] / "seeds").glob("004_*.txt"))
    from io import StringIO

    out = StringIO()
    call_command("import_articles", str(seed), stdout=out)
    assert "blocked (taken down)" in out.getvalue()


def test_restore_checks_the_manifest_and_wants_an_empty_folder(seeded_fresh, tmp_path):
    call_command("backup", str(tmp_path / "b"), stdout=open("/dev/null", "w"))
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", str(tmp_path / "b"))
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(tmp_path / "b"))  # the seeds are still here
    wipe()
    raw = next((tmp_path / "b" / "raw").rglob("*"), None)
    victim = next(p for p in (tmp_path / "b" / "raw").rglob("*") if p.is_file())
    victim.write_bytes(b"tampered")
    with pytest.raises(CommandError, match="checksum"):
        call_command("restore", str(tmp_path / "b"))
    assert raw is not None and not Article.objects.exists()
