"""The token matcher behind `find_places` and `find_countries`.

Text is folded once (`archive.textnorm.fold`: lower case, no diacritics) and cut into
tokens: runs of [a-z0-9] and runs of Hangul syllables. Every alias is cut the same way,
and aliases are indexed by their first token, so a scan costs one dict look-up per token
(plus a few prefix look-ups per Hangul run) whatever the number of aliases.

Folding makes 'Hanoï', 'Ha Noi' and 'HÀ NỘI' the same and removes tone marks, so
old/new tone placement (Hoà/Hòa) cannot matter. Three things folding throws away are
checked again on the original text: capitals (Latin place names are proper nouns), tone
marks (a span that carries tones must carry the alias's tones, so the given name 'Huệ'
is not the city 'Huế'), and what sits around a Hangul name (Korean glues particles on).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from archive.textnorm import fold, is_hangul, nfc

_TOKEN = re.compile(r"[a-z0-9]+|([\uac00-\ud7a3]+)")  # group 1 set for a Hangul run

# Between two tokens of one name: spaces (at most one line break) and at most one
# hyphen/dash/apostrophe ('Ba Ria - Vung Tau', 'Gyeonggi-do', "Ch'ungch'ong"), or a dot
# glued to the next token ('TP.HCM'). A dot followed by a space only after a one- or
# two-letter abbreviation ('TP. HCM', 'R. de Corée'), so 'Long. An' is not 'Long An'.
_GAP = re.compile(r"[^\S\n]*\n?[^\S\n]*[-‐‑–—'’·]?[^\S\n]*|\.")
_ABBREVIATION_GAP = re.compile(r"\.[^\S\n]+")

# Tone marks as NFD combining characters (Vietnamese; French accents reuse the same).
_TONE_MARKS = {"\u0300": "`", "\u0301": "'", "\u0303": "~", "\u0309": "?", "\u0323": "."}

# What may follow a bare Hangul name inside the same word: particles and unit/bound
# nouns. Anything else means the name is part of a longer word ('수원국', aid-recipient
# country, is not Suwon). Checked with startswith, so '에' covers '에서', '에게'.
_HANGUL_FOLLOWERS = (
    "은", "는", "이", "가", "을", "를", "에", "의", "와", "과", "도", "로", "으로", "만",
    "까지", "부터", "보다", "처럼", "께", "나", "며", "라", "란", "등", "시", "성", "군",
    "구", "특별시", "광역시", "특례시", "특별자치", "청", "지역", "지사", "일대", "현지",
    "공항", "항", "행", "발", "대", "측", "당국", "정부", "주민", "출신", "소재", "인근",
    "권", "간",
)
_HANGUL_UNIT_ENDINGS = ("시", "도", "성", "군", "구")

# Korean '주' (駐, 'stationed in') prefixes a place: '주호찌민 총영사관', '주베트남 대사'.
_STATIONED_IN = "주"

# A capitalised word right before a Vietnamese place name that is a surname or a common
# middle name means the 'place' is a person: 'Nguyễn Thị Thanh Hoa', 'Trần Bình Dương'.
_NAME_WORDS = frozenset(
    "nguyen tran le pham hoang huynh phan vu vo dang bui do ho ngo duong ly dinh trinh "
    "truong luong thi van huu ngoc kim".split()
)
# Lower-case words allowed inside a Latin name ('Gyeongsang du Nord').
_LOWER_OK = frozenset({"du", "de"})


@dataclass(frozen=True)
class Entry:
    target: str | None  # slug or country code; None for a stop phrase (consumes text, yields nothing)
    tokens: tuple[str, ...]
    context: int = 0  # leading tokens required before the name but not part of the mention
    tones: frozenset[tuple[str, ...]] = frozenset()
    proper_noun: bool = True  # Latin words must be capitalised, person/street guards apply


def _ORDER(e: Entry) -> tuple:
    """Longest name first; at equal length a stop phrase wins."""
    return (-len(e.tokens), -sum(map(len, e.tokens)), e.target is not None)


@dataclass(frozen=True)
class Hit:
    entry: Entry
    start: int  # offsets in the original text
    end: int


def tokens(text: str) -> list[str]:
    return [m.group() for m in _TOKEN.finditer(fold(text))]


def key(text: str) -> str:
    """The comparison key of a name: 'Hô Chi Minh-Ville' -> 'ho chi minh ville'."""
    return " ".join(tokens(text))


def tone_signature(text: str) -> tuple[str, ...]:
    """One tone mark (or '') per token: 'Khánh Hoà' -> ("'", '`'), as 'Khánh Hòa'."""
    return tuple(_tone(text[s:e]) for s, e in _token_spans(text))


def _tone(word: str) -> str:
    for ch in unicodedata.normalize("NFD", word):
        if ch in _TONE_MARKS:
            return _TONE_MARKS[ch]
    return ""


class _FoldTable(dict):
    """str.translate table folding one character at a time, filled on first sight."""

    def __init__(self) -> None:
        super().__init__()
        self.uneven: set[str] = set()  # characters whose fold is not one character ('ß', accents in NFD)

    def __missing__(self, code: int) -> str:
        folded = fold(chr(code))
        if len(folded) != 1:
            self.uneven.add(chr(code))
        self[code] = folded
        return folded


_FOLD_TABLE = _FoldTable()


def _fold_with_offsets(text: str) -> tuple[str, list[int] | None]:
    """Folded text and, when lengths differ, the original offset of each folded character."""
    folded = text.translate(_FOLD_TABLE)
    if _FOLD_TABLE.uneven.isdisjoint(text):
        return folded, None  # one folded character per original character
    offsets: list[int] = []
    for i, ch in enumerate(text):
        offsets.extend([i] * len(_FOLD_TABLE[ord(ch)]))
    return folded, offsets


def _token_spans(text: str) -> list[tuple[int, int]]:
    folded, offsets = _fold_with_offsets(text)
    return [_original_span(text, offsets, m.start(), m.end()) for m in _TOKEN.finditer(folded)]


def _original_span(text: str, offsets: list[int] | None, start: int, end: int) -> tuple[int, int]:
    if offsets is not None:
        start, end = offsets[start], offsets[end - 1] + 1
    while end < len(text) and unicodedata.combining(text[end]):
        end += 1  # a decomposed accent belongs to the letter before it
    return start, end


@dataclass(slots=True)
class _Token:
    start: int  # in the folded text
    end: int
    text: str
    hangul: bool


class Matcher:
    def __init__(self, entries: list[Entry]) -> None:
        self._index: dict[str, list[Entry]] = {}
        for entry in entries:
            self._index.setdefault(entry.tokens[0], []).append(entry)
        for bucket in self._index.values():
            bucket.sort(key=_ORDER)
        # Latin names of two or more tokens are also indexed by their second token: a bucket
        # such as 'huyen' (every 'huyện X') is then one look-up, not a scan of hundreds.
        self._by_second: dict[str, dict[str, list[Entry]]] = {}
        self._short: dict[str, list[Entry]] = {}
        for first, bucket in self._index.items():
            if is_hangul(first[0]):
                continue
            seconds: dict[str, list[Entry]] = {}
            short = []
            for entry in bucket:
                if len(entry.tokens) > 1 and not is_hangul(entry.tokens[1][0]):
                    seconds.setdefault(entry.tokens[1], []).append(entry)
                else:
                    short.append(entry)
            self._by_second[first] = seconds
            self._short[first] = short
        hangul_keys = [k for k in self._index if is_hangul(k[0])]
        self._max_hangul = max(map(len, hangul_keys), default=0)
        self._starts = {k for k in self._index if not is_hangul(k[0])} | {k[0] for k in hangul_keys}

    def find(self, text: str) -> list[Hit]:
        folded, offsets = _fold_with_offsets(text)
        toks = [_Token(m.start(), m.end(), m.group(), m.lastindex == 1) for m in _TOKEN.finditer(folded)]
        hits: list[Hit] = []
        i = 0
        while i < len(toks):
            tok = toks[i]
            if (tok.text[0] if tok.hangul else tok.text) not in self._starts and not tok.text.startswith(_STATIONED_IN):
                i += 1  # the common case: a word that starts no name
                continue
            found = self._match_at(text, folded, offsets, toks, i)
            if found is None:
                i += 1
                continue
            entry, start, end = found
            if entry.target is not None:
                hits.append(Hit(entry, *_original_span(text, offsets, start, end)))
            i += len(entry.tokens)
        return hits

    def _match_at(self, text, folded, offsets, toks, i):
        first = toks[i]
        shifts = [0]
        if first.hangul and first.text.startswith(_STATIONED_IN) and len(first.text) > 2:
            shifts.append(1)
        following = toks[i + 1].text if i + 1 < len(toks) else None
        for shift in shifts:
            run = first.text[shift:]
            for entry in self._candidates(run, first.hangul, following):
                end = self._fits(entry, text, folded, offsets, toks, i, shift)
                if end is not None:
                    core = toks[i + entry.context].start + (shift if entry.context == 0 else 0)
                    return entry, core, end
        return None

    def _candidates(self, run: str, hangul: bool, following: str | None = None) -> list[Entry]:
        if not hangul:
            if run not in self._short:
                return []
            longer = self._by_second[run].get(following, []) if following else []
            if not longer:
                return self._short[run]
            return sorted(longer + self._short[run], key=_ORDER)
        found: list[Entry] = []
        for n in range(min(len(run), self._max_hangul), 0, -1):
            found.extend(self._index.get(run[:n], []))
        if len(found) > 1:
            found.sort(key=_ORDER)
        return found

    def _fits(self, entry, text, folded, offsets, toks, i, shift) -> int | None:
        """End offset (folded text) of `entry` matched at token i, or None."""
        n = len(entry.tokens)
        if i + n > len(toks):
            return None
        for j, want in enumerate(entry.tokens):
            tok = toks[i + j]
            have = tok.text[shift:] if j == 0 else tok.text
            last = j == n - 1
            if tok.hangul and last:
                if not have.startswith(want):
                    return None
            elif have != want:
                return None
            if j and not self._gap_ok(folded, toks[i + j - 1], tok):
                return None
        last_tok = toks[i + n - 1]
        end = last_tok.end
        if last_tok.hangul:
            end = last_tok.start + (shift if n == 1 else 0) + len(entry.tokens[-1])
            rest = folded[end:last_tok.end]
            if rest and entry.target and entry.proper_noun and _is_bare(entry.tokens[-1]):
                if not rest.startswith(_HANGUL_FOLLOWERS):
                    return None
        span = toks[i : i + n]
        if not self._tones_ok(entry, text, offsets, span):
            return None
        if entry.target and entry.proper_noun and not last_tok.hangul:
            if not self._capitalised(entry, text, folded, offsets, span):
                return None
            if self._person_or_street(text, folded, offsets, toks, i):
                return None
        return end

    @staticmethod
    def _gap_ok(folded: str, before: _Token, after: _Token) -> bool:
        gap = folded[before.end : after.start]
        if not gap or before.hangul != after.hangul:
            return False
        if _GAP.fullmatch(gap):
            return True
        return len(before.text) <= 2 and bool(_ABBREVIATION_GAP.fullmatch(gap))

    @staticmethod
    def _tones_ok(entry: Entry, text, offsets, span) -> bool:
        if not entry.tones:
            return True
        marks = []
        for tok in span:
            s, e = _original_span(text, offsets, tok.start, tok.end)
            marks.append("" if tok.hangul or text[s:e].isascii() else _tone(text[s:e]))
        if not any(marks):
            return True  # plain ASCII or French-press spelling: nothing to contradict
        return any(all(m in ("", t) for m, t in zip(marks, sig)) for sig in entry.tones)

    @staticmethod
    def _capitalised(entry: Entry, text, folded, offsets, span) -> bool:
        for j, tok in enumerate(span):
            if j < entry.context:
                continue  # 'thành phố' in 'thành phố Hồ Chí Minh' may be lower case
            s, _ = _original_span(text, offsets, tok.start, tok.end)
            after_hyphen = j > 0 and "-" in folded[span[j - 1].end : tok.start]
            if not (text[s].isupper() or text[s].isdigit() or after_hyphen or tok.text in _LOWER_OK):
                return False
        return True

    @staticmethod
    def _person_or_street(text, folded, offsets, toks, i) -> bool:
        """Is the name preceded by a surname/middle name, or by 'đường'/'phố' (a street)?"""
        if i == 0 or toks[i - 1].hangul or folded[toks[i - 1].end : toks[i].start] != " ":
            return False
        prev = toks[i - 1]
        if i >= 2 and "-" in folded[toks[i - 2].end : prev.start]:
            return False  # 'Gyeonggi-Do Suwon': the word is the end of a hyphenated name
        s, e = _original_span(text, offsets, prev.start, prev.end)
        word = nfc(text[s:e]).lower()
        if prev.text in _NAME_WORDS and text[s].isupper():
            return True
        if word == "đường":
            return True
        if word == "phố":  # 'phố Huế' is a street in Hanoi; 'thành phố Huế' is the city
            return not (i >= 2 and toks[i - 2].text == "thanh")
        return False


def _is_bare(hangul_name: str) -> bool:
    """'수원', '하노이' are bare; '수원시', '경기도', '빈즈엉성' end in a unit word."""
    return not (len(hangul_name) >= 3 and hangul_name.endswith(_HANGUL_UNIT_ENDINGS))
