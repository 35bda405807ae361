"""Searches over the real seeds through the JSON API and the HTML page."""
import pytest
from django.db.models import Count

from archive.models import Article

pytestmark = pytest.mark.django_db


def api(client, **params):
    response = client.get("/api/search/", params)
    assert response.status_code == 200, response.content
    return response.json()


def ids(client, q, **params):
    return {r["id"] for r in api(client, q=q, **params)["results"]}


def test_seeds_give_four_articles(seeded, client):
    data = api(client)
    assert data["count"] == 4
    assert data["query"] == "" and data["page"] == 1 and data["num_pages"] == 1
    # An empty query lists everything, newest first.
    assert [r["published"] for r in data["results"]] == ["2024-10-21", "2023-04-17", "2023-02", "2019-11-23"]


def test_result_fields(seeded, client):
    result = next(r for r in api(client, q="Jeollanam")["results"])
    assert result["url"] == f"/articles/{result['id']}/binh-phuoc-tham-va-lam-viec-voi-chinh-quyen-tinh-jeollanam-han-quoc/"
    assert result["language"] == "vi"
    assert result["published"] == "2023-04-17" and result["date_precision"] == "day"
    assert result["source"] == "binh-phuoc-portal" and result["source_name"]
    assert result["places"] == ["binh-phuoc", "jeollanam"]
    assert result["countries"] == ["vn", "kr"]
    assert "<mark>Jeollanam</mark>" in result["snippet"]


@pytest.mark.parametrize(
    "variants",
    [
        ["Binh Phuoc", "bình phước", "BÌNH PHƯỚC"],
        ["Seoul", "Séoul", "seoul"],
        ["Hanoi", "Hà Nội", "Hanoï", "ha noi", "하노이"],
        ["Gyeonggi", "Gyeonggi-do", "경기도", "Kyonggi"],
    ],
)
def test_equivalent_queries_find_the_same_articles(seeded, client, variants):
    found = [ids(client, v) for v in variants]
    assert found[0], variants[0]
    assert all(f == found[0] for f in found), dict(zip(variants, found))


def test_place_names_cross_languages(seeded, client):
    # "Hanoi" finds the Vietnamese article that says "Hà Nội" ...
    assert seeded["003"].id in ids(client, "Hanoi")
    # ... and "Hà Nội" finds the French one that says "Hanoï".
    assert seeded["002"].id in ids(client, "Hà Nội")
    # Gyeonggi in any form finds the French, Vietnamese articles.
    assert ids(client, "경기도") == {seeded["000"].id, seeded["003"].id}


def test_phrases_exclusion_and_and(seeded, client):
    assert ids(client, '"protocole d\'accord"') == {seeded["000"].id, seeded["002"].id}
    assert ids(client, "Séoul -KBIZ") == set()
    assert ids(client, "Séoul KBIZ") == {seeded["002"].id}
    assert ids(client, "Gyeonggi Jeollanam") == set()  # words are ANDed
    assert ids(client, "Gyeonggi OR Jeollanam") == {seeded["000"].id, seeded["003"].id, seeded["004"].id}


BOILERPLATE_QUERIES = ["Voir plus", "Knapper", "theannieverse2704", "Lượt xem", "Lotte Shopping",
                       "Ecom", "ioffice", "Portal_Ispeed", "Thống kê truy cập", "Tổng lượt truy cập",
                       "Gunpo", "Campagne Quang Trung"]


@pytest.mark.parametrize("q", BOILERPLATE_QUERIES)
def test_boilerplate_cannot_be_found(seeded, client, q):
    assert api(client, q=f'"{q}"')["count"] == 0


def test_facets_count_the_filtered_set_and_act_as_filters(seeded, client):
    data = api(client)
    assert data["facets"]["language"] == {"fr": 2, "vi": 2}
    assert data["facets"]["year"] == {"2019": 1, "2023": 2, "2024": 1}
    assert data["facets"]["place"]["gyeonggi"] == 2
    assert data["facets"]["source"] == {"vna": 2, "yonhap": 1, "binh-phuoc-portal": 1}
    # Facet counts agree with the database.
    db = dict(Article.objects.published().values_list("language").annotate(n=Count("id")).order_by())
    assert data["facets"]["language"] == db
    filtered = api(client, lang="vi")
    assert filtered["count"] == 2
    # A facet's own counts leave out its own selection: French stays there to be added.
    assert filtered["facets"]["language"] == {"vi": 2, "fr": 2}
    assert filtered["facets"]["place"]["gyeonggi"] == 1
    assert api(client, place="gyeonggi", year="2024")["count"] == 1
    assert api(client, source="vna")["count"] == 2
    assert api(client, q="lang:vi Gyeonggi")["count"] == 1


