"""The second tier: Korea's 시·군·구 and Vietnam's districts, cities and towns before 2025.

Korea: kr_sigungu.tsv (statutory codes, see its header and SOURCES['MOIS_LAWD']).
Vietnam: PyPI vietnamadminunits (pinned in requirements-crosscheck.txt, MIT licence),
data/parser_legacy.json DICT_PROVINCE_DISTRICT: the 696 district-level units of the 63
provinces as they stood until 30 June 2025, with their GSO codes.

Names the sources do not give are made by rule and listed in the place's `rule` field
(Revised Romanization from romanize.py; English, French and Vietnamese forms from the
unit word). Matching in running text is deliberately narrower than lookup:
- a Korean unit's bare Hangul name ('춘천') is matched only where listed in BARE_HANGUL_OK
  (most are also common words: 음성 'voice', 예산 'budget', 진주 'pearl'); the suffixed
  form ('춘천시', '음성군') always is;
- the one-syllable 중구/동구/서구/남구/북구 (서구 and 북구 are also 'the West', 'the Nordic
  countries') and any name two units share ('고성군', 'Goseong', '강서구') are matched only
  after their parent ('인천 서구', '강원 고성군'); the mention covers the unit alone;
- a Vietnamese district ('huyện Đông Anh', 'quận Hoàn Kiếm') is matched with its unit
  word; a provincial city or town also by its bare name when that name is unique,
  at least two syllables and not already another place's ('Đà Lạt', 'Biên Hòa');
  'thành phố Thanh Hóa' is the city, 'Thanh Hóa' alone stays the province.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

from archive.gazetteer._matcher import key
from archive.textnorm import nfc, slugify_ascii
from romanize import romanize
from vi_hangul import hangul_forms

_HERE = Path(__file__).resolve().parent
KR_TABLE = _HERE / "kr_sigungu.tsv"

AS_OF_KR = "2024-01-18"  # Jeonbuk State (52xxx codes); 군위군 in Daegu since 2023-07-01; 부천 gu since 2024-01-01

SOURCES = {
    "MOIS_LAWD": (
        "행정안전부 법정동코드 전체자료 (statutory district codes, 5-digit 시·군·구 level), public data "
        "(공공누리 KOGL Type 1 / statute data, not subject to copyright: Copyright Act art. 7); read from "
        "public GitHub transcriptions: a Dart 'JurisdictionCatalog' (search index id 59534255333, "
        "226 autonomous units + 세종 + 제주시/서귀포시, 2026-05) and a Python MOLIT API module's "
        "region_hierarchy with non-autonomous 구 under their cities (index id 48176760749); 부천 "
        "원미구/소사구/오정구 (41192/41194/41196, restored 2024-01-01) from a public SQL list (index id 66050297162)"
    ),
    "PKG_VAU_DISTRICTS": (
        "PyPI vietnamadminunits 1.0.4 (MIT) — data/parser_legacy.json DICT_PROVINCE_DISTRICT: 696 "
        "district-level units before 2025-07-01 with GSO codes; "
        "https://github.com/tranngocminhhieu/vietnamadminunits"
    ),
    "VN_NQ_15_2008": "Nghị quyết 15/2008/QH12 (Quốc hội, 29 May 2008, in force 1 August 2008): Hà Tây province, "
                     "Mê Linh district (Vĩnh Phúc) and four communes of Lương Sơn (Hòa Bình) merged into Hà Nội",
    "REAL_DUMPS_TUNE": "Korean press forms of Vietnamese cities seen in the tuning half of ../shared/eval/real-dumps "
                       "(d001, d011-d013, d034, d064, d065) and in the second tuning set ../shared/eval/tune2-dumps "
                       "(t005, t006, t009)",
    "RULE_NIKL_VI": "외래어 표기법, Vietnamese (문화관광부 고시 제2004-11호): Korean forms of Vietnamese districts, "
                    "applied by scripts/gazetteer/vi_hangul.py (with and without the ㄹㄹ of an l between vowels; "
                    "yê as 옌 and 엔), with the press's unit words 시/현/군/구; marked `rule` (aliases.ko)",
    "RULE_RR": "Revised Romanization (문화관광부 고시 2000-8), applied by scripts/gazetteer/romanize.py",
}

ABOUT = {
    "korea": f"the 226 autonomous 시·군·구 as of {AS_OF_KR} (75 시, 82 군, 69 구), the 35 non-autonomous 구 "
             "(level 3, parent = their city) and Jeju's two administrative cities; source MOIS_LAWD. Hwaseong's "
             "general 구 created in 2026 are not in the source and not included",
    "vietnam": "696 district-level units before 2025-07-01 (87 thành phố, 52 thị xã, 49 quận, 508 huyện); "
               "source PKG_VAU_DISTRICTS; `post_2025_province` is the province the unit's province became "
               "part of on 2025-07-01 (districts were abolished that day). Former names of units merged or "
               "renamed since 2000 are in each place's `former_names` and matched as aliases: the district-level "
               "ones are the package's districtAlias (PKG_VAU_DISTRICTS; the package gives them without "
               "diacritics, the toned spelling is checked against its key), the province Hà Tây from VN_NQ_15_2008",
}

# Bare Hangul names safe enough to match in running text (not common words).
BARE_HANGUL_OK = frozenset(
    "춘천 강릉 속초 평택 의정부 김포 천안 당진 서산 순천 여수 목포 익산 안동 거제 통영 밀양 남양주 동두천 삼척 정읍 김천 영천 "
    "경산 청송 울진 울릉 부안 고창 해남 완도 창녕 합천 서귀포 해운대 서대문 동대문 영등포 서초 송파 마포 용산 종로 노원 도봉 은평 "
    "양천 성북 광진 중랑 금천 대덕 부평 계양 미추홀 옹진 부산진 동래 울주 세종 제천 충주 청주 진천 증평 단양 홍성 예천 문경 진해 "
    "의창 창원 마산 일산 홍천 횡성 철원 화천 양구 양양 평창 가평 양평 연천 포천 파주 여주 "
    "김해 포항 의왕 나주 임실 고흥 광양 보령 논산 아산 시흥 군포 부천 안양 성남".split()
)
# Homographs left out of the list above: 인제 'now', 강화 'strengthening', 이천 'two thousand',
# 분당 'per minute', 양산 'mass production', 기장 'captain', 연수 'training', 유성 'meteor',
# 달성 'achievement', 수성 'Mercury', 동작 'movement', 관악 'wind music', 강북 'north of the
# river', 거창 'grand', 군산 'military industry', 원주 'circumference', 정선 'selection',
# 안성 (안성맞춤 'a perfect fit').

# Korean forms of Vietnamese cities seen in the real dumps' tuning half (their ids in
# REAL_DUMPS_TUNE); NIKL's rule spellings differ from the press (다랏 vs 달랏).
VN_KO_SEEN = {
    "da-lat": ("달랏", "달랏시"),  # d001
    "bien-hoa": ("비엔호아", "비엔호아시"),  # d011, d012, d013
    "long-xuyen": ("롱쑤엔", "롱쑤엔시"),  # d034
    "di-an": ("지안시",),  # d064, d065 (bare 지안 is 'public order')
    "thuan-an": ("투언안시",),  # d064, d065
    # the second tuning set (../shared/eval/tune2-dumps): forms the press reads from English
    "hoa-vang": ("화방현", "화방군"),  # t005, t006
    "quy-nhon": ("퀴논", "퀴논시"),  # t009
}

# Romanized bare names that are other things (Jinan, Shandong) or too short to be safe.
LATIN_SKIP = frozenset({"Jinan", "Jung", "Dong", "Seo", "Nam", "Buk", "Goseong", "Gangseo"})

_KR_SUFFIX_RR = {"시": "si", "군": "gun", "구": "gu"}
_KR_KIND = {"시": "municipal_city", "군": "county", "구": "district"}
_KR_EN = {"시": "{} City", "군": "{} County", "구": "{} District"}
_KR_FR = {"시": "ville de {}", "군": "comté de {}", "구": "arrondissement de {}"}
_KR_VI = {"시": "thành phố {}", "군": "huyện {}", "구": "quận {}"}
_PROVINCE_SHORT = {
    "서울특별시": "서울", "부산광역시": "부산", "대구광역시": "대구", "인천광역시": "인천", "광주광역시": "광주",
    "대전광역시": "대전", "울산광역시": "울산", "경기도": "경기", "강원특별자치도": "강원", "충청북도": "충북",
    "충청남도": "충남", "전북특별자치도": "전북", "전라남도": "전남", "경상북도": "경북", "경상남도": "경남",
    "제주특별자치도": "제주",
}


def read_kr_table() -> list[dict]:
    rows = []
    for line in KR_TABLE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        code, province, name, in_city, status = line.split("\t")
        rows.append({"code": code, "province": province, "name": name, "in_city": in_city, "status": status})
    return rows


def parent_label_for(row: dict, province: dict) -> str:
    return romanize(row["in_city"][:-1]) if row["in_city"] else province["names"]["vi"]


def korea(provinces: list[dict], cities: list[dict]) -> list[dict]:
    """New places for every 시·군·구 the reference's 31 cities do not already hold."""
    prov = {p["names"]["ko"]: p for p in provinces}
    existing = {c["codes"]["mois"]: c for c in cities}
    taken = {p["slug"] for p in provinces} | {c["slug"] for c in cities}
    rows = read_kr_table()
    for c in cities:  # the reference's cities gain their statutory status
        c["codes"]["mois"] = c["codes"]["mois"]
    name_count = Counter(r["name"] for r in rows)
    city_slug = {}
    for r in rows:
        if r["code"] in existing and not r["in_city"]:
            city_slug[(r["province"], r["name"])] = existing[r["code"]]["slug"]
    out: list[dict] = []
    for r in sorted(rows, key=lambda r: (bool(r["in_city"]), r["code"])):
        if r["code"] in existing:
            continue
        if r["province"] == "세종특별자치시":
            continue
        name, unit = r["name"], r["name"][-1]
        stem = name[:-1]
        rr_stem = romanize(stem)
        rr_full = f"{rr_stem}-{_KR_SUFFIX_RR[unit]}"
        province = prov[r["province"]]
        shared = name_count[name] > 1 or len(stem) == 1
        parent = city_slug[(r["province"], r["in_city"])] if r["in_city"] else province["slug"]
        base = slugify_ascii(rr_full if len(stem) == 1 else rr_stem)
        slug = base if base not in taken and not shared else f"{base}-{parent}"
        if slug in taken:
            slug = f"{base}-{parent}"
        assert slug not in taken, slug
        taken.add(slug)
        if not r["in_city"]:
            city_slug[(r["province"], name)] = slug
        level = 3 if r["in_city"] else 2
        kind = _KR_KIND[unit] if r["status"] != "administrative_city" else "administrative_city"
        parent_ko = r["in_city"] or _PROVINCE_SHORT[r["province"]]
        parent_forms = [r["province"], _PROVINCE_SHORT[r["province"]]] if not r["in_city"] else [r["in_city"], r["in_city"][:-1]]
        en = _KR_EN[unit].format(rr_stem)
        surfaces = [name, rr_full, en, _KR_VI[unit].format(rr_stem), _KR_FR[unit].format(rr_stem)]
        text_skip = [_KR_VI[unit].format(rr_stem), _KR_FR[unit].format(rr_stem)]  # lower-case unit words
        if unit == "시" or unit == "군" and len(stem) > 1:
            surfaces.append(rr_stem)
        if unit == "구" and len(stem) > 1:
            surfaces.append(rr_stem)
        if stem in BARE_HANGUL_OK and not shared:
            surfaces.append(stem)
        context_forms: list[list[str]] = []
        if shared:
            text_skip += [name, rr_full, en, rr_stem]
            for pf in parent_forms:
                context_forms.append([pf, name])
            prr = province["names"]["en"].replace(" Province", "") if not r["in_city"] else romanize(r["in_city"][:-1])
            context_forms.append([prr, rr_full])
        if shared:  # 'Jung-gu (Seoul)', '중구 (서울)': one unit, for lookup
            surfaces += [f"{rr_full} ({parent_label_for(r, province)})", f"{name} ({parent_ko})"]
        if rr_stem in LATIN_SKIP:
            text_skip.append(rr_stem)
        parent_label = parent_label_for(r, province)
        out.append({
            "slug": slug,
            "country": "kr",
            "level": level,
            "kind": kind,
            "parent": parent,
            "successor": None,
            "valid_until": None,
            "names": {"ko": name, "vi": rr_stem if not shared else f"{rr_full} ({parent_label})",
                      "fr": rr_stem, "en": rr_stem if unit == "시" else en},
            "codes": {"mois": r["code"]},
            "src": ["MOIS_LAWD", "RULE_RR"],
            "rule": ["names.vi", "names.fr", "names.en", "rr"],
            "rr": rr_full,
            "_surfaces": surfaces,
            "_match_keys": [],
            "_text_skip": text_skip,
            "_context_forms": context_forms,
            "_new": True,
        })
    return out


