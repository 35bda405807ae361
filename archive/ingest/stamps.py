"""Time stamps: the dates a page prints about itself, found line by line.

Low level, so that the cleaner can keep a stamp line out of the body and the headline,
and the date rules (`dates`) can rank what it kept. Imports nothing of the archive but
the date words and text folding.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from archive.ingest.datewords import (
    EN_MONTH,
    FR_MONTH,
    PUBLISHED_WORDS,
    SITE_WORDS,
    STAMP_FILLER,
    UPDATED_WORDS,
)
from archive.textnorm import fold


def _safe_date(year: int, month: int = 1, day: int = 1) -> date | None:
    try:
        return date(year, month, day) if 1900 <= year <= 2100 else None
    except ValueError:
        return None


# --- time stamps: where pages print their own date -------------------------------------
#
# A stamp is a date the page prints about itself: "입력 2024-02-18 12:25:37", "Thursday,
# 01/11/2018 14:17", "18:17, 25/07/2023", "• 승인 2012.11.07 21:52", "Publié le 3 mai
# 2023", a closing "뉴시스 2023.05.01". Dates inside running text are events the story
# tells of, never stamps: a line counts only when it is little else than the stamp.

_NUM_YMD = r"(?P<y1>(?:19|20)\d{2})\s?[./-]\s?(?P<m1>\d{1,2})\s?[./-]\s?(?P<d1>\d{1,2})(?!\d)"
_NUM_DMY = r"(?<![\d/.])(?P<d2>\d{1,2})[./-](?P<m2>\d{1,2})[./-](?P<y2>(?:19|20)\d{2})(?!\d)"
_KO_YMD = r"(?P<y3>(?:19|20)\d{2})년\s*(?P<m3>\d{1,2})월\s*(?P<d3>\d{1,2})일"
_WRITTEN = (
    r"(?P<w>(?:(?:%(en)s)\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+(?:19|20)\d{2}"
    r"|\d{1,2}(?:er|st|nd|rd|th)?\s+(?:%(en)s|%(fr)s)\.?,?\s+(?:19|20)\d{2}"
    r"))"
) % {"en": EN_MONTH, "fr": FR_MONTH}
# "ngày 18 tháng 2 năm 2024", "18 tháng 2, 2024" (folded: no diacritics).
_VI_WRITTEN = r"(?:ngay\s+)?(?P<d4>\d{1,2})\s+thang\s+(?P<m4>\d{1,2})(?:\s*,\s*|\s+nam\s+)(?P<y4>(?:19|20)\d{2})"
# "[20210708]" glued before a headline, as some portals print their posting date.
_COMPACT = r"\[(?P<y5>(?:19|20)\d{2})(?P<m5>[01]\d)(?P<d5>[0-3]\d)\]"
_STAMP_RE = re.compile("|".join((_NUM_YMD, _NUM_DMY, _KO_YMD, _VI_WRITTEN, _COMPACT, _WRITTEN)), re.I)
_PUBLISHED_RE = re.compile(r"(?:^|[^\w])(?:%s)\s*[:：]?\s*$" % PUBLISHED_WORDS, re.I)
_UPDATED_RE = re.compile(r"(?:^|[^\w])(?:%s)\s*[:：]?\s*$" % UPDATED_WORDS, re.I)
_SITE_RE = re.compile(r"(?:^|[^\w])(?:%s)\s*[:：]?\s*$" % SITE_WORDS, re.I)
_TIME_RE = re.compile(r"\b\d{1,2}[:h]\d{2}(?::\d{2})?\b", re.I)
_US_CLOCK = re.compile(r"^\s*,?\s*\d{1,2}:\d{2}(?::\d{2})?\s*[ap]\.?m\b", re.I)
_FILLER_RE = re.compile(r"(?<!\w)(?:%s|%s|%s|%s)(?!\w)" % (STAMP_FILLER, PUBLISHED_WORDS, UPDATED_WORDS, SITE_WORDS),
                        re.I)
AGENCY_WORDS_RE = re.compile(r"연합뉴스|뉴시스|뉴스1|newsis|news1|yonhap|\bVNA\b|TTXVN|\bVNS\b|\bVOV\b|\bKBS\b|\bNews\b", re.I)

_HAS_YEAR = re.compile(r"(?:19|20)\d\d")
STAMP_KINDS = ("published", "plain", "updated")  # and "site": never the article's date


@dataclass(frozen=True)
class Stamp:
    value: date
    kind: str  # 'published' | 'updated' | 'plain' | 'site' (the site's last edit: not the article's)
    words: str


def _written_date(text: str) -> date | None:
    """A date written with its month name, read by dateparser in the four languages."""
    import dateparser  # loaded on first use: most pages never need it

    parsed = dateparser.parse(text, languages=["en", "fr", "vi", "ko"],
                              settings={"REQUIRE_PARTS": ["day", "month", "year"], "DATE_ORDER": "DMY",
                                        "PREFER_DATES_FROM": "past"})
    return parsed.date() if parsed else None


def stamps_in_line(line: str) -> list[Stamp]:
    """Every date with its year in the line, each with the label written before it."""
    folded = fold(line)  # same length as the line: positions carry over
    found: list[Stamp] = []
    previous_end = 0
    for m in _STAMP_RE.finditer(folded):
        g = m.groupdict()
        if g["y1"]:
            value = _safe_date(int(g["y1"]), int(g["m1"]), int(g["d1"]))
        elif g["y2"]:
            day, month = int(g["d2"]), int(g["m2"])
            # US pages write month first and say so with a 12-hour clock ("4/17/2023 3:05:10 PM").
            if (_US_CLOCK.match(folded[m.end():]) and day <= 12) or month > 12:
                day, month = month, day
            value = _safe_date(int(g["y2"]), month, day)
        elif g["y3"]:
            value = _safe_date(int(g["y3"]), int(g["m3"]), int(g["d3"]))
        elif g["y4"]:
            value = _safe_date(int(g["y4"]), int(g["m4"]), int(g["d4"]))
        elif g["y5"]:
            value = _safe_date(int(g["y5"]), int(g["m5"]), int(g["d5"]))
        else:
            value = _written_date(line[m.start():m.end()])
        if value is None:
            continue
        # The label may stand before a clock: "Cập nhật: 10:30, 18/02/2024".
        before = re.sub(r"[\s,|·\-–—]+$", "", _TIME_RE.sub(" ", line[previous_end:m.start()]))
        kind = ("site" if _SITE_RE.search(before) else "published" if _PUBLISHED_RE.search(before) else
                "updated" if _UPDATED_RE.search(before) else "plain")
        found.append(Stamp(value, kind, line[m.start():m.end()]))
        previous_end = m.end()
    return found


# "[20210708]의왕시, …": a posting date glued before a headline (the cleaner takes it off).
GLUED_DATE_TAG_RE = re.compile(r"^\s*(?P<tag>\[(?:19|20)\d{6}\])\s*(?=[^\W\d_])")


def labelled_stamp(line: str) -> bool:
    """A line holding a date its label names ('Ngày đăng tin: 19/08/2024', '입력 …'):
    a page's stamp, never the rest of a sentence, however many other words it has."""
    return _HAS_YEAR.search(line) is not None and any(s.kind != "plain" for s in stamps_in_line(line))


def is_stamp_line(line: str, other_words: int = 6) -> bool:
    """A line that is a date stamp and little else: at most `other_words` words beside
    the dates, times, weekdays, stamp labels, agency names and counters. A headline with
    its posting date glued before it ('[20210708]의왕시, …') is a headline."""
    if not _HAS_YEAR.search(line) or not _STAMP_RE.search(fold(line)) or GLUED_DATE_TAG_RE.match(line):
        return False
    rest = _STAMP_RE.sub(" ", fold(line))
    rest = _TIME_RE.sub(" ", rest)
    rest = _FILLER_RE.sub(" ", fold(_FILLER_RE.sub(" ", rest)))
    rest = AGENCY_WORDS_RE.sub(" ", rest)
    words = [w for w in re.findall(r"[^\W\d_]+\w*", rest)]
    return len(words) <= other_words and bool(stamps_in_line(line))