def test_repeated_parameters_are_or_within_a_facet_and_and_across(seeded, client):
    vi = ids(client, "", lang="vi")
    fr = ids(client, "", lang="fr")
    both = client.get("/api/search/?lang=fr&lang=vi").json()
    assert {r["id"] for r in both["results"]} == vi | fr and both["count"] == 4
    assert both["filters"]["lang"] == ["fr", "vi"]
    # Across facets every one must hold: French or Vietnamese, and from 2023.
    data = client.get("/api/search/?lang=fr&lang=vi&year=2023").json()
    assert data["count"] == 2 and {r["published"][:4] for r in data["results"]} == {"2023"}
    assert data["facets"]["year"] == {"2019": 1, "2023": 2, "2024": 1}  # its own selection left out
    two_years = client.get("/api/search/?year=2019&year=2024").json()
    assert sorted(r["published"][:4] for r in two_years["results"]) == ["2019", "2024"]
    # The feed reads them the same way.
    feed = client.get("/feeds/search/?year=2019&year=2024")
    assert feed.status_code == 200 and feed.content.count(b"<item>") == 2


def test_oldest_first_in_the_api_and_the_feed(seeded, client):
    oldest = api(client, sort="oldest")
    dates = [r["published"] for r in oldest["results"]]
    assert dates == sorted(dates) and oldest["sort"] == "oldest"
    import feedparser

    feed = feedparser.parse(client.get("/feeds/search/", {"sort": "oldest"}).content)
    assert [e.published_parsed[:3] for e in feed.entries] == sorted(e.published_parsed[:3] for e in feed.entries)
    assert feed.entries[0].published_parsed[0] == 2019


def test_a_page_past_the_end_is_empty_and_says_so(seeded, client):
    data = api(client, page=4, page_size=2)
    assert data["results"] == [] and data["num_pages"] == 2
    assert "no page 4" in data["message"]
    assert api(client)["message"] is None


@pytest.mark.parametrize("params", ["year=abcd", "from=2023-13", "to=yesterday", "lang=zz", "sort=popular",
                                    "lang=vi&lang=xx", "place=Bad%20Slug"])
def test_a_bad_filter_value_is_a_400_everywhere(seeded, client, params):
    response = client.get(f"/api/search/?{params}")
    assert response.status_code == 400 and response.json()["error"]
    assert client.get(f"/feeds/search/?{params}").status_code == 400
    page = client.get(f"/search/?{params}")
    assert page.status_code == 400
    html = page.content.decode()
    # Beside the form, which keeps what was typed.
    assert 'id="search-error"' in html and 'id="search-options"' in html


def test_sort_by_date_and_paging(seeded, client):
    by_date = api(client, q="Hàn Quốc OR Corée", sort="date")
    dates = [r["published"] for r in by_date["results"]]
    assert dates == sorted(dates, reverse=True)
    page = api(client, page_size=1, page=2)
    assert page["count"] == 4 and page["num_pages"] == 4 and len(page["results"]) == 1
    assert api(client, page=99)["results"] == []  # past the end: empty, not an error


@pytest.mark.parametrize("params", [{"page": "x"}, {"page": "0"}, {"page_size": "101"}, {"sort": "popular"}])
def test_invalid_parameters_give_400_with_an_error(seeded, client, params):
    response = client.get("/api/search/", params)
    assert response.status_code == 400
    assert response.json()["error"]


def test_article_api(seeded, client):
    article = seeded["000"]
    data = client.get(f"/api/articles/{article.id}/").json()
    assert data["title"] == "Ha Nam renforce la coopération avec la province sud-coréenne de Gyeonggi-do"
    assert data["title_derived"] is False
    assert data["published"] == "2023-02"
    assert len(data["copies"]) == 2
    assert all(c["source_url"] is None and len(c["sha256"]) == 64 for c in data["copies"])
    assert data["copies"][0]["imported_at"].endswith("Z")
    assert "Conseil de l'éducation" in data["body"]
    assert client.get("/api/articles/999999/").status_code == 404


