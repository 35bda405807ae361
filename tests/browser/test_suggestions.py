"""A reader in a real browser: the OpenSearch description, and a suggestion as they type."""
import xml.etree.ElementTree as ET

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_opensearch_and_a_suggestion_while_typing(seeded_fresh, live_server, page):
    page.goto(live_server.url + "/")
    href = page.get_attribute("link[rel=search]", "href")
    description = page.request.get(live_server.url + href)
    root = ET.fromstring(description.body())
    ns = {"os": "http://a9.com/-/spec/opensearch/1.1/"}
    types = {u.get("type") for u in root.findall("os:Url", ns)}
    assert {"text/html", "application/rss+xml", "application/json", "application/x-suggestions+json"} <= types

    box = page.locator("#home-search input[name=q]")
    box.press_sequentially("binh ph", delay=40)
    page.wait_for_function(
        "() => document.querySelectorAll('#suggestions-home option').length > 0", timeout=10000)
    options = page.eval_on_selector_all("#suggestions-home option", "os => os.map(o => o.value)")
    assert "Bình Phước" in options
    box.fill("Bình Phước")  # the suggestion, as the browser's list would put it in the box
    box.press("Enter")
    page.wait_for_url("**/search/?q=**")
    assert page.locator(".result").count() == 1
    assert "<mark>Bình Phước</mark>" in page.inner_html(".result")
