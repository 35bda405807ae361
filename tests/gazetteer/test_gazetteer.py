"""The gazetteer on real text: the five seed articles, the reference's traps, the rules."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from archive import gazetteer
from archive.gazetteer import COUNTRY_ALIASES, find_countries, find_places, get, lookup
from archive.textnorm import nfc, slugify_ascii

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "seeds"
REFERENCE = Path(
    os.environ.get("GAZETTEER_REFERENCE")
    or Path(__file__).resolve().parents[3] / "shared" / "reference" / "admin-units.json"
)


def seed(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def slugs(text: str) -> list[str]:
    return [m.slug for m in find_places(text)]


def surfaces(text: str) -> list[tuple[str, str]]:
    return [(m.slug, m.surface) for m in find_places(text)]


# --- the data ----------------------------------------------------------------------------

def test_counts():
    places = gazetteer.all_places()
    vn = [p for p in places if p.country == "vn" and p.level == 1]
    vn2 = [p for p in places if p.country == "vn" and p.level == 2]
    kr1 = [p for p in places if p.country == "kr" and p.level == 1]
    kr2 = [p for p in places if p.country == "kr" and p.level == 2]
    kr3 = [p for p in places if p.country == "kr" and p.level == 3]
    assert (len(vn), len(vn2), len(kr1), len(kr2), len(kr3)) == (63, 696, 17, 228, 35)
    # the 226 autonomous 시·군·구 (75 시, 82 군, 69 구) and Jeju's two administrative cities
    autonomous = [p for p in kr2 if p.kind != "administrative_city"]
    assert len(autonomous) == 226
    assert [sum(p.name.endswith(u) for p in autonomous) for u in "시군구"] == [75, 82, 69]
    for p in kr2 + kr3 + vn2:  # every second-tier unit has its code, its parent and a source
        assert p.src and get(p.parent) is not None and (p.codes.get("mois") or p.codes.get("gso")), p.slug
        assert get(p.parent).level == p.level - 1
    assert all(len(p.codes["mois"]) == 5 for p in kr2 + kr3)
    # From 1 July 2025: 34 units = 28 provinces + 6 centrally-run cities.
    current = [p for p in vn if p.valid_until is None]
    assert len(current) == 34
    assert sum(p.kind == "city" for p in current) == 6


# The slugs before the second tier was added (issue 14): they never change.
SLUGS_BEFORE_SECOND_TIER = """
an-giang ansan anyang asan ba-ria-vung-tau bac-giang bac-kan bac-lieu
bac-ninh ben-tre binh-dinh binh-duong binh-phuoc binh-thuan bonghwa busan
ca-mau can-tho cao-bang changwon cheongdo cheongju chilgok chungcheongbuk
chungcheongnam da-nang daegu daejeon dak-lak dak-nong dalseo dien-bien
dong-nai dong-thap gangnam gangwon gia-lai gimhae gimpo goyang
gumi gunpo gwangju gwangju-gyeonggi gyeonggi gyeongju gyeongsangbuk gyeongsangnam
ha-giang ha-nam ha-noi ha-tinh hai-duong hai-phong hamyang hanam
hau-giang ho-chi-minh hoa-binh hue hung-yen hwaseong incheon jeju
jeollanam jeonbuk jeonju khanh-hoa kien-giang kon-tum lai-chau lam-dong
lang-son lao-cai long-an mungyeong naju nam-dinh nghe-an ninh-binh
ninh-thuan paju phu-tho phu-yen pohang quang-binh quang-nam quang-ngai
quang-ninh quang-tri sejong seodaemun seongnam seoul siheung soc-trang
son-la suwon tay-ninh thai-binh thai-nguyen thanh-hoa tien-giang tra-vinh
tuyen-quang ulju ulsan vinh-long vinh-phuc yen-bai yongin
""".split()


def test_existing_slugs_never_change():
    assert len(SLUGS_BEFORE_SECOND_TIER) == 111
    assert all(get(slug) is not None and get(slug).level <= 2 for slug in SLUGS_BEFORE_SECOND_TIER)


def test_shared_names_take_their_parent():
    assert get("hai-duong-city").parent == "hai-duong" and get("hai-duong").level == 1
    assert get("thanh-hoa-city").name == "Thanh Hóa" and get("bac-ninh-city").parent == "bac-ninh"
    jung = [p for p in gazetteer.all_places() if p.name == "중구"]
    assert sorted(p.slug for p in jung) == [
        "jung-gu-busan", "jung-gu-daegu", "jung-gu-daejeon", "jung-gu-incheon", "jung-gu-seoul", "jung-gu-ulsan"]
    assert get("goseong-gangwon").parent == "gangwon" and get("goseong-gyeongsangnam").parent == "gyeongsangnam"
    assert get("jangan").parent == "suwon" and get("jangan").level == 3  # 수원시 장안구
    assert get("nam-gu-pohang").parent == "pohang"
    assert get("jongno").codes["mois"] == "11110" and "names.en" in get("jongno").rule
    assert get("chuncheon").names["en"] == "Chuncheon" and get("da-lat").parent == "lam-dong"
    assert get("da-lat").post_2025_province == "lam-dong" and get("di-an").post_2025_province == "ho-chi-minh"


def test_slugs_unique_ascii_and_as_specified():
    places = gazetteer.all_places()
    assert len({p.slug for p in places}) == len(places)
    for p in places:
        assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", p.slug), p.slug
        assert slugify_ascii(p.slug) == p.slug
        assert get(p.slug) is p
    for slug in ("ha-noi", "ha-nam", "binh-phuoc", "ho-chi-minh", "da-nang", "nghe-an", "ninh-binh",
                 "ba-ria-vung-tau", "seoul", "gyeonggi", "jeollanam", "gyeongsangbuk", "chungcheongnam",
                 "gangwon", "jeonbuk", "jeju", "sejong", "busan", "suwon", "hanam", "gwangju",
                 "gwangju-gyeonggi"):
        assert get(slug) is not None, slug
    assert get("nope") is None


def test_successors_and_predecessors():
    places = [p for p in gazetteer.all_places() if p.level == 1]
    for p in places:
        if p.successor:
            target = get(p.successor)
            assert target is not None and target.valid_until is None and target.successor is None
            assert p.slug in target.predecessors
            assert p.valid_until == "2025-06-30"
        else:
            assert p.valid_until is None
        for pred in p.predecessors:
            assert get(pred).successor == p.slug
    assert get("ha-nam").successor == "ninh-binh"
    assert get("binh-phuoc").successor == "dong-nai"
    assert get("ninh-binh").predecessors == ("ha-nam", "nam-dinh")
    assert get("ninh-binh").successor is None
    assert get("ho-chi-minh").predecessors == ("ba-ria-vung-tau", "binh-duong")
    assert get("dong-nai").predecessors == ("binh-phuoc",)
    assert get("hue").predecessors == ()
    # The pre-2025 GSO code of a continuing unit can differ from its code from 2025.
    assert get("bac-ninh").codes == {"gso": "27", "gso_2025": "24", "iso_3166_2": "VN-56"}


def test_korean_hierarchy_and_kinds():
    suwon = get("suwon")
    assert (suwon.level, suwon.parent, suwon.kind, suwon.country) == (2, "gyeonggi", "municipal_city", "kr")
    assert get("ulju").parent == "ulsan" and get("ulju").kind == "county"
    assert get("gangnam").parent == "seoul" and get("gangnam").kind == "district"
    assert get("gangwon").kind == "special_self_governing_province"
    assert get("sejong").kind == "special_self_governing_city"
    assert get("seoul").kind == "city" and get("gyeonggi").kind == "province"
    for p in gazetteer.all_places():
        if p.level > 1:
            assert get(p.parent).level == p.level - 1 and get(p.parent).country == p.country
        else:
            assert p.parent is None


def test_names():
    for p in gazetteer.all_places():
        assert set(p.names) == {"vi", "ko", "fr", "en"}
        assert p.name == p.names["vi" if p.country == "vn" else "ko"]
    assert get("ha-noi").names == {"vi": "Hà Nội", "ko": "하노이시", "fr": "Hanoï", "en": "Hanoi"}
    assert get("ho-chi-minh").name == "Hồ Chí Minh"
    assert get("ho-chi-minh").names["fr"] == "Hô Chi Minh-Ville"
    assert get("gyeonggi").name == "경기도"
    assert get("seoul").names["fr"] == "Séoul"
    assert get("suwon").name == "수원시"


def test_aliases_are_nfc_and_merge_renamed_units():
    for p in gazetteer.all_places():
        assert all(a == nfc(a) for a in p.aliases)
    gangwon = get("gangwon").aliases
    assert {"Gangwon-do", "강원도", "강원특별자치도", "Gangwon State"} <= set(gangwon)
    assert {"Jeollabuk-do", "Jeonbuk", "전라북도", "전북특별자치도", "North Jeolla"} <= set(get("jeonbuk").aliases)
    assert {"Thừa Thiên Huế", "후에시"} <= set(get("hue").aliases)


def test_no_unsafe_aliases():
    """Two-letter abbreviations, lone 'Nam'/'Bắc' and Hangul homographs are never names."""
    keys = {gazetteer._matcher.key(a) for p in gazetteer.all_places() for a in p.aliases}
    for bad in ("hn", "nam", "bac", "tay", "dong", "an", "long", "경기", "하남", "세종", "후에", "안장", "화성"):
        assert bad not in keys, bad
    assert not any(k.isascii() and len(k) <= 2 for k in keys)


@pytest.mark.skipif(not REFERENCE.exists(), reason="shared reference file not available")
def test_places_json_is_what_build_data_makes():
    """places.json is generated; a hand edit or a stale file fails here."""
    sys.path[:0] = [str(REPO / "scripts" / "gazetteer")]
    try:
        import build_data
    finally:
        del sys.path[0]

    committed = json.loads(build_data.OUTPUT.read_text(encoding="utf-8"))
    rebuilt = build_data.build(json.loads(REFERENCE.read_text(encoding="utf-8")), REFERENCE.name)
    assert json.loads(json.dumps(rebuilt, ensure_ascii=False)) == committed


# --- lookup ------------------------------------------------------------------------------

@pytest.mark.parametrize("phrase, slug", [
    ("hanoi", "ha-noi"), ("Hà Nội", "ha-noi"), ("ha noi", "ha-noi"), ("하노이", "ha-noi"),
    ("Hanoï", "ha-noi"), ("binh phuoc", "binh-phuoc"), ("BÌNH PHƯỚC", "binh-phuoc"),
    ("kyonggi", "gyeonggi"), ("Séoul", "seoul"), ("seoul", "seoul"), ("Xơ-un", "seoul"),
    ("hô chi minh-ville", "ho-chi-minh"), ("tp.hcm", "ho-chi-minh"), ("TP HCM", "ho-chi-minh"),
    ("HCMC", "ho-chi-minh"), ("hồ chí minh", "ho-chi-minh"), ("호치민", "ho-chi-minh"),
    ("Gyeonggi-do", "gyeonggi"), ("gyeonggi do", "gyeonggi"), ("Gyeonggido", "gyeonggi"),
    ("Gyeonggi Province", "gyeonggi"), ("tỉnh Bình Phước", "binh-phuoc"), ("Suwon city", "suwon"),
    ("Thanh Hoá", "thanh-hoa"), ("khanh hoa", "khanh-hoa"), ("Jeollanam", "jeollanam"),
    ("Jeonnam", "jeollanam"), ("jeollabuk-do", "jeonbuk"), ("강원도", "gangwon"), ("BR-VT", "ba-ria-vung-tau"),
    ("하남시", "hanam"), ("하남성", "ha-nam"), ("Gwangju", "gwangju"), ("광주", "gwangju"),
    ("경기도 광주시", "gwangju-gyeonggi"), ("Thừa Thiên Huế", "hue"), ("Sejong", "sejong"),
])
def test_lookup(phrase, slug):
    place = lookup(phrase)
    assert place is not None and place.slug == slug


@pytest.mark.parametrize("phrase", ["", "nam", "Bắc", "HN", "경기", "하남", "세종", "province", "tỉnh", "Korea"])
def test_lookup_rejects(phrase):
    assert lookup(phrase) is None


# --- find_places on the seed articles ---------------------------------------------------------

def test_seed_000_french_vna():
    text = seed("000")
    found = find_places(text)
    assert {m.slug for m in found} == {"ha-nam", "gyeonggi", "ha-noi"}
    dateline = text.index("Hanoi (VNA)")
    assert any(m.slug == "ha-noi" and m.start == dateline and m.surface == "Hanoi" for m in found)
    assert ("gyeonggi", "Gyeonggi-do") in surfaces(text)
    assert find_countries(text) == {"kr"}  # 'Corée du Sud', 'sud-coréens'; Vietnam is never named


def test_seed_001_french_with_glued_words():
    text = seed("001")
    found = surfaces(text)
    assert found[:2] == [("ha-nam", "Ha Nam"), ("gyeonggi", "Gyeonggi-do")]  # the title
    assert ("ha-noi", "Hanoi") in found and ("ha-noi", "Hanoï") in found
    assert {s for s, _ in found} == {"ha-nam", "gyeonggi", "ha-noi"}
    assert find_countries(text) == {"vn", "kr"}


def test_seed_002_french_exonyms():
    text = seed("002")
    found = surfaces(text)
    assert {s for s, _ in found} == {"ha-noi", "seoul", "suwon"}
    assert ("ha-noi", "Hanoï") in found and ("seoul", "Séoul") in found and ("suwon", "Suwon") in found
    assert find_countries(text) == {"vn", "kr"}  # 'République de Corée', 'Vietnam'


def test_seed_003_vietnamese():
    text = seed("003")
    title = text.splitlines()[0]
    assert title.startswith("Ký Kết Hợp Tác Hữu Nghị Giữa Tỉnh Gyeonggi")
    assert surfaces(title) == [("gyeonggi", "Gyeonggi"), ("ha-noi", "Hà Nội")]
    body = "\n".join(text.splitlines()[1:6])
    found = surfaces(body)
    for expected in [("gyeonggi", "Gyeonggi"), ("ha-noi", "Hà Nội"), ("nghe-an", "Nghệ An"),
                     ("ho-chi-minh", "Hồ Chí Minh"), ("suwon", "Suwon")]:
        assert expected in found
    assert {s for s, _ in found} == {"gyeonggi", "ha-noi", "nghe-an", "ho-chi-minh", "suwon"}
    assert find_countries(body) == {"vn", "kr"}


def test_seed_004_vietnamese_provincial_portal():
    text = seed("004")
    assert {m.slug for m in find_places(text)} == {"binh-phuoc", "jeollanam"}
    assert ("binh-phuoc", "Binh Phuoc") in surfaces(text)  # 'Ecom Binh Phuoc' in the footer
    assert find_countries(text) == {"vn", "kr"}


def test_mentions_are_ordered_non_overlapping_and_exact():
    for prefix in ("000", "001", "002", "003", "004"):
        text = seed(prefix)
        found = find_places(text)
        assert all(text[m.start : m.end] == m.surface for m in found)
        assert all(a.end <= b.start for a, b in zip(found, found[1:]))


# --- find_places: the rules -----------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Quan hệ Nam Hàn và Bắc Hàn",  # 'Nam Hàn' is South Korea, not Hà Nam
    "một tấm lòng an nhiên",  # 'lòng an' is not Long An
    "경기가 열렸다",  # 경기 = game
    "경기 회복세",  # 경기 = economy
    "하남 지역",  # bare 하남: Hà Nam, Hanam or Henan
    "Nam và Bắc",
    "khu vực phía Nam",
    "Châu Á - Thái Bình Dương",  # Pacific, not Thái Bình
    "bà Nguyễn Thị Thanh Hoa",  # a person
    "ông Trần Bình Dương",
    "cô Huệ",  # Huệ is not Huế
    "phố đi bộ Nguyễn Huệ",
    "Chủ tịch Hồ Chí Minh",  # the president
    "Đoàn TNCS HCM",
    "호찌민 주석의 생애",
    "그 후에 만났다",  # 후에 = after
    "수원국 지원",  # aid-recipient country
    "세종학당",  # King Sejong Institute
    "Học viện King Sejong",
    "ở Long. An toàn",  # sentence break inside the name
    "hanoi and seoul",  # lower case in English is not a name
    "Ha\n\nNam",
])
def test_no_place(text):
    assert find_places(text) == []


@pytest.mark.parametrize("text, expected", [
    ("하남시와 협약", [("hanam", "하남시")]),
    ("하남성 대표단", [("ha-nam", "하남성")]),
    ("경기도와 하노이시에서", [("gyeonggi", "경기도"), ("ha-noi", "하노이시")]),
    ("수원시청, 수원에서", [("suwon", "수원시"), ("suwon", "수원")]),
    ("주호찌민 총영사관", [("ho-chi-minh", "호찌민")]),
    ("호찌민으로 이동", [("ho-chi-minh", "호찌민")]),
    ("광주광역시, 광주에서, 경기도 광주시", [("gwangju", "광주광역시"), ("gwangju", "광주"),
                                    ("gwangju-gyeonggi", "경기도 광주시")]),
    ("BÌNH PHƯỚC", [("binh-phuoc", "BÌNH PHƯỚC")]),
    ("Long An và Tây Ninh", [("long-an", "Long An"), ("tay-ninh", "Tây Ninh")]),
    ("Thanh Hoá, Khánh Hoà, Hoà Bình", [("thanh-hoa", "Thanh Hoá"), ("khanh-hoa", "Khánh Hoà"),
                                      ("hoa-binh", "Hoà Bình")]),
    ("Gyeonggi-do, Gyeonggi do, Gyeonggido", [("gyeonggi", "Gyeonggi-do"), ("gyeonggi", "Gyeonggi"),
                                            ("gyeonggi", "Gyeonggido")]),
    ("Jeollanam-do et Jeollanam", [("jeollanam", "Jeollanam-do"), ("jeollanam", "Jeollanam")]),
    ("Ho Chi Minh City and HCMC", [("ho-chi-minh", "Ho Chi Minh City"), ("ho-chi-minh", "HCMC")]),
    ("à Hô Chi Minh-Ville", [("ho-chi-minh", "Hô Chi Minh-Ville")]),
    ("TP.HCM, TP. HCM, TPHCM", [("ho-chi-minh", "TP.HCM"), ("ho-chi-minh", "TP. HCM"), ("ho-chi-minh", "TPHCM")]),
    ("thành phố Hồ Chí Minh và TP Hồ Chí Minh", [("ho-chi-minh", "Hồ Chí Minh"), ("ho-chi-minh", "Hồ Chí Minh")]),
    ("tỉnh Bà Rịa - Vũng Tàu", [("ba-ria-vung-tau", "Bà Rịa - Vũng Tàu")]),
    ("Gyeongsang du Nord", [("gyeongsangbuk", "Gyeongsang du Nord")]),
    ("Gangwon State và Jeonbuk", [("gangwon", "Gangwon State"), ("jeonbuk", "Jeonbuk")]),
    ("Thành Phố Hà Nội", [("ha-noi", "Hà Nội")]),  # title case: 'Phố' belongs to 'Thành Phố'
    ("thành phố Sejong, 세종시", [("sejong", "Sejong"), ("sejong", "세종시")]),
    ("Huế và Hué", [("hue", "Huế"), ("hue", "Hué")]),
])
def test_places(text, expected):
    assert surfaces(text) == expected


def test_decomposed_text_offsets():
    text = unicodedata.normalize("NFD", "tỉnh Thanh Hóa và Hà Nội")
    found = find_places(text)
    assert [m.slug for m in found] == ["thanh-hoa", "ha-noi"]
    assert [nfc(m.surface) for m in found] == ["Thanh Hóa", "Hà Nội"]
    assert all(text[m.start : m.end] == m.surface for m in found)


def test_no_django_needed():
    code = "import sys, archive.gazetteer as g; g.find_places('Hanoi'); print('django' in sys.modules)"
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    run = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "False"


# --- countries --------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Việt Nam", {"vn"}), ("Vietnam", {"vn"}), ("Viêt Nam", {"vn"}), ("Viet Nam", {"vn"}), ("베트남", {"vn"}),
    ("월남전", {"vn"}), ("la loi vietnamienne", {"vn"}),
    ("Hàn Quốc", {"kr"}), ("Corée du Sud", {"kr"}), ("South Korea", {"kr"}), ("한국", {"kr"}),
    ("대한민국", {"kr"}), ("République de Corée", {"kr"}), ("Republic of Korea", {"kr"}),
    ("investisseurs sud-coréens", {"kr"}), ("une entreprise sud-coréenne", {"kr"}), ("Nam Hàn", {"kr"}),
    ("R. de Corée", {"kr"}), ("Đại Hàn Dân Quốc", {"kr"}),
    ("quan hệ Việt Nam - Hàn Quốc", {"vn", "kr"}),
    ("Triều Tiên", set()), ("북한", set()), ("Corée du Nord", set()), ("North Korea", set()),
    ("un diplomate nord-coréen", set()), ("Democratic People's Republic of Korea", set()),
    ("République populaire démocratique de Corée", set()), ("the Korean Peninsula", set()),
    ("월남한 실향민", set()), ("Hán Việt", set()), ("KIM YUNG-ROK", set()),
])
def test_countries(text, expected):
    assert find_countries(text) == expected


def test_country_aliases():
    assert set(COUNTRY_ALIASES) == {"vn", "kr"}
    assert {"Việt Nam", "Vietnam", "베트남"} <= set(COUNTRY_ALIASES["vn"])
    assert {"Hàn Quốc", "Corée du Sud", "South Korea", "한국", "대한민국"} <= set(COUNTRY_ALIASES["kr"])
    assert not {"Triều Tiên", "북한", "Corée du Nord", "North Korea"} & set(COUNTRY_ALIASES["kr"])


# --- speed ------------------------------------------------------------------------------

def test_find_places_tries_few_names_per_word(monkeypatch):
    """One pass over the tokens, each word a dict look-up, not one regex per alias: the
    names tried against the text stay a small number per word whatever the gazetteer's
    size (its speed is measured in bench/gazetteer_matcher.py, not asserted here)."""
    from archive.gazetteer import _matcher

    text = (seed("003") + seed("000") + "경기도와 하노이시에서 호찌민으로 " * 20)[:5000]
    tried = []
    fits = _matcher.Matcher._fits
    monkeypatch.setattr(_matcher.Matcher, "_fits", lambda self, entry, *a: tried.append(entry) or fits(self, entry, *a))
    words = len(_matcher.tokens(text))
    assert find_places(text)
    assert 0 < len(tried) <= words, (len(tried), words)  # 405 for 1,088 words when written


# --- the second tier in running text (issue 14) ------------------------------------------

@pytest.mark.parametrize("text, expected", [
    # city-level parties named as the press names them
    ("Thành phố Đà Lạt ký kết với thành phố Chuncheon", [("da-lat", "Đà Lạt"), ("chuncheon", "Chuncheon")]),
    ("Seodaemun-gu và thành phố Dĩ An", [("seodaemun", "Seodaemun-gu"), ("di-an", "Dĩ An")]),
    ("Gimhae City and Biên Hòa", [("gimhae", "Gimhae"), ("bien-hoa", "Biên Hòa")]),
    ("서울 용산구와 꾸이년", [("seoul", "서울"), ("yongsan", "용산구"), ("quy-nhon", "꾸이년")]),  # Hangul form by rule
    # Gwangju: the metropolitan city unless Gyeonggi is named
    ("경기 광주시와 광주광역시", [("gwangju-gyeonggi", "경기 광주시"), ("gwangju", "광주광역시")]),
    ("광주시가 하노이와", [("gwangju", "광주시"), ("ha-noi", "하노이")]),
    # Hồ Chí Minh: the city only as a city
    ("thành phố Hồ Chí Minh", [("ho-chi-minh", "Hồ Chí Minh")]),
    ("Chủ tịch Hồ Chí Minh tại Quảng trường Ba Đình", []),
    ("lăng Chủ tịch Hồ Chí Minh", []),
    # a city named like its province: the unit word decides
    ("tỉnh Thanh Hóa và thành phố Thanh Hóa", [("thanh-hoa", "Thanh Hóa"), ("thanh-hoa-city", "Thanh Hóa")]),
    # districts only with their unit word; people are not districts
    ("huyện Đông Anh", [("dong-anh", "Đông Anh")]),
    ("Nguyễn Văn Long Biên", []),
    ("Long Biên", []),
    # one-syllable 구 and shared names only after their parent; 서구 is also 'the West'
    ("인천 서구와 서구 국가들", [("seo-gu-incheon", "서구")]),
    ("고성군", []),
    ("강원 고성군", [("goseong-gangwon", "고성군")]),
    # Hangul homographs: suffixed forms only
    ("음성군과 예산군의 예산과 음성", [("eumseong", "음성군"), ("yesan", "예산군")]),
    # Jinan is also a Chinese city
    ("Jinan, Shandong", []),
    ("Jinan-gun", [("jinan", "Jinan-gun")]),
])
def test_second_tier_in_text(text, expected):
    assert surfaces(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Suwon시", [("suwon", "Suwon")]),  # a Latin name with a Hangul unit suffix
    ("Chuncheon시와 협약", [("chuncheon", "Chuncheon")]),
])
def test_latin_name_with_hangul_suffix(text, expected):
    assert surfaces(text) == expected


# --- former names (units merged or renamed since 2000) --------------------------------------

def test_former_names_are_recorded_and_matched():
    assert "huyện Hoành Bồ" in get("ha-long").former_names
    assert "tỉnh Hà Tây" in get("ha-noi").former_names
    assert slugs("Đoàn công tác huyện Hoành Bồ (Quảng Ninh) sang thăm Hàn Quốc năm 2015.")[0] == "ha-long"
    assert slugs("UBND huyện Nam Đông ký kết biên bản ghi nhớ.") == ["phu-loc"]
    assert slugs("Lãnh đạo TX Cửa Lò tiếp đoàn thành phố Jeonju.")[0] == "vinh"
    assert slugs("In 2005, Ha Tay province signed a friendship agreement.") == ["ha-noi"]
    assert lookup("huyện Tĩnh Gia").slug == "nghi-son"
    assert lookup("thành phố Ninh Bình").slug == "hoa-lu"
    # a former name no unit word goes with is not matched: 'Đông Sơn' is also the bronze-drum culture
    assert slugs("trống đồng Đông Sơn") == []
    assert slugs("huyện Đông Sơn, tỉnh Thanh Hóa")[0] == "thanh-hoa-city"


def test_a_current_unit_keeps_a_name_a_former_one_shared():
    """Hòa Bình city absorbed a huyện Kỳ Sơn; Nghệ An still has its own: the current one keeps it."""
    assert slugs("huyện Kỳ Sơn, tỉnh Nghệ An")[0] == "ky-son"
    assert slugs("UBND huyện Tân Thạnh (Long An)")[0] == "tan-thanh"
    assert {"name": "huyện Kỳ Sơn", "src": "PKG_VAU_DISTRICTS", "matched": False} in [
        f for p in json.loads((REPO / "archive" / "gazetteer" / "places.json").read_text(encoding="utf-8"))["places"]
        if p["slug"] == "hoa-binh-city" for f in p["former_names"]]


def test_district_unit_words_in_english_and_french_press():
    """'Xuyen Moc district' (unit word in lower case after the name) and the French
    'district de', 'arrondissement de', 'ville de' name the district, as 'huyện Xuyên Mộc' does."""
    assert slugs("a delegation from Xuyen Moc district, Ba Ria-Vung Tau province") == ["xuyen-moc", "ba-ria-vung-tau"]
    assert slugs("the Hoa Vang district of Da Nang") == ["hoa-vang", "da-nang"]
    assert slugs("le district de Hoa Vang et l'arrondissement de Cau Giay") == ["hoa-vang", "cau-giay"]
    assert slugs("le district d'Ea Sup (Dak Lak)") == ["ea-sup", "dak-lak"]
    assert slugs("Bac Ninh city") == ["bac-ninh-city"] and slugs("Bac Ninh") == ["bac-ninh"]
    # the unit word after the name may be lower case; the name itself may not
    assert slugs("the xuyen moc district") == []


def test_a_district_name_several_provinces_share_takes_the_province_named_beside_it():
    """Ten provinces have a huyện Châu Thành, two a huyện Tam Nông: the one meant is the one
    whose province is named right after (or right before) it; alone it is no place."""
    assert slugs("huyện Tam Nông, tỉnh Đồng Tháp") == ["tam-nong-dong-thap", "dong-thap"]
    assert slugs("huyện Tam Nông (Phú Thọ)") == ["tam-nong-phu-tho", "phu-tho"]
    assert slugs("Chau Thanh district of Tien Giang province") == ["chau-thanh-tien-giang", "tien-giang"]
    assert slugs("le district de Chau Thanh (Ben Tre)") == ["chau-thanh-ben-tre", "ben-tre"]
    assert slugs("Đồng Tháp: huyện Tam Nông") == ["dong-thap", "tam-nong-dong-thap"]
    assert slugs("huyện Tam Nông ký kết với Yeoncheon") == ["yeoncheon"]
    assert slugs("huyện Châu Thành, cách Seoul 30 km") == ["seoul"]  # no province beside it


def test_a_bare_district_name_counts_only_beside_its_province():
    """A district named without its unit word ('Hai Lang, Quang Tri') is that district when
    its province stands beside it, and no place alone: 'Hai Lang' alone is too common a
    pair of words to be sure of, and 'Châu Thành' is ten districts' name."""
    assert slugs("Goheung làm việc tại Hai Lang, Quang Tri.") == ["goheung", "hai-lang", "quang-tri"]
    assert slugs("Hải Lăng (Quảng Trị)") == ["hai-lang", "quang-tri"]
    assert slugs("Quảng Trị's Hải Lăng") == ["quang-tri", "hai-lang"]
    assert slugs("Châu Thành, Tiền Giang") == ["chau-thanh-tien-giang", "tien-giang"]
    assert slugs("Châu Thành, Bến Tre") == ["chau-thanh-ben-tre", "ben-tre"]
    # alone, beside another province, inside a person's name, with other tones: no district
    assert slugs("the Hai Lang farmers") == [] and slugs("Hai Lang, Seoul") == ["seoul"]
    assert slugs("ông Nguyễn Hải Lăng, Quảng Trị") == ["quang-tri"]
    assert slugs("Hài Lãng, Quảng Trị") == ["quang-tri"]
    # a bare name that is also another place's name stays that place's
    assert slugs("Bac Ninh, Vietnam") == ["bac-ninh"]