def test_search_page_shows_highlights_facets_and_escapes_the_query(seeded, client):
    response = client.get("/search/", {"q": "binh phuoc"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<mark>Bình Phước</mark>" in html
    assert 'data-facet="lang"' in html and 'data-facet="place"' in html
    evil = '"><script>alert(1)</script>'
    html = client.get("/search/", {"q": evil}).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_search_page_bad_page_is_a_clear_400(seeded, client):
    response = client.get("/search/", {"page": "abc"})
    assert response.status_code == 400
    assert "page must be a whole number" in response.content.decode()


def test_a_misspelt_place_is_read_as_the_nearest_one_when_nothing_matches(seeded, client):
    data = api(client, q="Gyeongi")
    assert {r["id"] for r in data["results"]} == {seeded["000"].id, seeded["003"].id}
    assert any("showing results for" in note for note in data["notes"])
    # A word that matches something is never "corrected".
    assert api(client, q="Asian")["count"] == 0


def test_date_range_in_the_box_and_as_parameters(seeded, client):
    in_box = ids(client, "from:2023-01 to:2023-12")
    assert in_box == {seeded["000"].id, seeded["004"].id}
    assert ids(client, "", **{"from": "2024", "to": "2024-12-31"}) == {seeded["003"].id}
    assert api(client, q="from:yesterday")["count"] == 4  # not understood: said, and ignored


def test_cooperation_words_are_searched_in_every_language(seeded, client):
    # "memorandum of understanding" finds the French "protocole d'accord" and the
    # Vietnamese "bản ghi nhớ" articles; 업무협약 finds them too.
    english = ids(client, "memorandum of understanding")
    assert {seeded["000"].id, seeded["003"].id, seeded["004"].id} <= english
    assert ids(client, "업무협약") == english


def test_korean_particles_do_not_hide_a_place_name_in_the_query(seeded, client):
    assert ids(client, "하노이시에서") == ids(client, "Hanoi")


def test_results_say_why_an_alias_matched(seeded, client):
    results = {r["id"]: r for r in api(client, q="Hanoi")["results"]}
    assert "Hà Nội (for “Hanoi”)" in results[seeded["003"].id]["matched_as"]
    assert results[seeded["002"].id]["matched_as"] == []  # "Hanoï" is "Hanoi" folded, not an alias
    html = client.get("/search/", {"q": "Hanoi"}).content.decode()
    assert "Matched as: Hà Nội (for “Hanoi”)" in html


def test_did_you_mean_from_the_archives_own_words(seeded, client):
    data = api(client, q="cooperatoin Séoul")
    assert data["count"] == 0
    assert data["did_you_mean"] == "cooperation Séoul"
    html = client.get("/search/", {"q": "cooperatoin Séoul"}).content.decode()
    assert 'id="did-you-mean"' in html and "cooperation Séoul" in html
    assert api(client, q="Séoul")["did_you_mean"] is None


def test_a_query_with_diacritics_ranks_exact_matches_first(search_index, client, tmp_path):
    from django.core.management import call_command

    (tmp_path / "fr.txt").write_text(
        "Ha Nam accueille des investisseurs\n\nHanoi (VNA) - La province de Ha Nam a reçu des investisseurs de Ha Nam "
        "et de Gyeonggi. Ha Nam, Ha Nam, Ha Nam : la province de Ha Nam promeut la coopération avec la Corée du Sud "
        "dans divers domaines, a déclaré le président du comité populaire de Ha Nam.\n", encoding="utf-8")
    (tmp_path / "vi.txt").write_text(
        "Tỉnh Hà Nam tiếp đoàn doanh nghiệp\n\nTỉnh Hà Nam đã tiếp đoàn doanh nghiệp tỉnh Gyeonggi đến tìm hiểu "
        "cơ hội đầu tư tại các khu công nghiệp, hai bên thống nhất tăng cường hợp tác trong nhiều lĩnh vực.\n",
        encoding="utf-8")
    call_command("import_articles", str(tmp_path), stdout=open("/dev/null", "w"))
    ranked = [r["language"] for r in api(client, q="Hà Nam")["results"]]
    assert ranked == ["vi", "fr"]
    assert [r["language"] for r in api(client, q="Ha Nam")["results"]][0] == "fr"  # no marks typed: no preference


def test_an_empty_archive_answers_every_search(search_index, client):
    # An index without segments has no facet tables to read (this was a 500 once).
    assert api(client, q="Jeollanam")["count"] == 0
    assert api(client)["facets"] == {"language": {}, "year": {}, "place": {}, "source": {}}
    assert client.get("/search/", {"q": "Jeollanam"}).status_code == 200
