"""Headlines of real pages: which line above the article is its headline, and what a
derived title must not start with.

Low level (stage clean): plain rules over lines, no archive imports but text helpers.
A headline is never a date line, a caption, a credit or byline, a teaser, a bullet, a
breadcrumb or menu, or a script fragment; the real one is the first substantial line
of the page header that is none of these (decks and captions follow it), and a line
the page prints twice at the top is its headline for certain.
"""
from __future__ import annotations

import re

# A credit or byline that opens a lead: "[일요신문]", "[서울경제TV=김정옥기자]",
# "(용인=뉴스1) 김평석 기자 =", "(VOV5) -", "(Baoquangnam.vn) -", "LÂM ĐỒNG —".
LEAD_CREDIT_RE = re.compile(
    r"^\s*(?:"
    r"\[[^\]]{1,40}\]\s*"                                   # [일요신문] / [매체ㅣ지역= 이름 기자]
    r"|\([^()]{1,40}\)\s*[-–—:]?\s*"                         # (VOV5) - / (용인=뉴스1)
    r"|[가-힣]{2,4}\s*(?:기자|특파원)\s*=\s*"                  # 김평석 기자 =
    r"|[A-ZÀ-ỸĐ][A-ZÀ-ỸĐ .'-]{2,40}\s+[-–—]\s+"              # LÂM ĐỒNG — / TTH.VN -
    r"|[A-Z][A-Za-z]+\.(?:VN|vn)\s*[-–—]\s*"
    r")+"
)
# Lines that are never a headline, whatever their length.
_NOT_HEADLINE_RE = re.compile(
    r"^\s*(?:[>»›•▲△▶►◆■□○●·\-*+]|>>|\d+[.)]\s)"            # teasers, bullets, list items
    r"|\s[|›»>]\s|\s/\s.*\s/\s"                              # breadcrumbs and menus
    r"|\b(?:photos?|ảnh|foto|사진|credit|nguồn|source)\s*[:=]"  # captions and credits
    r"|[/\s]\S{1,20}\s?제공\s*\)?$|\[[^\]]{0,30}제공\]"          # "… /김해시 제공", "[사진 제공]"
    r"|\b(?:VNA|TTXVN|VNS|Yonhap|AFP|Reuters|AP)\s+(?:photo|file photo)\b"  # "<agency> Photo"
    r"|\((?:from (?:left|right)|à (?:droite|gauche)|de gauche à droite"
    r"|thứ \w+ từ (?:trái|phải)|từ (?:trái|phải) sang|(?:오른쪽|왼쪽|가운데)[^)]{0,10})\)"  # who stands where
    r"|[가-힣]고\s?있다\.?\s*$|기념\s?촬영|chụp ảnh lưu niệm|^(?:quang cảnh|toàn cảnh)\b"  # photo descriptions
    r"|\bpos(?:e[sd]?|ing) for (?:a )?(?:group |souvenir |commemorative )?photos?\b|photo (?:de famille|souvenir)"
    r"|(?:hình ảnh|hinh anh|ảnh)\s+\d"                       # VietnamPlus image alt text
    r"|(?:기자|특파원)\s*(?:=|\]|$)|@\w+\.\w+"                  # bylines
    r"|^(?:by|par|theo|bài và ảnh)\s+\S"
    r"|[{}<>;]|\bfunction\b|\bvar\s|https?://"               # script fragments, links
    r"|^(?:date|ngày|날짜|date of registration)\b"
    r"|^(?:welcome to|chào mừng (?:bạn|quý vị)|bienvenue (?:sur|à|au)|.{0,30}에 오신 것을 환영)",  # a site's greeting
    re.I,
)
# A section label above the headline: "Cooperation - Investment", "Vietnam - République de
# Corée", "Kinh tế - Xã hội" (short names joined by a dash or slash), or a breadcrumb that
# names its section twice ("Tin tức Tin tức").
_SECTION_RE = re.compile(r"^[^\W\d_][\w'’]*(?:\s+[^\W\d_][\w'’]*){0,2}(?:\s+[-–/|]\s+[^\W\d_][\w'’]*(?:\s+[^\W\d_][\w'’]*){0,2})+$")
# "Headline hinh anh 1At the signing ceremony (Photo: VNA)": an image's alt text glued on.
_GLUED_IMAGE_RE = re.compile(r"^(?P<head>.{12,250}?)\s+(?:hình ảnh|hinh anh|ảnh)\s+\d+\S*.*$", re.I)
_WIDE = re.compile(r"[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u4e00-\u9fff\uac00-\ud7a3]")


