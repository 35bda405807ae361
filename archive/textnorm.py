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


HANGUL_CLASS = "\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f"


def is_hangul(ch: str) -> bool:
    # Plain comparisons: this runs for every character the archive indexes.
    return "\uac00" <= ch <= "\ud7a3" or "\u1100" <= ch <= "\u11ff" or "\u3130" <= ch <= "\u318f"


_SLUG_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def slugify_ascii(text: str) -> str:
    """ASCII slug: 'Hồ Chí Minh' -> 'ho-chi-minh', 'Jeollanam-do' -> 'jeollanam-do'."""
    return _SLUG_NON_ALNUM.sub("-", fold(text)).strip("-")
