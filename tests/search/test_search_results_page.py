"""The search page over the judged relevance corpus (tests/relevance/, 166 articles in four
languages, imported once for the module): literal first, multi-select facets with names,
"show more", the results-per-year chart, numbered pages and a page past the end."""
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from search.views import _Links, _page_numbers

pytestmark = pytest.mark.django_db

CORPUS = Path(__file__).resolve().parent.parent / "relevance" / "corpus"


@pytest.fixture(scope="module")
def corpus(django_db_setup, django_db_blocker):
    from search.indexing import rebuild_index

    with django_db_blocker.unblock():
        rebuild_index()
        call_command("import_articles", str(CORPUS), stdout=open("/dev/null", "w"))
        yield
        call_command("flush", "--noinput")
        rebuild_index()


@pytest.fixture
def client_on_corpus(corpus, db, client):
    from django.core.cache import caches

    caches["search"].clear()
    return client


def titles(client, **params):
    return [r["title"] for r in client.get("/api/search/", params).json()["results"]]


def test_literal_matches_rank_above_translations(client_on_corpus):
    from archive.models import Article

    # The French articles about a jumelage (the word in the title, or said again and again)
    # come before every article that matched only through 자매결연, kết nghĩa or sister city.
    data = client_on_corpus.get("/api/search/", {"q": "jumelage", "page_size": 20}).json()
    about = [bool(re.search(r"jumel", r["title"], re.I)) or
             len(re.findall(r"jumelage", Article.objects.get(pk=r["id"]).body, re.I)) >= 3
             for r in data["results"]]
    assert any(about) and not any(about[about.index(False):]), about
    literal = [i for i, r in enumerate(data["results"]) if r["language"] == "fr"]
    assert literal[:2] == [0, 1]
    # Translations still come after them: the concept is searched in every language.
    assert {r["language"] for r in data["results"]} >= {"ko", "vi", "en"}
    # The banner names every alternative searched, and no generic "friendship exchange".
    notes = " ".join(data["notes"])
    assert "자매결연" in notes and "kết nghĩa" in notes and "우호교류" not in notes


def test_every_literal_match_first_when_the_archive_is_set_so(client_on_corpus, settings):
    from archive.models import Article

    # ARCHIVE_LITERAL_FIRST=every: each article that says "jumelage", even once, ranks above
    # every article found only through a translation (the default keeps only those about it).
    settings.ARCHIVE_LITERAL_FIRST = "every"
    data = client_on_corpus.get("/api/search/", {"q": "jumelage", "page_size": 40}).json()
    literal = [bool(re.search(r"jumelage", Article.objects.get(pk=r["id"]).body + r["title"], re.I))
               for r in data["results"]]
    assert sum(literal) > 3 and not any(literal[literal.index(False):]), literal


def test_sister_city_is_not_a_friendship_exchange(client_on_corpus):
    from archive.models import Article

    found = {r["id"] for r in client_on_corpus.get("/api/search/", {"q": "sister city", "page_size": 100}).json()["results"]}
    loose = Article.objects.filter(body__contains="우호교류").exclude(body__contains="자매").values_list("id", flat=True)
    assert loose and not found & set(loose)


def test_facets_by_name_multi_select_and_show_more(client_on_corpus):
    html = client_on_corpus.get("/search/?lang=fr&lang=vi").content.decode()
    assert re.search(r"(\d+) articles", html).group(1) == "83"  # 41 French + 42 Vietnamese
    chips = re.findall(r'<span class="tag" data-filter="(\w+)" data-value="(\w+)">([^<]*)<', html)
    assert [(name, value) for name, value, _ in chips] == [("lang", "fr"), ("lang", "vi")]
    assert "French" in chips[0][2] and "Vietnamese" in chips[1][2]
    # Korean and English stay listed, each link adding its language to the two chosen.
    assert 'href="/search/?lang=fr&amp;lang=vi&amp;lang=ko"' in html
    # A chosen value's link takes it out of the selection.
    assert 'href="/search/?lang=vi"' in html
    # More places than are shown at once: the rest behind "show more".
    assert re.search(r'<details class="more"><summary>\d+ more</summary>\s*<ul data-facet="place">', html)
    # A place chip shows the place's name, not its slug.
    place_html = client_on_corpus.get("/search/?place=gyeonggi").content.decode()
    assert re.search(r'data-filter="place" data-value="gyeonggi">Place: Gyeonggi', place_html)


