"""Places, partnerships, events and stories on the real seeds and the gold stories."""
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from archive.models import Article, PartnershipEvent, Story
from archive.ingest.event_store import refresh_events
from archive.places import PlaceCache

pytestmark = pytest.mark.django_db
GOLD_STORIES = Path(__file__).resolve().parents[1] / "gold" / "stories"


def test_seed_partnerships(seeded, client):
    data = client.get("/api/partnerships/").json()
    pairs = {(p["vn"]["slug"], p["kr"]["slug"]): p for p in data["results"]}
    for pair in [("ha-nam", "gyeonggi"), ("ha-noi", "seoul"), ("ha-noi", "gyeonggi"), ("binh-phuoc", "jeollanam")]:
        assert pair in pairs, pair
    assert ("ha-noi", "suwon") not in pairs  # Suwon is where the MOU was signed, not a partner
    bp = pairs[("binh-phuoc", "jeollanam")]
    assert bp["vn"] == {"slug": "binh-phuoc", "name": "Bình Phước", "level": "province", "parent": None}
    assert bp["kr"] == {"slug": "jeollanam", "name": "전라남도", "level": "province", "parent": None}
    assert bp["articles"] == 1
    agreements = [(e["type"], e["date"], e["date_precision"]) for e in bp["events"] if e["type"] != "visit"]
    assert agreements == [("mou", "2019-12-25", "day"), ("letter_of_intent", "2022-08-30", "day"),
                          ("mou", "2022-12-21", "day")]
    for event in bp["events"]:
        assert event["article"] == seeded["004"].id and event["confirmed"] is False
        assert event["date"].replace("-", "/")[:4] in event["sentence"] or event["type"] == "visit"
    hanoi_gyeonggi = pairs[("ha-noi", "gyeonggi")]["events"]
    assert [(e["type"], e["date"]) for e in hanoi_gyeonggi] == [("mou", "2024-10-21")]


def test_event_sentence_is_linked_to_the_article(seeded, client):
    event = PartnershipEvent.objects.filter(type="letter_of_intent").get()
    page = client.get("/partnerships/binh-phuoc--jeollanam/").content.decode()
    assert f'href="/articles/{event.article_id}/#event-{event.id}"' in page
    # A chart of links is a group (an image may not hold focusable parts), labelled by its title.
    assert "<svg" in page and 'role="group" aria-labelledby="chart-timeline-title' in page
    assert "Timeline of agreements and visits" in page
    article_page = client.get(seeded["004"].get_absolute_url()).content.decode()
    assert f'id="event-{event.id}"' in article_page


def test_place_api_and_pages(seeded, client):
    data = client.get("/api/places/binh-phuoc/").json()
    assert data["name"] == "Bình Phước" and data["country"] == "vn"
    assert "Binh Phuoc" in data["aliases"]
    assert data["successor"] == {"slug": "dong-nai", "name": "Đồng Nai", "level": "province", "parent": None}
    assert (data["level"], data["parent"]) == ("province", None)
    suwon = client.get("/api/places/suwon/").json()
    assert (suwon["level"], suwon["parent"]) == ("city", "gyeonggi")
    jangan = client.get("/api/places/jangan/").json()  # 수원시 장안구, a non-autonomous 구
    assert (jangan["level"], jangan["parent"]) == ("district", "suwon")
    assert client.get("/api/places/dong-anh/").json()["level"] == "district"  # huyện Đông Anh
    assert client.get("/api/places/da-lat/").json()["level"] == "city"
    assert client.get("/api/places/ha-long/").json()["former_names"] == ["huyện Hoành Bồ"]
    assert data["former_names"] == []
    assert [p["slug"] for p in data["partners"]] == ["jeollanam"]
    assert data["articles"] == 1
    assert client.get("/api/places/atlantis/").status_code == 404
    successor = client.get("/api/places/dong-nai/").json()
    assert {"slug": "binh-phuoc", "name": "Bình Phước", "level": "province", "parent": None} in successor["predecessors"]
    assert successor["articles"] == 1  # Bình Phước's history is Đồng Nai's too
    page = client.get("/places/ninh-binh/").content.decode()
    # Places are named in the interface language (English here, the default).
    assert "Includes the history of" in page and ">Ha Nam</a>" in page and "Ha Nam renforce" in page
    page = client.get("/places/ha-nam/").content.decode()
    assert "Since 1 July 2025 part of" in page


