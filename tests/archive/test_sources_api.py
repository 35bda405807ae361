"""`source`/`source_name` are the credited agency, `site`/`site_name` the site that carried
the copy (issue 13, item 6); `source=` and the facet keep using the source."""
from __future__ import annotations

import io

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db(transaction=True)

TEXT = ("Busan và Đà Nẵng ký kết hợp tác du lịch\n\n(서울=연합뉴스) Thành phố Busan và thành phố Đà Nẵng đã ký kết "
        "thỏa thuận hợp tác về du lịch, giáo dục và giao lưu văn hóa giữa hai địa phương trong thời gian tới.\n")


def test_the_api_gives_the_agency_as_source_and_the_carrier_as_site(search_index, tmp_path, client):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    call_command("import_articles", str(tmp_path / "a.txt"), source_url="https://baodanang.example.vn/a/1",
                 stdout=io.StringIO())
    data = client.get("/api/search/", {"source": "yonhap"}).json()
    assert data["count"] == 1 and data["facets"]["source"] == {"yonhap": 1}
    result = data["results"][0]
    assert result["source"] == "yonhap" and result["source_name"] == "Yonhap News Agency"
    assert result["site"] == "baodanang-example-vn" and result["site_name"] == "baodanang.example.vn"
    detail = client.get(f"/api/articles/{result['id']}/").json()
    assert detail["site"] == "baodanang-example-vn"