def test_year_chart_numbered_pages_and_past_the_end(client_on_corpus):
    html = client_on_corpus.get("/search/").content.decode()
    # Results per year of the whole result set: every year of the corpus, 2015 to 2026.
    chart = html[html.index('id="years-chart"'):html.index("</table>", html.index('id="years-chart"'))]
    years = re.findall(r'<a href="/search/\?year=(\d{4})">', chart)
    assert years[0] == "2015" and years[-1] == "2026"
    counts = [int(n) for n in re.findall(r'<meter min="0" max="\d+" value="(\d+)"', chart)]
    assert sum(counts) == 166
    # 166 articles, 20 a page: pages 1 2 3 … 9.
    pager = html[html.index('class="pager"'):]
    assert re.findall(r'<li><a href="/search/\?page=(\d+)">', pager) == ["2", "3", "9"]
    last = client_on_corpus.get("/search/?page=9").content.decode()
    assert "Page 9 of 9" in last and last.count('class="result"') == 6
    past = client_on_corpus.get("/search/?page=12")
    text = past.content.decode()
    assert past.status_code == 200 and 'id="past-end"' in text and "no page 12" in text
    assert "Page 12 of" not in text and 'class="result"' not in text
    empty = client_on_corpus.get("/search/", {"q": "zzzzqqq"}).content.decode()
    assert "Page 1 of 1" not in empty and 'id="no-results"' in empty


def test_date_range_and_oldest_first_in_the_page(client_on_corpus):
    html = client_on_corpus.get("/search/", {"q": "Busan", "from": "2020-01-01", "to": "2021-12-31",
                                             "sort": "oldest"}).content.decode()
    dates = re.findall(r'<time datetime="(\d{4}-\d{2}(?:-\d{2})?)"', html)
    assert dates and dates == sorted(dates) and all("2020" <= d[:4] <= "2021" for d in dates)
    assert '<strong>oldest first</strong>' in html
    assert 'value="2020-01-01"' in html and 'value="2021-12-31"' in html


def test_page_numbers():
    assert _page_numbers(1, 1) == [1]
    assert _page_numbers(6, 20) == [1, None, 4, 5, 6, 7, 8, None, 20]
    assert _page_numbers(2, 4) == [1, 2, 3, 4]


def test_search_links_encode_their_parameters_as_urlencode_does():
    """The page's links encode each name=value pair once a page (search.views._Links): the
    same bytes as django.utils.http.urlencode, for typed text of any kind, lists, numbers,
    and values left out (None, "")."""
    from django.utils.http import urlencode

    base = {"q": 'hợp tác "Bình Dương" & 경기도 +x/y?#', "lang": ["vi", "ko"], "place": [], "sort": "",
            "from": "2023-01", "to": None}
    link = _Links("/search/", base)
    for changes in [{}, {"page": 3}, {"page": None}, {"lang": ["vi"], "page": None}, {"year": ["2024"]},
                    {"q": "a b", "sort": "date"}, {"place": ["binh-duong", "gyeonggi"], "lang": []}]:
        params = [(name, v) for name, value in {**base, **changes}.items()
                  for v in (value if isinstance(value, (list, tuple)) else [value]) if v not in (None, "")]
        assert link(**changes) == "/search/" + ("?" + urlencode(params) if params else "")
    assert _Links("/search/", {"q": ""})() == "/search/"
