"""A takedown removes an article from every place the public or an export can reach it,
keeps the decision on record, and keeps its bytes out of later imports."""
import io
import json
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.core.cache import caches
from django.core.management import call_command

from archive import takedown
from archive.exporting import iter_jsonl
from archive.ingest.store import raw_path
from archive.models import (
    Article, ArticleChange, AuditEntry, BlockedItem, Copy, PairEvidence, PartnershipEvent, RawCapture, Story,
    Takedown,
)

pytestmark = pytest.mark.django_db(transaction=True)
SEEDS = Path(__file__).resolve().parents[2] / "seeds"
PASSWORD = "a-long-password-123"


def run_import(*paths, **options):
    out = io.StringIO()
    try:
        call_command("import_articles", *map(str, paths), stdout=out, **options)
    except Exception:  # a rejected file ends the command with an error; the report is what counts
        pass
    return out.getvalue()


def public_texts(client, article, places, pair, story):
    """Everything public that could show the article, as text."""
    urls = ["/", "/feeds/latest/", "/feeds/latest/atom/", f"/feeds/lang/{article.language}/",
            f"/feeds/lang/{article.language}/atom/", "/feeds/search/?q=renforce", "/sitemap.xml",
            "/search/?q=renforce", "/api/search/?q=renforce", "/api/suggest/?q=Ha+Nam+renforce",
            "/api/partnerships/", "/partnerships/", f"/partnerships/{pair}/", f"/feeds/partnership/{pair}/",
            f"/stories/{story}/"]
    for slug in places:
        urls += [f"/places/{slug}/", f"/feeds/place/{slug}/", f"/api/places/{slug}/"]
    texts = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        texts[url] = response.content.decode()
    return texts


def test_takedown_removes_the_article_everywhere(seeded_fresh, client):
    article, neighbour = seeded_fresh["000"], seeded_fresh["003"]
    story = Story.objects.create(type="mou", vn=article.places.get(slug="ha-nam"),
                                 kr=article.places.get(slug="gyeonggi"))
    story.articles.add(article, neighbour)
    places = sorted(p.slug for p in article.places.all())
    pair = "ha-nam--gyeonggi"
    title, sentence = article.title, article.events.first().sentence
    path = f"/articles/{article.pk}/"
    # Before: it is everywhere (and the search is now cached).
    before = public_texts(client, article, places, pair, story.pk)
    assert client.get(article.get_absolute_url()).status_code == 200
    assert path in before["/search/?q=renforce"] and path in before["/sitemap.xml"]
    assert title in before["/api/suggest/?q=Ha+Nam+renforce"]
    assert sentence in before["/api/partnerships/"]
    assert path in client.get(neighbour.get_absolute_url()).content.decode()  # related list
    count_before = client.get("/api/places/gyeonggi/").json()["articles"]
    etag = client.get("/feeds/latest/")["ETag"]
    cached = caches["search"]._list_cache_files()
    assert cached
    total_before = Article.objects.published().count()
    assert any(json.loads(line)["id"] == article.pk for line in iter_jsonl())

    editor = User.objects.create_user("edna", password=PASSWORD, is_staff=True)
    done = takedown.take_down(article, editor, "court order 12/2026")

    # Pages, API, feeds, sitemap, search (cached or not), suggestions, partnerships, stories.
    for url in (path, article.get_absolute_url(), f"/api/articles/{article.pk}/"):
        assert client.get(url).status_code == 404, url
    after = public_texts(client, article, places, pair, story.pk)
    for url, text in after.items():
        assert path not in text, url
        assert title not in text, url
        assert sentence not in text, url
    assert client.get("/api/search/", {"q": "renforce"}).json()["count"] == 0
    # Caches: the cached search pages are gone from disk, a feed reader's copy is stale.
    assert not any(Path(f).exists() for f in cached)
    assert client.get("/feeds/latest/", HTTP_IF_NONE_MATCH=etag).status_code == 200
    # Related lists and counts.
    assert path not in client.get(neighbour.get_absolute_url()).content.decode()
    assert client.get("/api/places/gyeonggi/").json()["articles"] == count_before - 1
    assert Article.objects.published().count() == total_before - 1
    # Exports.
    assert all(json.loads(line)["id"] != article.pk for line in iter_jsonl())
    # Events, quoted evidence and stories.
    assert not PartnershipEvent.objects.filter(article=article).exists()
    assert not PairEvidence.objects.filter(article=article).exists()
    assert list(story.articles.all()) == [neighbour]

    # The decision is on record: who, when, why.
    assert (done.username, done.reason, done.article_number) == ("edna", "court order 12/2026", article.pk)
    entry = AuditEntry.objects.get(action="takedown")
    assert entry.username == "edna" and "court order" in entry.summary
    # The text is gone from the database; the history keeps who, when and which fields.
    article.refresh_from_db()
    assert article.status == "taken_down" and article.body == "" and title not in article.title
    assert all(c.body == "" and c.title == "" for c in Copy.objects.filter(article=article))
    history = list(ArticleChange.objects.filter(article=article))
    assert history[0].action == "taken down" and history[0].user == editor
    assert "title" in history[0].changes and "body" in history[0].changes
    assert title not in json.dumps([h.changes for h in history], ensure_ascii=False)


