"""Which agency or outlet a document comes from, and which site carried it.

The registry is data: `archive/ingest/data/agencies.json` lists each agency and outlet with
the names a text credits it by (in the four languages) and the hosts of its sites. A dump
carries no URL, so the credit is read from the text's own words, in the forms real pages
use:

- "(VNA)", "(VOV5) -", "[일요신문]", "[강원도민일보 오세현 기자]", "(서울=연합뉴스)", "[서울=뉴시스]";
- a sign-off at a line's end, "— Yonhap", "-VNA", "-AVI", or a line of credits "VOV/VNA/CVN";
- a lead that names its paper, "TTH.VN - On the morning…";
- "연합뉴스가 … 보도했다", "뉴스1에 따르면", "theo TTXVN", "selon l'AVI", "according to Yonhap";
- "저작권자 © 강원도민일보", "Copyright © VOV".

`source` is the agency the text credits, else an outlet that names itself, else the site
(by URL or provenance). `site` is always the site that carried the copy.
"""
from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

REGISTRY = Path(__file__).resolve().parent / "data" / "agencies.json"


@dataclass(frozen=True)
class SourceInfo:
    slug: str
    name: str
    homepage: str = ""
    kind: str = "site"  # agency | outlet | site (known only by its host)


@dataclass(frozen=True)
class Registry:
    known: dict[str, SourceInfo]
    domains: dict[str, str]  # host suffix -> slug
    names: dict[str, str]  # credited name -> slug
    footers: list[tuple[re.Pattern, str]]
    credit_patterns: list[re.Pattern]  # each with a group "name"


def _credit_patterns(names: list[str]) -> list[re.Pattern]:
    # Longest first, so "VOV5" wins over "VOV" and "VNA/Vietnam+" over "VNA".
    alt = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    name = rf"(?P<name>{alt})(?![A-Za-z0-9])"
    forms = [
        # "(VNA)", "[일요신문]", "[강원도민일보 오세현 기자]", "(서울=연합뉴스)", "[서울경제TV=김정옥기자]"
        rf"[\[(]\s*(?:[^\[\]()=\n]{{1,15}}=\s*)?{name}(?:[\s=ㅣ|/·,][^\[\]()\n]{{0,30}})?[\])]",
        # "TTH.VN - On the morning…": a lead that names its paper
        rf"^\s*{name}\s?[-–—]\s",
        # "…en général. -VNA", "— Yonhap": a sign-off at the end of a line
        rf"[-–—]\s?{name}\s*$",
        # "VOV/VNA/CVN", "VNA": a line of credits alone (the first is credited)
        rf"^\s*{name}(?:\s*/\s*(?:{alt}))*\s*$",
        # "연합뉴스가 21일 … 보도했다", "뉴스1에 따르면"
        rf"{name}(?:가|이|는|은)\s[^\n]{{0,80}}?(?:보도했다|전했다)",
        rf"{name}에 따르면",
        # "theo TTXVN", "selon l'AVI", "d'après Yonhap", "according to Yonhap", "Nguồn: VOV"
        rf"(?:\b[Tt]heo|\b[Ss]elon|[Dd]'après|[Aa]ccording to|[Nn]guồn\s*:?|[Ss]ource\s*:)\s+"
        rf"(?:l[’']|l[’']agence\s+|the\s+|hãng\s+|báo\s+)?{name}",
        # "저작권자 © 강원도민일보", "©'5개국어 글로벌 경제신문' 아주경제", "Copyright © VOV"
        rf"(?:©|ⓒ|저작권자|Copyright)[^\n]{{0,30}}?{name}",
        # "아주경제=윤혜원 기자": a Korean byline opening a line with its paper
        rf"^\s*{name}\s?=\s?[가-힣]{{2,4}}\s?(?:기자|특파원)",
        # "VNA-Hai Duong News 27/02/2024 08:34": an agency's regional desk over the story
        rf"^\s*{name}-[A-ZÀ-ỸĐ][^\n]{{0,30}}?\bNews\b",
    ]
    return [re.compile(form, re.M) for form in forms]


