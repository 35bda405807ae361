"""A city rolls up to its province for place= (issue 14): place=gyeonggi finds the article
that names Suwon, marked '(in Gyeonggi)', as place=ninh-binh finds Hà Nam's."""
from __future__ import annotations

from archive import gazetteer


def test_gazetteer_descendants():
    inside = gazetteer.descendants("gyeonggi")
    assert {"suwon", "jangan", "gwangju-gyeonggi", "seongnam", "bundang"} <= set(inside)
    assert "gwangju" not in inside and "seoul" not in inside
    assert sorted(gazetteer.descendants("suwon")) == ["gwonseon", "jangan", "paldal", "yeongtong"]
    assert "da-lat" in gazetteer.descendants("lam-dong") and gazetteer.descendants("jangan") == []


def test_province_filter_finds_its_cities_articles(seeded, client):
    suwon_article = seeded["002"]
    assert "suwon" in {p.slug for p in suwon_article.places.all()}
    assert "gyeonggi" not in {p.slug for p in suwon_article.places.all()}
    data = client.get("/api/search/", {"place": "gyeonggi"}).json()
    found = {r["id"]: r for r in data["results"]}
    assert suwon_article.id in found
    assert "gyeonggi" not in found[suwon_article.id]["places"]  # the article keeps the unit it names
    html = client.get("/search/", {"place": "gyeonggi"}).content.decode()
    assert "Suwon (수원시) <small>(in Gyeonggi Province (경기도))</small>" in html
    html = client.get("/search/", {"place": "gyeonggi"}, headers={"accept-language": "vi"}).content.decode()
    assert "<small>(thuộc Gyeonggi" in html
    # and not the other way: a city's filter does not take the province's articles
    data = client.get("/api/search/", {"place": "suwon"}).json()
    assert all("suwon" in r["places"] for r in data["results"])
