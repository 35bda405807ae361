"""Publication dates in Vietnamese, Korean, French and English news, with their precision.

The publication's own date comes from the page header, the dateline or page metadata;
dates of events inside the story are only used to refine a known month, as in a
"date 2023-02" dump whose lead says "le 21 février".
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from archive.ingest.datewords import AGENCIES, EN_MONTH, EN_MONTHS, FR_MONTH, FR_MONTHS
from archive.ingest.stamps import AGENCY_WORDS_RE, stamps_in_line
from archive.textnorm import fold


@dataclass(frozen=True)
class FoundDate:
    value: date
    precision: str  # 'day' | 'month' | 'year'
    how: str
    words: str = ""  # the words of the text that gave the date

    @property
    def basis(self) -> str:
        """How the date was found and from which words: what an editor checks."""
        return f"{self.how}: {self.words}" if self.words else self.how


def _safe_date(year: int, month: int = 1, day: int = 1) -> date | None:
    try:
        if not 1900 <= year <= 2100:
            return None
        return date(year, month, day)
    except ValueError:
        return None


def parse_iso(value: str) -> FoundDate | None:
    """'2024-10-21', '2024-10-21T09:00:00+09:00', '2024-10', '2024'."""
    value = value.strip()
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})", value)
    if m:
        try:
            # The local date of the publication, as written: no conversion to UTC.
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00")) if "T" in value else None
        except ValueError:
            parsed = None
        d = parsed.date() if parsed else _safe_date(*map(int, m.groups()))
        return FoundDate(d, "day", "") if d else None
    m = re.match(r"^(\d{4})-(\d{2})$", value)
    if m:
        d = _safe_date(int(m.group(1)), int(m.group(2)))
        return FoundDate(d, "month", "") if d else None
    m = re.match(r"^(\d{4})$", value)
    if m:
        d = _safe_date(int(m.group(1)))
        return FoundDate(d, "year", "") if d else None
    return None


_HEADER_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_HEADER_YMD = re.compile(r"(\d{4})[./-](\d{1,2})[./-](\d{1,2})")


def from_header(lines: list[str]) -> FoundDate | None:
    """'Thứ hai - 17/04/2023 15:13' (Vietnamese portals write day/month/year); '입력 2024.10.21'."""
    for line in lines:
        m = _HEADER_DMY.search(line)
        if m:
            d = _safe_date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
            if d:
                return FoundDate(d, "day", "page header")
        m = _HEADER_YMD.search(line)
        if m:
            d = _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            if d:
                return FoundDate(d, "day", "page header")
    return None


_FR_DATELINE = re.compile(
    r"^[^\W\d][^()\n]{0,50}?,\s*(?:le\s+)?(\d{1,2})(?:er)?\s+(%s)(?:\s+(\d{4}))?\s*\((?:%s)\)" % (FR_MONTH, AGENCIES), re.I
)
_EN_DATELINE = re.compile(
    r"^[^\W\d][^()\n]{0,50}?,\s*(%s)\.?\s+(\d{1,2})(?:,\s*(\d{4}))?\s*\((?:%s)\)" % (EN_MONTH, AGENCIES), re.I
)


def from_dateline(first_paragraph: str, year_hint: int | None) -> FoundDate | None:
    """'Séoul, 23 novembre (VNA) –' and 'Seoul, Nov. 23 (Yonhap) --'."""
    folded = fold(first_paragraph[:160])
    m = _FR_DATELINE.match(folded)
    if m:
        day, month, year = int(m.group(1)), FR_MONTHS[m.group(2)], m.group(3)
    else:
        m = _EN_DATELINE.match(folded)
        if not m:
            return None
        month, day, year = EN_MONTHS[m.group(1)], int(m.group(2)), m.group(3)
    year_value = int(year) if year else year_hint
    if year_value is None:
        return None
    d = _safe_date(year_value, month, day)
    return FoundDate(d, "day", "dateline", first_paragraph[:m.end()].strip()) if d else None


_DAY_MONTH_PATTERNS = [
    # le 21 février / 21 février
    (re.compile(r"\b(?:le\s+)?(\d{1,2})(?:er)?\s+(%s)\b(?!\s+\d{4})" % FR_MONTH), "fr"),
    # ngày 21/10 (not followed by /year)
    (re.compile(r"\bngay\s+(\d{1,2})/(\d{1,2})\b(?!/\d)"), "vi"),
    # 10월 21일
    (re.compile(r"(\d{1,2})월\s*(\d{1,2})일"), "ko"),
    # October 21 / Oct. 21 (no year after)
    (re.compile(r"\b(%s)\.?\s+(\d{1,2})\b(?!,?\s*\d{4})" % EN_MONTH), "en"),
]


def day_month_mentions(text: str) -> list[tuple[int, int]]:
    """(month, day) pairs written without a year, in order of appearance."""
    folded = fold(text)
    found: list[tuple[int, int, int]] = []
    for pattern, kind in _DAY_MONTH_PATTERNS:
        for m in pattern.finditer(folded):
            if kind == "fr":
                month, day = FR_MONTHS[m.group(2)], int(m.group(1))
            elif kind == "vi":
                day, month = int(m.group(1)), int(m.group(2))
            elif kind == "ko":
                month, day = int(m.group(1)), int(m.group(2))
            else:
                month, day = EN_MONTHS[m.group(1)], int(m.group(2))
            if 1 <= month <= 12 and 1 <= day <= 31:
                found.append((m.start(), month, day))
    return [(month, day) for _, month, day in sorted(found)]


_URL_DATE = re.compile(r"AKR(\d{4})(\d{2})(\d{2})\d")


def from_cited_urls(urls: list[str]) -> FoundDate | None:
    """Yonhap article ids carry their date: AKR20241021117100061."""
    for url in urls:
        m = _URL_DATE.search(url)
        if m:
            d = _safe_date(*map(int, m.groups()))
            if d:
                return FoundDate(d, "day", "cited Yonhap article id", m.group(0))
    return None


def publication_date(
    *,
    page_meta: dict,
    header_lines: list[str],
    date_marker: str | None,
    paragraphs: list[str],
    cited_urls: list[str],
    footer_lines: list[str] = (),
) -> FoundDate | None:
    """Every reliable clue, most reliable first; the most specific one wins, and among
    equally specific ones the most reliable (page metadata, then the page header, then
    the dateline, then a scraper's date marker refined by the lead, then a cited article)."""
    found: list[FoundDate] = []
    for key in ("ld_published", "published", "time"):
        if page_meta.get(key):
            meta = parse_iso(page_meta[key])
            if meta:
                found.append(FoundDate(meta.value, meta.precision, f"page metadata ({key})", page_meta[key]))
                break
    header = from_stamps(header_lines, footer_lines)
    if header:
        found.append(header)

    marker = parse_iso(date_marker) if date_marker else None
    cited = from_cited_urls(cited_urls)
    year_hint = marker.value.year if marker else (cited.value.year if cited else None)
    if year_hint is None and found:
        year_hint = found[0].value.year
    lead = paragraphs[0] if paragraphs else ""
    dateline = from_dateline(lead, year_hint)
    if dateline is None and year_hint is None:
        # A yearless dateline takes the year only from the same text: "novembre 2019".
        bare = from_dateline(lead, 2000)
        evidence = year_of_month_in_text("\n".join(paragraphs), bare.value.month) if bare else None
        if evidence:
            dateline = FoundDate(bare.value.replace(year=evidence[0]), "day",
                                 "dateline + the year the text gives its month", f"{lead[:60]} … {evidence[1]}")
    if dateline:
        found.append(dateline)

    if marker:
        # A marker known to the month stays a month: a day the lead tells of is when
        # something happened, not when the page was published ("le 3 juillet", "le 21 février").
        found.append(FoundDate(marker.value, marker.precision, "date marker", f"date {date_marker}"))

    if cited:
        # A story citing a Yonhap article of a given day, and telling of that day.
        matched = [FoundDate(cited.value, "day", "day in the lead + year of the cited article", cited.words)
                   for month, day in day_month_mentions(lead) if (month, day) == (cited.value.month, cited.value.day)]
        found.append(matched[0] if matched else FoundDate(_safe_date(cited.value.year), "year",
                                                          "year of the cited article", cited.words))
    if not found:
        return None
    rank = {"day": 0, "month": 1, "year": 2}
    best = min(range(len(found)), key=lambda i: (rank[found[i].precision], i))
    chosen = found[best]
    # A more specific clue must agree with the more reliable one it outranks.
    first = found[0]
    if best and first.value.year != chosen.value.year:
        return first
    return chosen


def from_stamps(header_lines: list[str], footer_lines: list[str] = ()) -> FoundDate | None:
    """The page's own date: a stamp labelled as the publication first, then an unlabelled
    stamp of the page header, then a closing agency or labelled stamp under the article,
    and the update time only where nothing else is given."""
    head = [s for line in header_lines for s in stamps_in_line(line)]
    foot = [s for line in footer_lines for s in stamps_in_line(line)
            if s.kind != "plain" or AGENCY_WORDS_RE.search(line)]
    for kind, pool, how in (("published", head, "page header, publication stamp"),
                            ("plain", head, "page header"),
                            ("published", foot, "stamp under the article"),
                            ("plain", foot, "agency stamp under the article"),
                            ("updated", head + foot, "update stamp (no publication stamp)")):
        for stamp in pool:
            if stamp.kind == kind:
                line = next(ln for ln in header_lines + list(footer_lines) if stamp.words in ln)
                return FoundDate(stamp.value, "day", how, line.strip()[:120])
    return None


_MONTH_YEAR_PATTERNS = (
    re.compile(r"\b(?P<month>%s)\.?\s+(?:de\s+|of\s+)?(?P<year>(?:19|20)\d{2})\b" % "|".join((FR_MONTH, EN_MONTH))),
    re.compile(r"\bthang\s+(?P<month>\d{1,2})\s*(?:/|nam)\s*(?P<year>(?:19|20)\d{2})\b"),
    re.compile(r"(?P<year>(?:19|20)\d{2})년\s*(?P<month>\d{1,2})월"),
)


def year_of_month_in_text(text: str, month: int) -> tuple[int, str] | None:
    """The year a text gives to a month ("novembre 2019", "tháng 11/2019", "2019년 11월"),
    when it gives that month exactly one year: the evidence for a yearless dateline."""
    folded = fold(text)
    years: dict[int, str] = {}
    for pattern in _MONTH_YEAR_PATTERNS:
        for m in pattern.finditer(folded):
            value = m.group("month")
            number = int(value) if value.isdigit() else FR_MONTHS.get(value) or EN_MONTHS.get(value)
            if number == month:
                years.setdefault(int(m.group("year")), text[m.start():m.end()])
    if len(years) == 1:
        return next(iter(years.items()))
    return None