# Former names of district-level units merged or renamed since 2000, by the GSO code of the
# unit they are part of before 2025-07-01. The names are the package's districtAlias for that
# code (unit word + name, without diacritics); here they carry their tones, and the build
# checks that each key equals one of the package's aliases. A unit only renamed in type
# (huyện -> thị xã Tịnh Biên) keeps its name and is not listed.
VN_FORMER_DISTRICTS = {
    "482": [("Huyện", "Nam Đông")],  # into Phú Lộc (Huế)
    "769": [("Quận", "2"), ("Quận", "9")],  # into thành phố Thủ Đức (Hồ Chí Minh)
    "753": [("Huyện", "Đất Đỏ"), ("Huyện", "Long Điền")],  # into Long Đất (Bà Rịa–Vũng Tàu)
    "754": [("Huyện", "Tân Thành")],  # renamed thị xã, then thành phố Phú Mỹ
    "213": [("Huyện", "Yên Dũng")],  # into thành phố Bắc Giang
    "045": [("Huyện", "Thông Nông")],  # into Hà Quảng (Cao Bằng)
    "049": [("Huyện", "Phục Hòa"), ("Huyện", "Quảng Uyên")],  # into Quảng Hòa (Cao Bằng)
    "148": [("Huyện", "Kỳ Sơn")],  # into thành phố Hòa Bình (Nghệ An keeps its own huyện Kỳ Sơn)
    "682": [("Huyện", "Cát Tiên"), ("Huyện", "Đạ Tẻh")],  # into Đạ Huoai (Lâm Đồng)
    "356": [("Huyện", "Mỹ Lộc")],  # into thành phố Nam Định
    "412": [("Thị xã", "Cửa Lò")],  # into thành phố Vinh
    "374": [("Thành phố", "Ninh Bình")],  # with huyện Hoa Lư into thành phố Hoa Lư
    "509": [("Huyện", "Nông Sơn")],  # into Quế Sơn (Quảng Nam)
    "525": [("Huyện", "Tây Trà")],  # into Trà Bồng (Quảng Ngãi)
    "193": [("Huyện", "Hoành Bồ")],  # into thành phố Hạ Long
    "380": [("Huyện", "Đông Sơn")],  # into thành phố Thanh Hóa
    "407": [("Huyện", "Tĩnh Gia")],  # renamed thị xã Nghi Sơn (Thanh Hóa)
}
# Former first-level units since 2000 (source key, date): into the province of that slug.
VN_FORMER_PROVINCES = {
    "ha-noi": [("Tỉnh", "Hà Tây", "VN_NQ_15_2008", "2008-08-01", ("Ha Tay province", "Ha Tay", "하떠이", "하떠이성"))],
}


