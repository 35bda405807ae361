"""A reader in a real browser sets a date range in the search form and picks two values of
one facet (the seeds: four articles, French and Vietnamese, 2019 to 2024)."""
import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def dates_shown(page) -> list[str]:
    return page.eval_on_selector_all(".result time", "ts => ts.map(t => t.getAttribute('datetime'))")


def test_a_date_range_set_in_the_form(seeded_fresh, live_server, page):
    page.goto(live_server.url + "/search/")
    assert page.locator(".result").count() == 4
    page.fill("#date-from", "2023-01-01")
    page.fill("#date-to", "2023-12-31")
    page.select_option("#sort", "oldest")
    page.click("#search-options button[type=submit]")
    page.wait_for_url(re.compile(r".*from=2023-01-01.*to=2023-12-31.*sort=oldest"))
    dates = dates_shown(page)
    assert len(dates) == 2 and dates == sorted(dates) and all(d.startswith("2023") for d in dates), dates
    assert "2 articles" in page.inner_text("#result-count")
    # The form keeps the range, and a chip says it is applied.
    assert page.input_value("#date-from") == "2023-01-01"
    assert page.locator("#active-filters .tag[data-filter=from]").count() == 1
    # A bad date is refused beside the form, not silently ignored.
    page.goto(live_server.url + "/search/?from=2023-13")
    assert page.locator("#search-error").is_visible()
    assert page.locator("#search-options").is_visible()


def test_a_two_value_facet(seeded_fresh, live_server, page):
    page.goto(live_server.url + "/search/?q=Hanoi")
    total = page.locator(".result").count()
    page.click("[data-facet=lang] a:has-text('Vietnamese')")
    page.wait_for_url("**lang=vi**")
    only_vi = page.locator(".result").count()
    assert only_vi < total
    # French is still offered while Vietnamese is chosen; choosing it adds it (OR).
    page.click("[data-facet=lang] a:has-text('French')")
    page.wait_for_url(re.compile(r".*lang=vi&lang=fr.*"))
    assert page.locator(".result").count() == total
    chips = page.locator("#active-filters .tag").all_inner_texts()
    assert len(chips) == 2 and any("Vietnamese" in c for c in chips) and any("French" in c for c in chips), chips
    assert page.locator("[data-facet=lang] a.selected").count() == 2
    # Taking one chip off keeps the other.
    page.click("#active-filters .tag[data-value=fr] a")
    page.wait_for_url(re.compile(r".*lang=vi(?!&lang)"))
    assert page.locator(".result").count() == only_vi
