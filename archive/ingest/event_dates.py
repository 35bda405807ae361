"""Dates of events inside a story: "ngày 21/10", "지난 3일", "le 20 novembre", "last month".

Not the publication date (that is `dates`): these are read in folded sentences, and a
date without a year, month or day is resolved against the article's own date. The month
and weekday names are `datewords`', shared with the publication-date rules.
"""
from __future__ import annotations

import re
from datetime import date, timedelta

from archive.ingest.datewords import EN_MONTH, EN_MONTHS, FR_MONTH, FR_MONTHS, VI_WEEKDAYS, WEEKDAYS

_LAST_YEAR = r"(?:작년|지난해|nam ngoai|nam truoc|l'an dernier|l'annee derniere|last year)"
_ANNOUNCED = re.compile(r"^\s*(?:밝혔|전했|발표|알렸)")
_RANGE_AFTER = re.compile(r"^\s*(?:부터|-|–|~|∼|to|au|den|through|until)\s*$")
# (pattern, kind); a date found by an earlier pattern hides later ones on the same text.
_DATE_PATTERNS: list[tuple[re.Pattern, str]] = [
    (re.compile(r"(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})"), "dmy"),
    (re.compile(r"ngay (\d{1,2}) thang (\d{1,2}) nam (\d{4})"), "dmy"),
    (re.compile(r"(\d{4})\s*년\s*(\d{1,2})\s*월\s*(\d{1,2})\s*일"), "ymd"),
    (re.compile(r"(?<![\d∼~–-])(\d{4})[.-](\d{1,2})[.-](\d{1,2})(?!\d)"), "ymd"),
    (re.compile(r"(\d{1,2})(?:er)?\s+(%s)\s+(\d{4})" % FR_MONTH), "d_frmonth_y"),
    (re.compile(r"\b(%s)\.?\s+(\d{1,2}),?\s+(\d{4})" % EN_MONTH), "enmonth_d_y"),
    (re.compile(r"(\d{1,2})\s+(%s)\s+(\d{4})" % EN_MONTH), "d_enmonth_y"),
    (re.compile(_LAST_YEAR + r"\s*(\d{1,2})\s*월\s*(\d{1,2})\s*일"), "lastyear_md"),
    (re.compile(r"지난달\s*(\d{1,2})\s*일"), "lastmonth_d"),
    (re.compile(r"(?:ngay\s+|hom\s+)(\d{1,2})\s*/\s*(\d{1,2})(?!\s*/)"), "dm"),
    (re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})(?![\d/])"), "dm"),
    (re.compile(r"(\d{1,2})\s*월\s*(\d{1,2})\s*일"), "md"),
    (re.compile(r"(?:le\s+)?(\d{1,2})(?:er)?\s+(%s)(?!\s+\d{4})" % FR_MONTH), "d_frmonth"),
    (re.compile(r"\b(%s)\.?\s+(\d{1,2})(?!\d|,?\s+\d{4})" % EN_MONTH), "enmonth_d"),
    (re.compile(r"(?:지난|오는)?\s*(?<!\d)(\d{1,2})\s*일"), "d"),
    (re.compile(r"thang (\d{1,2})\s*/\s*(\d{4})"), "my"),
    (re.compile(r"thang (\d{1,2}) nam (\d{4})"), "my"),
    (re.compile(r"(?<![\d∼~–-])(\d{4})\s*년\s*(\d{1,2})\s*월(?!\s*\d)"), "ym"),
    (re.compile(r"\b(%s)\s+(\d{4})\b" % FR_MONTH), "frmonth_y"),
    (re.compile(r"\b(%s)\s+(\d{4})\b" % EN_MONTH), "enmonth_y"),
    (re.compile(r"\b(?:en|in|nam|since|depuis|tu)\s+((?:19|20)\d{2})\b(?![∼~–-]\d)"), "y"),
    (re.compile(r"(?<![\d∼~–-])((?:19|20)\d{2})\s*년(?!\s*\d)"), "y"),
    (re.compile(r"hom qua|yesterday|hier|어제"), "yesterday"),
    (re.compile(r"sang nay|chieu nay|toi nay|hom nay|today|this morning|this afternoon|aujourd'hui|"
                r"ce matin|cet apres-midi|이날|오늘"), "today"),
    (re.compile(r"thang truoc|last month|le mois dernier|le mois passe|지난달"), "lastmonth"),
    (re.compile(_LAST_YEAR), "lastyear"),
    (re.compile(r"\b(?:on |le |ce )?(" + "|".join(WEEKDAYS) + r")\b"), "weekday"),
    (re.compile(r"\b(?:vao|hom|sang|chieu|toi|trua)\s+(" + "|".join(VI_WEEKDAYS) + r")\b"), "vi_weekday"),
]