def _package_former_keys(data: dict) -> dict[str, set[str]]:
    """GSO district code -> the package's districtAlias keys ('huyennamdong')."""
    out: dict[str, set[str]] = {}
    for pkey, districts in data["DICT_PROVINCE_DISTRICT"].items():
        for d in districts.values():
            own = set(d["districtKeywords"]) - {k for k in d["districtKeywords"] if k.endswith(_folded(d["districtShort"]))}
            out.setdefault(d["districtCode"], set()).update(own)
    return out


def _folded(name: str) -> str:
    return key(name).replace(" ", "")


def former_names(data: dict, out: list[dict], provinces: list[dict]) -> None:
    """Record VN_FORMER_* on their places, as aliases matched with their unit word.

    A current unit keeps its name: a former name whose key is a current unit's form
    ('huyện Kỳ Sơn' of Hòa Bình vs Nghệ An's huyện Kỳ Sơn; 'huyện Tân Thành' vs Long An's
    'huyện Tân Thạnh') is recorded with "matched": false and not matched.
    """
    package = _package_former_keys(data)
    by_code = {p["codes"]["gso"]: p for p in out}
    current = {key(s) for p in out + provinces for s in p["_surfaces"]}
    current |= {key(f"{c} {n}") for p in out for c, n in p["_context_forms"]}
    for code, names in VN_FORMER_DISTRICTS.items():
        place = by_code[code]
        for unit, name in names:
            folded = _folded(f"{unit} {name}")
            assert folded in package[code], (code, unit, name, sorted(package[code]))
            unit_vi, abbr = _VN_UNIT[unit][1], _VN_UNIT[unit][2]
            record = {"name": f"{unit_vi} {name}", "src": "PKG_VAU_DISTRICTS"}
            place.setdefault("former_names", []).append(record)
            if key(f"{unit_vi} {name}") in current:
                record["matched"] = False
                continue
            forms = [f"{unit_vi} {name}"] + ([f"{abbr} {name}", f"{abbr}. {name}"] if abbr else [])
            place["_surfaces"] += forms
            place["_text_skip"] += forms
            place["_context_forms"] += [[unit_vi, name]] + ([[abbr, name]] if abbr else [])
    by_slug = {p["slug"]: p for p in provinces}
    for slug, names in VN_FORMER_PROVINCES.items():
        place = by_slug[slug]
        for unit, name, src, until, others in names:
            place.setdefault("former_names", []).append({"name": f"{unit.lower()} {name}", "src": src, "until": until})
            place["_surfaces"] += [f"{unit.lower()} {name}", name, *others]
            if src not in place["src"]:
                place["src"] = sorted(place["src"] + [src])


