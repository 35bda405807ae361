"""Issue 16's pieces that need no browser: chart geometry, error pages, favicon, admin forms."""
from __future__ import annotations

import re
from datetime import date
from types import SimpleNamespace

import pytest
from django.test import RequestFactory
from django.views.defaults import server_error

from archive import charts
from archive.models import Article


def test_year_labels_thin_out_to_fit():
    assert charts.year_label_step(5, 680) == 1
    assert charts.year_label_step(32, 680) == 2  # 1995-2026: 21 px a year, a label needs 38
    assert charts.year_label_step(32, 300) == 5
    assert charts.year_label_step(80, 680) == 5


def test_per_year_chart_is_narrow_rows_however_many_years():
    counts = {(year, "vi"): 1 + year % 3 for year in range(1995, 2027)}
    svg = charts.articles_per_year(counts)
    width, height = map(int, re.search(r'viewBox="0 0 (\d+) (\d+)"', svg).groups())
    assert width == charts.YEAR_CHART_WIDTH <= 328  # a 360-px phone's text column
    assert height >= 32 * 20  # one row per year
    assert 'font-size="12"' in svg and ">1995</text>" in svg and ">2026</text>" in svg


def _event(i, day, kind="mou"):
    return SimpleNamespace(id=i, article_id=1, date=day, date_display=day.isoformat(), date_precision="day", type=kind,
                           get_type_display=lambda: {"mou": "MOU", "visit": "visit"}[kind])


def test_timeline_stacks_events_of_one_day_in_one_row():
    events = [_event(1, date(2020, 5, 1)), _event(2, date(2020, 5, 1), "visit"), _event(3, date(2024, 1, 2))]
    svg = charts.event_timeline(events)
    assert svg.count("<circle") == 3
    assert "1 May 2020 MOU, visit</text>" in svg and "2 January 2024 MOU</text>" in svg
    assert 'role="group"' in svg and 'width="760"' in svg  # natural size: its frame scrolls on a phone


@pytest.mark.django_db
def test_not_found_page_has_the_search_box_and_navigation(client):
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert 'role="search"' in html and 'href="/partnerships/"' in html and "not in the archive" in html


def test_server_error_page_stands_alone_with_search_and_navigation():
    response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert 'action="/search/"' in html and 'href="/partnerships/"' in html and "/static/archive.css" in html


def test_server_error_page_is_in_the_interface_language():
    from django.utils import translation

    with translation.override("ko"):
        html = server_error(RequestFactory().get("/")).content.decode()
    assert '<html lang="ko">' in html and "저희 쪽에서 문제가 발생했습니다" in html and "검색" in html


@pytest.mark.django_db
def test_favicon(client):
    assert 'rel="icon" href="/static/favicon.svg"' in client.get("/help/search/").content.decode()
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response.url == "/static/favicon.svg"


@pytest.fixture
def editor_client(client, db):
    from django.contrib.auth.models import User

    User.objects.create_superuser("ui16", "ui16@example.org", "a-long-password-123")
    client.login(username="ui16", password="a-long-password-123")
    return client


def test_admin_edits_countries_as_choices(seeded, editor_client):
    from tests.adminform import form_data

    article = seeded["004"]
    url = f"/admin/archive/article/{article.id}/change/"
    html = editor_client.get(url).content.decode()
    assert 'type="checkbox" name="countries" value="vn"' in html and 'value="kr"' in html
    data = form_data(html, "article_form")
    data["countries"] = ["kr"]
    assert editor_client.post(url, data).status_code == 302
    assert Article.objects.get(id=article.id).countries == ["kr"]


def test_admin_place_filter_offers_only_places_with_articles(seeded, editor_client):
    html = editor_client.get("/admin/archive/article/?place=gyeonggi").content.decode()
    options = re.findall(r'<option value="([a-z0-9-]+)">', html.split('id="place-filter-options"')[1].split("</datalist>")[0])
    assert "gyeonggi" in options and "ha-nam" in options and len(options) < 30
    about_gyeonggi = Article.objects.filter(places__slug="gyeonggi").count()
    assert 0 < about_gyeonggi < Article.objects.count()
    assert html.count('name="_selected_action"') == about_gyeonggi
