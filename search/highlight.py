"""Snippets that mark what actually matched, folded or not, as escaped HTML.

The text is tokenized with the index's own analyzer, keeping character offsets, so a
query for "binh phuoc" marks "Bình Phước" and 경기도 marks the 경기도 inside 경기도와.
Everything outside <mark> is escaped: scraped text never becomes markup.

Work is bounded whatever the article's size (imports accept 20 MB): a snippet is taken
from the first SCAN_CHARS of the text, from at most MAX_SPANS matches, in one pass.
"""
from __future__ import annotations

from itertools import compress, count

from html import escape  # django.utils.html.escape without its lazy-argument check; marked safe once

from django.utils.safestring import SafeString, mark_safe

from search.analysis import Tokens

SNIPPET_CHARS = 260
# A snippet is a window around the first matches: the text past this many characters is
# neither tokenized nor searched for them (a 3 MB page would otherwise cost seconds per hit).
SCAN_CHARS = 20_000
# Matches considered for the window: a page that repeats a word thousands of times needs
# no more to place a 260-character window.
MAX_SPANS = 200


def find_needles(tokens: Tokens, needles: list[tuple[str, ...]]) -> list[tuple[int, int, tuple]]:
    """(start, end, needle) of every occurrence of each token sequence in tokenized text."""
    first: dict[str, list[tuple[str, ...]]] = {}
    for needle in needles:
        first.setdefault(needle[0], []).append(needle)
    words = tokens.words
    found, pairs = [], []
    # Only the places where some needle's first word stands are compared further (found in C).
    for i in compress(count(), map(first.__contains__, words)):
        for needle in first[words[i]]:
            n = len(needle)
            if n == 1 or tuple(words[i : i + n]) == needle:
                found.append(needle)
                pairs.append((i, i + n - 1))
    return [(start, end, needle) for (start, end), needle in zip(tokens.spans(pairs), found)]


def found_of(found: list[tuple[int, int, tuple]], needles) -> list[tuple[int, int, tuple]]:
    """The occurrences of `needles` among find_needles' occurrences of these and others:
    each needle's occurrences do not depend on the other needles looked for with it."""
    kept = set(needles)
    return [occurrence for occurrence in found if occurrence[2] in kept]


def match_spans(text: str, needles: list[tuple[str, ...]], tokens: Tokens | None = None,
                found: list[tuple[int, int, tuple]] | None = None) -> list[tuple[int, int]]:
    """`tokens`: the text's tokens when the caller already has them; `found`: find_needles
    of those tokens for `needles` and perhaps other needles, when the caller already has it."""
    if not needles or not text:
        return []
    if found is None:
        found = find_needles(Tokens(text) if tokens is None else tokens, needles)
    else:
        found = found_of(found, needles)
    spans = sorted((start, end) for start, end, _ in found)
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _render(text: str, spans: list[tuple[int, int]], start: int, end: int) -> str:
    out, cursor = [], start
    for s, e in spans:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        out.append(escape(text[cursor:s]))
        out.append("<mark>" + escape(text[s:e]) + "</mark>")
        cursor = e
    out.append(escape(text[cursor:end]))
    return "".join(out)


def highlight_all(text: str, needles: list[tuple[str, ...]], found=None) -> SafeString:
    return mark_safe(_render(text, match_spans(text, needles, found=found), 0, len(text)))


def _snap_back(text: str, index: int) -> int:
    if index <= 0:
        return 0
    space = text.rfind(" ", 0, index)
    return space + 1 if space != -1 and index - space < 30 else index


def _snap_forward(text: str, index: int) -> int:
    if index >= len(text):
        return len(text)
    space = text.find(" ", index)
    return space if space != -1 and space - index < 30 else index


def normalized(text: str) -> str:
    """The text as snippets show it: runs of whitespace as one space."""
    return " ".join(text.split())


def scanned(text: str) -> str:
    """The part of a normalized text that snippets and "matched as" look at."""
    return text if len(text) <= SCAN_CHARS else text[:_snap_back(text, SCAN_CHARS)]


def _best_window(spans: list[tuple[int, int]], width: int) -> int:
    """The start of the first span of the window of `width` characters holding the most
    whole spans: two pointers over the sorted spans, so linear in their number."""
    best_start, best_count, last = spans[0][0], 0, 0
    for first, (anchor, _) in enumerate(spans):
        last = max(last, first)
        while last < len(spans) and spans[last][1] <= anchor + width:
            last += 1
        if last - first > best_count:
            best_start, best_count = anchor, last - first
    return best_start


def snippet(text: str, needles: list[tuple[str, ...]], size: int = SNIPPET_CHARS) -> SafeString:
    """The window of `text` with the most matches, escaped, matches in <mark>."""
    return scanned_snippet(scanned(normalized(text)), needles, size)


def scanned_snippet(text: str, needles: list[tuple[str, ...]], size: int = SNIPPET_CHARS,
                    tokens: Tokens | None = None, found=None) -> SafeString:
    """snippet() of a text already through scanned(normalized()); `tokens` and `found`: that
    text's tokens, or the needles found in them (match_spans), when the caller already has them."""
    spans = match_spans(text, needles, tokens, found)[:MAX_SPANS]
    if not spans:
        end = _snap_forward(text, size)
        return mark_safe(escape(text[:end]) + ("…" if end < len(text) else ""))
    best_start = _best_window(spans, size - 60)
    start = _snap_back(text, max(0, best_start - 60))
    end = _snap_forward(text, start + size)
    html = _render(text, spans, start, end)
    return mark_safe(("…" if start > 0 else "") + html + ("…" if end < len(text) else ""))
