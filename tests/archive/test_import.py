"""The import command on the real seeds, twice, and on a batch with bad files."""
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from archive.ingest.store import raw_path
from archive.models import Article, Copy, RawCapture

pytestmark = pytest.mark.django_db(transaction=True)
SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def run_import(*paths, **options):
    out = io.StringIO()
    call_command("import_articles", *map(str, paths), stdout=out, **options)
    return out.getvalue()


def test_seeds_import_into_four_articles_and_twice_changes_nothing(search_index):
    first = run_import(SEEDS)
    assert first.count(": imported as article") == 4
    assert first.count(": merged as a copy of article") == 1
    assert Article.objects.count() == 4 and Copy.objects.count() == 5
    captures = list(RawCapture.objects.all())
    assert len(captures) == 5
    for capture in captures:  # raw bytes kept, content-addressed, byte for byte
        original = SEEDS / Path(capture.original_name).name
        assert raw_path(capture.sha256).read_bytes() == original.read_bytes()

    before = {a.id: (a.title, a.body, a.published, a.updated) for a in Article.objects.all()}
    second = run_import(SEEDS)
    assert second.count("unchanged (already imported") == 5
    assert "Done: 0 imported, 0 merged, 5 unchanged, 0 rejected." in second
    assert {a.id: (a.title, a.body, a.published, a.updated) for a in Article.objects.all()} == before
    assert Copy.objects.count() == 5 and RawCapture.objects.count() == 5


@pytest.mark.django_db(transaction=False)  # reads the shared seeds
def test_the_two_scrapes_become_one_article_with_two_copies(seeded):
    article = seeded["000"]
    assert seeded["001"] == article
    assert article.copies.count() == 2
    assert article.title == "Ha Nam renforce la coopération avec la province sud-coréenne de Gyeonggi-do"
    assert not article.title_derived
    assert article.published.isoformat() == "2023-02-01" and article.date_precision == "month"
    assert article.language == "fr" and article.source.slug == "vna"
    # The most complete clean text is shown, with 001's glued words repaired from 000.
    assert article.body.startswith("Depuis la signature du protocole d'accord")
    for glued in ("Conseilde", "deGyeonggi", "organiséavec", "dansla"):
        assert glued not in article.body
    assert sorted(p.slug for p in article.places.all()) == ["gyeonggi", "ha-nam"]


@pytest.mark.django_db(transaction=False)  # reads the shared seeds
def test_seed_dates_places_and_titles(seeded):
    a2, a3, a4 = seeded["002"], seeded["003"], seeded["004"]
    assert (a2.published.isoformat(), a2.date_precision, a2.title_derived) == ("2019-11-23", "day", True)
    assert (a3.published.isoformat(), a3.source.slug, a3.source_url) == ("2024-10-21", "yonhap", "")
    assert a4.title == "Bình Phước thăm và làm việc với Chính quyền tỉnh Jeollanam, Hàn Quốc"
    assert sorted(p.slug for p in a4.places.all()) == ["binh-phuoc", "jeollanam"]
    assert sorted(p.slug for p in a2.places.all()) == ["ha-noi", "seoul"]
    assert a2.venue_places == ["suwon"]  # a visit site, named in passing


def test_a_bad_file_is_reported_and_the_batch_goes_on(search_index, tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "junk.txt").write_bytes(bytes(range(256)) * 20)
    (tmp_path / "nav.html").write_text("<html><body><nav>Home News</nav></body></html>")
    (tmp_path / "good.txt").write_bytes(next(SEEDS.glob("004_*.txt")).read_bytes())
    out = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("import_articles", str(tmp_path), str(tmp_path / "missing.txt"), stdout=out)
    assert raised.value.returncode == 1
    report = out.getvalue()
    assert "empty.txt: rejected: the file is empty" in report
    assert "junk.txt: rejected: the file is binary" in report
    assert "nav.html: rejected: no article found" in report
    assert "missing.txt: rejected: no such file or folder" in report
    assert "good.txt: imported as article" in report
    assert Article.objects.count() == 1
    # The bytes of rejected files are kept so they can be retried after a fix.
    junk = RawCapture.objects.get(original_name__endswith="junk.txt")
    assert junk.rejected_reason.startswith("the file is binary")
    assert raw_path(junk.sha256).exists()


def test_sidecar_provenance_and_flags(search_index, tmp_path):
    page = tmp_path / "a.txt"
    page.write_bytes(next(SEEDS.glob("002_*.txt")).read_bytes())
    (tmp_path / "a.txt.meta.json").write_text('{"source_url": "https://fr.vietnamplus.vn/a.vnp", "site": "VietnamPlus"}')
    run_import(page)
    copy = Copy.objects.get()
    assert copy.source_url == "https://fr.vietnamplus.vn/a.vnp" and copy.site == "VietnamPlus"
    assert copy.article.source_url == "https://fr.vietnamplus.vn/a.vnp"


