"""`reprocess` (issue 13, item 7) brings an archive imported under the old rules to the new
ones and keeps editors' corrections: dates with the words that gave them, review flags,
credited sources and sites, languages; captures the old rules rejected are imported.

Tuning-half dumps of ../shared/eval/real-dumps, read at run time, never copied here."""
from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from archive.ingest import review
from archive.ingest import store as store_stage
from archive.ingest.read import Provenance
from archive.models import Article, Copy, RawCapture
from tests.adminform import form_data

pytestmark = pytest.mark.django_db(transaction=True)
REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "eval" / "real-dumps"
UNDATED, DATED, VOV, GLUED = "d001_kado.net_ko", "d044_en.vietnamplus.vn_en", "d020_vovworld.vn_vi", "d075_baoapbac.vn_vi"


def text_of(name: str) -> bytes:
    if not CORPUS.is_dir():
        pytest.skip(f"the real dumps are not here ({CORPUS}); they are read at run time, never copied")
    assert name in json.loads((REPO / "bench" / "real_dumps_split.json").read_text())["tune"]
    return (CORPUS / f"{name}.txt").read_bytes()


def article_of(name: str) -> Article:
    return Article.objects.get(copies__raw__original_name__contains=name[:4])


def test_reprocess_applies_the_new_rules_and_keeps_the_editors_corrections(search_index, tmp_path, client):
    for name in (UNDATED, DATED, VOV):
        (tmp_path / f"{name}.txt").write_bytes(text_of(name))
    call_command("import_articles", str(tmp_path), stdout=io.StringIO())
    # A sentence block that lost its line breaks, refused by the old rules: its bytes were kept.
    glued = re.sub(r"\s*\n\s*", " ", text_of(GLUED).decode()).encode()
    store_stage.record_rejection(glued, f"{GLUED}-glued.txt", Provenance(),
                                 "no article found: nothing but navigation, captions or lists", store_stage.RawStore())

    # The archive as the old rules left it: no review flags, no date basis, no site, no credits.
    Copy.objects.update(date_basis="", site_slug="", site_name="", source_slug="", metadata={})
    Article.objects.update(needs_review=False, review_reasons=[], date_basis="", site="", site_name="", source=None)

    # An editor corrects a headline.
    User.objects.create_superuser("ada", "ada@example.org", "a-long-password-123")
    client.login(username="ada", password="a-long-password-123")
    dated = article_of(DATED)
    url = f"/admin/archive/article/{dated.pk}/change/"
    data = form_data(client.get(url).content.decode(), "article_form")
    data["title"] = "Gangwon recruits seasonal workers (title corrected by an editor)"
    assert client.post(url, data).status_code == 302

    out = io.StringIO()
    call_command("reprocess", stdout=out)
    assert "Retried 1 rejected captures: 1 now imported" in out.getvalue()

    dated = article_of(DATED)
    assert dated.title == "Gangwon recruits seasonal workers (title corrected by an editor)"  # kept
    assert dated.published and dated.date_basis and dated.source.slug == "vna"
    assert article_of(VOV).source.slug == "vov"
    undated = article_of(UNDATED)
    assert undated.needs_review and review.NO_DATE in undated.review_reasons
    assert undated.source.slug == "kado"
    recovered = Article.objects.get(copies__raw__original_name__contains="glued")
    assert recovered.status == "published" and review.BODY_FALLBACK in recovered.review_reasons
    assert not RawCapture.objects.exclude(rejected_reason="").exists()
    # The admin shows the words that gave the date.
    assert dated.date_basis in client.get(url).content.decode()
