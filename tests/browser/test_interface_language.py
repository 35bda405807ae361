"""A reader switches the interface to Korean and searches (issue 15)."""
import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_switch_to_korean_then_search_sees_korean_text_and_dates(seeded_fresh, live_server, page):
    page.goto(live_server.url + "/")
    assert page.get_attribute("html", "lang") == "en"  # the browser asks for English
    page.click("form.languages button[value=ko]")
    page.wait_for_function("document.documentElement.lang === 'ko'")
    assert page.get_attribute("form.languages button[value=ko]", "aria-pressed") == "true"

    page.fill("#home-search input[name=q]", "Gyeonggi")
    page.click("#home-search button[type=submit]")
    page.wait_for_url("**/search/?q=Gyeonggi")
    assert page.get_attribute("html", "lang") == "ko"
    assert "‘Gyeonggi’ 검색 결과" in page.inner_text("h1")
    assert re.search(r"기사 \d+건", page.inner_text("#result-count"))
    assert page.inner_text("#facet-lang") == "언어"
    # Dates in the Korean form, as precise as the article's; titles keep their own language.
    dates = page.locator(".result time").all_inner_texts()
    assert dates and all(re.fullmatch(r"\d{4}년( \d{1,2}월( \d{1,2}일)?)?", d) for d in dates), dates
    assert {page.get_attribute(f".result:nth-of-type({i + 1}) h3 a", "lang") for i in range(2)} <= {"vi", "fr", "ko", "en"}

    # The choice is remembered (a cookie): the next page is Korean too.
    page.click("nav a[href='/help/search/']")
    page.wait_for_url("**/help/search/")
    assert page.get_attribute("html", "lang") == "ko" and page.inner_text("h1") == "검색 방법"
