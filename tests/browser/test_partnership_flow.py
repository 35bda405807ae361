"""A researcher in a real browser: place page -> partnership -> event -> the article sentence."""
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_place_to_partnership_to_event_to_article(seeded_fresh, live_server, page):
    page.goto(live_server.url + "/places/binh-phuoc/")
    assert "Jeollanam" in page.inner_text("h2 + table, table.counts")
    page.click("a[href='/partnerships/binh-phuoc--jeollanam/']")
    page.wait_for_url("**/partnerships/binh-phuoc--jeollanam/")
    assert page.locator("figure svg title").first.text_content() == "Timeline of agreements and visits"
    rows = page.locator("table.events tr").all_inner_texts()
    assert any("30 August 2022" in r and "letter of intent" in r for r in rows), rows  # the English interface
    page.locator("table.events tr", has_text="30 August 2022").locator("a.event-sentence").click()
    page.wait_for_url("**/articles/**")
    assert page.url.split("#", 1)[1].startswith("event-")
    anchor = page.url.split("#", 1)[1]
    marked = page.evaluate(
        """id => { let el = document.getElementById(id);
                   while (el && el.tagName !== 'MARK') el = el.nextElementSibling;
                   return el ? el.textContent : null; }""",
        anchor,
    )
    assert marked and "Ý định thư hợp tác giữa UBND tỉnh Bình Phước" in marked
    assert page.inner_text("article.full h1") == "Bình Phước thăm và làm việc với Chính quyền tỉnh Jeollanam, Hàn Quốc"


def test_network_page_links_each_partnership(seeded_fresh, live_server, page):
    page.goto(live_server.url + "/partnerships/")
    edges = page.locator("#network svg a line")
    assert edges.count() >= 4
    page.locator("#network svg a[href='/partnerships/ha-noi--seoul/'] line").dispatch_event("click")
    page.wait_for_url("**/partnerships/ha-noi--seoul/")
    assert "Hanoi" in page.inner_text("h1") and "Seoul" in page.inner_text("h1")  # named in English


def test_a_city_partnership_from_its_province_page(search_index, live_server, page):
    """Suwon's agreement with Bình Dương, reported three times, is on Gyeonggi's page once;
    its partnership page lists the event once with its three reports."""
    import io
    from pathlib import Path

    from django.core.management import call_command

    reports = Path(__file__).resolve().parents[1] / "fixtures" / "event_reports"
    call_command("import_articles", str(reports), stdout=io.StringIO())
    page.goto(live_server.url + "/places/gyeonggi/")
    partner = page.locator("table.counts tr", has_text="(with Suwon")
    assert "Binh Duong" in partner.inner_text()
    partner.locator("a[href='/partnerships/binh-duong--suwon/']").click()
    page.wait_for_url("**/partnerships/binh-duong--suwon/")
    assert "Suwon" in page.inner_text("h1") and "Binh Duong" in page.inner_text("h1")
    rows = page.locator("table.events tbody tr")
    assert rows.count() == 1
    row = rows.first.inner_text()
    assert "10 June 2024" in row and "sister-city agreement" in row and "3 reports" in row, row
    sentences = rows.first.locator("a.event-sentence")
    assert sentences.count() == 3
    sentences.filter(has_text="June 10").click()
    page.wait_for_url("**/articles/**")
    assert page.inner_text("article.full h1") == "Suwon and Binh Duong sign friendship agreement"
