"""Article pages that cite themselves, exports of a search, and the browsing pages, over
the real seeds. Citations and exports are read back with maintained parsers (rispy,
bibtexparser, csv), as a reference manager or a spreadsheet would."""
import csv
import io
import json
from datetime import date

import bibtexparser
import pytest
import rispy
from bs4 import BeautifulSoup

from archive.models import Article, Story

pytestmark = pytest.mark.django_db


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return BeautifulSoup(response.content.decode(), "html.parser")


def _meta(soup, name):
    tag = soup.find("meta", attrs={"name": name})
    return tag["content"] if tag else None


def _known_to_the_month(article):
    """An article whose date is known only to the month, as many pages give it."""
    article.published, article.date_precision = date(2019, 11, 1), "month"
    article.save()
    return article


def test_article_page_has_citation_tags_and_an_absolute_canonical(seeded, client):
    article = _known_to_the_month(seeded["002"])
    soup = _page(client, article.get_absolute_url())
    permalink = "http://testserver" + article.get_absolute_url()
    assert soup.find("link", rel="canonical")["href"] == permalink
    assert _meta(soup, "citation_title") == article.title
    assert _meta(soup, "citation_date") == "2019/11" == _meta(soup, "citation_publication_date")
    assert _meta(soup, "citation_language") == "fr"
    assert _meta(soup, "citation_public_url") == permalink
    if article.source_id:
        assert _meta(soup, "citation_journal_title") == article.source.name


def test_cite_this_in_five_formats_keeps_the_month_and_the_permalink(seeded, client):
    article = _known_to_the_month(seeded["002"])
    soup = _page(client, article.get_absolute_url())
    permalink = "http://testserver" + article.get_absolute_url()
    text = {key: soup.select_one(f"#cite-{key} pre").get_text() for key in ("apa", "mla", "bibtex", "ris", "csl-json")}

    (record,) = rispy.loads(text["ris"])
    assert record["type_of_reference"] == "NEWS"
    assert record["title"] == article.title
    assert record["date"] == "2019/11//" and record["year"] == "2019"  # a month stays a month
    assert record["urls"] == [permalink]

    library = bibtexparser.parse_string(text["bibtex"])
    assert not library.failed_blocks
    (entry,) = library.entries
    assert entry["year"] == "2019" and entry["month"] == "nov" and "day" not in entry.fields_dict
    assert entry["url"] == permalink and entry["title"] == article.title

    (item,) = json.loads(text["csl-json"])
    assert item["issued"] == {"date-parts": [[2019, 11]]} and item["URL"] == permalink
    assert item["type"] == "article-newspaper" and item["language"] == "fr"

    assert "(2019, November)" in text["apa"] and permalink in text["apa"]
    assert "Nov. 2019" in text["mla"] and permalink in text["mla"]
    assert "November 1" not in text["apa"] and "1 Nov. 2019" not in text["mla"]
    # The copy buttons are there for scripts to reveal; without script the text stays selectable.
    assert len(soup.select("button.copy[hidden]")) == 5


def test_a_title_with_markup_is_escaped_in_citations_and_tags(seeded, client):
    article = seeded["001"]
    article.title = 'Gyeonggi <script>alert(1)</script> & "Ha Nam" {50%}'
    article.save()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html
    soup = BeautifulSoup(html, "html.parser")
    assert _meta(soup, "citation_title") == article.title
    entry = bibtexparser.parse_string(soup.select_one("#cite-bibtex pre").get_text()).entries[0]
    assert entry["title"] == r'Gyeonggi <script>alert(1)</script> \& "Ha Nam" \{50\%\}'


def test_korean_titles_get_revised_romanization_slugs_and_the_old_slug_redirects(seeded, client):
    article = seeded["003"]
    article.title = "경기도와 하노이, 우호협력 협약 체결"
    article.save()
    assert article.slug == "gyeonggidowa-hanoi-uhohyeopryeok-hyeobyak-chegyeol"
    old = client.get(f"/articles/{article.id}/article/")
    assert old.status_code == 301 and old.url == f"/articles/{article.id}/{article.slug}/"
    assert client.get(old.url).status_code == 200


def test_romanization():
    from archive.romanize import romanize

    assert romanize("경기도") == "gyeonggido"
    assert romanize("서울특별시") == "seoulteukbyeolsi"
    assert romanize("한국어") == "hangugeo"  # a final carried over to a silent ㅇ
    assert romanize("좋아") == "joa"  # ㅎ before a vowel is silent
    assert romanize("Hà Nội 경기") == "Hà Nội gyeonggi"
    assert romanize("Hà Nội và Busan, 2024") == "Hà Nội và Busan, 2024"  # no syllable: as it is
    assert romanize("ㄱ ㅏ") == "ㄱ ㅏ"  # lone jamo are not syllables


def test_also_reported_in_names_each_language_once_and_the_original_is_linked(seeded, client):
    article, same_lang_a, same_lang_b = seeded["000"], seeded["001"], seeded["002"]
    other = seeded["003"]
    story = Story.objects.create(type="mou", vn=article.places.get(slug="ha-nam"),
                                 kr=article.places.get(slug="gyeonggi"), date=date(2023, 2, 21))
    story.articles.add(article, same_lang_a, same_lang_b, other)
    article.source_url = "https://example.org/original-report"
    article.save()
    soup = _page(client, article.get_absolute_url())
    note = soup.find("p", class_="notes")
    names = [a.get_text() for a in note.find_all("a")]
    assert names == ["French", "Vietnamese"]  # two French reports, named once
    assert all(a["href"] == f"/stories/{story.id}/" for a in note.find_all("a"))
    assert soup.find("a", class_="original")["href"] == "https://example.org/original-report"
    stories = _page(client, "/stories/")
    assert stories.find("a", href=f"/stories/{story.id}/")


