"""Hangul in the Revised Romanization of Korean (국어의 로마자 표기법, 2000), for slugs.

Syllables are split arithmetically (Unicode's Hangul block is ordered initial × medial ×
final). A final consonant before a syllable starting with silent ㅇ is carried over
('한국어' -> 'hangugeo', ㅎ silent: '좋아' -> 'joa'); the other sound changes (assimilation) are not applied, which
is enough for a readable, stable URL slug. Text that is not Hangul is left as it is.
"""
from __future__ import annotations

import re

_INITIALS = ["g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h"]
_MEDIALS = ["a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi",
            "yu", "eu", "ui", "i"]
# A final at the end of a word or before a consonant.
_FINALS = ["", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p", "t", "t",
           "ng", "t", "t", "k", "t", "p", "t"]
# A final carried over to a following silent ㅇ: its sound as an initial.
_LINKED = ["", "g", "kk", "gs", "n", "nj", "nh", "d", "r", "lg", "lm", "lb", "ls", "lt", "lp", "lh", "m", "b", "bs",
           "s", "ss", "ng", "j", "ch", "k", "t", "p", ""]
_SILENT_INITIAL = 11
_FIRST, _LAST = 0xAC00, 0xD7A3
_SYLLABLE = re.compile("[\uac00-\ud7a3]")


def _split(ch: str) -> tuple[int, int, int] | None:
    code = ord(ch)
    if not _FIRST <= code <= _LAST:
        return None
    index = code - _FIRST
    return index // 588, (index % 588) // 28, index % 28


def romanize(text: str) -> str:
    """'경기도' -> 'gyeonggido', '서울특별시' -> 'seoulteukbyeolsi', '한국어' -> 'hangugeo'."""
    if not _SYLLABLE.search(text):  # nothing to romanize (every title's slug asks)
        return text
    out = []
    parts = [_split(ch) for ch in text]
    for i, ch in enumerate(text):
        part = parts[i]
        if part is None:
            out.append(ch)
            continue
        initial, medial, final = part
        following = parts[i + 1] if i + 1 < len(text) else None
        before_vowel = following is not None and following[0] == _SILENT_INITIAL
        out.append(_INITIALS[initial] + _MEDIALS[medial]
                   + (_LINKED[final] if before_vowel else _FINALS[final]))
    return "".join(out)