def _resolve(month: int, day: int, ref: date | None) -> date | None:
    """A day without a year is the latest such day on or before the article's date."""
    if ref is None:
        return None
    for year in (ref.year, ref.year - 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate <= ref:
            return candidate
    return None


def _previous_month(ref: date) -> date:
    return ref.replace(day=1) - timedelta(days=1)


def _parse_date(kind: str, g: tuple, ref: date | None) -> tuple[date | None, str]:
    if kind == "dmy":
        return date(int(g[2]), int(g[1]), int(g[0])), "day"
    if kind == "ymd":
        return date(int(g[0]), int(g[1]), int(g[2])), "day"
    if kind == "d_frmonth_y":
        return date(int(g[2]), FR_MONTHS[g[1]], int(g[0])), "day"
    if kind == "enmonth_d_y":
        return date(int(g[2]), EN_MONTHS[g[0]], int(g[1])), "day"
    if kind == "d_enmonth_y":
        return date(int(g[2]), EN_MONTHS[g[1]], int(g[0])), "day"
    if kind in ("my", "ym", "frmonth_y", "enmonth_y"):
        if kind == "my":
            month, year = int(g[0]), int(g[1])
        elif kind == "ym":
            month, year = int(g[1]), int(g[0])
        else:
            month, year = (FR_MONTHS if kind == "frmonth_y" else EN_MONTHS)[g[0]], int(g[1])
        return date(year, month, 1), "month"
    if kind == "y":
        return date(int(g[0]), 1, 1), "year"
    if ref is None:
        return None, "day"
    if kind == "lastyear_md":
        return date(ref.year - 1, int(g[0]), int(g[1])), "day"
    if kind == "lastmonth_d":
        month = _previous_month(ref)
        return date(month.year, month.month, int(g[0])), "day"
    if kind == "dm":
        return _resolve(int(g[1]), int(g[0]), ref), "day"
    if kind == "md":
        return _resolve(int(g[0]), int(g[1]), ref), "day"
    if kind == "d_frmonth":
        return _resolve(FR_MONTHS[g[1]], int(g[0]), ref), "day"
    if kind == "enmonth_d":
        return _resolve(EN_MONTHS[g[0]], int(g[1]), ref), "day"
    if kind == "d":
        day = int(g[0])
        month = ref if day <= ref.day else _previous_month(ref)
        return date(month.year, month.month, day), "day"
    if kind == "yesterday":
        return ref - timedelta(days=1), "day"
    if kind == "today":
        return ref, "day"
    if kind == "lastmonth":
        return _previous_month(ref).replace(day=1), "month"
    if kind == "lastyear":
        return date(ref.year - 1, 1, 1), "year"
    if kind in ("weekday", "vi_weekday"):
        back = (ref.weekday() - {**WEEKDAYS, **VI_WEEKDAYS}[g[0]]) % 7
        return ref - timedelta(days=back), "day"
    return None, "day"


def find_dates(text: str, ref: date | None) -> list[tuple[int, date, str]]:
    """(position, date, precision) of each date in folded `text`; the end of a range
    ("지난 3일부터 5일까지", "from 3 to 5 June") is left out: an event takes its start."""
    return [(start, value, precision) for start, _, value, precision in find_date_spans(text, ref)]


def find_date_spans(text: str, ref: date | None) -> list[tuple[int, int, date, str]]:
    """As find_dates, with the end of the words that give each date."""
    found: list[tuple[int, int, date, str]] = []
    for pattern, kind in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e, _, _ in found):
                continue
            try:
                value, precision = _parse_date(kind, m.groups(), ref)
            except (ValueError, KeyError):
                continue
            if value is None or not 1950 <= value.year <= 2100:
                continue
            found.append((m.start(), m.end(), value, precision))
    found.sort()
    kept: list[tuple[int, int, date, str]] = []
    for item in found:
        if kept and _RANGE_AFTER.match(text[kept[-1][1]:item[0]]):
            continue
        if _ANNOUNCED.match(text[item[1]:item[1] + 8]):
            continue  # "…했다고 4일 밝혔다": the day it was announced, not the event
        kept.append(item)
    return kept
