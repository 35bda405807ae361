"""Admin curation behind login: editing metadata re-indexes the article."""
import pytest
from django.contrib.auth.models import User

from tests.adminform import form_data

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def editor_client(client):
    User.objects.create_superuser("editor", "editor@example.org", "a-long-password-123")
    client.login(username="editor", password="a-long-password-123")
    return client


@pytest.mark.django_db(transaction=False)  # reads the shared seeds
def test_admin_needs_login(client, seeded):
    for path in ("/admin/", "/admin/archive/article/", "/admin/archive/rawcapture/"):
        response = client.get(path)
        assert response.status_code == 302 and "/admin/login/" in response.url


def edit_article(client, article_id, **changes):
    url = f"/admin/archive/article/{article_id}/change/"
    page = client.get(url)
    assert page.status_code == 200
    data = form_data(page.content.decode(), "article_form")
    data.update(changes)
    return client.post(url, data)


def test_editing_a_title_reindexes_the_article(editor_client, seeded_fresh):
    article = seeded_fresh["004"]
    response = edit_article(editor_client, article.id, title="Bình Phước và Jeollanam: chuyến thăm xylophonequartz")
    assert response.status_code == 302, response.content.decode()[:3000]
    found = editor_client.get("/api/search/", {"q": "xylophonequartz"}).json()
    assert [r["id"] for r in found["results"]] == [article.id]


def test_hide_action_removes_from_search(editor_client, seeded_fresh):
    article = seeded_fresh["003"]
    response = editor_client.post("/admin/archive/article/", {"action": "hide", "_selected_action": [article.id]})
    assert response.status_code == 302
    assert editor_client.get("/api/search/", {"q": "Dodamso"}).json()["count"] == 0


@pytest.mark.django_db(transaction=False)  # reads the shared seeds
def test_raw_captures_are_read_only_in_the_admin(editor_client, seeded):
    from archive.models import RawCapture

    capture = RawCapture.objects.filter(original_name__contains="004_").get()
    page = editor_client.get(f"/admin/archive/rawcapture/{capture.id}/change/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Ecom Binh Phuoc" in html  # the evidence, as captured
    assert 'name="_save"' not in html
    assert editor_client.get("/admin/archive/rawcapture/add/").status_code == 403
