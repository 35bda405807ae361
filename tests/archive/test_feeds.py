"""Every feed, read by feedparser as a real client would: well-formed, stable, conditional."""
import feedparser
import pytest

from archive.models import Article

pytestmark = pytest.mark.django_db

FEEDS = [
    "/feeds/latest/",
    "/feeds/lang/vi/",
    "/feeds/lang/fr/",
    "/feeds/place/gyeonggi/",
    "/feeds/partnership/binh-phuoc--jeollanam/",
    "/feeds/search/?q=Gyeonggi",
    "/feeds/search/?q=hanoi&lang=fr",
]


@pytest.mark.parametrize("url", FEEDS)
def test_every_feed_is_well_formed_in_rss_and_atom(seeded, client, url):
    path, _, query = url.partition("?")
    for variant in (url, f"{path}atom/" + (f"?{query}" if query else "")):
        response = client.get(variant)
        assert response.status_code == 200, variant
        feed = feedparser.parse(response.content)
        assert not feed.bozo, (variant, feed.bozo_exception)
        assert feed.entries, variant
        for entry in feed.entries:
            assert entry.link.startswith("http://testserver/articles/")
            assert entry.id.startswith("http://testserver/articles/")
            assert entry.summary


def test_feed_contents(seeded, client):
    vi = feedparser.parse(client.get("/feeds/lang/vi/").content)
    assert {e.title for e in vi.entries} == {seeded["003"].title, seeded["004"].title}
    assert vi.feed.language == "vi"
    atom = feedparser.parse(client.get("/feeds/lang/vi/atom/").content)
    assert atom.feed.language == "vi"
    latest_atom = client.get("/feeds/latest/atom/").content.decode()
    assert 'xml:lang="fr"' in latest_atom and 'xml:lang="vi"' in latest_atom  # each entry its language
    pair = feedparser.parse(client.get("/feeds/partnership/binh-phuoc--jeollanam/").content)
    assert [e.title for e in pair.entries] == [seeded["004"].title]
    raw = client.get("/feeds/search/?q=Jeollanam").content
    search = feedparser.parse(raw)
    assert len(search.entries) == 1
    # The summary is the escaped snippet with the matches marked (feedparser's own
    # sanitizer drops <mark> but keeps the text).
    assert "&lt;mark&gt;Jeollanam&lt;/mark&gt;" in raw.decode()
    assert "Jeollanam" in search.entries[0].summary


def test_unknown_feed_objects_are_404(seeded, client):
    for url in ("/feeds/lang/xx/", "/feeds/place/atlantis/", "/feeds/partnership/seoul--ha-noi/",
                "/feeds/partnership/nonsense/"):
        assert client.get(url).status_code == 404, url
    # A bad search parameter is a bad request, as in the search page and the API.
    assert client.get("/feeds/search/?page=abc").status_code == 400


def test_conditional_get_answers_304_until_something_changes(seeded, client):
    first = client.get("/feeds/latest/")
    etag, modified = first["ETag"], first["Last-Modified"]
    assert etag and modified
    assert client.get("/feeds/latest/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get("/feeds/latest/", HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    article = seeded["002"]
    article.title = "Une nouvelle version du titre"
    article.save()
    assert client.get("/feeds/latest/", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_control_characters_from_scraped_text_never_break_a_feed(seeded, client):
    article = seeded["003"]
    Article.objects.filter(pk=article.pk).update(title="Gyeonggi\x0b và Hà Nội\x00 \x1f ký kết", body=article.body + "\x08")
    for url in ("/feeds/latest/", "/feeds/latest/atom/", "/feeds/search/?q=Gyeonggi"):
        response = client.get(url)
        assert response.status_code == 200
        feed = feedparser.parse(response.content)
        assert not feed.bozo, feed.bozo_exception
        assert any(" ".join(e.title.split()) == "Gyeonggi và Hà Nội ký kết" for e in feed.entries)


def test_guids_survive_title_edits_and_merges(seeded, client):
    from archive import curation

    before = {e.title: e.id for e in feedparser.parse(client.get("/feeds/latest/").content).entries}
    article = seeded["004"]
    old_title = article.title
    article.title = "Một tiêu đề mới"
    article.save()
    after = {e.title: e.id for e in feedparser.parse(client.get("/feeds/latest/").content).entries}
    assert after["Một tiêu đề mới"] == before[old_title]
    survivor = curation.merge(seeded["002"], [seeded["003"]], None)
    ids = {e.id for e in feedparser.parse(client.get("/feeds/latest/").content).entries}
    assert f"http://testserver/articles/{survivor.id}/" in ids
    assert f"http://testserver/articles/{seeded['003'].id}/" not in ids


def test_pages_link_their_feeds(seeded, client):
    search = client.get("/search/", {"q": "Gyeonggi", "lang": "vi"}).content.decode()
    assert 'rel="alternate" type="application/rss+xml"' in search
    # The link carries the page's interface language (hl=) for the feed's own title.
    assert 'href="/feeds/search/?q=Gyeonggi&amp;lang=vi&amp;hl=en"' in search
    assert "Follow this search as RSS" in search
    place = client.get("/places/jeollanam/").content.decode()
    assert 'href="/feeds/place/jeollanam/?hl=en"' in place
    pair = client.get("/partnerships/binh-phuoc--jeollanam/").content.decode()
    assert 'href="/feeds/partnership/binh-phuoc--jeollanam/?hl=en"' in pair


def test_sitemap_lists_published_articles_places_and_partnerships_with_lastmod(seeded, client):
    article = seeded["004"]
    curation_hidden = seeded["002"]
    curation_hidden.status = Article.Status.HIDDEN
    curation_hidden.save()
    xml = client.get("/sitemap.xml").content.decode()
    assert f"http://testserver{article.get_absolute_url()}" in xml
    assert f"/articles/{curation_hidden.id}/" not in xml
    assert "http://testserver/places/jeollanam/" in xml
    assert "http://testserver/partnerships/binh-phuoc--jeollanam/" in xml
    assert "http://testserver/partnerships/ha-nam--gyeonggi/" in xml
    assert xml.count("<lastmod>") == xml.count("<loc>")


def test_last_modified_is_the_state_the_304_is_judged_by(seeded, client):
    # Articles in other languages changed later than every French one: the French feed's
    # Last-Modified must still earn a 304 when sent back.
    from datetime import timedelta

    from django.utils import timezone

    Article.objects.filter(pk=seeded["004"].pk).update(updated=timezone.now() + timedelta(minutes=1))
    first = client.get("/feeds/lang/fr/atom/")
    assert client.get("/feeds/lang/fr/atom/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
