"""Bounded work per query (issue 21, the search half): an article of megabytes, a query
that would tie up a worker, and "did you mean" over a large vocabulary. Nothing here
times anything: each bound is shown by what the code is allowed to look at."""
from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from hypothesis import given, settings as hsettings, strategies as st

from search import highlight
from search.analysis import analyze


def test_a_snippet_reads_only_the_window_around_the_first_matches():
    head = "Tỉnh Gyeonggi và thành phố Hà Nội ký kết hợp tác. " * 600  # 30 k characters
    needles = [tuple(analyze("Gyeonggi"))]
    # Whatever follows the scanned part, megabytes of it, changes nothing in the snippet.
    tail_a = " Gyeonggi" * 300_000
    tail_b = " xyz" * 10
    assert len(head) > highlight.SCAN_CHARS
    assert highlight.snippet(head + tail_a, needles) == highlight.snippet(head + tail_b, needles)
    assert "<mark>Gyeonggi</mark>" in highlight.snippet(head + tail_a, needles)


def _window_brute_force(spans, width):
    """The definition the linear window search must agree with (the old quadratic one)."""
    best_start, best_count = spans[0][0], 0
    for anchor, _ in spans:
        count = sum(1 for s, e in spans if anchor <= s and e <= anchor + width)
        if count > best_count:
            best_start, best_count = anchor, count
    return best_start


@hsettings(deadline=None, max_examples=200)
@given(st.lists(st.tuples(st.integers(0, 5_000), st.integers(1, 40)), min_size=1, max_size=60),
       st.integers(1, 400))
def test_the_linear_window_search_picks_the_same_window_as_the_definition(raw, width):
    spans, cursor = [], 0
    for gap, length in raw:  # sorted, non-overlapping, as match_spans gives them
        spans.append((cursor + gap, cursor + gap + length))
        cursor += gap + length
    assert highlight._best_window(spans, width) == _window_brute_force(spans, width)


@pytest.fixture(scope="module")
def big_article(django_db_setup, django_db_blocker, tmp_path_factory):
    """One article of a megabyte that repeats two place names, beside the seeds."""
    from search.indexing import rebuild_index
    from tests.conftest import SEEDS

    folder = tmp_path_factory.mktemp("big")
    text = "Hợp tác Gyeonggi và Hà Nội\n\n" + "Tỉnh Gyeonggi và thành phố Hà Nội ký kết hợp tác. " * 20_000
    (folder / "big.txt").write_text(text, encoding="utf-8")
    with django_db_blocker.unblock():
        rebuild_index()
        call_command("import_articles", str(SEEDS), str(folder / "big.txt"), stdout=io.StringIO())
        yield
        call_command("flush", "--noinput")
        rebuild_index()


@pytest.mark.django_db
def test_a_megabyte_article_is_shown_in_search_results_with_its_snippet(big_article, client, settings):
    settings.ARCHIVE_SEARCH_CACHE = False
    for q in ("Gyeonggi", "Hà Nội", "ha noi"):
        page = client.get("/search/", {"q": q})
        assert page.status_code == 200
        assert "<mark>" in page.content.decode()
        data = client.get("/api/search/", {"q": q}).json()
        assert data["count"] >= 2 and len(data["results"][0]["snippet"]) < 1_000


@pytest.mark.django_db
def test_a_search_past_its_budget_is_refused_clearly_on_the_page_the_api_and_the_feed(big_article, client, settings):
    settings.ARCHIVE_SEARCH_CACHE = False
    settings.ARCHIVE_SEARCH_BUDGET_SECONDS = 0  # refused at the first match
    page = client.get("/search/", {"q": "Gyeonggi"})
    assert page.status_code == 400 and "too costly" in page.content.decode()
    api = client.get("/api/search/", {"q": "Gyeonggi", "lang": "vi"})
    assert api.status_code == 400 and "too costly" in api.json()["error"]
    assert client.get("/feeds/search/", {"q": "Gyeonggi"}).status_code == 400
    settings.ARCHIVE_SEARCH_BUDGET_SECONDS = 5
    assert client.get("/api/search/", {"q": "Gyeonggi", "lang": "vi"}).status_code == 200


@pytest.mark.django_db
def test_did_you_mean_looks_up_each_distinct_word_once_and_a_bounded_number_of_them(big_article, client, settings):
    from search.backends.whoosh import backend as whoosh_backend
    from search.engine import engine

    settings.ARCHIVE_SEARCH_CACHE = False
    data = client.get("/api/search/", {"q": "cooperaton"}).json()
    assert data["count"] == 0 and data["did_you_mean"] == "cooperation"
    whoosh_backend._spelling_cache.clear()
    typed = ["cooperaton"] * 40 + [f"zzqx{n:02d}word" for n in range(40)]
    engine().spelling_suggestions(typed)
    state = engine().state_token()
    looked_up = [word for (token, word) in whoosh_backend._spelling_cache if token == state]
    assert looked_up == ["cooperaton"] + [f"zzqx{n:02d}word" for n in range(whoosh_backend.MAX_SPELLED_WORDS - 1)]