def test_export_ris_and_csv_of_a_search(seeded, client):
    api = client.get("/api/search/", {"q": "Gyeonggi", "page_size": 100}).json()
    assert api["count"] >= 2
    ris = client.get("/search/export/", {"format": "ris", "q": "Gyeonggi"})
    assert ris.status_code == 200 and "attachment" in ris["Content-Disposition"]
    records = rispy.loads(ris.content.decode())
    assert [r["title"] for r in records] == [r["title"] for r in api["results"]]
    assert all(r["urls"][0].startswith("http://testserver/articles/") for r in records)

    response = client.get("/search/export/", {"format": "csv", "q": "Gyeonggi", "lang": "fr"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    expected = client.get("/api/search/", {"q": "Gyeonggi", "lang": "fr"}).json()
    assert [int(r["id"]) for r in rows] == [r["id"] for r in expected["results"]]
    assert {r["language"] for r in rows} == {"fr"}


def test_export_escapes_formulas_and_never_includes_hidden_articles(seeded, client):
    formula, hidden = seeded["000"], seeded["004"]
    formula.title = '=HYPERLINK("http://evil.example","x")'
    formula.save()
    hidden.status = Article.Status.HIDDEN
    hidden.save()
    rows = list(csv.DictReader(io.StringIO(
        client.get("/search/export/", {"format": "csv"}).content.decode("utf-8-sig"))))
    by_id = {int(r["id"]): r for r in rows}
    assert hidden.id not in by_id and len(rows) == Article.objects.published().count()
    assert by_id[formula.id]["title"] == "'" + formula.title
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for r in rows for cell in r.values())
    ris = client.get("/search/export/", {"format": "ris", "q": "Jeollanam"}).content.decode()
    assert ris == ""


def test_export_refuses_bad_requests_clearly(seeded, client):
    for params in ({}, {"format": "xlsx"}, {"format": "csv", "sort": "sideways"}):
        response = client.get("/search/export/", params)
        assert response.status_code == 400 and response.content.strip(), params
        assert response["Content-Type"].startswith("text/plain")


def test_csv_cell_escaping():
    from search.export import csv_cell

    for dangerous in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert csv_cell(dangerous) == "'" + dangerous
    assert csv_cell("Hà Nội = Seoul") == "Hà Nội = Seoul" and csv_cell(None) == "" and csv_cell(2019) == "2019"


def test_places_by_country_and_level_with_counts(seeded, client):
    soup = _page(client, "/places/")
    vn, kr = soup.find(id="country-vn"), soup.find(id="country-kr")
    assert vn and kr
    link = vn.find("a", href="/places/ha-nam/")
    assert link
    count = Article.objects.published().filter(places__slug="ha-nam").count()
    assert link.find_next("span").get_text().startswith(f"{count} article")
    assert kr.find("a", href="/places/gyeonggi/")
    assert [h.get_text(" ", strip=True).split(" (")[0] for h in kr.find_all("h3")]  # levels named


def test_sources_lists_sources_with_counts(seeded, client):
    soup = _page(client, "/sources/")
    rows = soup.select("tbody tr")
    with_source = Article.objects.published().exclude(source=None)
    if with_source.exists():
        assert sum(int(r.find_all("td")[1].get_text()) for r in rows) == with_source.count()


def test_articles_by_date_newest_first_and_bad_dates(seeded, client):
    soup = _page(client, "/articles/")
    links = [a["href"] for a in soup.select(".result h3 a")]
    expected = [a.get_absolute_url() for a in Article.objects.published().order_by("-published", "-id")]
    assert links == expected
    month = _page(client, "/articles/?year=2019&month=11")
    assert [a["href"] for a in month.select(".result h3 a")] == [seeded["002"].get_absolute_url()]
    for bad in ("year=abcd", "year=2019&month=13", "month=5", "page=0"):
        response = client.get(f"/articles/?{bad}")
        assert response.status_code == 400, bad
        assert BeautifulSoup(response.content, "html.parser").find(class_="error").get_text().strip()
    past = _page(client, "/articles/?page=9")
    assert not past.select(".result") and past.find(role="status")
    header = _page(client, "/").find("header")
    for url in ("/articles/", "/places/", "/stories/", "/sources/"):
        assert header.find("a", href=url), url


def test_a_language_django_does_not_know_is_named_not_a_server_error(seeded, client):
    article, other = seeded["000"], seeded["003"]
    other.language = "zh"  # Django's language list has zh-hans and zh-hant, not zh
    other.save()
    story = Story.objects.create(type="mou", vn=article.places.get(slug="ha-nam"),
                                 kr=article.places.get(slug="gyeonggi"), date=date(2023, 2, 21))
    story.articles.add(article, other)
    soup = _page(client, article.get_absolute_url())
    assert [a.get_text() for a in soup.find("p", class_="notes").find_all("a")] == ["Chinese"]
    assert client.get("/").status_code == 200 and client.get("/articles/").status_code == 200


def test_export_stops_at_its_limit(seeded, client, monkeypatch):
    from search import export

    monkeypatch.setattr(export, "EXPORT_LIMIT", 2)  # the seeds are fewer than 1,000
    rows = list(csv.DictReader(io.StringIO(
        client.get("/search/export/", {"format": "csv", "sort": "date"}).content.decode("utf-8-sig"))))
    newest = client.get("/api/search/", {"sort": "date", "page_size": 2}).json()["results"]
    assert [int(r["id"]) for r in rows] == [r["id"] for r in newest]
