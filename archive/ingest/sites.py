"""Which agency or site a document comes from: our domain rules for Vietnamese and Korean news.

A dump carries no URL, so the agency is read from its own words: the "(VNA)" dateline
and "-VNA" sign-off, Yonhap's "(서울=연합뉴스)", or the footer of a provincial portal.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class SourceInfo:
    slug: str
    name: str
    homepage: str = ""


VNA = SourceInfo("vna", "VNA (Vietnam News Agency)", "https://vnanet.vn")
YONHAP = SourceInfo("yonhap", "Yonhap News Agency", "https://www.yna.co.kr")
KNOWN = {s.slug: s for s in (
    VNA,
    YONHAP,
    SourceInfo("binh-phuoc-portal", "Bình Phước provincial portal", "https://binhphuoc.gov.vn"),
    SourceInfo("gyeonggi-province", "Gyeonggi Provincial Government", "https://www.gg.go.kr"),
)}

# Host suffix -> source slug.
DOMAINS = {
    "vnanet.vn": "vna", "vietnamplus.vn": "vna", "bnews.vn": "vna", "lecourrier.vn": "vna",
    "yna.co.kr": "yonhap", "yonhapnews.co.kr": "yonhap",
    "binhphuoc.gov.vn": "binh-phuoc-portal",
    "gg.go.kr": "gyeonggi-province",
}

# Agency credits in the text itself.
_AGENCY_PATTERNS = [
    (re.compile(r"\((VNA|TTXVN|VNA/Vietnam\+|Vietnam\+)\)|[-–—]\s?(VNA|TTXVN)\s*$|\(TTXVN\)", re.M), "vna"),
    (re.compile(r"=\s?연합뉴스\)|\(Yonhap\)|연합뉴스\s*[가-힣]{2,4}\s*기자|\bYonhap\b"), "yonhap"),
]
# Footers of sites whose pages arrive as dumps: a signature seen in the removed chrome.
_SITE_SIGNATURES = [
    (re.compile(r"Ecom Binh Phuoc|Việc làm Bình Phước|binhphuoc\.gov\.vn", re.I), "binh-phuoc-portal"),
]


def from_url(url: str | None) -> SourceInfo | None:
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower()
    for domain, slug in DOMAINS.items():
        if host == domain or host.endswith("." + domain):
            return KNOWN[slug]
    if not host:
        return None
    bare = host[4:] if host.startswith("www.") else host
    return SourceInfo(re.sub(r"[^a-z0-9]+", "-", bare).strip("-"), bare, f"https://{host}")


def detect_source(
    body: str, chrome: str, capture_url: str | None, cited_urls: list[str], site: str | None
) -> tuple[SourceInfo | None, str | None]:
    """Return the source and how it was found. The agency named in the text comes first:
    a VNA story copied onto a portal is still a VNA story."""
    for pattern, slug in _AGENCY_PATTERNS:
        if pattern.search(body):
            return KNOWN[slug], "agency credit in the text"
    for pattern, slug in _SITE_SIGNATURES:
        if pattern.search(chrome):
            return KNOWN[slug], "site footer"
    by_url = from_url(capture_url)
    if by_url:
        return by_url, "capture URL"
    if site:
        slug = re.sub(r"[^a-z0-9]+", "-", site.lower()).strip("-")
        if slug:
            return KNOWN.get(slug) or SourceInfo(slug, site), "provenance site"
    for url in cited_urls:
        cited = from_url(url)
        if cited and cited.slug in KNOWN:
            return cited, "cited source"
    return None, None


def detect_site(capture_url: str | None, site: str | None) -> SourceInfo | None:
    """The site that carried the copy: by its URL, else by the name its provenance gives."""
    by_url = from_url(capture_url)
    if by_url:
        return by_url
    if site:
        slug = re.sub(r"[^a-z0-9]+", "-", site.lower()).strip("-")
        if slug:
            return KNOWN.get(slug) or SourceInfo(slug, site)
    return None
