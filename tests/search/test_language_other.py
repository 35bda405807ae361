"""Languages outside vi/ko/fr/en (issue 13, item 5): stored as their ISO 639-1 code, shown
by name, faceted and filtered as `lang=other` in the API, the search page and the feed."""
from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from archive.models import Article

pytestmark = pytest.mark.django_db(transaction=True)

MALAY = ("Selangor dan Binh Duong menandatangani memorandum persefahaman\n\n"
         "Kerajaan negeri Selangor menandatangani memorandum persefahaman dengan wilayah Binh Duong di Vietnam "
         "untuk memperkukuh kerjasama ekonomi, pendidikan dan pelancongan antara kedua-dua pihak. Delegasi "
         "wilayah Binh Duong yang diketuai oleh pengerusi jawatankuasa rakyat turut melawat kawasan "
         "perindustrian dan universiti di Shah Alam, dan kedua-dua pihak bersetuju untuk bertukar pelajar.\n")
FRENCH = ("Gyeonggi et Hanoï signent un protocole d'accord\n\n"
          "Hanoï (VNA) – La province sud-coréenne de Gyeonggi et Hanoï ont signé un protocole d'accord de "
          "coopération dans les domaines de l'économie, de la culture et de l'éducation, a indiqué le comité "
          "populaire de la ville, qui organisera chaque année des échanges de fonctionnaires et d'étudiants.\n")


def test_a_malay_article_is_ms_shown_by_name_and_found_as_other(search_index, tmp_path, client):
    (tmp_path / "ms.txt").write_text(MALAY, encoding="utf-8")
    (tmp_path / "fr.txt").write_text(FRENCH, encoding="utf-8")
    call_command("import_articles", str(tmp_path), stdout=io.StringIO())
    malay = Article.objects.get(language="ms")
    assert malay.get_language_display() == "Malay"
    assert Article.objects.filter(language="fr").count() == 1

    data = client.get("/api/search/", {"q": ""}).json()
    assert data["facets"]["language"] == {"fr": 1, "other": 1}
    other = client.get("/api/search/", {"lang": "other"}).json()
    assert [r["id"] for r in other["results"]] == [malay.pk]
    assert other["results"][0]["language"] == "ms"

    page = client.get("/search/", {"lang": "other"}).content.decode()
    assert "Other languages" in page and "Malay" in page
    assert client.get(malay.get_absolute_url()).content.decode().count("Malay") >= 1
    feed = client.get("/feeds/lang/other/").content.decode()
    assert "Selangor" in feed and "Gyeonggi" not in feed
