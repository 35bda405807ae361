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
from itertools import accumulate

from archive.textnorm import fold, is_hangul, nfc

_TOKEN = re.compile(r"([a-z0-9]+|[\uac00-\ud7a3]+)")  # a group: re.split keeps the tokens (_Tokens)

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
# Unit words that may be lower case after the name ('Xuyen Moc district', 'Tam Ky city').
_LOWER_UNIT_AFTER = frozenset({"district", "city", "town", "county", "province"})


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
    return _Tokens(fold(text)).text


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
    toks = _Tokens(folded)
    return [_original_span(text, offsets, start, end) for start, end in zip(toks.start, toks.end)]


def _original_span(text: str, offsets: list[int] | None, start: int, end: int) -> tuple[int, int]:
    if offsets is not None:
        start, end = offsets[start], offsets[end - 1] + 1
    while end < len(text) and unicodedata.combining(text[end]):
        end += 1  # a decomposed accent belongs to the letter before it
    return start, end


class _Tokens:
    """The tokens of one folded text as parallel lists: token k is `text[k]`, at
    `start[k]:end[k]` in the folded text, after `gap[k]` (the folded text since the token
    before). Made by re.split and itertools.accumulate, so a scan makes no Python object per
    token: the matcher reads every token of every sentence, and few of them start a name.
    """

    __slots__ = ("text", "start", "end", "gap")

    def __init__(self, folded: str) -> None:
        parts = _TOKEN.split(folded)  # gap, token, gap, token, ..., gap
        bounds = list(accumulate(map(len, parts), initial=0))
        self.text: list[str] = parts[1::2]
        self.start: list[int] = bounds[1:-1:2]
        self.end: list[int] = bounds[2::2]
        self.gap: list[str] = parts[0::2]

    def __len__(self) -> int:
        return len(self.text)