@functools.cache
def registry() -> Registry:
    data = json.loads(REGISTRY.read_text(encoding="utf-8"))["sources"]
    known, domains, names, footers = {}, {}, {}, []
    for entry in data:
        info = SourceInfo(entry["slug"], entry["name"], entry.get("homepage", ""), entry.get("kind", "outlet"))
        known[info.slug] = info
        for domain in entry.get("domains", []):
            domains[domain] = info.slug
        for credited in entry.get("names", []):
            names[credited] = info.slug
        if entry.get("footer"):
            footers.append((re.compile("|".join(re.escape(f) for f in entry["footer"]), re.I), info.slug))
    return Registry(known, domains, names, footers, _credit_patterns(list(names)))


# slug -> the registry's entry
KNOWN: dict[str, SourceInfo] = registry().known


def from_url(url: str | None) -> SourceInfo | None:
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower()
    for domain, slug in registry().domains.items():
        if host == domain or host.endswith("." + domain):
            return registry().known[slug]
    if not host:
        return None
    bare = host[4:] if host.startswith("www.") else host
    return SourceInfo(re.sub(r"[^a-z0-9]+", "-", bare).strip("-"), bare, f"https://{host}")


# A table cell ("… 2022.12.4 pdj6635@yna.co.kr |"): in a dump, a photo's caption or a box
# beside the story, whose credit is the picture's or another story's.
_CELL_RE = re.compile(r"^\s*\||\|\s*$", re.M)


def _in_cell(text: str, position: int) -> bool:
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    return bool(_CELL_RE.search(text[start:end if end != -1 else len(text)]))


def credits(text: str) -> list[tuple[int, SourceInfo]]:
    """Every credit the text gives, as (position, source), in text order; a credit inside
    a table cell (a caption) only when the text gives no other."""
    reg = registry()
    found = []
    for pattern in reg.credit_patterns:
        for match in pattern.finditer(text):
            found.append((match.start("name"), reg.known[reg.names[match.group("name")]]))
    outside = [pair for pair in found if not _in_cell(text, pair[0])]
    return sorted(outside or found, key=lambda pair: pair[0])


def credited(text: str) -> SourceInfo | None:
    """The agency the text credits (the first one), else an outlet that names itself
    (in the registry, or by the form of its credit alone)."""
    found = credits(text)
    for kind in ("agency", "outlet"):
        for _, info in found:
            if info.kind == kind:
                return info
    return self_named(text)


# An outlet not in the registry is still known by the form of its own credit:
_YEARS = r"(?:\d{4}(?:\s*[-–~]\s*\d{4})?\s*)?"  # "© 2003-2024 …"
_NOT_A_PAPER = r"사진|자료|그래픽|Photo|Ảnh|Foto|AFP|Getty|Reuters"  # "ⓒ 사진 …": a picture's credit
_SELF_NAMED = [re.compile(form, re.M) for form in (
    # "이 기사는 광남일보 홈페이지(www.…)에서 프린트 되었습니다": a print view names its paper
    r"이 기사는\s+(?P<name>[^\s()]{2,15}?)\s*(?:홈페이지|인터넷|온라인)",
    # "[강원도민일보 오세현 기자]", "[서울경제TV=김정옥기자]", "[<매체>ㅣ<지역>= <이름> 기자]"
    r"^\s*\[(?P<name>[^\[\]=ㅣ|\n]{2,15}?)(?:\s*[=ㅣ|]\s*[^\]\n]{0,20}?|\s+[가-힣]{2,4}\s*)기자\s*\]",
    # "(용인=뉴스1)", "[서울=뉴시스]": a Korean dateline names its paper after the city
    # (not "(사진=김해시)": a photo credit)
    r"[\[(](?!사진|자료|그래픽|영상|출처|캡처|디자인|제공)[가-힣]{1,8}\s?=\s?(?P<name>[^\s\])=][^\])=\n]{1,14}?)\s*[\])]",
    # "(Baoquangnam.vn) -", "(NLĐO) -": a Vietnamese lead opened by its paper
    r"^\s*\((?P<name>[A-ZĐ][\w.]{1,24}(?:\s[\w.]{1,12})?)\)\s?[-–—]",
    # "TTH.VN - On the morning…"
    r"^\s*(?P<name>[A-Z][A-Za-z]{1,15}\.(?:VN|vn|com\.vn))\s?[-–—]\s",
    # Copyright lines, which name the paper that holds the text (weaker than a byline, so
    # last): "저작권자 © 충청일보 무단전재 및 재배포 금지", "ⓒ 중부매일, 무단 전재",
    rf"(?:저작권자|Copyright)?\s*[©ⓒ]\s*{_YEARS}(?P<name>(?!{_NOT_A_PAPER})[^\s\d©ⓒ,.<>][^\n,.<>]{{0,18}}?)\s*[,.]?\s*"
    r"(?:무단|[Aa]ll\s+[Rr]ights|[Tt]ous\s+droits)",
    # "Bản quyền thuộc về Báo Quảng Nam", "© Báo Đồng Nai.", "Copyright © 2024 Lao Cai Newspaper."
    rf"(?:[Bb]ản quyền (?:thuộc về|thuộc|của)\s+|(?:Copyright\s*)?[©ⓒ]\s*{_YEARS}(?:[Bb]ản quyền thuộc về\s+)?)"
    rf"(?P<name>(?:Báo|Tạp chí|Đài|Cổng thông tin|Trang thông tin)\s[^\n.,;|]{{2,40}}?"
    r"|(?!Photo|Ảnh|Foto|사진)[A-Z][\w&'’.-]*(?:\s[A-Z][\w&'’.-]*){0,4}\s(?:Newspaper|News|Times|Daily|Herald|Online))"
    r"\s*(?:[.,;|]|$)",
    # A line of its own giving the paper a Vietnamese text comes from: "Theo Báo Gia Lai",
    # "Nguồn: Báo Đồng Nai" (never "Theo báo cáo", a report)
    r"^\s*(?:[Tt]heo|[Nn]guồn\s*:?)\s+(?P<name>(?:Báo|Tạp chí|Đài)\s(?!cáo)[^\n.,;|]{2,40}?)\s*\.?\s*$",
)]