def test_the_same_bytes_are_blocked_and_not_stored_again(seeded_fresh, client):
    article = seeded_fresh["000"]
    files = sorted(SEEDS.glob("00[01]_*.txt"))
    root = User.objects.create_superuser("root", password=PASSWORD)
    takedown.take_down(article, root, "privacy request")
    captures = list(RawCapture.objects.filter(copies__article=article))
    assert len(captures) == 2
    assert {b.kind for b in BlockedItem.objects.all()} == {"sha256", "text"}
    # An editor cannot purge; a superuser can.
    editor = User.objects.create_user("edna", password=PASSWORD, is_staff=True)
    with pytest.raises(takedown.TakedownError):
        takedown.purge_raw(captures[0], editor)
    for capture in captures:
        assert takedown.purge_raw(capture, root)
        assert not raw_path(capture.sha256).exists()
    assert AuditEntry.objects.filter(action="purge").count() == 2

    report = run_import(*files)
    assert report.count("blocked (taken down)") == 2, report
    assert all(not raw_path(c.sha256).exists() for c in captures)  # not stored again
    assert Article.objects.published().count() == 3
    assert client.get("/api/search/", {"q": "renforce"}).json()["count"] == 0
    # A purged capture's bytes are gone, the row stays as a record, and its admin page says so.
    assert all(RawCapture.objects.get(pk=c.pk).purged_at for c in captures)
    client.force_login(root)
    page = client.get(f"/admin/archive/rawcapture/{captures[0].pk}/change/")
    assert page.status_code == 200 and "missing from the capture store" in page.content.decode()
    # Re-extracting the whole archive neither fails on the purged bytes nor brings the text back.
    call_command("reprocess", stdout=io.StringIO())
    assert Article.objects.get(pk=article.pk).body == ""
    assert not PartnershipEvent.objects.filter(article=article).exists()


def test_the_same_url_can_be_blocked(search_index, tmp_path):
    first = tmp_path / "first.txt"
    first.write_text(next(SEEDS.glob("004_*.txt")).read_text(encoding="utf-8"), encoding="utf-8")
    url = "https://example.org/news/binh-phuoc"
    run_import(first, source_url=url)
    article = Article.objects.get()
    takedown.take_down(article, None, "the publisher withdrew it", block_url=True)
    other = tmp_path / "other.txt"
    other.write_text(next(SEEDS.glob("003_*.txt")).read_text(encoding="utf-8"), encoding="utf-8")
    assert "blocked (taken down)" in run_import(other, source_url=url)
    assert "imported" in run_import(other, source_url="https://example.org/elsewhere")


def test_editor_takes_down_from_the_admin_and_cannot_undo_it(seeded_fresh, client):
    article = seeded_fresh["004"]
    user = User.objects.create_user("edna", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="editor"))
    client.login(username="edna", password=PASSWORD)
    page = client.post("/admin/archive/article/", {"action": "take_down", "_selected_action": [article.pk]})
    assert page.status_code == 200 and "reason" in page.content.decode()  # asks why first
    assert Article.objects.get(pk=article.pk).status == "published"
    done = client.post("/admin/archive/article/", {"action": "take_down", "_selected_action": [article.pk],
                                                   "confirm": "yes", "reason": "defamation claim"})
    assert done.status_code == 302
    assert Takedown.objects.get().username == "edna"
    assert Article.objects.get(pk=article.pk).status == "taken_down"
    assert client.get(f"/admin/archive/article/{article.pk}/change/").status_code == 200
    # Publishing it again is refused, and the captured text is withheld from the editor.
    client.post("/admin/archive/article/", {"action": "publish", "_selected_action": [article.pk]})
    assert Article.objects.get(pk=article.pk).status == "taken_down"
    capture = RawCapture.objects.get(copies__article=article)
    shown = client.get(f"/admin/archive/rawcapture/{capture.pk}/change/").content.decode()
    assert "withheld" in shown and "Jeollanam" not in shown
    # Only a superuser may purge.
    client.post("/admin/archive/rawcapture/", {"action": "purge", "_selected_action": [capture.pk]})
    assert raw_path(capture.sha256).exists()


def test_a_batch_is_checked_against_the_block_list_in_one_query(search_index, django_assert_num_queries):
    """An import asks the block list about each batch at once; each document gets the
    reason of its own bytes, text or URL, in order, and the others none."""
    from archive import blocklist
    from archive.ingest.pipeline import prepare_path

    seeds = sorted(SEEDS.glob("00*_*.txt"))[:4]
    batch = [prepare_path(path, source_url=f"https://example.org/{n}") for n, path in enumerate(seeds)]
    blocklist.block(BlockedItem.Kind.TEXT, [batch[1].parts.fingerprint.text_sha256], reason="text withdrawn")
    blocklist.block(BlockedItem.Kind.URL, ["https://example.org/3"], reason="url withdrawn")
    blocklist.block(BlockedItem.Kind.SHA256, [batch[3].parts.raw.sha256], reason="bytes withdrawn")
    with django_assert_num_queries(1):
        reasons = blocklist.refusals(batch)
    # The bytes come before the URL, as for one document (blocklist.refusal).
    assert reasons == [None, "text withdrawn", None, "bytes withdrawn"]
    assert [blocklist.refusal(p) for p in batch] == reasons
