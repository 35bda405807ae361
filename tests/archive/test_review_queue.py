"""The review queue (issue 13, item 3): where the pipeline is unsure (no date, a derived
title, a body kept by the fallback) the article is published and flagged with its reason;
the admin filters and lists the flagged ones, and the admin index counts them. A flag
never hides an article."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from archive.ingest import review
from archive.models import Article
from tests.adminform import form_data

pytestmark = pytest.mark.django_db(transaction=True)
REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "eval" / "real-dumps"
# Tuning half: a Korean dump with no year in it (d001), and one with a stated date (d044).
UNDATED, DATED = "d001_kado.net_ko", "d044_en.vietnamplus.vn_en"


def dumps(tmp_path, *names):
    if not CORPUS.is_dir():
        pytest.skip(f"the real dumps are not here ({CORPUS}); they are read at run time, never copied")
    split = json.loads((REPO / "bench" / "real_dumps_split.json").read_text())["tune"]
    for name in names:
        assert name in split
        (tmp_path / f"{name}.txt").write_bytes((CORPUS / f"{name}.txt").read_bytes())
    return tmp_path


@pytest.fixture
def admin(client):
    User.objects.create_superuser("ada", "ada@example.org", "a-long-password-123")
    client.login(username="ada", password="a-long-password-123")
    return client


def test_unsure_articles_are_published_flagged_and_queued(search_index, tmp_path, admin, client):
    call_command("import_articles", str(dumps(tmp_path, UNDATED, DATED)), stdout=io.StringIO())
    undated = Article.objects.get(copies__raw__original_name__contains="d001")
    dated = Article.objects.get(copies__raw__original_name__contains="d044")
    assert undated.status == "published" and undated.needs_review
    assert review.NO_DATE in undated.review_reasons
    assert dated.published and review.NO_DATE not in dated.review_reasons
    assert dated.date_basis  # the words that gave the date are kept
    # Published all the same: the public page and the search find it.
    assert client.get(undated.get_absolute_url()).status_code == 200

    queue = admin.get("/admin/archive/article/", {"review": "yes"}).content.decode()
    assert f"/admin/archive/article/{undated.pk}/change/" in queue
    assert review.NO_DATE in queue  # the reason is in the list
    by_reason = admin.get("/admin/archive/article/", {"review": review.NO_DATE}).content.decode()
    assert f"/admin/archive/article/{undated.pk}/change/" in by_reason
    assert f"/admin/archive/article/{dated.pk}/change/" not in by_reason

    index = admin.get("/admin/").content.decode()
    count = Article.objects.filter(needs_review=True).count()
    assert "Needs review" in index and "/admin/archive/article/?review=yes" in index
    assert f"{count} article" in index


def test_an_editor_who_gives_the_date_clears_that_reason(search_index, tmp_path, admin):
    call_command("import_articles", str(dumps(tmp_path, UNDATED)), stdout=io.StringIO())
    article = Article.objects.get()
    url = f"/admin/archive/article/{article.pk}/change/"
    data = form_data(admin.get(url).content.decode(), "article_form")
    data.update(published="2019-12-21", date_precision="day")
    assert admin.post(url, data).status_code == 302
    from archive import curation

    curation.reextract(Article.objects.filter(pk=article.pk), None)
    article.refresh_from_db()
    assert article.published.isoformat() == "2019-12-21"
    assert review.NO_DATE not in article.review_reasons
