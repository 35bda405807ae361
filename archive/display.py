"""What the interface shows in the reader's language: dates as precisely as they are
known, and place names from the gazetteer."""
from __future__ import annotations

from datetime import date
from functools import lru_cache

from django.utils.dates import MONTHS
from django.utils.translation import get_language, override
from django.utils.translation import gettext_lazy as _

# The gazetteer's kinds of administrative unit, as the page names them.
PLACE_KINDS = {
    "province": _("province"),
    "city": _("city"),
    "municipal_city": _("city"),
    "special_self_governing_city": _("special self-governing city"),
    "special_self_governing_province": _("special self-governing province"),
    "county": _("county"),
    "district": _("district"),
    "administrative_city": _("administrative city"),
    "provincial_city": _("city under a province"),
    "town": _("town"),
    "urban_district": _("urban district"),
    "rural_district": _("rural district"),
}


def interface_language() -> str:
    return (get_language() or "en").split("-")[0]


@lru_cache(maxsize=512)
def _month_name(lang: str, month: int) -> str:
    """A month's name in a language, translated by Django's own catalogs: read once per
    process, as a page lists twenty dates (switching the language costs more than the rest
    of a date's formatting)."""
    with override(lang):
        return str(MONTHS[month])


def format_known_date(value: date | None, precision: str | None, lang: str | None = None) -> str:
    """'tháng 11 năm 2019', '2019년 11월', 'novembre 2019', 'November 2019' for a month;
    a day only where the date has one (precision 'day' or unknown but complete)."""
    if not value:
        return ""
    lang = lang or interface_language()
    year, month, day = value.year, value.month, value.day
    if precision == "year":
        return f"{year}년" if lang == "ko" else str(year)
    if lang == "vi":
        text = f"tháng {month} năm {year}"
        return text if precision == "month" else f"ngày {day} {text}"
    if lang == "ko":
        text = f"{year}년 {month}월"
        return text if precision == "month" else f"{text} {day}일"
    month_name = _month_name(lang, month)
    if lang == "fr":
        month_name = month_name.lower()
        if precision == "month":
            return f"{month_name} {year}"
        return f"{'1er' if day == 1 else day} {month_name} {year}"
    if precision == "month":
        return f"{month_name} {year}"
    return f"{day} {month_name} {year}"


def iso_known_date(value: date | None, precision: str | None) -> str:
    """The machine-readable form for <time datetime>: 2019-11, 2019 or 2019-11-05."""
    if not value:
        return ""
    if precision == "month":
        return value.strftime("%Y-%m")
    if precision == "year":
        return value.strftime("%Y")
    return value.isoformat()


def place_name(place, lang: str | None = None) -> str:
    """A place in the interface language: 하노이시 in Korean, Hanoï in French. A Korean place
    keeps its Hangul name beside another language's ('Gyeonggi (경기도)'), as before, so it
    can be read against the Korean sources."""
    from archive import gazetteer

    lang = lang or interface_language()
    entry = gazetteer.get(place.slug)
    if entry is None:
        return place.label
    name = entry.names.get(lang) or entry.name
    if entry.country == "kr" and lang != "ko" and name != entry.name:
        return f"{name} ({entry.name})"
    return name


def parent_name(place, lang: str | None = None) -> str:
    """The name of the unit a city or district lies in ('Gyeonggi (경기도)' for Suwon), or ''."""
    from archive import gazetteer

    entry = gazetteer.get(place.slug)
    parent = gazetteer.get(entry.parent) if entry and entry.parent else None
    return place_name(parent, lang) if parent else ""
