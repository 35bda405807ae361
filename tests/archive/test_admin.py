"""Admin curation behind login: editing metadata re-indexes the article."""
import pytest
from django.contrib.auth.models import User

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def editor_client(client):
    User.objects.create_superuser("editor", "editor@example.org", "a-long-password-123")
    client.login(username="editor", password="a-long-password-123")
    return client


def test_admin_needs_login(client, seeded):
    for path in ("/admin/", "/admin/archive/article/", "/admin/archive/rawcapture/"):
        response = client.get(path)
        assert response.status_code == 302 and "/admin/login/" in response.url


def test_editing_a_title_reindexes_the_article(editor_client, seeded):
    article = seeded["004"]
    page = editor_client.get(f"/admin/archive/article/{article.id}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data["places"] = [p.id for p in article.places.all()]
    data["countries"] = '["vn", "kr"]'
    data["published"] = article.published.isoformat()
    data["source"] = article.source_id
    data["title"] = "Bình Phước và Jeollanam: chuyến thăm xylophonequartz"
    for key, value in list(data.items()):
        if value is None:
            data[key] = ""
    data.update({"copies-TOTAL_FORMS": "1", "copies-INITIAL_FORMS": "1", "copies-MIN_NUM_FORMS": "0",
                 "copies-MAX_NUM_FORMS": "1000", "copies-0-id": article.copies.first().id,
                 "copies-0-article": article.id})
    response = editor_client.post(f"/admin/archive/article/{article.id}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    found = editor_client.get("/api/search/", {"q": "xylophonequartz"}).json()
    assert [r["id"] for r in found["results"]] == [article.id]


def test_hide_action_removes_from_search(editor_client, seeded):
    article = seeded["003"]
    response = editor_client.post("/admin/archive/article/", {"action": "hide", "_selected_action": [article.id]})
    assert response.status_code == 302
    assert editor_client.get("/api/search/", {"q": "Dodamso"}).json()["count"] == 0


def test_raw_captures_are_read_only_in_the_admin(editor_client, seeded):
    from archive.models import RawCapture

    capture = RawCapture.objects.filter(original_name__contains="004_").get()
    page = editor_client.get(f"/admin/archive/rawcapture/{capture.id}/change/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Ecom Binh Phuoc" in html  # the evidence, as captured
    assert 'name="_save"' not in html
    assert editor_client.get("/admin/archive/rawcapture/add/").status_code == 403
