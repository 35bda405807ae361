"""What the user typed, read into a query: words ANDed, "phrases", -exclusions, OR,
field filters (lang:vi place:gyeonggi source:vna year:2024), and place names expanded
to every alias the gazetteer knows.

Reading never fails: an unbalanced quote is read as plain words, and `notes` says so.
The output is a query object (`ParsedQuery.to_query()`, search.querytree) that each
backend compiles for its engine: the text is read once, here, and no operator or special
character the user typed reaches an engine.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import get_language, gettext_lazy

from archive import gazetteer
from archive.textnorm import fold
from search import concepts
from search import querytree as qt
from search.analysis import analyze

MAX_QUERY_CHARS = 500
MAX_ITEMS = 32
MAX_PLACE_WORDS = 6
MAX_LITERAL = 10
FILTER_FIELDS = {"lang": "lang", "language": "lang", "place": "place", "source": "source", "year": "year",
                 "from": "from", "to": "to"}
_FILTER_VALUE = re.compile(r"^[\w-]{1,60}$")


@dataclass
class Item:
    """One thing to match: any of `alternatives` (each a word or phrase)."""

    alternatives: list[str]
    negated: bool = False
    label: str = ""  # what the user wrote
    place: str | None = None  # slug when this item is a place name
    concept: str | None = None  # cooperation concept (search/concepts.py) when it names one
    corrected: bool = False  # a misspelt place name read as the nearest one


@dataclass
class ParsedQuery:
    raw: str
    items: list[Item] = field(default_factory=list)
    any_of: list[list[Item]] = field(default_factory=list)  # OR groups, each ANDed with the rest
    filters: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def corrections(self) -> list[tuple[str, str]]:
        """(what was typed, the place it was read as) for misspelt place names."""
        found = []
        for item in self.items + [i for g in self.any_of for i in g]:
            if item.corrected and item.place:
                place = gazetteer.get(item.place)
                found.append((item.label, place.names.get("en", place.name) if place else item.place))
        return found

    @property
    def is_empty(self) -> bool:
        return not self.items and not self.any_of

    def to_query(self) -> qt.Query:
        """The query object: positive items ANDed with the OR groups, minus the negated."""
        parts: list[qt.Query] = [_node(i) for i in self.items if not i.negated]
        parts += [qt.Or(tuple(_node(i) for i in group)) for group in self.any_of]
        if not parts:
            parts.append(qt.MatchAll())
        parts += [qt.Not(_node(i)) for i in self.items if i.negated]
        query = parts[0] if len(parts) == 1 else qt.And(tuple(parts))
        # Literal first: a word widened to its translations (a cooperation concept) also
        # asks for the words as typed, and an article that has them ranks above those that
        # matched only through a translation; one tier per such word, up to MAX_LITERAL.
        literal = [qt.Phrase(i.label) for i in self.items + [i for g in self.any_of for i in g]
                   if i.concept and not i.negated][:MAX_LITERAL]
        return qt.Prefer(query, tuple(literal)) if literal else query

    def needles(self) -> list[tuple[str, ...]]:
        """Token sequences to mark in snippets: every positive alternative, analyzed."""
        found: list[tuple[str, ...]] = []
        items = [i for i in self.items if not i.negated] + [i for g in self.any_of for i in g]
        for item in items:
            for alternative in item.alternatives:
                tokens = tuple(analyze(alternative))
                if tokens and tokens not in found:
                    found.append(tokens)
        return found

    def described(self) -> list[str]:
        """How the query was read, for the page."""
        lines = list(self.notes)
        for item in self.items + [i for g in self.any_of for i in g]:
            if item.concept or (not item.place and not item.negated and len(item.alternatives) > 1):
                # Every alternative searched, none left out: a concept's translations, a
                # country's names (the typed form is among them, and not repeated).
                others = [a for a in item.alternatives if tuple(analyze(a)) != tuple(analyze(item.label))]
                lines.append(_("“{typed}” is also searched as {others}").format(typed=item.label, others=", ".join(others)))
            if item.place:
                place = gazetteer.get(item.place)
                lang = (get_language() or "en").split("-")[0]
                name = place.names.get(lang) or place.names.get("en", place.name) if place else item.alternatives[0]
                others = [a for a in item.alternatives[1:] if a.lower() != item.label.lower()]
                own = item.alternatives[0]
                if others and name == own:  # the interface's name is the place's own (경기도 in Korean)
                    lines.append(_("“{typed}” is read as the place {name}, also written {others}").format(
                        typed=item.label, name=name, others=", ".join(others)))
                elif others:
                    lines.append(_("“{typed}” is read as the place {name} ({own}), also written {others}").format(
                        typed=item.label, name=name, own=own, others=", ".join(others)))
                elif name == own:
                    lines.append(_("“{typed}” is read as the place {name}").format(typed=item.label, name=name))
                else:
                    lines.append(_("“{typed}” is read as the place {name} ({own})").format(
                        typed=item.label, name=name, own=own))
        return lines


EXACT_BOOST = 3


def _node(item: Item) -> qt.Query:
    alternatives: list[qt.Query] = [qt.Phrase(a) for a in item.alternatives]
    if not item.negated and item.label and fold(item.label) != item.label.lower():
        # Typed with diacritics: the same words with those marks rank first.
        alternatives.append(qt.Exact(item.label, EXACT_BOOST))
    if len(alternatives) == 1:
        return alternatives[0]
    kind = "place" if item.place else "concept" if item.concept else "word"
    return qt.Alternatives(tuple(alternatives), kind=kind, key=item.place or item.concept, label=item.label)


_TOKEN_RE = re.compile(r'(-?)"([^"]*)"|(\S+)')


def _alternatives_for_place(slug: str, label: str) -> list[str]:
    place = gazetteer.get(slug)
    return _unique([place.name, *place.aliases, label] if place else [label])


def _country_alternatives(code: str, label: str) -> list[str]:
    return _unique([*gazetteer.COUNTRY_ALIASES.get(code, ()), label])


def _country_of(phrase: str) -> str | None:
    key = tuple(analyze(phrase))
    for code, aliases in gazetteer.COUNTRY_ALIASES.items():
        if any(tuple(analyze(a)) == key for a in aliases):
            return code
    return None


# Korean particles that follow a place name in a query: 하노이시에서, 경북도가, 박닌성과.
_PARTICLES = ("에서는", "에서", "으로", "와의", "과의", "까지", "부터", "에게", "와", "과", "는", "은", "가", "이",
              "를", "을", "의", "에", "로", "도")


def strip_particle(word: str) -> str:
    for particle in _PARTICLES:
        if word.endswith(particle) and len(word) > len(particle) + 1 and "\uac00" <= word[-1] <= "\ud7a3":
            return word[: -len(particle)]
    return word


def _unique(names: list[str]) -> list[str]:
    seen: set[tuple[str, ...]] = set()
    unique: list[str] = []
    for name in names:
        key = tuple(analyze(name))
        if key and key not in seen:
            seen.add(key)
            unique.append(name)
    return unique


def _expand_words(words: list[str], expand: bool = True, fuzzy: bool = False) -> list[Item]:
    """Plain words become items; runs of words that name a place become one place item."""
    if not expand:
        return [Item([w], label=w) for w in words]
    items: list[Item] = []
    i = 0
    while i < len(words):
        matched = False
        for length in range(min(MAX_PLACE_WORDS, len(words) - i), 0, -1):
            phrase = " ".join(words[i : i + length])
            place = gazetteer.lookup(phrase) or gazetteer.lookup(strip_particle(phrase))
            if place:
                items.append(Item(_alternatives_for_place(place.slug, phrase), label=phrase, place=place.slug))
                i += length
                matched = True
                break
            concept = concepts.lookup(phrase)
            if concept:
                items.append(Item(_unique([phrase, *concepts.forms(concept)]), label=phrase, concept=concept))
                i += length
                matched = True
                break
            country = _country_of(phrase) if length <= 4 else None
            if country:
                items.append(Item(_country_alternatives(country, phrase), label=phrase))
                i += length
                matched = True
                break
        if not matched:
            place = gazetteer.closest(words[i]) if fuzzy else None
            if place:
                items.append(Item(_alternatives_for_place(place.slug, words[i]), label=words[i], place=place.slug,
                                  corrected=True))
            else:
                items.append(Item([words[i]], label=words[i]))
            i += 1
    return items


def parse(raw: str, expand_places: bool = True, fuzzy: bool = False) -> ParsedQuery:
    """Read a query; `expand_places=False` searches place names only as written (for
    measuring what the gazetteer adds); `fuzzy=True` reads misspelt place names as the
    nearest known one (the "did you mean" retry when nothing matched)."""
    text = (raw or "").strip()
    parsed = ParsedQuery(raw=text)
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS]
        parsed.notes.append(format_lazy(gettext_lazy("Only the first {n} characters of the query were used."),
                                        n=MAX_QUERY_CHARS))
    if text.count('"') % 2:
        text = text.replace('"', " ")
        parsed.notes.append(gettext_lazy("An unbalanced quote was ignored; the words were searched one by one."))

    pending_words: list[str] = []
    sequence: list[Item | str] = []  # items and the 'OR' operator, in order

    def flush() -> None:
        if pending_words:
            sequence.extend(_expand_words(pending_words, expand_places, fuzzy))
            pending_words.clear()

    for m in _TOKEN_RE.finditer(text):
        negated, phrase, word = m.group(1) == "-", m.group(2), m.group(3)
        if phrase is not None:
            flush()
            phrase = " ".join(phrase.split())
            if not analyze(phrase):
                continue
            place = gazetteer.lookup(phrase) if expand_places else None
            # Quotes ask for these very words: a cooperation word in quotes is not widened
            # to its translations (a place name still is: it is the same place).
            concept = None
            if place and not negated:
                alternatives = _alternatives_for_place(place.slug, phrase)
            elif concept and not negated:
                alternatives = _unique([phrase, *concepts.forms(concept)])
            else:
                alternatives = [phrase]
            sequence.append(Item(alternatives, negated=negated, label=phrase,
                                 place=place.slug if place and not negated else None,
                                 concept=concept if concept and not negated else None))
            continue
        if word == "OR":
            flush()
            sequence.append("OR")
            continue
        if word in ("AND", "&&", "+"):
            continue
        field_name, sep, value = word.partition(":")
        if sep and field_name.lower() in FILTER_FIELDS and value:
            flush()
            if _FILTER_VALUE.match(value):
                parsed.filters[FILTER_FIELDS[field_name.lower()]] = value.lower()
            else:
                parsed.notes.append(format_lazy(gettext_lazy("The filter “{word}” was not understood and was ignored."),
                                                word=word))
            continue
        if word.startswith("-") and len(word) > 1:
            flush()
            if analyze(word[1:]):
                sequence.append(Item([word[1:]], negated=True, label=word[1:]))
            continue
        if not analyze(word):
            continue
        pending_words.append(word)
    flush()

    # Fold 'a OR b OR c' into groups; everything else is ANDed.
    groups: list[list[Item]] = []
    join_next = False
    for entry in sequence:
        if entry == "OR":
            join_next = bool(groups)
            continue
        if join_next and not entry.negated and not any(g.negated for g in groups[-1]):
            groups[-1].append(entry)
        else:
            groups.append([entry])
        join_next = False
    for group in groups:
        if len(group) == 1:
            parsed.items.append(group[0])
        else:
            parsed.any_of.append(group)

    if len(parsed.items) + len(parsed.any_of) > MAX_ITEMS:
        parsed.items = parsed.items[:MAX_ITEMS]
        parsed.any_of = parsed.any_of[: max(0, MAX_ITEMS - len(parsed.items))]
        parsed.notes.append(format_lazy(gettext_lazy("Only the first {n} terms were used."), n=MAX_ITEMS))
    if text and parsed.is_empty and not parsed.filters:
        parsed.notes.append(gettext_lazy("The query has no searchable words."))
    return parsed
