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
from bisect import bisect_right
from functools import lru_cache
from itertools import accumulate, chain, repeat
from operator import itemgetter

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


# WORD_RE as a splitter: split() gives the words at odd indexes and what lies between
# them at even ones, in one pass in C.
_WORD_SPLIT = re.compile(f"({WORD_RE.pattern})")
_TOKEN_TEXT = itemgetter(0)
# Words that are exactly one token covering the whole word (most words outside Hangul, and
# Hangul words of one or two syllables), with that token's text, by mode (folded or not);
# any other word seen maps to False. For a text of such words, its tokens are one dictionary
# look-up per word, in C. Filled as words are first seen; emptied when it reaches ONE_TOKEN_WORDS.
_ONE_TOKEN: dict[bool, dict[str, str | bool]] = {True: {}, False: {}}
ONE_TOKEN_WORDS = 200_000


def _one_token_texts(words: list[str], folded: bool) -> list[str | bool]:
    """Each word's token text when the word is one token covering it, else False."""
    known = _ONE_TOKEN[folded]
    texts = list(map(known.get, words))
    if None in texts:
        if len(known) >= ONE_TOKEN_WORDS:
            known.clear()
            unknown = set(words)
        else:
            unknown = {word for word, text in zip(words, texts) if text is None}
        for word in unknown:
            pieces = _word_tokens(word, folded)
            one = len(pieces) == 1 and pieces[0][1] == 0 and pieces[0][2] == len(word)
            known[word] = pieces[0][0] if one else False
        texts = list(map(known.get, words))
    return texts


class Tokens:
    """A text's tokens, the same as iter_tokens gives (iterating a Tokens yields them),
    held as built in C rather than as a tuple per token: `words`, every token's text in
    order, and each token's character offsets, worked out only when asked for (`spans`).

    A snippet compares every token of a result's text with the query's words but needs the
    offsets of the few that match. When every word of the text is one token (_ONE_TOKEN),
    the tokens are the words' texts looked up in one pass; otherwise each word's tokens come
    from _word_tokens, with their offsets inside the word."""

    __slots__ = ("words", "_parts", "_pieces", "_starts", "_firsts")

    def __init__(self, text: str, folded: bool = True):
        self._parts = parts = _WORD_SPLIT.split(text)
        self._starts = None
        words = parts[1::2]
        texts = _one_token_texts(words, folded)
        if False not in texts:
            # Token i is word i, whole: no pieces needed.
            self.words: list[str] = texts
            self._pieces = self._firsts = None
            return
        # Each word's tokens, with their offsets inside the word (cached by word).
        self._pieces = pieces = list(map(_word_tokens, words, repeat(folded)))
        self.words = list(map(_TOKEN_TEXT, chain.from_iterable(pieces)))
        # The index in `words` of each word's first token, unless every word is one token
        # (a Hangul run is several; a word may also be none).
        self._firsts = None if len(self.words) == len(pieces) and all(pieces) else \
            list(accumulate(map(len, pieces), initial=0))

    def _word_starts(self) -> list[int]:
        """Where each word starts: the k-th word, parts[2k + 1], starts where parts[0 .. 2k] end."""
        if self._starts is None:
            self._starts = list(accumulate(map(len, self._parts)))[::2]
        return self._starts

    def spans(self, pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """The characters each (first, last) pair of token indexes covers, both included."""
        if not pairs:
            return []
        starts, pieces, firsts = self._word_starts(), self._pieces, self._firsts
        if pieces is None:  # token i is word i, whole
            parts = self._parts
            return [(starts[i], starts[j] + len(parts[2 * j + 1])) for i, j in pairs]
        if firsts is None:  # token i is word i's only token
            return [(starts[i] + pieces[i][0][1], starts[j] + pieces[j][0][2]) for i, j in pairs]
        out = []
        for i, j in pairs:
            # The word of a token: the last to start at or before it.
            k, m = bisect_right(firsts, i) - 1, bisect_right(firsts, j) - 1
            out.append((starts[k] + pieces[k][i - firsts[k]][1], starts[m] + pieces[m][j - firsts[m]][2]))
        return out

    def __iter__(self):
        starts = self._word_starts()
        if self._pieces is None:
            for base, word, token in zip(starts, self._parts[1::2], self.words):
                yield token, base, base + len(word)
            return
        for base, pieces in zip(starts, self._pieces):
            for token, start, end in pieces:
                yield token, base + start, base + end


def analyze(text: str) -> list[str]:
    return [t for t, _, _ in iter_tokens(nfc(text))]