def test_numbered_districts_of_ho_chi_minh_city():
    # Named with their unit word: "Quận 7", "District 7"; the number alone is no name.
    assert slugs("Ho Chi Minh City's District 7 and Seoul's Songpa District") == ["ho-chi-minh", "quan-7", "seoul", "songpa"]
    assert slugs("Quận 12 và quận Guro") == ["quan-12", "guro"] and slugs("tại quận 7, TP.HCM") == ["quan-7", "ho-chi-minh"]
    assert slugs("7 districts and 12 communes") == [] and get("quan-7").names["en"] == "District 7"


def test_korean_forms_of_vietnamese_districts_by_rule():
    """The 외래어 표기법's Vietnamese rules give the Korean press's forms of districts and
    cities; they are matched with a unit word (호아방현), bare only for a city of three
    syllables or more (꾸이년), never a two-syllable bare form that is a Korean word (후에 'after')."""
    sys.path.insert(0, str(REPO / "scripts" / "gazetteer"))
    from vi_hangul import hangul_forms

    assert hangul_forms("Quy Nhơn") == ["꾸이년"] and hangul_forms("Cầu Giấy") == ["꺼우저이"]
    assert hangul_forms("Đà Lạt") == ["달랏", "다랏"] and hangul_forms("Long Xuyên") == ["롱쑤옌", "롱쑤엔"]
    assert hangul_forms("Quảng Ngãi") == ["꽝응아이"] and hangul_forms("Khánh Hòa") == ["카인호아"]
    assert hangul_forms("Ea Súp") == ["에아숩"] and hangul_forms("Bạc Liêu") == ["박리에우"]
    assert slugs("용산구는 꾸이년시와 자매결연을 맺었다") == ["yongsan", "quy-nhon"]
    assert slugs("봉화군과 호아방현, 단양군과 꺼우저이군") == ["bonghwa", "hoa-vang", "danyang", "cau-giay"]
    assert slugs("에아숩현 대표단") == ["ea-sup"] and slugs("꾸이년에서") == ["quy-nhon"]
    assert slugs("그 후에 지안 문제") == []
    # the press also reads d as an English reader does: 디안 beside the rule's 지안
    assert hangul_forms("Dĩ An") == ["지안", "디안"] and slugs("서대문구는 디안시와") == ["seodaemun", "di-an"]
    assert slugs("디안 문제") == []
    # a city named like its province: the bare form is the province's (the press writes 뚜엔꽝 for both)
    assert slugs("뚜엔꽝 대표단") == ["tuyen-quang"] and slugs("뚜옌꽝시") == ["tuyen-quang-city"]
    assert "aliases.ko" in get("hoa-vang").rule and "RULE_NIKL_VI" in get("hoa-vang").src


def test_a_korean_gu_six_cities_share_takes_the_city_named_beside_it():
    assert slugs("quận Buk, thành phố Ulsan") == ["buk-gu-ulsan", "ulsan"]
    assert slugs("Jung-gu, Incheon and Nha Trang") == ["jung-gu-incheon", "incheon", "nha-trang"]
    assert slugs("Incheon's Jung District") == ["incheon", "jung-gu-incheon"]
    assert slugs("Seo-gu, Daegu") == ["seo-gu-daegu", "daegu"]
    assert slugs("Jung-gu District officials") == []  # which of six: not said
    assert slugs("tỉnh Bắc Gyeongsang và tỉnh Nam Gyeongsang") == ["gyeongsangbuk", "gyeongsangnam"]
    assert slugs("김해와 떠이닌성") == ["gimhae", "tay-ninh"]  # bare 김해 is no Korean word
