"""OpenSearch description, suggestions, and search that never fails on what users type."""
import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db
NS = {"os": "http://a9.com/-/spec/opensearch/1.1/"}


def test_opensearch_description_is_linked_and_has_html_rss_json_and_suggestion_templates(client, seeded):
    home = client.get("/").content.decode()
    assert 'rel="search" type="application/opensearchdescription+xml"' in home
    response = client.get("/opensearch.xml")
    assert response["Content-Type"].startswith("application/opensearchdescription+xml")
    root = ET.fromstring(response.content)
    templates = {u.get("type"): u.get("template") for u in root.findall("os:Url", NS)}
    assert templates["text/html"].startswith("http://testserver/search/?q={searchTerms}")
    assert templates["application/rss+xml"] == "http://testserver/feeds/search/?q={searchTerms}"
    assert templates["application/json"].startswith("http://testserver/api/search/?q={searchTerms}")
    assert templates["application/x-suggestions+json"] == "http://testserver/api/suggest/?q={searchTerms}"
    # OpenSearch 1.1: "The value must contain 16 or fewer characters of plain text."
    short_name = root.find("os:ShortName", NS).text
    assert short_name and len(short_name) <= 16
    image = root.find("os:Image", NS)
    assert image.get("type") == "image/png" and image.text.startswith("http://testserver/")
    icon = client.get(image.text.removeprefix("http://testserver"))
    assert icon.status_code == 200 and b"".join(icon.streaming_content if icon.streaming else [icon.content])[:8] == b"\x89PNG\r\n\x1a\n"


def test_suggestions_of_places_and_titles(client, seeded):
    q, found = client.get("/api/suggest/", {"q": "binh ph"}).json()
    assert q == "binh ph" and "Bình Phước" in found
    assert any("(경기도)" in s for s in client.get("/api/suggest/", {"q": "kyong"}).json()[1])
    assert any(s.startswith("Ha Nam renforce") for s in client.get("/api/suggest/", {"q": "renforce"}).json()[1])
    assert client.get("/api/suggest/", {"q": "x"}).json() == ["x", []]


QUERIES = st.one_of(
    st.text(max_size=60),
    st.lists(st.sampled_from(['"', "-", "OR", "AND", "(", ")", "*", "?", "~", "^2", ":", "lang:", "place:",
                              "from:", "to:2024-13", "경기도", "Hà Nội", "\\", "\x00", "%", "&", "<script>",
                              "title:", "NOT", "{", "}", "[", "]", "/"]), max_size=12).map(" ".join),
    st.text(min_size=400, max_size=2000),
)


@settings(deadline=None, max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=QUERIES, page=st.one_of(st.none(), st.text(max_size=5), st.integers(-5, 10**6).map(str)))
def test_no_query_ever_gives_a_server_error(client, seeded, q, page):
    params = {"q": q} if page is None else {"q": q, "page": page}
    for url in ("/search/", "/api/search/", "/feeds/search/", "/api/suggest/"):
        response = client.get(url, params)
        assert response.status_code in (200, 400, 404), (url, q, page, response.status_code)
        if url == "/search/" and response.status_code == 200 and "<script>" in q:
            main = re.search(r"<main\b[^>]*>(.*)</main>", response.content.decode(), re.S)
            assert main and "<script>" not in main.group(1)
