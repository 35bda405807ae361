"""Pages and the feed over the real seeds: clean text, copies, escaping, privacy."""
from pathlib import Path

import feedparser
import pytest
from django.core.management import call_command

from archive.models import Article, RawCapture

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def test_home_shows_latest_counts_and_a_search_box(seeded, client):
    html = client.get("/").content.decode()
    assert 'name="q"' in html
    assert "Bình Phước thăm và làm việc" in html
    assert "French</a></td><td>2" in html and "Vietnamese</a></td><td>2" in html
    assert 'href="/search/?year=2023">2023</a></td><td>2' in html
    assert 'rel="alternate" type="application/rss+xml"' in html


def test_article_page(seeded, client):
    article = seeded["000"]
    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Ha Nam renforce la coopération" in html
    assert "February 2023" in html and "21 February 2023" not in html  # known to the month only
    assert 'href="/search/?place=gyeonggi"' in html and 'href="/search/?place=ha-nam"' in html
    assert "captured 2 times" in html
    assert "Voir plus" not in html
    assert "More like this" in html


def test_permalink_and_slug_redirects(seeded, client):
    article = seeded["004"]
    assert client.get(f"/articles/{article.id}/").url == article.get_absolute_url()
    wrong = client.get(f"/articles/{article.id}/wrong-slug/")
    assert wrong.status_code == 301 and wrong.url == article.get_absolute_url()


@pytest.mark.django_db(transaction=True)
def test_hidden_articles_are_404_everywhere(seeded_fresh, client):
    article = seeded_fresh["004"]
    article.status = Article.Status.HIDDEN
    article.save()
    assert client.get(article.get_absolute_url()).status_code == 404
    assert client.get(f"/api/articles/{article.id}/").status_code == 404
    assert client.get("/api/search/", {"q": "Jeollanam"}).json()["count"] == 0
    assert "Jeollanam" not in client.get("/feeds/latest/").content.decode()


def test_scraped_markup_is_shown_as_text(search_index, client):
    call_command("import_articles", str(FIXTURES / "script_in_text.txt"), stdout=open("/dev/null", "w"))
    article = Article.objects.get()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert" not in html and "<script>document" not in html and "<img src=x" not in html
    assert "&lt;script&gt;document.title=&quot;pwned&quot;&lt;/script&gt;" in html
    results = client.get("/api/search/", {"q": "Gyeonggi"}).json()["results"]
    assert "<script>" not in results[0]["snippet"] and "&lt;script&gt;" in results[0]["snippet"]
    search_html = client.get("/search/", {"q": "Gyeonggi"}).content.decode()
    assert "<script>alert" not in search_html and "<img src=x" not in search_html


def test_raw_captures_are_not_served_publicly(seeded, client, settings):
    capture = RawCapture.objects.first()
    for path in (f"/raw/{capture.sha256}", f"/data/raw/{capture.sha256[:2]}/{capture.sha256[2:4]}/{capture.sha256}",
                 f"/static/../data/raw/{capture.sha256}", f"/media/{capture.sha256}"):
        assert client.get(path).status_code == 404
    admin_page = client.get(f"/admin/archive/rawcapture/{capture.id}/change/")
    assert admin_page.status_code == 302 and "/admin/login/" in admin_page.url


def test_latest_feed_is_well_formed_rss_and_atom(seeded, client):
    rss = client.get("/feeds/latest/")
    feed = feedparser.parse(rss.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "rss20"
    assert len(feed.entries) == 4
    by_title = {e.title: e for e in feed.entries}
    entry = by_title["Bình Phước thăm và làm việc với Chính quyền tỉnh Jeollanam, Hàn Quốc"]
    article = seeded["004"]
    assert entry.link == f"http://testserver{article.get_absolute_url()}"
    assert entry.id == f"http://testserver/articles/{article.id}/"
    assert entry.published_parsed[:3] == (2023, 4, 16)  # midnight in Vietnam is 17:00 UTC the day before
    assert "+0700" in rss.content.decode() or "GMT" in rss.content.decode()
    atom = feedparser.parse(client.get("/feeds/latest/atom/").content)
    assert not atom.bozo and atom.version == "atom10" and len(atom.entries) == 4
    # Stable guid: the same on a second fetch.
    assert feedparser.parse(client.get("/feeds/latest/").content).entries[0].id == feed.entries[0].id


def test_month_precision_dates_use_the_first_of_the_month_in_feeds(seeded, client):
    article = seeded["002"]
    article.published = article.published.replace(day=1)
    article.date_precision = "month"
    article.save()
    entry = next(e for e in feedparser.parse(client.get("/feeds/latest/").content).entries
                 if e.id.endswith(f"/articles/{article.id}/"))
    assert entry.published.startswith("Fri, 01 Nov 2019 00:00:00 +0700")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "November 2019" in html and "1 November 2019" not in html