def test_reprocess_keeps_articles_and_their_ids(seeded_fresh):
    before = {a.id: (a.title, a.published) for a in Article.objects.all()}
    call_command("reprocess", stdout=io.StringIO())
    assert {a.id: (a.title, a.published) for a in Article.objects.all()} == before


def test_index_is_rebuilt_when_its_version_changes(seeded_fresh, client):
    from search import indexing

    indexing._version_path().write_text('{"version": "an-older-analyzer"}')
    assert indexing.ensure_index() is True
    assert indexing.stored_version() == indexing.schema_version()
    assert client.get("/api/search/", {"q": "Jeollanam"}).json()["count"] == 1
    assert indexing.ensure_index() is False


def _grouping(report: dict) -> tuple[dict, set]:
    """Each file's outcome, and which files ended up as one article."""
    statuses = {Path(f["name"]).name: f["status"] for f in report["files"]}
    groups: dict[int, set] = {}
    for f in report["files"]:
        if f["article"]:
            groups.setdefault(f["article"], set()).add(Path(f["name"]).name)
    return statuses, {frozenset(g) for g in groups.values()}


def test_a_batch_merges_copies_within_it_as_one_at_a_time_does(search_index, tmp_path, monkeypatch):
    """New articles are written together per batch (store.store_many); copies of an article
    new in the same batch (the two scrapes of 000/001, the same bytes under another name,
    the same text in other bytes) still join it, exactly as when stored one by one."""
    import json

    from archive.ingest import run as run_module
    from search.indexing import rebuild_index

    folder = tmp_path / "batch"
    folder.mkdir()
    for seed in sorted(SEEDS.glob("*.txt")):
        (folder / seed.name).write_bytes(seed.read_bytes())
    first = sorted(SEEDS.glob("*.txt"))[2]
    (folder / "z_same_bytes.txt").write_bytes(first.read_bytes())
    (folder / "z_same_text.txt").write_bytes(first.read_bytes() + b"\n\n\n")

    def imported():
        out = io.StringIO()
        call_command("import_articles", str(folder), "--json", stdout=out)
        return _grouping(json.loads(out.getvalue()))

    batched = imported()
    assert Article.objects.count() == 4
    call_command("flush", "--noinput")
    rebuild_index()
    monkeypatch.setattr(run_module, "STORE_BATCH", 1)
    one_by_one = imported()
    assert batched == one_by_one
    statuses, groups = batched
    assert statuses["z_same_bytes.txt"] == "unchanged" and statuses["z_same_text.txt"] == "merged"
    assert frozenset({"000_908bac12007c1166.txt", "001_2e49d47119cdc123.txt"}) in groups
    assert frozenset({first.name, "z_same_bytes.txt", "z_same_text.txt"}) in groups


def test_a_batch_that_writes_its_new_articles_midway_still_finds_their_copies(search_index, tmp_path,
                                                                             monkeypatch):
    """A batch writes the new articles it holds whenever a document may be a copy of an
    article already stored (store.store_many). A copy of one of those new articles later
    in the same batch (the same bytes, the same text in other bytes) must still join it,
    as when stored one by one: at 100,000 files one such copy became an article of its own.
    There the near-duplicate look-up missed it too: its keys' sampled copies
    (store.KEY_SAMPLE per key) were all older ones. A sample of none stands for that here."""
    from archive.ingest import run as run_module
    from archive.ingest import store
    from archive.ingest.pipeline import prepare_path

    monkeypatch.setattr(store, "KEY_SAMPLE", 0)

    seeds = sorted(SEEDS.glob("*.txt"))
    before, new = seeds[0], seeds[2]
    with run_module.ImportRun() as run:
        run.store_batch([prepare_path(before)])
    folder = tmp_path / "batch"
    folder.mkdir()
    files = {"a_new.txt": new.read_bytes(),
             # The same text as the article already stored: the batch writes a_new here.
             "b_stored_copy.txt": before.read_bytes() + b"\n\n",
             "c_same_bytes.txt": new.read_bytes(),
             "d_same_text.txt": new.read_bytes() + b"\n\n\n"}
    for name, data in files.items():
        (folder / name).write_bytes(data)
    with run_module.ImportRun() as run:
        outcomes = run.store_batch([prepare_path(folder / name) for name in files])
    statuses = {Path(o.name).name: o.status for o in outcomes}
    assert statuses == {"a_new.txt": "imported", "b_stored_copy.txt": "merged",
                        "c_same_bytes.txt": "unchanged", "d_same_text.txt": "merged"}
    article = outcomes[0].article_id
    assert [o.article_id for o in outcomes[2:]] == [article, article]
    assert Article.objects.count() == 2