def _width(line: str) -> int:
    return len(line) + len(_WIDE.findall(line))


def split_glued_image(line: str) -> str:
    """The headline part of a line with an image's alt text glued after it."""
    m = _GLUED_IMAGE_RE.match(line)
    return m.group("head").strip() if m else line


def could_be_headline(line: str) -> bool:
    """Substantial, short enough, and none of what a headline never is."""
    words = line.split()
    if not words or len(words) > 30 or _width(line) > 220:
        return False
    if len(words) < 4 and not (_width(line) >= 16 and len(words) >= 2):
        return False  # a site name, a section label, a one-word caption
    if LEAD_CREDIT_RE.match(line) and len(words) > 12:
        return False  # a lead that opens with its credit
    if line[0].islower() or line.rstrip().endswith((",", ";", ":")):
        return False  # a sentence cut at either end: "và thúc đẩy …", "… cho biết:"
    return not _NOT_HEADLINE_RE.search(line)


def repeated_line(lines: list[str], within: int = 8) -> str | None:
    """A line printed twice among the first lines of the page: its headline."""
    seen: set[str] = set()
    for line in [ln for ln in lines if ln][:within]:
        if line in seen and could_be_headline(line):
            return line
        seen.add(line)
    return None


def section_label(line: str) -> bool:
    """A section's name or a breadcrumb, which pages print above the headline."""
    words = line.split()
    half = len(words) // 2
    if len(words) >= 2 and len(words) % 2 == 0 and words[:half] == words[half:]:
        return True
    return len(words) <= 7 and bool(_SECTION_RE.match(line.strip()))


def pick_headline(header: list[str], skip: set[str]) -> str | None:
    """The first line of the page header that could be a headline (decks, captions and
    teasers come after the headline, never before it), passing over a section label that
    another candidate follows; `skip` holds lines already known to be something else
    (date stamps, chrome)."""
    candidates = [split_glued_image(line) for line in header if line and line not in skip]
    candidates = [c for c in candidates if could_be_headline(c)]
    for i, candidate in enumerate(candidates):
        if i + 1 < len(candidates) and section_label(candidate):
            continue
        return candidate
    return None


# A lead opened by one word and a dash, its paper or its place ("Kinhtedothi - Trong …",
# "Hanoi - The …"): not for a derived title, though a headline may start so.
_LEAD_WORD_DASH_RE = re.compile(r"^\s*[A-ZĐ][a-zà-ỹđ]{3,24}\s+[-–—]\s+(?=[A-ZÀ-ỸĐ])")


def strip_lead_credit(text: str) -> str:
    """A lead without the credit or byline it opens with, for a derived title."""
    m = LEAD_CREDIT_RE.match(text) or _LEAD_WORD_DASH_RE.match(text)
    return text[m.end():].lstrip(" -–—:=") if m and m.end() < len(text) else text


def headline_score(title: str) -> int:
    """How much a copy's title looks like a real headline, for choosing among copies:
    one that could be a headline, of a headline's length, not cut short."""
    words = len(title.split())
    return (4 * could_be_headline(title) + 2 * (5 <= words <= 20 or 16 <= _width(title) <= 120)
            - 2 * title.rstrip().endswith(("…", "...")) - 1 * title.rstrip().endswith("."))
