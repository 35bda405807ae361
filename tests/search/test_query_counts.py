"""Pages cost a constant number of SQL queries, whatever the number of results; the
search cache serves the same results and is made stale by any index write."""
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from archive.models import Article
from tests.synthetic import write_articles

pytestmark = pytest.mark.django_db
# Measured: the search page reads articles, their places (with successors), stories and
# their articles, and the facet labels; nothing per result.
MAX_SEARCH_QUERIES = 8
MAX_ARTICLE_QUERIES = 12


def _import(folder, start, count):
    write_articles(folder, start, count)
    call_command("import_articles", str(folder), "--workers", "1", stdout=open("/dev/null", "w"))


def _queries(client, url) -> int:
    """The number of queries a page costs; a statement repeated with other values three
    times or more (once per result: the N+1 pattern) fails the test. Twice is allowed:
    an article's own places and those of the articles listed beside it."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    shapes = [re.sub(r"'[^']*'|\b\d+\b", "?", q["sql"]) for q in captured]
    repeated = [shape for shape in set(shapes) if shapes.count(shape) > 2]
    assert not repeated, (url, repeated)
    return len(captured)


@pytest.fixture
def no_cache(settings):
    settings.ARCHIVE_SEARCH_CACHE = False


def test_search_pages_cost_the_same_queries_for_2_and_20_results(search_index, tmp_path, client, no_cache,
                                                                 django_assert_max_num_queries):
    _import(tmp_path / "a", 0, 2)
    urls = ["/search/?q=hợp+tác", "/api/search/?q=hợp+tác", "/search/?q=hợp+tác&sort=date&place=busan",
            "/feeds/search/?q=hợp+tác"]
    for url in urls:
        with django_assert_max_num_queries(MAX_SEARCH_QUERIES):
            _queries(client, url)
    assert Article.objects.count() == 2
    _import(tmp_path / "b", 2, 28)
    assert client.get("/api/search/?q=hợp+tác").json()["count"] == 30
    for url in urls:
        # Some lookups only run when there is something to look up (a place with a
        # successor, a story), so the two counts may differ; neither grows with results.
        with django_assert_max_num_queries(MAX_SEARCH_QUERIES):
            _queries(client, url)


def test_article_pages_cost_the_same_queries_with_more_copies_places_and_events(seeded, client,
                                                                                django_assert_max_num_queries):
    counts = []
    for article in Article.objects.published():
        with django_assert_max_num_queries(MAX_ARTICLE_QUERIES):
            counts.append(_queries(client, article.get_absolute_url()))
    # The seeds range from one copy to two, no place to four, no event to three, none to
    # three related articles: lookups that find nothing cost nothing, so counts differ a
    # little (8 to 11 when measured), and stay under the same bound.
    assert len(counts) == 4 and max(counts) <= MAX_ARTICLE_QUERIES


def test_the_cache_serves_what_a_fresh_search_gives(seeded, client, settings):
    settings.ARCHIVE_SEARCH_CACHE = True
    first = client.get("/api/search/?q=hanoi").json()
    with CaptureQueriesContext(connection) as captured:
        again = client.get("/api/search/?q=hanoi").json()
    assert again == first
    assert len(captured) == 0  # served from the cache
    settings.ARCHIVE_SEARCH_CACHE = False
    assert client.get("/api/search/?q=hanoi").json() == first


@pytest.mark.django_db(transaction=True)
def test_a_write_makes_cached_results_stale(seeded_fresh, client, settings):
    settings.ARCHIVE_SEARCH_CACHE = True
    article = seeded_fresh["004"]
    before = client.get("/api/search/?q=Jeollanam").json()
    assert article.id in [r["id"] for r in before["results"]]
    article.title = "Bình Phước và Jeollanam: tiêu đề đã sửa"
    article.save()  # the index is updated after commit (search.signals)
    after = client.get("/api/search/?q=Jeollanam").json()
    assert [r["title"] for r in after["results"] if r["id"] == article.id] == [article.title]
    article.status = Article.Status.HIDDEN
    article.save()
    assert article.id not in [r["id"] for r in client.get("/api/search/?q=Jeollanam").json()["results"]]


def test_the_search_page_reads_its_facets_places_once(search_index, tmp_path, client, no_cache):
    """The facet labels and the page's names for them (in the interface language) come from
    one read of the places, not one each; a place filter no search reached is still named."""
    _import(tmp_path / "a", 0, 3)
    with CaptureQueriesContext(connection) as captured:
        page = client.get("/search/?q=hợp+tác&place=busan")
    by_slug = [q["sql"] for q in captured if re.search(r'FROM "archive_place" WHERE "archive_place"."slug" IN', q["sql"])]
    assert page.status_code == 200 and len(by_slug) == 1, by_slug
    assert 'data-filter="place" data-value="busan"' in page.content.decode()
    # An empty query returns before any facet: the chip still has the place's name.
    empty = client.get("/search/?q=%20&place=busan&hl=en").content.decode()
    assert re.search(r'data-value="busan">[^<]*Busan', empty), empty[:200]


def test_every_list_of_articles_costs_no_query_per_article(search_index, tmp_path, client):
    """The home page, a place's page, a partnership's, the articles by date and an article's
    related list show their articles as search results do (archive/_result.html: source,
    places with successors, other reports of the same story): all read per list
    (ArticleQuerySet.for_lists), none per article."""
    from archive.models import Place

    def counts(urls):
        found = {}
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200, url
            found[url] = len(captured)
        return found

    _import(tmp_path / "a", 0, 6)
    # Bình Dương lies in Hồ Chí Minh City since the 2025 reform: its tag reads its successor.
    assert Place.objects.get(slug="binh-duong").successor.slug == "ho-chi-minh"
    # An article with another about one of its places: its page lists related articles.
    article = next(a for a in Article.objects.published() if Article.objects.published().filter(
        places__in=a.places.all()).exclude(id=a.id).exists())
    pair = re.search(r'href="(/partnerships/[^/"]+/)"', client.get("/partnerships/").content.decode()).group(1)
    urls = ["/", "/places/binh-duong/", pair, "/articles/", article.get_absolute_url()]
    few = counts(urls)
    listed = {url: client.get(url).content.decode().count('<div class="result">') for url in urls}
    _import(tmp_path / "b", 6, 24)
    many = counts(urls)
    grown = {url: client.get(url).content.decode().count('<div class="result">') for url in urls}
    assert all(grown[url] > listed[url] for url in urls if url != pair), (listed, grown)  # the lists grew
    # Each list grew by four articles or more: a query per article would add as many. A
    # lookup that found nothing with fewer articles (events, partners) costs one more.
    assert all(many[url] - few[url] <= 1 for url in urls), (few, many)
    assert "now part of" in client.get("/places/binh-duong/?hl=en").content.decode()