def self_named(text: str) -> SourceInfo | None:
    """The outlet a text names in its own credit, when the registry does not know it."""
    reg = registry()
    for pattern in _SELF_NAMED:
        match = pattern.search(text)
        if not match:
            continue
        name = match.group("name").strip()
        if name in reg.names:
            return reg.known[reg.names[name]]
        slug = re.sub(r"[^a-z0-9]+", "-", romanize(name).lower()).strip("-")
        if slug:
            return SourceInfo(slug, name, kind="outlet")
    return None


# Revised Romanization of Hangul syllables, for ASCII slugs of Korean outlet names.
_INITIALS = "g kk n d tt r m b pp s ss - j jj ch k t p h".split()
_MEDIALS = "a ae ya yae eo e yeo ye o wa wae oe yo u wo we wi yu eu ui i".split()
_FINALS = ["", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p",
           "t", "t", "ng", "t", "t", "k", "t", "p", "t"]


def romanize(text: str) -> str:
    """'강원도민일보' -> 'gangwondominilbo'; other letters are folded to ASCII."""
    from archive.textnorm import fold

    out = []
    for ch in text:
        code = ord(ch) - 0xAC00
        if 0 <= code < 11172:
            out.append(_INITIALS[code // 588].replace("-", "") + _MEDIALS[(code % 588) // 28] + _FINALS[code % 28])
        else:
            out.append(fold(ch))
    return "".join(out)


def detect_site(capture_url: str | None, site: str | None) -> SourceInfo | None:
    """The site that carried the copy: by its URL, else by the name its provenance gives."""
    by_url = from_url(capture_url)
    if by_url:
        return by_url
    if site:
        slug = re.sub(r"[^a-z0-9]+", "-", site.lower()).strip("-")
        if slug:
            by_host = from_url(f"https://{site}") if "." in site and " " not in site else None
            if by_host and by_host.kind != "site":
                return by_host
            return KNOWN.get(slug) or SourceInfo(slug, site)
    return None


def detect_source(
    body: str, chrome: str, capture_url: str | None, cited_urls: list[str], site: str | None
) -> tuple[SourceInfo | None, str | None]:
    """Return the source and how it was found. The agency named in the text comes first:
    a VNA story copied onto a portal is still a VNA story."""
    in_body = credited(body)
    if in_body and in_body.kind == "agency":
        return in_body, "agency credit in the text"
    if in_body:
        return in_body, "outlet named in the text"
    in_chrome = credited(chrome)
    if in_chrome:
        return in_chrome, "credit in the page's chrome"
    for pattern, slug in registry().footers:
        if pattern.search(chrome):
            return KNOWN[slug], "site footer"
    carried = detect_site(capture_url, site)
    if carried:
        return carried, "capture URL" if from_url(capture_url) else "provenance site"
    for url in cited_urls:
        cited = from_url(url)
        if cited and cited.slug in KNOWN:
            return cited, "cited source"
    return None, None
