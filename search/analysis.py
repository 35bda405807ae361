"""The multilingual analyzer: one chain for Vietnamese, Korean, French and English.

NFC, Unicode word tokens, lower case, accent folding (đ -> d as well), no stemming and
no stop words. Hangul runs become overlapping character bigrams, so 경기도 (경기, 기도)
is found inside 경기도와 (경기, 기도, 도와); the schema parses a multi-token query word
as a phrase so that 경기도 does not match 기도 alone.

This module is engine-neutral: highlighting, query reading and the Whoosh backend all use
it (search/backends/whoosh/analysis.py wraps it as a Whoosh tokenizer); an OpenSearch
backend expresses the same chain as an index mapping (ICU folding plus a CJK bigram filter).
"""
from __future__ import annotations

import os
import re
from functools import lru_cache

from archive.textnorm import HANGUL_CLASS, nfc, strip_marks

# Bump when the tokens produced for any text change: the index is then rebuilt.
ANALYZER_VERSION = "archive-analyzer-2"

# A word: letters, digits and combining marks (text in NFD keeps its marks inside the word).
WORD_RE = re.compile(r"[^\W_][\w\u0300-\u036f]*", re.UNICODE)


@lru_cache(maxsize=200_000)
def fold_token(text: str) -> str:
    return strip_marks(text.lower())


_RUNS = re.compile(f"([{HANGUL_CLASS}]+)|([^{HANGUL_CLASS}]+)")
_HAS_HANGUL = re.compile(f"[{HANGUL_CLASS}]")


def _script_runs(word: str) -> list[tuple[int, int, bool]]:
    """Split a word into runs of Hangul and non-Hangul: 'MOU를' -> 'MOU', '를'."""
    if not _HAS_HANGUL.search(word):
        return [(0, len(word), False)]
    return [(m.start(), m.end(), m.group(1) is not None) for m in _RUNS.finditer(word)]


@lru_cache(maxsize=200_000)
def lower_token(text: str) -> str:
    return nfc(text.lower())


# How Hangul is indexed: "bigram" (the archive's choice), or "kiwi" (morphemes from the
# kiwipiepy analyzer, measured against bigrams in bench/relevance.py; not a dependency).
KOREAN_MODE = os.environ.get("ARCHIVE_KOREAN_TOKENS", "bigram")
_KIWI_CONTENT = ("NN", "NP", "NR", "VV", "VA", "XR", "SL", "SH", "SN", "MM", "MAG")


@lru_cache(maxsize=1)
def _kiwi():
    from kiwipiepy import Kiwi

    return Kiwi()


def _kiwi_pieces(piece: str, offset: int):
    for token in _kiwi().tokenize(piece):
        if token.tag.startswith(_KIWI_CONTENT):
            yield token.form, offset + token.start, offset + token.start + token.len


@lru_cache(maxsize=100_000)
def _word_tokens(word: str, folded: bool) -> tuple[tuple[str, int, int], ...]:
    """The tokens of one word, with offsets inside it. Words repeat across texts, so this
    is cached: tokenizing a page is then one regex pass and a look-up per word."""
    normalise = fold_token if folded else lower_token
    out: list[tuple[str, int, int]] = []
    for start, end, hangul in _script_runs(word):
        piece = word[start:end]
        if hangul and KOREAN_MODE == "kiwi":
            out.extend(_kiwi_pieces(piece, start))
        elif hangul and len(piece) > 1:
            out.extend((piece[i : i + 2], start + i, start + i + 2) for i in range(len(piece) - 1))
        else:
            out.append((normalise(piece), start, end))
    return tuple(out)


def iter_tokens(text: str, folded: bool = True):
    """(folded text, start char, end char) for every token, in order; with folded=False
    the tokens keep their diacritics (the exact field that ranks 'Hà Nam' typed with its
    marks above a page that only says 'Ha Nam')."""
    for match in WORD_RE.finditer(text):
        base = match.start()
        for token, start, end in _word_tokens(match.group(), folded):
            yield token, base + start, base + end


def token_list(text: str, folded: bool = True) -> list[tuple[str, int, int]]:
    """iter_tokens as a list, built without a generator's cost per token (snippets)."""
    out: list[tuple[str, int, int]] = []
    append, pieces = out.append, _word_tokens
    for match in WORD_RE.finditer(text):
        base = match.start()
        for token, start, end in pieces(match.group(), folded):
            append((token, base + start, base + end))
    return out


def analyze(text: str) -> list[str]:
    return [t for t, _, _ in iter_tokens(nfc(text))]
