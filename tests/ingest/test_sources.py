"""Sources (issue 13, item 6): the agency credited in the text, in the four languages and
the forms real pages use, else an outlet that names itself, else the site; the registry is
data (archive/ingest/data/agencies.json); `site` is the site that carried the copy.

Real cases are from the tuning half of ../shared/eval/real-dumps, read at run time."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from archive.ingest import sites
from archive.ingest.pipeline import prepare_bytes
from archive.ingest.read import Provenance

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "eval" / "real-dumps"

# Tuning-half dumps whose text names an agency or outlet, and whom we credit.
TUNING_CREDITS = {
    "d001_kado.net_ko": "kado",  # [강원도민일보 오세현 기자] … 저작권자 © 강원도민일보
    "d012_sentv.co.kr_ko": "sentv",  # [서울경제TV=김정옥기자]
    "d014_ilyo.co.kr_ko": "ilyo",  # [일요신문]
    "d015_www5.ajunews.com_ko": "ajunews",  # ©'5개국어 글로벌 경제신문' 아주경제
    "d020_vovworld.vn_vi": "vov",  # (VOV5) -
    "d027_lecourrier.vn_fr": "vov",  # VOV/VNA/CVN: the first credited
    "d035_news.huengaynay.vn_en": "hue-ngay-nay",  # HNN.VN - In the afternoon
    "d036_news.baothuathienhue.vn_en": "bao-thua-thien-hue",  # TTH.VN - On the morning
    "d041_ufabetindo.in_en": "vna",  # a spam mirror of a VNA story: Hanoi (VNA) –
    "d064_sijung.co.kr_ko": "sijung",  # [시정일보 문명혜 기자]
    "d066_fr.vietnamplus.vn_fr": "vna",  # …-AVI
    "d071_fr.vietnamplus.vn_fr": "vna",  # Séoul (VNA) – … -VNA
}


def test_tuning_dumps_credit_the_agency_or_outlet_they_name():
    if not CORPUS.is_dir():
        pytest.skip(f"the real dumps are not here ({CORPUS}); they are read at run time, never copied")
    tune = set(json.loads((REPO / "bench" / "real_dumps_split.json").read_text())["tune"])
    got = {}
    for name in TUNING_CREDITS:
        assert name in tune
        meta = prepare_bytes((CORPUS / f"{name}.txt").read_bytes(), f"{name}.txt", Provenance()).parts.meta
        got[name] = meta.source.slug if meta.source else None
    assert got == TUNING_CREDITS


@pytest.mark.parametrize("text, slug", [
    ("Hanoi (VNA) – The two provinces signed an agreement.", "vna"),
    ("Hà Nội (TTXVN) - Hai tỉnh đã ký kết thỏa thuận hợp tác.", "vna"),
    ("Les deux provinces ont signé un accord, selon l'AVI.", "vna"),
    ("(서울=연합뉴스) 김철수 기자 = 경기도는 21일 하노이시와 협약을 맺었다.", "yonhap"),
    ("[서울=뉴시스] 경기도는 21일 하노이시와 협약을 맺었다.", "newsis"),
    ("(수원=뉴스1) 경기도는 21일 하노이시와 협약을 맺었다.", "news1"),
    ("경기도는 하노이시와 협약을 맺었다고 연합뉴스가 21일 보도했다.", "yonhap"),
    ("Gyeonggi and Hanoi signed an MOU on Monday. — Yonhap", "yonhap"),
    ("(VOV5) - Sáng 13/6, hai bên đã ký kết biên bản ghi nhớ.", "vov"),
    ("Theo KBS, hai địa phương đã ký thỏa thuận hợp tác.", "kbs"),
    ("The two cities signed a sisterhood agreement, according to Viet Nam News.", "vns"),
])
def test_credit_forms_in_four_languages(text, slug):
    assert sites.credited(text).slug == slug


def test_an_agency_credit_wins_over_the_site_that_carried_the_copy():
    text = ("Busan và Đà Nẵng ký kết hợp tác\n\n(서울=연합뉴스) Thành phố Busan và Đà Nẵng đã ký kết thỏa thuận hợp tác "
            "về du lịch, giáo dục và giao lưu văn hóa giữa hai địa phương trong thời gian tới.\n")
    provenance = Provenance(source_url="https://baodanang.example.vn/a/1", site=None)
    meta = prepare_bytes(text.encode(), "x.txt", provenance).parts.meta
    assert meta.source.slug == "yonhap"
    assert meta.site.slug == "baodanang-example-vn" and meta.site.name == "baodanang.example.vn"


def test_a_name_outside_a_credit_form_credits_nobody():
    assert sites.credited("Delegates from KBS and VNA attended the ceremony in Hanoi.") is None


def test_the_registry_is_data():
    data = json.loads(sites.REGISTRY.read_text(encoding="utf-8"))["sources"]
    slugs = {entry["slug"] for entry in data}
    assert {"vna", "vns", "yonhap", "newsis", "news1", "vov", "kbs"} <= slugs
    assert sites.KNOWN["yonhap"].kind == "agency"


@pytest.mark.parametrize("text, slug, name", [
    ("(대전=금강일보) 대전시는 21일 베트남 다낭시와 협약을 맺었다.", "geumgangilbo", "금강일보"),
    ("[동양일보ㅣ청주= 김철수 기자] 청주시는 베트남 박닌성과 협약을 맺었다.", "dongyangilbo", "동양일보"),
    ("(Baoquangnam.vn) - Sáng nay, đoàn công tác thành phố Osan đã thăm tỉnh.", "baoquangnam-vn", "Baoquangnam.vn"),
])
def test_an_outlet_outside_the_registry_is_known_by_the_form_of_its_credit(text, slug, name):
    found = sites.credited(text)
    assert (found.slug, found.name, found.kind) == (slug, name, "outlet")


@pytest.mark.parametrize("text, slug, name", [
    ("청주시는 협약을 맺었다.\n저작권자 © 금강일보 무단전재 및 재배포 금지", "geumgangilbo", "금강일보"),
    ("청주시는 협약을 맺었다.\nⓒ 동양일보, 무단 전재 및 재배포 금지", "dongyangilbo", "동양일보"),
    ("청주시는 협약을 맺었다.\nCopyright © 2003-2024 강릉일보. All rights reserved.", "gangreungilbo", "강릉일보"),
    ("Tỉnh đã ký kết.\nBản quyền thuộc về Báo Quảng Nam.", "bao-quang-nam", "Báo Quảng Nam"),
    ("Tỉnh đã ký kết.\n© Báo Đồng Nai. Ghi rõ nguồn khi phát hành lại.", "bao-dong-nai", "Báo Đồng Nai"),
    ("Tỉnh đã ký kết.\nNguồn: Báo Gia Lai", "bao-gia-lai", "Báo Gia Lai"),
    ("The province signed.\nCopyright © 2024 Lao Cai Newspaper. All rights reserved.", "lao-cai-newspaper",
     "Lao Cai Newspaper"),
])
def test_an_outlet_outside_the_registry_is_known_by_its_copyright_or_source_line(text, slug, name):
    found = sites.credited(text)
    assert (found.slug, found.name, found.kind) == (slug, name, "outlet")


@pytest.mark.parametrize("text", [
    "ⓒ 사진 김철수 무단 전재 금지",  # a picture's credit
    "Theo báo cáo của UBND tỉnh, hai bên đã ký kết.",  # "according to the report"
    "Ảnh: Báo Gia Lai",  # a photo credit
    "© Photo Nguyễn Văn A. All rights reserved.",
])
def test_what_only_looks_like_a_copyright_or_source_line_credits_nobody(text):
    assert sites.credited(text) is None


def test_a_photo_credit_is_not_a_dateline():
    assert sites.credited("(사진=김해시) 김해시는 베트남 떠이닌성과 협약을 맺었다.") is None


def test_major_korean_and_vietnamese_outlets_are_in_the_registry():
    # Added from general knowledge of the two countries' press, so that a credit form
    # naming one of them gives that outlet, not a name made from the form.
    for text, slug in [("[충청일보] 청주시는 협약을 맺었다.", "chungcheong-ilbo"),
                       ("Kinhtedothi - Trong khuôn khổ Ngày Văn hóa, hai thành phố đã ký kết.", "kinhtedothi"),
                       ("PANO – Chairman of the city People's Committee received the Governor.", "qdnd"),
                       ("(SGGP) - Sáng nay, đoàn đại biểu thành phố Incheon đã thăm Thành phố.", "sggp"),
                       ("(VOVWORLD) - A eu lieu jeudi la signature d'une convention.", "vov")]:
        assert sites.credited(text).slug == slug, text


def test_credit_forms_of_bylines_print_views_and_regional_desks():
    assert sites.credited("시는 협약을 맺었다고 밝혔다.\n아주경제=윤혜원 기자 hw@example.com").slug == "ajunews"
    footer = "시는 협약을 맺었다.\n이 기사는 광남일보 홈페이지(www.gwangnam.co.kr)에서 프린트 되었습니다."
    assert sites.credited(footer).slug == "gwangnam-ilbo"
    unknown = "시는 협약을 맺었다.\n이 기사는 금강일보 홈페이지에서 프린트 되었습니다."
    assert (sites.credited(unknown).slug, sites.credited(unknown).kind) == ("geumgangilbo", "outlet")
    assert sites.credited("VNA-Hai Duong News 27/02/2024 08:34\nLeaders of the two localities signed.").slug == "vna"
    assert sites.credited("Nhan Dan News reported it.") is None


def test_a_credit_in_a_table_cell_counts_only_when_the_text_gives_no_other():
    caption = "| 공항에 도착한 대표단 (성남=연합뉴스) 김철수 기자 = 대표단이 도착하고 있다. 2022.12.4 |"
    text = f"{caption}\n봉화군은 5일 베트남 박닌성과 협약을 맺었다.\n아주경제=윤혜원 기자"
    assert sites.credited(text).slug == "ajunews"
    assert sites.credited(f"{caption}\n봉화군은 5일 베트남 박닌성과 협약을 맺었다.").slug == "yonhap"
