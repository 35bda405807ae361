"""A reader in a real browser: search from the home page, see highlights, filter, read."""
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_search_highlight_filter_and_open_an_article(seeded_fresh, live_server, page, tmp_path):
    page.goto(live_server.url + "/")
    page.fill("#home-search input[name=q]", "hanoi")
    page.press("#home-search input[name=q]", "Enter")
    page.wait_for_url("**/search/?q=hanoi")

    assert page.locator(".result").count() == 3
    marks = page.locator(".result mark").all_inner_texts()
    # Folded and cross-language matches are marked as written in each article.
    assert {"Hà Nội", "Hanoï"} <= set(marks), marks

    page.click("[data-facet=lang] a:has-text('Vietnamese')")
    page.wait_for_url("**lang=vi**")
    assert page.locator(".result").count() == 1
    assert "1 article" in page.inner_text("#result-count")

    page.click(".result h3 a")
    page.wait_for_selector("article.full h1")
    assert page.inner_text("article.full h1").startswith("Ký Kết Hợp Tác Hữu Nghị")
    assert "Bình luận" not in page.inner_text("article.full")
    page.screenshot(path=str(tmp_path / "article.png"), full_page=True)