def _hangul(token: str) -> bool:
    """Is this token a Hangul run? A token is all [a-z0-9] or all Hangul syllables."""
    return token >= "\uac00"


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
        self._merged: dict[tuple[str, str], list[Entry]] = {}
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
        # What a token may start with to be worth a look: a Latin word that starts a name,
        # or the first syllable of a Hangul run that starts one or is '주' (_STATIONED_IN).
        self._scan = self._starts | {_STATIONED_IN}

    def find(self, text: str) -> list[Hit]:
        folded, offsets = _fold_with_offsets(text)
        toks = _Tokens(folded)
        scan = self._scan
        # The common case, a word that starts no name, is left out in one comprehension.
        starts = [i for i, word in enumerate(toks.text) if (word[0] if _hangul(word) else word) in scan]
        hits: list[Hit] = []
        free = 0  # the first token not inside a name matched before
        for i in starts:
            if i < free:
                continue
            found = self._match_at(text, folded, offsets, toks, i)
            if found is None:
                continue
            entry, start, end = found
            if entry.target is not None:
                hits.append(Hit(entry, *_original_span(text, offsets, start, end)))
            free = i + len(entry.tokens)
        return hits

    def _match_at(self, text, folded, offsets, toks: _Tokens, i):
        first = toks.text[i]
        hangul = _hangul(first)
        shifts = [0]
        if hangul and first.startswith(_STATIONED_IN) and len(first) > 2:
            shifts.append(1)
        following = toks.text[i + 1] if i + 1 < len(toks) else None
        for shift in shifts:
            run = first[shift:]
            for entry in self._candidates(run, hangul, following):
                end = self._fits(entry, text, folded, offsets, toks, i, shift)
                if end is not None:
                    core = toks.start[i + entry.context] + (shift if entry.context == 0 else 0)
                    return entry, core, end
        return None

    def _candidates(self, run: str, hangul: bool, following: str | None = None) -> list[Entry]:
        if not hangul:
            if run not in self._short:
                return []
            longer = self._by_second[run].get(following, []) if following else []
            if not longer:
                return self._short[run]
            merged = self._merged.get((run, following))
            if merged is None:  # the same pair recurs all through a text ('thanh pho'): sort it once
                merged = self._merged[(run, following)] = sorted(longer + self._short[run], key=_ORDER)
            return merged
        found: list[Entry] = []
        for n in range(min(len(run), self._max_hangul), 0, -1):
            found.extend(self._index.get(run[:n], []))
        if len(found) > 1:
            found.sort(key=_ORDER)
        return found

    def _fits(self, entry, text, folded, offsets, toks: _Tokens, i, shift) -> int | None:
        """End offset (folded text) of `entry` matched at token i, or None."""
        n = len(entry.tokens)
        if i + n > len(toks):
            return None
        for j, want in enumerate(entry.tokens):
            word = toks.text[i + j]
            have = word[shift:] if j == 0 else word
            last = j == n - 1
            if last and _hangul(word):
                if not have.startswith(want):
                    return None
            elif have != want:
                return None
            if j and not self._gap_ok(toks, i + j):
                return None
        last = i + n - 1
        end = toks.end[last]
        last_hangul = _hangul(toks.text[last])
        if last_hangul:
            end = toks.start[last] + (shift if n == 1 else 0) + len(entry.tokens[-1])
            rest = folded[end:toks.end[last]]
            if rest and entry.target and entry.proper_noun and _is_bare(entry.tokens[-1]):
                if not rest.startswith(_HANGUL_FOLLOWERS):
                    return None
        if not self._tones_ok(entry, text, offsets, toks, i, n):
            return None
        if entry.target and entry.proper_noun and not last_hangul:
            if not self._capitalised(entry, text, offsets, toks, i, n):
                return None
            if self._person_or_street(text, offsets, toks, i):
                return None
        return end

    @staticmethod
    def _gap_ok(toks: _Tokens, k: int) -> bool:
        """May token k follow token k - 1 inside one name?"""
        gap = toks.gap[k]
        before = toks.text[k - 1]
        if not gap or _hangul(before) != _hangul(toks.text[k]):
            return False
        if _GAP.fullmatch(gap):
            return True
        return len(before) <= 2 and bool(_ABBREVIATION_GAP.fullmatch(gap))

    @staticmethod
    def _tones_ok(entry: Entry, text, offsets, toks: _Tokens, i, n) -> bool:
        if not entry.tones:
            return True
        marks = []
        for k in range(i, i + n):
            s, e = _original_span(text, offsets, toks.start[k], toks.end[k])
            marks.append("" if _hangul(toks.text[k]) or text[s:e].isascii() else _tone(text[s:e]))
        if not any(marks):
            return True  # plain ASCII or French-press spelling: nothing to contradict
        return any(all(m in ("", t) for m, t in zip(marks, sig)) for sig in entry.tones)

    @staticmethod
    def _capitalised(entry: Entry, text, offsets, toks: _Tokens, i, n) -> bool:
        for j in range(entry.context, n):  # 'thành phố' in 'thành phố Hồ Chí Minh' may be lower case
            k = i + j
            word = toks.text[k]
            s, _ = _original_span(text, offsets, toks.start[k], toks.end[k])
            after_hyphen = j > 0 and "-" in toks.gap[k]
            unit_after = j > entry.context and word in _LOWER_UNIT_AFTER
            if not (text[s].isupper() or text[s].isdigit() or after_hyphen or word in _LOWER_OK or unit_after):
                return False
        return True

    @staticmethod
    def _person_or_street(text, offsets, toks: _Tokens, i) -> bool:
        """Is the name preceded by a surname/middle name, or by 'đường'/'phố' (a street)?"""
        if i == 0 or _hangul(toks.text[i - 1]) or toks.gap[i] != " ":
            return False
        prev = toks.text[i - 1]
        if i >= 2 and "-" in toks.gap[i - 1]:
            return False  # 'Gyeonggi-Do Suwon': the word is the end of a hyphenated name
        s, e = _original_span(text, offsets, toks.start[i - 1], toks.end[i - 1])
        word = nfc(text[s:e]).lower()
        if prev in _NAME_WORDS and text[s].isupper():
            return True
        if word == "đường":
            return True
        if word == "phố":  # 'phố Huế' is a street in Hanoi; 'thành phố Huế' is the city
            return not (i >= 2 and toks.text[i - 2] == "thanh")
        return False


def _is_bare(hangul_name: str) -> bool:
    """'수원', '하노이' are bare; '수원시', '경기도', '빈즈엉성' end in a unit word."""
    return not (len(hangul_name) >= 3 and hangul_name.endswith(_HANGUL_UNIT_ENDINGS))
