"""One real-world event reported by several articles is one event with its reports
(issue 14, item 3), at city level, rolled up to the province (item 4)."""
import io
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command

from archive.models import Article, PartnershipEvent, Place
from archive.partnerships import merge_reports, same_date

pytestmark = pytest.mark.django_db
REPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "event_reports"


@pytest.fixture(scope="module")
def reports_once(django_db_setup, django_db_blocker):
    """Three reports of the Suwon–Bình Dương friendship agreement (vi, ko, en, published
    on three days), an anniversary and a hospital MOU, imported once, committed."""
    from search.indexing import rebuild_index

    with django_db_blocker.unblock():
        rebuild_index()
        call_command("import_articles", str(REPORTS), stdout=io.StringIO())
        yield {a.language + a.published.isoformat(): a.pk for a in Article.objects.all()}
        call_command("flush", "--noinput")
        rebuild_index()


@pytest.fixture
def reports(reports_once, db):
    return reports_once


def test_three_reports_are_one_event_with_its_sentences(reports, client):
    rows = PartnershipEvent.objects.filter(type="sister_city", vn__slug="binh-duong", kr__slug="suwon")
    assert rows.count() == 3  # one report per article, each linked to its sentence
    # The Vietnamese lead gives "Ngày 10/6", the Korean "지난 10일", the English "June 10".
    assert {r.date for r in rows} == {date(2024, 6, 10)}
    api = client.get("/api/partnerships/").json()
    pair = next(p for p in api["results"] if (p["vn"]["slug"], p["kr"]["slug"]) == ("binh-duong", "suwon"))
    assert pair["url"] == "/partnerships/binh-duong--suwon/"
    assert len(pair["events"]) == 1
    event = pair["events"][0]
    assert event["type"] == "sister_city" and event["date"] == "2024-06-10"
    assert event["report_count"] == 3
    assert {r["id"] for r in event["reports"]} == {r.article_id for r in rows}
    for report in event["reports"]:
        assert report["url"].startswith(f"/articles/{report['id']}/#event-")
        assert "10" in report["sentence"]  # the sentence, whole, with the words giving the date
    page = client.get("/partnerships/binh-duong--suwon/").content.decode()
    assert page.count('class="event-row"') == 1 and "3 reports" in page
    for row in rows:
        assert f'href="/articles/{row.article_id}/#event-{row.id}"' in page
    feed = client.get("/feeds/partnership/binh-duong--suwon/").content.decode()
    assert feed.count("<item>") == 3  # the city-level pair has its feed, one item per report


def test_an_anniversary_is_not_a_new_agreement_and_a_hospital_mou_no_partnership(reports, client):
    changwon = PartnershipEvent.objects.filter(kr__slug="changwon")
    assert [(e.type, e.date) for e in changwon] == [("anniversary", date(2025, 3, 19))]
    assert not PartnershipEvent.objects.filter(vn__slug="ha-noi").exists()
    pairs = {(p["vn"]["slug"], p["kr"]["slug"]) for p in client.get("/api/partnerships/").json()["results"]}
    assert ("ha-noi", "chungcheongbuk") not in pairs


def test_a_city_partnership_rolls_up_to_its_province(reports, client):
    page = client.get("/places/gyeonggi/").content.decode()
    assert page.count('class="event-row"') == 1
    assert "sister-city agreement with Binh Duong" in page and "1 report" not in page
    # The timeline names the partner and the reports too.
    assert "<title>10 June 2024 sister-city agreement with Binh Duong · 3 reports</title>" in page
    assert 'href="/partnerships/binh-duong--suwon/"' in page and "(with Suwon (수원시))" in page
    data = client.get("/api/places/gyeonggi/").json()
    partner = next(p for p in data["partners"] if p["slug"] == "binh-duong")
    assert partner["with"]["slug"] == "suwon" and partner["partnership"] == "/partnerships/binh-duong--suwon/"
    # Binh Duong's own page names Suwon as the partner, once.
    page = client.get("/places/binh-duong/", headers={"accept-language": "ko"}).content.decode()
    assert page.count('class="event-row"') == 1 and "보도 3건" in page


