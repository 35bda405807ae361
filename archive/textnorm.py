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


class _StripTable(dict):
    """The `str.translate` table `strip_marks` applies to NFD text: a combining mark
    (`unicodedata.combining` != 0) is deleted, a letter of _EXTRA_FOLDS replaced, any other
    character kept.

    Folding then costs one dict look-up per character in C, where testing each character
    in Python was most of the import pipeline's folding time. The table is filled on first
    sight of each character (its value is a pure function of the code point, so it is
    never stale) instead of by scanning all of Unicode in every process, and it keeps the
    characters left as they are too: a table of the marks alone would raise and catch a
    KeyError for every other character. It keeps at most _STRIP_TABLE_SIZE characters
    (a text of every code point must not make it hold all of Unicode); past that, a new
    character is worked out each time it is seen, with the same result.

    The extra folds may come before the NFC step: none of those letters has a canonical
    decomposition, and once the marks are gone they compose with nothing, so NFC cannot
    tell whether they were replaced before it or after.
    """

    def __missing__(self, code: int) -> str | int | None:
        value = None if unicodedata.combining(chr(code)) else _EXTRA_FOLDS.get(code, code)
        if len(self) < _STRIP_TABLE_SIZE:
            self[code] = value
        return value


# Latin, Vietnamese, Hangul syllables and jamo, punctuation: a few thousand in practice.
_STRIP_TABLE_SIZE = 50_000


_STRIP_TABLE = _StripTable()


def strip_marks(text: str) -> str:
    """Remove combining marks but keep Hangul syllables whole.

    NFD (not NFKD) splits Latin letters from their accents; it also splits Hangul
    syllables into jamo, so the result is recomposed with NFC.
    """
    if text.isascii():
        return text  # no marks, no extra folds, and NFD and NFC leave ASCII as it is
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", decomposed.translate(_STRIP_TABLE))


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
