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
    assert any("2022-08-30" in r and "letter of intent" in r for r in rows), rows
    page.locator("table.events tr", has_text="2022-08-30").locator("a.event-sentence").click()
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
    assert "Hà Nội" in page.inner_text("h1") and "Seoul" in page.inner_text("h1")
