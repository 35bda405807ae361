"""A researcher in a real browser: copies a citation, downloads an export of a search and
reads it back, and browses the places directory."""
import csv
import io

import pytest
import rispy

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_copy_a_citation_export_a_search_and_open_places(seeded_fresh, live_server, browser):
    # The Clipboard API needs a secure context: the live server's 127.0.0.1 in Chromium is
    # not one unless it is "localhost", so the page is opened there.
    base = live_server.url.replace("127.0.0.1", "localhost")
    context = browser.new_context(accept_downloads=True, permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.set_default_timeout(15000)
    refused = []  # as the `page` fixture checks: the CSP must not block the copy script
    page.on("console", lambda message: refused.append(message.text)
            if "Content Security Policy" in message.text else None)
    try:
        article = seeded_fresh["002"]
        page.goto(base + article.get_absolute_url())
        button = page.locator("#cite-bibtex button.copy")
        assert button.is_visible()  # revealed by the script
        button.click()
        page.wait_for_selector("#cite-bibtex[data-copied=true]")
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied == page.inner_text("#cite-bibtex pre")
        assert copied.startswith(f"@misc{{vnkr-{article.id},") and f"{base}{article.get_absolute_url()}" in copied

        page.goto(base + "/search/?q=Gyeonggi")
        count = page.locator(".result").count()
        assert count >= 2
        with page.expect_download() as download_info:
            page.click("#export a:has-text('RIS')")
        records = rispy.loads(open(download_info.value.path(), encoding="utf-8").read())
        assert len(records) == count
        assert [r["title"] for r in records] == page.locator(".result h3 a").all_inner_texts()
        with page.expect_download() as download_info:
            page.click("#export a:has-text('CSV')")
        rows = list(csv.DictReader(io.StringIO(open(download_info.value.path(), encoding="utf-8-sig").read())))
        assert len(rows) == count and all(r["permalink"].startswith(base + "/articles/") for r in rows)

        page.click("header nav a[href='/places/']")
        page.wait_for_url("**/places/")
        assert page.locator("#country-vn a[href='/places/ha-nam/']").is_visible()
        page.click("#country-kr a[href='/places/gyeonggi/']")
        page.wait_for_url("**/places/gyeonggi/")
        assert not refused, refused
    finally:
        context.close()
