"""The words of dates and datelines, shared by every rule that reads a date.

The publication date (`dates`), the title and places (`extract`) and the event dates
(`event_dates`) all read the same month names and the same datelines; they are written
here once, so that a new spelling reaches every rule at the same time. Plain data and
patterns only: this module imports nothing of the archive but text folding.
"""
from __future__ import annotations

import re

# Folded (no diacritics), as every rule matches them against folded text.
FR_MONTHS = {
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
}
EN_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
# Alternations for patterns; English longest first so "sept" is not read as "sep".
FR_MONTH = "|".join(FR_MONTHS)
EN_MONTH = "|".join(sorted(EN_MONTHS, key=len, reverse=True))

WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
    "lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6,
    "월요일": 0, "화요일": 1, "수요일": 2, "목요일": 3, "금요일": 4, "토요일": 5, "일요일": 6,
}
# "thứ ba" is also "third": a Vietnamese weekday counts only after a time word.
VI_WEEKDAYS = {"thu hai": 0, "thu ba": 1, "thu tu": 2, "thu nam": 3, "thu sau": 4, "thu bay": 5, "chu nhat": 6}

# Agencies whose name in parentheses closes a dateline: "Hanoi (VNA) –".
AGENCIES = r"VNA|TTXVN|Yonhap|AFP|Reuters|AP|Xinhua|Kyodo|VOV|VnExpress"

_DATELINE_RE = re.compile(
    r"^(?P<dateline>(?:[^\W\d][^()\n]{0,50}?,\s*[^()\n]{0,30}?|[^\W\d][^()\n]{0,40}?)\s*"
    r"\((?:%s)\)\s*[-–—:]*\s*|\(?[가-힣]+=연합뉴스\)\s*)" % AGENCIES,
)


def dateline_length(first_paragraph: str) -> int:
    """Characters taken by a dateline such as 'Hanoi (VNA) - ' or '(서울=연합뉴스)'."""
    m = _DATELINE_RE.match(first_paragraph)
    return m.end() if m else 0

# Words that label a page's time stamp, as news sites print them above or under an
# article. Published first: a page that shows both keeps the first publication.
PUBLISHED_WORDS = (
    r"기사\s*입력|입력|기사\s*승인|승인|등록(?:일|일시)?|게재|작성(?:일)?|발행(?:일)?|송고|"
    r"ngày đăng(?:\s+tin|\s+bài)?|đăng ngày|đăng lúc|ngày xuất bản|xuất bản|đăng tin|đăng|"
    r"publié(?:\s+le)?|date de publication|mis en ligne(?:\s+le)?|"
    r"posted(?:\s+on)?|published(?:\s+on)?|date of publication|released(?:\s+on)?|pub(?:lished)?\.?\s*date"
)
# A stamp of the whole site, not of the article: the time the site was last edited,
# which Korean news sites print in their header or footer ("최종편집 : 2025-08-25 19:35").
SITE_WORDS = r"최종\s*편집(?:\s*시간)?"
UPDATED_WORDS = (
    r"최종\s*수정|수정(?:일)?|업데이트|기사\s*수정|"
    r"cập nhật(?:\s+lúc|\s+ngày)?|sửa đổi|"
    r"mis à jour(?:\s+le)?|modifié(?:\s+le)?|actualisé(?:\s+le)?|"
    r"(?:last\s+)?updated(?:\s+on)?|modified"
)
# Words around a stamp that say nothing but "when" (weekdays, zones, the icon label
# "Clock" a dump glues to the date): ignored when judging whether a line is only a stamp.
STAMP_FILLER = (
    r"clock|gmt|utc|kst|ict|am|pm|sa|ch|오전|오후|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun|"
    r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|le|"
    r"thứ|hai|ba|tư|năm|sáu|bảy|chủ|nhật|ngày|lúc|"
    r"월요일|화요일|수요일|목요일|금요일|토요일|일요일|"
    # the counters and poster labels a stamp line carries, as the stamp line is read
    # folded: "Người đăng tin: … Ngày đăng tin: … Lượt xem: 5"
    r"luot xem|nguoi dang(?: tin)?|ngay dang(?: tin)?|views?|조회수?"
)
