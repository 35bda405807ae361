"""Text normalisation shared by the ingest pipeline, the gazetteer and the search analyzer.

`fold` is the one definition of "the same word with or without diacritics": the
analyzer in `search/analysis.py` and the gazetteer both call it, so a place alias and
an indexed token always fold the same way.
"""
from __future__ import annotations

import re
import unicodedata

# Letters that NFD does not decompose into base + combining mark.
_EXTRA_FOLDS = str.maketrans(
    {
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "ø": "o",
        "Ø": "O",
        "ł": "l",
        "Ł": "L",
        "ı": "i",
        "œ": "oe",
        "Œ": "OE",
        "æ": "ae",
        "Æ": "AE",
        "ß": "ss",
    }
)

_HANGUL_RANGES = ((0xAC00, 0xD7A3), (0x1100, 0x11FF), (0x3130, 0x318F))


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def strip_marks(text: str) -> str:
    """Remove combining marks but keep Hangul syllables whole.

    NFD (not NFKD) splits Latin letters from their accents; it also splits Hangul
    syllables into jamo, so the result is recomposed with NFC.
    """
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped).translate(_EXTRA_FOLDS)


def fold(text: str) -> str:
    """Lower-case and strip diacritics: 'Bình Phước' -> 'binh phuoc', 'Đà Nẵng' -> 'da nang'."""
    return strip_marks(nfc(text).lower())


def is_hangul(ch: str) -> bool:
    code = ord(ch)
    return any(lo <= code <= hi for lo, hi in _HANGUL_RANGES)


_SLUG_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def slugify_ascii(text: str) -> str:
    """ASCII slug: 'Hồ Chí Minh' -> 'ho-chi-minh', 'Jeollanam-do' -> 'jeollanam-do'."""
    return _SLUG_NON_ALNUM.sub("-", fold(text)).strip("-")