def test_the_date_tolerance(reports):
    vn, kr = Place.objects.get(slug="binh-duong"), Place.objects.get(slug="suwon")
    article = Article.objects.first()

    def report(i, when, precision, type_="mou", status="extracted"):
        return PartnershipEvent(id=1000 + i, article=article, type=type_, vn=vn, kr=kr, date=when,
                                date_precision=precision, sentence=f"s{i}", status=status)

    assert same_date(date(2024, 6, 10), "day", date(2024, 6, 13), "day")
    assert not same_date(date(2024, 6, 10), "day", date(2024, 6, 14), "day")
    assert same_date(date(2024, 6, 1), "month", date(2024, 6, 30), "day")
    assert not same_date(date(2024, 6, 30), "day", date(2024, 7, 1), "month")
    merged = merge_reports([
        report(1, date(2024, 6, 10), "day"), report(2, date(2024, 6, 12), "day"),
        report(3, date(2024, 6, 1), "month"), report(4, date(2024, 6, 20), "day"),
        report(5, date(2024, 6, 10), "day", type_="visit"),
        report(6, date(2024, 6, 11), "day", status="confirmed"),
    ])
    by_type = {}
    for group in merged:
        by_type.setdefault(group.type, []).append(sorted(r.id for r in group.reports))
    # The editor's confirmed report stands for the event; the month-precise report joins it.
    assert by_type == {"mou": [[1001, 1002, 1003, 1006], [1004]], "visit": [[1005]]}
    agreement = next(g for g in merged if g.type == "mou" and g.report_count == 4)
    assert agreement.first.id == 1006 and agreement.confirmed and agreement.date == date(2024, 6, 11)


def test_quoted_evidence_is_never_cut_before_its_date_or_type():
    from archive.ingest.events import evidence_excerpt

    sentence = ("Lãnh đạo tỉnh Bình Dương và lãnh đạo thành phố Suwon, sau nhiều năm trao đổi đoàn và hợp tác "
                "trong các lĩnh vực giáo dục, văn hóa, đã ký thỏa thuận hợp tác hữu nghị ngày 10/6/2024, "
                "trong không khí thân mật, với sự chứng kiến của nhiều doanh nghiệp hai bên và đại diện "
                "cộng đồng người Việt tại thành phố.")
    short = evidence_excerpt(sentence, 60)
    assert "thỏa thuận hợp tác hữu nghị" in short and "10/6/2024" in short
    assert short.endswith(" …") and len(short) < len(sentence)
    assert evidence_excerpt(sentence, 1000) == sentence


def test_an_undated_report_takes_the_article_date_and_joins_the_dated_one(reports, client):
    rows = {r.article.language: r for r in PartnershipEvent.objects.filter(type="mou", kr__slug="gimhae")
            .select_related("article")}
    assert (rows["ko"].date, rows["ko"].date_from_article) == (date(2024, 3, 11), False)
    assert (rows["vi"].date, rows["vi"].date_precision, rows["vi"].date_from_article) == \
        (date(2024, 3, 13), "day", True)
    pair = next(p for p in client.get("/api/partnerships/").json()["results"]
                if (p["vn"]["slug"], p["kr"]["slug"]) == ("dong-nai", "gimhae"))
    assert [(e["date"], e["report_count"]) for e in pair["events"]] == [("2024-03-11", 2)]
    page = client.get("/partnerships/dong-nai--gimhae/").content.decode()
    assert page.count('class="event-row"') == 1 and "(article date)" not in page  # the sentence's date stands


def test_a_unit_named_with_its_province_is_the_party_at_any_level():
    from archive.ingest.events import extract_events

    found = extract_events("Suwon City of Gyeonggi Province and Binh Duong Province signed a friendship "
                           "agreement on June 10.", date(2024, 6, 12))
    assert [(e.type, e.vn, e.kr, e.date) for e in found] == [("sister_city", "binh-duong", "suwon", date(2024, 6, 10))]
    # A venue inside the province leaves the province the party ("수원 도담소에서", gold e030).
    found = extract_events("경기도와 하노이시는 21일 수원 도담소에서 우호협력 양해각서를 체결했다.", date(2024, 10, 22))
    assert [(e.vn, e.kr) for e in found] == [("ha-noi", "gyeonggi")]
