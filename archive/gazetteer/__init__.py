"""Vietnamese and Korean places, and the two countries, as named in news text.

Data: places.json next to this file, built by build_data.py from the shared reference
(admin-units.json). It holds the 63 Vietnamese first-level units valid until 30 June 2025
(those that kept their name on 1 July 2025 are also the post-2025 unit, e.g. one
'ninh-binh'), the 17 Korean first-level units and 31 Korean cities/counties/districts.
Nothing needs Django; the data is loaded on first use.

    find_places(text)    every place mention in running text, longest match, in order
    find_countries(text) {'vn', 'kr'} named in the text (North Korea is not 'kr')
    lookup(phrase)       the place a search phrase names exactly, or None
    get(slug), all_places(), COUNTRY_ALIASES

Matching rules (see _matcher.py): diacritic- and case-insensitive comparison, but a
Latin-script name must be capitalised in the text ('Long An', not 'lòng an'), a span that
carries tone marks must carry the name's tones, a Hangul name may take particles but not
be part of a longer word ('하노이에서' yes, '수원국' no), and homographs are left out
(bare '경기', '하남', '세종'; see places.json `_about.excluded_aliases`).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from archive.gazetteer._matcher import Entry, Matcher, key, tone_signature
from archive.textnorm import is_hangul

_DATA = Path(__file__).with_name("places.json")

COUNTRY_ALIASES: dict[str, tuple[str, ...]]  # 'vn'/'kr' -> every name of the country; loaded on first use


@dataclass(frozen=True)
class Place:
    slug: str  # ASCII, from the name without its unit word: 'ha-nam', 'gyeonggi', 'suwon'
    name: str  # in the place's own language: 'Hà Nội', '경기도' (Korean: the official full name)
    names: dict[str, str]  # 'vi', 'ko', 'fr', 'en'
    country: str  # 'vn' | 'kr'
    kind: str  # province | city | special_self_governing_city | special_self_governing_province
    #            | municipal_city | county | district
    level: int  # 1 first-level unit, 2 city/county/district inside one
    parent: str | None  # level 2: the province's slug
    successor: str | None  # merged away on 2025-07-01: the unit it became part of
    predecessors: tuple[str, ...]  # units merged into this one on 2025-07-01
    valid_until: str | None  # '2025-06-30' for merged-away units
    aliases: tuple[str, ...]  # every surface form, all languages, NFC
    codes: dict[str, str]  # gso / gso_2025 / iso_3166_2 (VN); iso_3166_2 / mois (KR)

    def __hash__(self) -> int:
        return hash(self.slug)


@dataclass(frozen=True)
class Mention:
    slug: str
    start: int  # offsets into the text as passed
    end: int
    surface: str


class _Gazetteer:
    def __init__(self, data: dict) -> None:
        rows = data["places"]
        predecessors: dict[str, list[str]] = {}
        for row in rows:
            if row["successor"]:
                predecessors.setdefault(row["successor"], []).append(row["slug"])
        self.places = [
            Place(
                slug=r["slug"], name=r["name"], names=r["names"], country=r["country"], kind=r["kind"],
                level=r["level"], parent=r["parent"], successor=r["successor"],
                predecessors=tuple(sorted(predecessors.get(r["slug"], ()))), valid_until=r["valid_until"],
                aliases=tuple(r["aliases"]), codes=r["codes"],
            )
            for r in rows
        ]
        self.by_slug = {p.slug: p for p in self.places}
        self.by_key = {key(a): p for p in self.places for a in p.aliases}
        self.place_matcher = Matcher(_place_entries(rows, data["stop_phrases"]))
        countries = data["countries"]
        self.country_aliases = {code: tuple(c["aliases"]) for code, c in countries.items()}
        self.country_matcher = Matcher(_country_entries(countries, data["country_stop_phrases"]))


def _entries(target: str | None, surfaces: list[str], context: int = 0, proper_noun: bool = True) -> list[Entry]:
    """One entry per distinct key, carrying the tone signatures of all its surfaces.

    Tones are only checked when a toned spelling is known: a name listed only in ASCII
    ('Vung Tau') cannot be contradicted by the tones of a text. Stop phrases take any tones.
    """
    tones: dict[str, set[tuple[str, ...]]] = {}
    for s in surfaces:
        tones.setdefault(key(s), set()).add(tone_signature(s))
    entries = []
    for k, signatures in tones.items():
        toned = target is not None and any(mark for sig in signatures for mark in sig)
        entries.append(Entry(target, tuple(k.split()), context, frozenset(signatures if toned else ()), proper_noun))
    return entries


def _place_entries(rows: list[dict], stop_phrases: list[str]) -> list[Entry]:
    entries = _entries(None, stop_phrases)
    for r in rows:
        skip = set(r["text_skip"])
        entries += _entries(r["slug"], [a for a in r["aliases"] if a not in skip])
        for context, name in r["context_forms"]:
            entries += _entries(r["slug"], [f"{context} {name}"], context=len(key(context).split()))
    return entries


def _country_entries(countries: dict, stop_phrases: list[str]) -> list[Entry]:
    entries = _entries(None, stop_phrases, proper_noun=False)
    for code, c in countries.items():
        entries += _entries(code, c["aliases"], proper_noun=False)
    return entries


@cache
def _gazetteer() -> _Gazetteer:
    return _Gazetteer(json.loads(_DATA.read_text(encoding="utf-8")))


def __getattr__(name: str):
    # COUNTRY_ALIASES is read from places.json on first access, like everything else,
    # so importing this package costs nothing and works before places.json is built.
    if name == "COUNTRY_ALIASES":
        return _gazetteer().country_aliases
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def all_places() -> list[Place]:
    return list(_gazetteer().places)


def get(slug: str) -> Place | None:
    return _gazetteer().by_slug.get(slug)


def find_places(text: str) -> list[Mention]:
    return [
        Mention(hit.entry.target, hit.start, hit.end, text[hit.start : hit.end])
        for hit in _gazetteer().place_matcher.find(text)
    ]


def find_countries(text: str) -> set[str]:
    return {hit.entry.target for hit in _gazetteer().country_matcher.find(text)}


# Words around a name in a query that do not change which place it is.
_LEADING = re.compile(r"^(?:thanh pho|tp|tinh|thu do|province de|province du|ville de|city of|province of) ")
_TRAILING = re.compile(r" (?:province|city|state|ville|do|si|gun|gu|tinh|thanh pho)$")


def lookup(phrase: str) -> Place | None:
    """The place `phrase` names, compared case- and diacritic-insensitively, or None.

    Only whole names count ('ha noi', '하노이', 'Hanoï', 'tp.hcm', 'kyonggi'); a class
    noun around a Latin-script name is allowed ('tỉnh Bình Phước', 'Suwon city').
    """
    index = _gazetteer().by_key
    k = key(phrase)
    for candidate in (k, _LEADING.sub("", k), _TRAILING.sub("", k), _TRAILING.sub("", _LEADING.sub("", k))):
        if candidate in index:
            return index[candidate]
    return None


def _edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, giving up (limit + 1) as soon as it must exceed `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def closest(phrase: str) -> Place | None:
    """The place a misspelt name most likely means ('Gyeongi', 'Jeolanam'): one edit for
    names of 5–7 letters, two for longer ones; None when two places are equally close."""
    k = key(phrase)
    if len(k) < 5 or any(is_hangul(ch) for ch in k):
        return None
    limit = 1 if len(k) < 8 else 2
    best: dict[str, int] = {}
    for candidate, place in _gazetteer().by_key.items():
        if len(candidate) < 5:
            continue
        distance = _edit_distance(k, candidate, limit)
        if distance <= limit and distance < best.get(place.slug, limit + 1):
            best[place.slug] = distance
    if not best:
        return None
    ranked = sorted(best.items(), key=lambda item: item[1])
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return None
    return get(ranked[0][0])