def test_a_successor_place_filter_finds_its_predecessors_marked_as_such(seeded, client):
    data = client.get("/api/search/", {"place": "ninh-binh"}).json()
    assert [r["id"] for r in data["results"]] == [seeded["000"].id]
    assert data["results"][0]["places"] == ["gyeonggi", "ha-nam"]  # the article keeps the unit it names
    html = client.get("/search/", {"place": "ninh-binh"}).content.decode()
    assert "(now part of Ninh Binh)" in html
    html = client.get("/search/", {"place": "ninh-binh"}, headers={"accept-language": "vi"}).content.decode()
    assert "(nay thuộc Ninh Bình)" in html


@pytest.mark.django_db(transaction=True)
def test_editors_confirm_correct_and_reject_events_and_reruns_respect_them(seeded_fresh, admin_client):
    article = seeded_fresh["004"]
    loi = article.events.get(type="letter_of_intent")
    visit = article.events.get(type="visit")
    first_mou = article.events.get(type="mou", date__year=2019)
    admin_client.post("/admin/archive/partnershipevent/", {"action": "confirm", "_selected_action": [loi.id]})
    admin_client.post("/admin/archive/partnershipevent/", {"action": "reject", "_selected_action": [visit.id]})
    first_mou.date = first_mou.date.replace(day=26)  # an editor's correction
    first_mou.status = PartnershipEvent.Status.CONFIRMED
    first_mou.save()
    refresh_events(Article.objects.get(pk=article.pk), PlaceCache())
    call_command("reprocess", stdout=io.StringIO())
    events = {(e.type, str(e.date), e.status) for e in Article.objects.get(pk=article.pk).events.all()}
    assert ("letter_of_intent", "2022-08-30", "confirmed") in events
    assert ("visit", "2023-04-14", "rejected") in events
    assert ("mou", "2019-12-26", "confirmed") in events
    assert ("mou", "2019-12-25", "extracted") not in events  # the corrected event is not read again
    assert sum(1 for e in events if e[0] == "visit") == 1  # the rejected visit is not extracted again
    api = admin_client.get("/api/partnerships/").json()
    bp = next(p for p in api["results"] if p["vn"]["slug"] == "binh-phuoc")
    assert {e["type"] for e in bp["events"]} == {"mou", "letter_of_intent"}
    assert any(e["confirmed"] for e in bp["events"])


def import_story_pair(pair, tmp_path):
    for side in ("a", "b"):
        (tmp_path / pair[side]).write_bytes((GOLD_STORIES / pair[side]).read_bytes())
    call_command("import_articles", *(str(tmp_path / pair[s]) for s in ("a", "b")), stdout=io.StringIO())


def test_reports_of_one_event_become_a_story(search_index, client, tmp_path):
    pairs = json.loads((GOLD_STORIES / "pairs.json").read_text(encoding="utf-8"))
    pair = next(p for p in pairs if p["pair"] == "s01")
    import_story_pair(pair, tmp_path)
    story = Story.objects.get()
    articles = list(story.articles.order_by("id"))
    assert len(articles) == 2 and {a.language for a in articles} == {"vi", "ko"}
    page = client.get(f"/stories/{story.id}/").content.decode()
    assert all(a.title in page for a in articles)
    results = client.get("/search/", {"q": "Gyeonggi"}).content.decode()
    assert "also reported in:" in results and f'href="/stories/{story.id}/"' in results


def test_a_hard_negative_pair_is_not_a_story(search_index, tmp_path):
    pairs = json.loads((GOLD_STORIES / "pairs.json").read_text(encoding="utf-8"))
    negative = next(p for p in pairs if not p["same_story"])
    import_story_pair(negative, tmp_path)
    assert Story.objects.count() == 0


def test_charts_are_accessible_svg_with_their_data(seeded, client):
    home = client.get("/").content.decode()
    assert 'role="img"' in home and "Articles per year by language" in home and "<details>" in home
    network = client.get("/partnerships/").content.decode()
    assert "Vietnam–Korea partnership network" in network
    assert '<a href="/partnerships/binh-phuoc--jeollanam/"><line' in network
    import re

    # No third-party script or CDN: the only script is the archive's own.
    assert re.findall(r"<script[^>]*>", network) == ['<script src="/static/suggest.js" defer>']


@pytest.fixture
def admin_client(client):
    from django.contrib.auth.models import User

    User.objects.create_superuser("root", "r@example.org", "a-long-password-123")
    client.login(username="root", password="a-long-password-123")
    return client


def test_a_renamed_unit_is_one_place_with_its_old_names():
    from archive import gazetteer

    place = gazetteer.lookup("Gangwon-do")
    assert place is not None and place.slug == "gangwon"
    assert gazetteer.lookup("강원특별자치도") == place == gazetteer.lookup("강원도")
    assert gazetteer.get("ha-nam").successor == "ninh-binh"
