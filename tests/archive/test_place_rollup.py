"""A city rolls up to its province for place= (issue 14): place=gangwon finds the article
whose party is Chuncheon, marked '(in Gangwon)', as place=ninh-binh finds Hà Nam's."""
from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from archive import gazetteer
from archive.models import Article

TEXT = (
    "Chuncheon và Đà Lạt ký kết thỏa thuận hợp tác hữu nghị\n\n"
    "Ngày 12/3/2024, thành phố Chuncheon (Hàn Quốc) và thành phố Đà Lạt ký kết thỏa thuận hợp tác "
    "hữu nghị trong lĩnh vực du lịch và giáo dục. Lễ ký kết diễn ra tại Seoul.\n\n"
    "Hai thành phố sẽ trao đổi đoàn học sinh và chuyên gia du lịch trong ba năm tới, theo thỏa thuận.\n"
)


def test_gazetteer_descendants():
    inside = gazetteer.descendants("gyeonggi")
    assert {"suwon", "jangan", "gwangju-gyeonggi", "seongnam", "bundang"} <= set(inside)
    assert "gwangju" not in inside and "seoul" not in inside
    assert sorted(gazetteer.descendants("suwon")) == ["gwonseon", "jangan", "paldal", "yeongtong"]
    assert "da-lat" in gazetteer.descendants("lam-dong") and gazetteer.descendants("jangan") == []


@pytest.fixture
def city_article(search_index, tmp_path):
    path = tmp_path / "chuncheon-da-lat.txt"
    path.write_text(TEXT, encoding="utf-8")
    call_command("import_articles", str(path), stdout=io.StringIO())
    return Article.objects.get()


def test_province_filter_finds_its_cities_articles(city_article, client):
    assert sorted(p.slug for p in city_article.places.all()) == ["chuncheon", "da-lat"]
    assert city_article.venue_places == ["seoul"]  # where it was signed: kept apart
    for province in ("gangwon", "lam-dong", "chuncheon"):
        data = client.get("/api/search/", {"place": province}).json()
        assert [r["id"] for r in data["results"]] == [city_article.id], province
        assert data["results"][0]["places"] == ["chuncheon", "da-lat"]  # the units it names
        assert data["results"][0]["venues"] == ["seoul"]
    # a venue is not what the article is about, and a city does not take its province's articles
    assert client.get("/api/search/", {"place": "seoul"}).json()["results"] == []
    assert client.get("/api/search/", {"place": "wonju"}).json()["results"] == []
    html = client.get("/search/", {"place": "gangwon"}).content.decode()
    assert "Chuncheon (춘천시) <small>(in Gangwon State (강원특별자치도))</small>" in html
    html = client.get("/search/", {"place": "gangwon"}, headers={"accept-language": "vi"}).content.decode()
    assert "<small>(thuộc Gangwon" in html
    # the text still finds the venue: every mention stays searchable
    assert [r["id"] for r in client.get("/api/search/", {"q": "Seoul"}).json()["results"]] == [city_article.id]
    page = client.get(city_article.get_absolute_url()).content.decode()
    assert "Named only as a venue or a dateline:" in page


def test_province_page_and_feed_list_their_cities_articles(city_article, client):
    """The roll-up is not only place=: Gangwon's page, feed and API count carry the article
    whose party is Chuncheon, marked '(in Gangwon)'; Wonju's do not."""
    import feedparser

    page = client.get("/places/gangwon/").content.decode()
    assert city_article.get_absolute_url() in page and "1 article" in page
    assert "Chuncheon (춘천시) <small>(in Gangwon State (강원특별자치도))</small>" in page
    assert city_article.get_absolute_url() not in client.get("/places/wonju/").content.decode()
    assert city_article.get_absolute_url() not in client.get("/places/seoul/").content.decode()  # the venue
    feed = feedparser.parse(client.get("/feeds/place/gangwon/").content)
    assert [e.title for e in feed.entries] == [city_article.title]
    assert "Chuncheon (춘천시) (in Gangwon State (강원특별자치도))" in [t.term for t in feed.entries[0].tags]
    assert "Da Lat City (in Lam Dong)" in [t.term for t in feedparser.parse(
        client.get("/feeds/place/lam-dong/").content).entries[0].tags]
    assert feedparser.parse(client.get("/feeds/place/wonju/").content).entries == []
    assert client.get("/api/places/gangwon/").json()["articles"] == 1
    assert client.get("/api/places/wonju/").json()["articles"] == 0