_VN_UNIT = {"Thành phố": ("provincial_city", "thành phố", "TP", "City"),
            "Thị xã": ("town", "thị xã", "TX", "Town"),
            "Quận": ("urban_district", "quận", None, "District"),
            "Huyện": ("rural_district", "huyện", None, "District")}
# The Korean press's unit words after a Vietnamese district's Hangul name (호아방현, 꺼우저이군, 꾸이년시).
_VN_KO_UNIT = {"Thành phố": ("시",), "Thị xã": ("시",), "Quận": ("군", "구"), "Huyện": ("현", "군")}


def _ko_rule_forms(short: str, dtype: str, bare_ok: bool) -> list[tuple[str, bool]]:
    """(Hangul form, matched in running text) by RULE_NIKL_VI: with its unit word always
    (name of two syllables or more), bare only for a city or town of three syllables or more
    (two-syllable bare forms are Korean words: 후에 'after', 지안 'public order')."""
    out = []
    for form in hangul_forms(short):
        if len(form) < 2:
            continue
        out += [(form + unit, True) for unit in _VN_KO_UNIT[dtype]]
        out.append((form, bare_ok and len(form) >= 3))
    return out


_VN_FR_CONTEXT = {"Thành phố": ("ville de",), "Thị xã": ("bourg de", "ville de"),
                  "Quận": ("arrondissement de", "district de"), "Huyện": ("district de",)}
