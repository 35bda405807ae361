"""Build places.json, the gazetteer's data file, from the shared reference facts.

    python scripts/gazetteer/build_data.py /work/shared/reference/admin-units.json

Needs vietnamadminunits (requirements-crosscheck.txt) for the Vietnamese districts; the
Korean 시·군·구 are read from kr_sigungu.tsv next to this script (see its header).

Run from the repository root; the output is committed and is all the runtime reads.
Every place, name and date comes from the reference file (admin-units.json, compiled
from the sources listed in its meta.sources; they are copied into the output header).
What this script adds is editorial and sits in the tables below, so a reviewer sees it
at once: class nouns stripped from descriptive forms ('thủ đô Seoul' -> 'Seoul'),
homographs left out, names matched in running text only with context, stop phrases.

Slug rule: ASCII, lower case, hyphenated, from the name without its unit word.
Vietnam: the Vietnamese name ('Hà Nam' -> 'ha-nam', 'Hồ Chí Minh' -> 'ho-chi-minh').
Korea: the Revised Romanization of the current official name without the type suffix
(-do, -si, -gun, -gu, -teukbyeolsi, -gwangyeoksi, -teukbyeoljachido/-si): 'gyeonggi',
'jeollanam', 'chungcheongbuk', 'jeonbuk' (official since 2024), 'suwon'. A level-2 slug
that would repeat an existing one gets its province: 'gwangju-gyeonggi'.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path[:0] = [str(Path(__file__).resolve().parents[2]), str(Path(__file__).resolve().parent)]

from archive.gazetteer._matcher import key  # noqa: E402
from archive.textnorm import nfc, slugify_ascii  # noqa: E402

import second_tier  # noqa: E402

OUTPUT = Path(__file__).resolve().parents[2] / "archive" / "gazetteer" / "places.json"

# --- editorial tables ------------------------------------------------------------------

# Forms that are also common words or name something else. They are left out of the
# place's aliases altogether, so neither text matching nor search expansion uses them.
HOMOGRAPHS: dict[str, str] = {
    "HN": "two letters, too short to be safe",
    "하남": "Hà Nam (하남성), Hanam-si (하남시) and China's Henan; only the suffixed forms are used",
    "경기": "also 'game' and 'economy'",
    "세종": "King Sejong (세종대왕, 세종학당); 세종시 is used",
    "후에": "'after' (그 후에); 후에시 is used",
    "안장": "'saddle', 'burial' (안장되다); 안장성 is used",
    "박장": "'clapping' (박장대소); 박장성 is used",
    "고양": "고양이 'cat', 고양 'uplift'; 고양시 is used",
    "화성": "Mars; 화성시 is used",
    "구미": "歐美 'the West', 'appetite'; 구미시 is used",
    "경주": "'race' (競走); 경주시 is used",
    "전주": "'the previous week', 'utility pole'; 전주시 is used",
    "용인": "'tolerate' (容認); 용인시 is used",
    "청도": "older Korean reading of Qingdao; 청도군 is used",
    "봉화": "'beacon fire'; 봉화군 is used",
    "함양": "'cultivation' (인성 함양); 함양군 is used",
    "강남": "the whole south bank of Seoul, not only Gangnam-gu; 강남구 is used",
}

# Forms two places share; the named slug keeps them (the engineering notes: 광주 is the
# metropolitan city). Any other shared form stops the build.
OWNER: dict[str, str] = {"gwangju": "gwangju", "kwangju": "gwangju", "광주": "gwangju", "광주시": "gwangju"}

# Aliases kept for lookup and search but not matched in running text: bare 'Hồ Chí Minh'
# is usually the president (Chủ tịch Hồ Chí Minh, Đoàn TNCS Hồ Chí Minh), 'Sejong' the
# king or the King Sejong Institute, 'HCM' appears in 'Đoàn TNCS HCM'. In text these
# places are found through the full forms (TP.HCM, HCMC, Ho Chi Minh City, Sejong City)
# and CONTEXT_FORMS.
TEXT_SKIP: dict[str, tuple[str, ...]] = {
    "ho-chi-minh": ("Hồ Chí Minh", "HCM"),
    "sejong": ("Sejong",),
    "gwangju-gyeonggi": ("Gwangju-si",),
}

# Matched in running text only after one of the context words; the mention covers the
# name alone ('thành phố [Hồ Chí Minh]').
CONTEXT_FORMS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "ho-chi-minh": (("thành phố", "TP"), ("Hồ Chí Minh", "Ho Chi Minh", "Hô Chi Minh")),
    "sejong": (("thành phố", "TP", "ville de", "city of"), ("Sejong",)),
}

# Forms the reference lacks but that are common and unambiguous.
EXTRA_ALIASES: dict[str, tuple[str, ...]] = {
    "ho-chi-minh": ("Sài Gòn",),
    "ba-ria-vung-tau": ("Vũng Tàu",),  # the reference has 'Vung Tau'; the city stands for the province
    "sejong": ("Sejong City", "Sejong-si"),
    "gwangju-gyeonggi": ("경기도 광주시", "경기 광주시", "경기도 광주", "경기 광주", "Gwangju-si"),
    # the Vietnamese press's word order for the Gyeongsang provinces, as it already is for
    # Chungcheong and Jeolla in the reference ('tỉnh Nam Jeolla'); by that rule, not attested
    "gyeongsangbuk": ("Bắc Gyeongsang", "Bắc Kyongsang"),
    "gyeongsangnam": ("Nam Gyeongsang", "Nam Kyongsang"),
}

# Phrases that contain a place name but are not the place. They consume the text and
# yield nothing ('Thái Bình Dương' is the Pacific, not Thái Bình province).
STOP_PHRASES: tuple[str, ...] = (
    "Thái Bình Dương",  # Pacific Ocean ('Châu Á - Thái Bình Dương', 'xuyên Thái Bình Dương')
    "Hà Nam Ninh",  # the 1976-1991 province (Hà Nam + Nam Định + Ninh Bình)
    "Nobel Hòa Bình",  # title-case 'Nobel Peace'
    "vì hòa bình",  # 'for peace' in title case
    "Hwaseong Fortress",  # in Suwon, not in Hwaseong city
    "Gangnam Style",
    "차 대전",  # '2차 대전', the Second World War, not Daejeon
    "호찌민 주석", "호치민 주석", "호찌민 묘소", "호치민 묘소", "호찌민 영묘", "호치민 영묘",  # the president
)

COUNTRY_NAMES: dict[str, dict[str, str]] = {
    "vn": {"vi": "Việt Nam", "ko": "베트남", "fr": "Viêt Nam", "en": "Vietnam"},
    "kr": {"vi": "Hàn Quốc", "ko": "한국", "fr": "Corée du Sud", "en": "South Korea"},
}
# Added to the reference's country names: demonyms and the bare 'Korea'/'Corée', which in
# this archive's sources mean the Republic of Korea. '월남' is the archaic name for Vietnam.
EXTRA_COUNTRY_ALIASES: dict[str, tuple[str, ...]] = {
    "vn": ("Vietnamese", "vietnamien", "vietnamienne", "vietnamiens", "vietnamiennes"),
    "kr": (
        "Korea", "Korean", "Koreans", "South Korean", "South Koreans", "R. de Corée", "Corée",
        "coréen", "coréenne", "coréens", "coréennes", "sud-coréen", "sud-coréenne",
        "sud-coréens", "sud-coréennes", "Nam Triều Tiên", "주한",
    ),
}
# North Korean and peninsula-wide forms that contain a South Korean alias.
COUNTRY_STOP_PHRASES: tuple[str, ...] = (
    "North Korea", "North Korean", "North Koreans", "DPR Korea", "Democratic People's Republic of Korea",
    "Korean Peninsula", "Corée du Nord", "nord-coréen", "nord-coréenne", "nord-coréens",
    "nord-coréennes", "République populaire démocratique de Corée", "péninsule coréenne",
    "péninsule de Corée", "월남민", "월남하", "월남한", "월남했", "월남자",
)

# Class nouns in front of descriptive forms ('tỉnh Gyeonggi', 'ville sud-coréenne de Suwon').
_CLASS_NOUNS = re.compile(
    r"^(?:(?:thành phố tự trị đặc biệt|tỉnh tự trị đặc biệt|thành phố|thủ đô|tỉnh|đảo|huyện|quận|tp\.?"
    r"|province sud-coréenne d[eu]|ville sud-coréenne de|province d[eu]|ville de|district de|île de)\s+"
    r"|(?:ville|district|arrondissement) d['’])",  # not the 'TP' of 'TP.HCM'
    re.IGNORECASE,
)
# Raw reference strings that are sentences rather than names.
_REWRITE = {
    "arrondissement d'Ulju de la ville d'Ulsan": "Ulju",
    "district de Seo Daemun à Séoul": "Seo Daemun",
}
_OPTIONAL_SUFFIX = re.compile(r"^(\S+)\((\S{1,2})\)$")  # '빈증(성)' -> 빈증, 빈증성
_KR_TYPE_SUFFIX = re.compile(
    r"-(?:do|si|gun|gu|teukbyeolsi|gwangyeoksi|teukbyeoljachido|teukbyeoljachisi)$", re.IGNORECASE
)
# New (Hòa) and old (Hoà) tone placement: both are written, so both are listed.
_TONE_PAIRS = {
    "òa": "oà", "óa": "oá", "ỏa": "oả", "õa": "oã", "ọa": "oạ", "òe": "oè", "óe": "oé",
    "ỏe": "oẻ", "õe": "oẽ", "ọe": "oẹ", "ùy": "uỳ", "úy": "uý", "ủy": "uỷ", "ũy": "uỹ", "ụy": "uỵ",
}
_TONE_PLACEMENT = re.compile("(" + "|".join(_TONE_PAIRS) + r")\b", re.IGNORECASE)


# --- cleaning ---------------------------------------------------------------------------

def forms(raw: object, strip: bool = True) -> list[str]:
    """Names in one raw reference value: notes in brackets dropped, 'A / B' split,
    class nouns stripped (unless `strip` is false: 'TP HCM' is a name), 'X(Y)' read as X and XY."""
    if raw is None:
        return []
    if isinstance(raw, dict):
        return forms(raw.get("form") or raw.get("abbr"), strip)
    if isinstance(raw, (list, tuple)):
        if len(raw) == 2 and isinstance(raw[1], list) and isinstance(raw[0], str):
            return forms(raw[0], strip)  # [form, sources]
        return [f for item in raw for f in forms(item, strip)]
    text = nfc(str(raw)).strip()
    text = _REWRITE.get(text, text)
    optional = _OPTIONAL_SUFFIX.match(text)
    if optional:
        return [optional[1], optional[1] + optional[2]]
    text = re.sub(r"\s*\([^)]*\)", "", text).split(";")[0]
    found = []
    for part in re.split(r"\s+/\s+", text):
        part = _CLASS_NOUNS.sub("", part.strip()).strip() if strip else part.strip()
        if part and "=" not in part:
            found.append(part)
    return found


def tone_variants(name: str) -> list[str]:
    def swap(m: re.Match) -> str:
        old = _TONE_PAIRS[m[1].lower()]
        return old if m[1].islower() else old[0].upper() + old[1:]

    other = _TONE_PLACEMENT.sub(swap, name)
    return [name, other] if other != name else [name]


def korean_bare(name: str) -> list[str]:
    """Romanized names with a '-do' unit word also appear without it and glued:
    'Kyonggi-do' -> 'Kyonggi', 'Gyeonggi-do' -> 'Gyeonggido'."""
    m = re.fullmatch(r"(.+)-(do|to)", name)
    return [m[1], m[1] + m[2]] if m else []


def without_apostrophes(name: str) -> list[str]:
    """McCune-Reischauer aspiration marks are often dropped: "Ch'ungch'ŏng" -> 'Chungchŏng'."""
    plain = re.sub(r"['’ʼ]", "", name)
    return [plain] if plain != name else []


def rr_base(rr: str) -> str:
    return _KR_TYPE_SUFFIX.sub("", rr)


# --- places -----------------------------------------------------------------------------

def vietnam(ref: dict) -> list[dict]:
    units = ref["vietnam_first_level_pre_2025_07_01"]["units"]
    after = {nfc(u["vi"]): u for u in ref["vietnam_first_level_from_2025_07_01"]["units"]}
    names = {nfc(u["vi"]) for u in units}
    missing = sorted(set(after) - names)
    if missing:
        raise SystemExit(f"post-2025 units without a pre-2025 unit of the same name: {missing}")
    places = []
    for u in units:
        vi = nfc(u["vi"])
        successor_vi = nfc(u["merged_into_2025"]["vi"])
        continues = successor_vi == vi
        if not any(vi == nfc(m["vi"]) for m in after[successor_vi]["merged_from_pre2025"]):
            raise SystemExit(f"{vi}: merged_into and merged_from disagree")
        is_city = u["type_en"].startswith("centrally-run city")
        surfaces = [vi, u["ascii"], u["en"], u.get("vi_until_2024_12_31"), u.get("ascii_until_2024_12_31")]
        surfaces += [u["fr_vn_press_style"], u["ko"], u["ko_bare"]]
        for field in ("en_variants", "fr_exonym", "fr_press_seen", "ko_attested", "ko_variants"):
            surfaces += u[field]
        fr_exonyms = [f for e in u["fr_exonym"] if "press" not in str(e["form"]) for f in forms(e)]
        codes = {"gso": u["gso_code_pre2025"], "iso_3166_2": u["iso_3166_2"]}
        if continues:
            codes["gso_2025"] = f"{after[vi]['gso_code_2025']:02d}"
        surfaces = [f for s in surfaces for f in forms(s)] + forms(u["abbreviations"], strip=False)
        surfaces += [s[:-1] for s in surfaces if len(s) >= 3 and s.endswith(("성", "시"))]  # 빈즈엉성 -> 빈즈엉
        places.append({
            "slug": slugify_ascii(vi),
            "country": "vn",
            "level": 1,
            "kind": "city" if is_city else "province",
            "parent": None,
            "successor": None if continues else slugify_ascii(successor_vi),
            "valid_until": None if continues else "2025-06-30",
            "names": {
                "vi": vi,
                "ko": forms(u["ko"])[0],
                "fr": fr_exonyms[0] if fr_exonyms else u["ascii"],
                "en": u["en"],
            },
            "codes": codes,
            "src": sorted(set(u["src"]) | set(after[vi]["src"] if continues else [])),
            "_surfaces": surfaces,
            "_match_keys": u["match_keys"],
        })
    return places


_KR_SOURCES = ("PYCOUNTRY", "KAKAO_ENUM", "KR_SIGUNGU", "LINGOMAE", "SIMPLEWIKI_KR")  # §4 of the reference
_KR_KINDS = {
    "special city": "city",
    "metropolitan city": "city",
    "special self-governing city": "special_self_governing_city",
    "province": "province",
    "special self-governing province": "special_self_governing_province",
}


def korea(ref: dict) -> list[dict]:
    places = []
    for u in ref["korea_first_level"]:
        kind = _KR_KINDS[u["type_en"]]
        base = rr_base(u["rr"])
        short = u["short_ko"]
        surfaces = [u["hangul"], short, u["rr"], base, u["rr_short"], u["en"], u["en_official"], u["mr"]]
        surfaces += [u.get("news_short_en"), u.get("vi_hanviet")]
        surfaces += [short + ("시" if "city" in u["type_en"] else "도")]  # 서울시, 충북도: press usage
        # English news drops "Province": "a North Gyeongsang delegation", "South Jeolla".
        if u["en"].endswith(" Province"):
            surfaces.append(u["en"][: -len(" Province")])
        for field in ("older", "vi", "vi_var", "fr", "ascii_aliases"):
            surfaces += u.get(field) or []
        renamed = u.get("renamed") or {}
        surfaces += [renamed.get("old_ko"), renamed.get("new_ko"), renamed.get("new_en")]
        fr = forms(u["fr"][0])
        places.append({
            "slug": slugify_ascii(base),
            "country": "kr",
            "level": 1,
            "kind": kind,
            "parent": None,
            "successor": None,
            "valid_until": None,
            "names": {"ko": u["hangul"], "vi": base, "fr": fr[0], "en": u["en"]},
            # MOIS code as of now (the reference notes the 2023/2024 renumbering); KOSTAT
            # codes are left out because the reference has only their pre-2023 values.
            "codes": {"iso_3166_2": u["iso"], "mois": u["mois"].split()[0]},
            "src": sorted(set(_KR_SOURCES) | set(u.get("older_src", [])) | set(u.get("vi_src", []))
                          | set(u.get("fr_src", [])) | set(renamed.get("src", []))),
            "_surfaces": [f for s in surfaces for f in forms(s)],
            "_match_keys": u["match_keys"],
            "_hangul": u["hangul"],
        })
    return places


_KR_LEVEL2_KINDS = {"시": "municipal_city", "군": "county", "구": "district"}


def korean_cities(ref: dict, provinces: list[dict]) -> list[dict]:
    by_hangul = {p["_hangul"]: p["slug"] for p in provinces}
    taken = {p["slug"] for p in provinces}
    places = []
    for u in ref["korea_cities"]:
        hangul = u["hangul"]
        parent = by_hangul[u["province"]]
        bare_rr = re.sub(r"-(gun|gu)$", "", u["rr"])
        slug = slugify_ascii(bare_rr)
        label = bare_rr
        if slug in taken:  # 광주시 (Gyeonggi) vs 광주광역시
            slug = f"{slug}-{parent}"
            label = f"{bare_rr} ({next(p['names']['vi'] for p in provinces if p['slug'] == parent)})"
        taken.add(slug)
        surfaces = [hangul, hangul[:-1], u["rr"], bare_rr, u["mr"], re.sub(r"-(gun|kun|gu)$", "", u["mr"])]
        surfaces += [u["vi"], u["fr"]] + u.get("vi_seen", []) + u.get("fr_seen", [])
        places.append({
            "slug": slug,
            "country": "kr",
            "level": 2,
            "kind": _KR_LEVEL2_KINDS[hangul[-1]],
            "parent": parent,
            "successor": None,
            "valid_until": None,
            "names": {"ko": hangul, "vi": label, "fr": label, "en": label},
            "codes": {"mois": u["code"]},
            "src": sorted(set(u.get("src", [])) | set(u.get("vi_seen_src", [])) | set(u.get("fr_seen_src", []))
                          | set(u.get("status_src", []))),
            "_surfaces": [f for s in surfaces for f in forms(s)],
            "_match_keys": [],
        })
    return places


# --- aliases ----------------------------------------------------------------------------

def expand(surface: str) -> list[str]:
    out = tone_variants(surface)
    for extra in (korean_bare, without_apostrophes):
        out += [v for s in list(out) for v in extra(s)]
    return out


def assign_aliases(places: list[dict]) -> list[dict]:
    """Give each place its aliases; a form two places share goes to OWNER or stops the build.

    Second-tier places (marked `_new`) never take a form from a first-tier or reference
    place; a form two of them share goes to neither (both keep it out; it is recorded)."""
    homograph_keys = {key(h): h for h in HOMOGRAPHS}
    claims: dict[str, set[str]] = {}
    per_place: dict[str, dict[str, list[str]]] = {}
    for p in places:
        surfaces = p.pop("_surfaces") + list(EXTRA_ALIASES.get(p["slug"], ()))
        by_key: dict[str, list[str]] = {}
        for surface in (v for s in surfaces for v in expand(s)):
            k = key(surface)
            if not k or k in homograph_keys or _too_short(k):
                continue
            by_key.setdefault(k, [])
            if surface not in by_key[k]:
                by_key[k].append(surface)
            claims.setdefault(k, set()).add(p["slug"])
        per_place[p["slug"]] = by_key
    excluded = []
    new = {p["slug"] for p in places if p.get("_new")}
    for k, slugs in sorted(claims.items()):
        if len(slugs) == 1:
            continue
        old = slugs - new
        if slugs & new and len(old) <= 1 and OWNER.get(k) is None:
            for slug in slugs & new:
                del per_place[slug][k]
                why = f"belongs to {next(iter(old))}" if old else "shared by " + ", ".join(sorted(slugs))
                excluded.append({"alias": k, "place": slug, "why": why})
            continue
        owner = OWNER.get(k)
        if owner not in slugs:
            raise SystemExit(f"alias {k!r} claimed by {sorted(slugs)}; add it to OWNER or HOMOGRAPHS")
        for slug in slugs - {owner}:
            del per_place[slug][k]
            excluded.append({"alias": k, "place": slug, "why": f"belongs to {owner}"})
    for p in places:
        by_key = per_place[p["slug"]]
        p["aliases"] = sorted(s for v in by_key.values() for s in _distinct(v))
        skip_keys = {key(s) for s in TEXT_SKIP.get(p["slug"], ())} | {key(s) for s in p.pop("_text_skip", ())}
        p["text_skip"] = sorted(a for a in p["aliases"] if key(a) in skip_keys)
        contexts, names = CONTEXT_FORMS.get(p["slug"], ((), ()))
        p["context_forms"] = [[c, n] for c in contexts for n in names] + p.pop("_context_forms", [])
        p.pop("_new", None)
        _check_match_keys(p, per_place, homograph_keys)
    return excluded


def _too_short(k: str) -> bool:
    """Latin abbreviations of two letters ('HN') are never used; Hangul names can be two syllables."""
    return k.isascii() and len(k) <= 2


def _distinct(surfaces: list[str]) -> list[str]:
    """Surfaces differing only in case are one alias; keep the first (from a display field)."""
    seen: dict[str, str] = {}
    for s in surfaces:
        seen.setdefault(s.casefold(), s)
    return list(seen.values())


def _check_match_keys(place: dict, per_place: dict, homograph_keys: dict) -> None:
    """Every match key the reference lists must be an alias here, a homograph, or owned elsewhere."""
    for raw in place.pop("_match_keys"):
        for form in forms(raw):
            k = key(form)
            if k in per_place[place["slug"]] or k in homograph_keys or _too_short(k) or OWNER.get(k):
                continue
            raise SystemExit(f"{place['slug']}: reference match key {raw!r} is not covered")


# --- output -----------------------------------------------------------------------------

def build(ref: dict, reference_name: str) -> dict:
    vn = vietnam(ref)
    kr = korea(ref)
    cities = korean_cities(ref, kr)
    for p in kr:
        p.pop("_hangul")
    counts = ref["meta"]["counts"]
    assert len(vn) == counts["vn_pre_2025"] and len(kr) == counts["kr_first_level"]
    assert len(cities) == counts["kr_cities"]
    kr_tier = second_tier.korea(kr, cities)
    vn_tier = second_tier.vietnam(vn, ref)
    places = vn + kr + cities + kr_tier + vn_tier
    assert len({p["slug"] for p in places}) == len(places), "duplicate slug"
    excluded = assign_aliases(places)
    second_tier.drop_shared_context_forms(places, excluded)
    for p in places:
        p["name"] = p["names"]["vi" if p["country"] == "vn" else "ko"]
    used_sources = sorted({s for p in places for s in p["src"]} | {"PKG_VAU", "PKG_VP", "CLDR", "PYCOUNTRY"})
    used_sources = [s for s in used_sources if s in ref["meta"]["sources"]]
    return {
        "_about": {
            "generated_by": "scripts/gazetteer/build_data.py (do not edit by hand; rerun it)",
            "reference": {
                "file": reference_name,
                "where": "the shared reference folder (admin-units.md is its readable twin)",
                "title": ref["meta"]["title"],
                "compiled": ref["meta"]["generated"],
                "inputs": ref["meta"]["build"],
            },
            "sources": {s: ref["meta"]["sources"][s]["ref"] for s in used_sources} | second_tier.SOURCES,
            "second_tier": second_tier.ABOUT,
            "slug_rule": __doc__.split("Slug rule: ", 1)[1].strip(),
            "excluded_aliases": sorted(
                [{"alias": h, "place": None, "why": why} for h, why in HOMOGRAPHS.items()] + excluded,
                key=lambda e: (e["alias"], e["place"] or ""),
            ),
        },
        "places": sorted(places, key=lambda p: (p["country"], p["level"], p["slug"])),
        "stop_phrases": sorted(STOP_PHRASES),
        "countries": countries(ref),
        "country_stop_phrases": sorted(COUNTRY_STOP_PHRASES),
    }


def countries(ref: dict) -> dict:
    out = {}
    for entry in ref["countries"]:
        code = entry["iso"].lower()
        if code not in COUNTRY_NAMES:
            continue  # KP is in the reference only to tell the Koreas apart
        raw = []
        for lang in ("vi", "ko", "fr", "en"):
            names = entry[lang]
            raw += [names["common"], names["official"], names.get("archaic"), *names.get("common_variants", []),
                    *names.get("variants", [])]
            abbr = names.get("abbr")
            raw += [abbr] if isinstance(abbr, str) else []  # the English list is ROK/RoK: too short
        aliases: dict[str, str] = {}
        for surface in [f for r in raw for f in forms(r)] + list(EXTRA_COUNTRY_ALIASES[code]):
            for variant in tone_variants(surface):
                aliases.setdefault(variant.casefold(), variant)
        out[code] = {"names": COUNTRY_NAMES[code], "aliases": sorted(aliases.values()), "src": entry["src"]}
    return out


def main(argv: list[str]) -> None:
    if len(argv) != 1:
        raise SystemExit(__doc__)
    path = Path(argv[0])
    data = build(json.loads(path.read_text(encoding="utf-8")), path.name)
    OUTPUT.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {OUTPUT} ({len(data['places'])} places)")


if __name__ == "__main__":
    main(sys.argv[1:])
