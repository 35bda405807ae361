"""Editors' work: drafts, merges and splits, corrections that survive, history, roles."""
import io
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command

from archive.models import Article, ArticleChange, Copy
from tests.adminform import form_data

pytestmark = pytest.mark.django_db(transaction=True)
SEEDS = Path(__file__).resolve().parents[2] / "seeds"
PASSWORD = "a-long-password-123"


def seed(prefix):
    return next(SEEDS.glob(f"{prefix}_*.txt"))


def run_import(*paths, **options):
    out = io.StringIO()
    call_command("import_articles", *map(str, paths), stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def editor(client):
    user = User.objects.create_user("edna", "edna@example.org", PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="editor"))
    client.login(username="edna", password=PASSWORD)
    return client


def edit(client, article_id, **changes):
    url = f"/admin/archive/article/{article_id}/change/"
    data = form_data(client.get(url).content.decode(), "article_form")
    data.update(changes)
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]


def action(client, name, ids, model="article"):
    response = client.post(f"/admin/archive/{model}/", {"action": name, "_selected_action": ids})
    assert response.status_code == 302


def test_draft_imports_wait_for_an_editor(search_index, client, editor, settings):
    run_import(seed("004"), draft=True)
    article = Article.objects.get()
    assert article.status == "draft"
    assert client.get(article.get_absolute_url()).status_code == 404
    assert client.get("/api/search/", {"q": "Jeollanam"}).json()["count"] == 0
    assert "Jeollanam" not in client.get("/feeds/latest/").content.decode()
    assert "/articles/" not in client.get("/sitemap.xml").content.decode()
    action(editor, "publish", [article.id])
    assert client.get("/api/search/", {"q": "Jeollanam"}).json()["count"] == 1
    settings.ARCHIVE_IMPORT_STATUS = "draft"
    run_import(seed("003"))
    assert Article.objects.get(copies__raw__original_name__contains="003_").status == "draft"


def test_corrections_survive_new_copies_reprocessing_and_reextraction(search_index, editor):
    run_import(seed("000"))
    article = Article.objects.get()
    assert article.title_derived
    edit(editor, article.id, title="Gyeonggi-do council delegation visits Ha Nam (edited)", date_precision="year")
    article.refresh_from_db()
    assert set(article.edited_fields) == {"title", "date_precision"}
    run_import(seed("001"))  # a copy with a real headline arrives and is merged
    call_command("reprocess", stdout=io.StringIO())
    action(editor, "reextract", [article.id])
    article.refresh_from_db()
    assert article.copies.count() == 2
    assert article.title == "Gyeonggi-do council delegation visits Ha Nam (edited)"
    assert article.date_precision == "year"
    assert article.published.isoformat() == "2023-02-01"  # not corrected, so the machine's value
    assert "Conseil de l'éducation" in article.body


def test_places_an_editor_removes_stay_removed(seeded_fresh, editor):
    article = seeded_fresh["002"]
    kept = [str(p.id) for p in article.places.exclude(slug="seoul")]
    edit(editor, article.id, places=kept)
    action(editor, "reextract", [article.id])
    article.refresh_from_db()
    assert sorted(p.slug for p in article.places.all()) == ["ha-noi"]
    assert article.rejected_places == ["seoul"]
    action(editor, "confirm_places", [article.id])
    article.refresh_from_db()
    assert article.confirmed_places == ["ha-noi"]


def test_history_records_who_when_which_fields_old_and_new(seeded_fresh, editor):
    article = seeded_fresh["004"]
    old_title = article.title
    edit(editor, article.id, title="Tiêu đề đã sửa")
    action(editor, "hide", [article.id])
    entries = list(ArticleChange.objects.filter(article=article).order_by("at", "id"))
    assert [e.action for e in entries] == ["edited", "hidden"]
    assert entries[0].user.username == "edna"
    assert entries[0].changes == {"title": [old_title, "Tiêu đề đã sửa"]}
    assert entries[1].changes == {"status": ["published", "hidden"]}
    page = editor.get(f"/admin/archive/article/{article.id}/change/").content.decode()
    assert "Tiêu đề đã sửa" in page and "edna" in page


def test_merge_redirects_the_old_permalink_and_split_undoes_it(seeded_fresh, editor, client):
    a2, a3 = seeded_fresh["002"], seeded_fresh["003"]
    action(editor, "merge_selected", [a2.id, a3.id])
    survivor = Article.objects.get(pk=min(a2.id, a3.id))
    gone = Article.objects.get(pk=max(a2.id, a3.id))
    assert gone.status == "merged" and gone.merged_into_id == survivor.id
    assert survivor.copies.count() == 2
    page = client.get(f"/articles/{gone.id}/whatever/")
    assert page.status_code == 301 and page.url == survivor.get_absolute_url()
    api = client.get(f"/api/articles/{gone.id}/")
    assert api.status_code == 301 and api.url == f"/api/articles/{survivor.id}/"
    assert client.get("/api/search/").json()["count"] == 3

    moved = Copy.objects.get(article=survivor, raw__original_name__contains="003_")
    action(editor, "split_out", [moved.id], model="copy")
    assert client.get("/api/search/").json()["count"] == 4
    assert Article.objects.get(pk=moved.article_id).copies.count() == 1
    assert any(e.action == "split" for e in ArticleChange.objects.filter(article=survivor))


def test_editor_role_curates_but_does_not_manage_users(seeded_fresh, editor, client):
    assert editor.get("/admin/archive/article/").status_code == 200
    assert editor.get("/admin/archive/article/upload/").status_code == 200
    assert editor.get("/admin/auth/user/").status_code == 403
    assert editor.get("/admin/auth/group/").status_code == 403
    client.logout()
    response = client.get("/admin/archive/article/")
    assert response.status_code == 302 and "/admin/login/" in response.url