_VN_FR = {"Thành phố": "ville de {}", "Thị xã": "bourg de {}", "Quận": "arrondissement de {}", "Huyện": "district de {}"}


def _vn_data() -> dict:
    import importlib.util

    spec = importlib.util.find_spec("vietnamadminunits")  # not imported: its parsers need shapely
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("pip install -r requirements-crosscheck.txt (vietnamadminunits) first")
    path = Path(spec.submodule_search_locations[0]) / "data" / "parser_legacy.json"
    return json.loads(path.read_text(encoding="utf-8"))


_NUMBERED = re.compile(r"^Quận (\d{1,2})$")


def vietnam(provinces: list[dict], ref: dict) -> list[dict]:
    data = _vn_data()
    by_code = {p["codes"]["gso"]: p for p in provinces}
    raw = []
    for pkey, districts in data["DICT_PROVINCE_DISTRICT"].items():
        pcode = data["DICT_PROVINCE"][pkey]["provinceCode"]
        province = by_code[pcode]
        for d in districts.values():
            raw.append((province, d))
    shortname_count = Counter(nfc(d["districtShort"]) for _, d in raw)
    existing_keys = set()
    for p in provinces:
        existing_keys |= {key(s) for s in p["_surfaces"]}
    taken = {p["slug"] for p in provinces}
    out = []
    for province, d in sorted(raw, key=lambda pd: pd[1]["districtCode"]):
        short = nfc(d["districtShort"])
        dtype = d["districtType"]
        kind, unit_vi, abbr, unit_en = _VN_UNIT[dtype]
        base = slugify_ascii(short)
        same_as_province = base == province["slug"]
        if same_as_province:
            slug = f"{base}-{'city' if kind == 'provincial_city' else 'town' if kind == 'town' else 'district'}"
        elif base in taken or shortname_count[short] > 1:
            slug = f"{base}-{province['slug']}"
        else:
            slug = base
        assert slug not in taken, slug
        taken.add(slug)
        ascii_name = slugify_ascii(short).replace("-", " ").title()
        surfaces = [f"{unit_vi} {short}", f"{short} {unit_en}", f"{ascii_name} {unit_en}"]
        if abbr:
            surfaces += [f"{abbr} {short}", f"{abbr}. {short}"]
        text_skip = [f"{unit_vi} {short}"]
        bare_ok = (kind in ("provincial_city", "town") and shortname_count[short] == 1 and len(short.split()) >= 2
                   and key(short) not in existing_keys)
        surfaces.append(short)
        if not bare_ok:
            text_skip.append(short)
        if ascii_name != short:
            surfaces.append(ascii_name)
            if not bare_ok:
                text_skip.append(ascii_name)
        if shortname_count[short] > 1 or same_as_province:  # 'Tam Nông (Đồng Tháp)': one unit, for lookup
            surfaces.append(f"{short} ({province['names']['vi']})")
        seen_ko = VN_KO_SEEN.get(slug, ())
        surfaces += list(seen_ko)
        ko_rule = _ko_rule_forms(short, dtype, bare_ok=kind in ("provincial_city", "town") and not same_as_province)
        surfaces += [f for f, _ in ko_rule]
        text_skip += [f for f, matched in ko_rule if not matched]
        context_forms = [[unit_vi, short]]
        if abbr:
            context_forms.append([abbr, short])
        for fr in _VN_FR_CONTEXT[dtype]:  # 'le district de Hoa Vang', "district d'Ea Sup"
            elided = fr[:-3] + " d'" if fr.endswith(" de") and key(short)[0] in "aeiouy" else fr
            context_forms.append([elided, ascii_name])
        names = {"vi": short, "ko": seen_ko[-1] if seen_ko else short, "fr": _VN_FR[dtype].format(short),
                 "en": f"{ascii_name} {unit_en}"}
        numbered = _NUMBERED.match(short)
        if numbered:
            # Hồ Chí Minh City's numbered districts are named with their unit word: "Quận 7",
            # "District 7", "7e arrondissement" (a number alone is no name).
            n = numbered.group(1)
            surfaces = [short, f"Quan {n}", f"District {n}", f"{n}e arrondissement"]
            text_skip, context_forms = [], [["quận", n]]
            names.update(en=f"District {n}", fr=f"{n}e arrondissement")
        successor_2025 = province["successor"] or province["slug"]
        out.append({
            "slug": slug,
            "country": "vn",
            "level": 2,
            "kind": kind,
            "parent": province["slug"],
            "successor": None,
            "valid_until": "2025-06-30",
            "post_2025_province": successor_2025,
            "names": names,
            "codes": {"gso": d["districtCode"]},
            "src": ["PKG_VAU_DISTRICTS"] + (["REAL_DUMPS_TUNE"] if seen_ko else []) + (["RULE_NIKL_VI"] if ko_rule else []),
            "rule": (["names.ko"] if not seen_ko else []) + ["names.fr", "names.en"] + (["aliases.ko"] if ko_rule else []),
            "_surfaces": surfaces,
            "_match_keys": [],
            "_text_skip": text_skip,
            "_context_forms": context_forms,
            "_new": True,
        })
    former_names(data, out, provinces)
    province_ko_rule_forms(provinces)
    return out


def province_ko_rule_forms(provinces: list[dict]) -> None:
    """The rule's Hangul forms of the provinces too, with 성 (시 for a centrally-run city),
    and bare when three syllables or more: the press writes 뚜엔꽝 beside the reference's
    뚜옌꽝. A form the reference already gives adds nothing."""
    for p in provinces:
        have = {key(s) for s in p["_surfaces"]}
        unit = "시" if p["kind"] == "city" else "성"
        new = []
        for form in hangul_forms(p["names"]["vi"]):
            new += [form + unit] + ([form] if len(form) >= 3 else [])
        new = [f for f in new if key(f) not in have]
        if new:
            p["_surfaces"] += new
            p["src"] = sorted(set(p["src"]) | {"RULE_NIKL_VI"})
            p["rule"] = sorted(set(p.get("rule", [])) | {"aliases.ko"})


def drop_shared_context_forms(places: list[dict], excluded: list[dict]) -> None:
    """A context form two places share ('quận Bình Thạnh'? no: 'huyện Châu Thành') goes to neither."""
    owners: dict[str, set[str]] = {}
    for p in places:
        for c, n in p["context_forms"]:
            owners.setdefault(key(f"{c} {n}"), set()).add(p["slug"])
    for p in places:
        kept = []
        for c, n in p["context_forms"]:
            k = key(f"{c} {n}")
            if len(owners[k]) > 1:
                excluded.append({"alias": f"{c} {n}", "place": p["slug"], "why": "context form shared by "
                                 + ", ".join(sorted(owners[k]))})
            else:
                kept.append([c, n])
        p["context_forms"] = kept
