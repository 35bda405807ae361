"""Stage 4, fingerprint: an exact hash and a near-duplicate sketch of the cleaned text.

The sketch is a bottom-k MinHash of character 5-grams taken after removing everything
but letters and digits. Copies of one article differ by glued words ("Conseilde") and
leftover chrome; on seeds 000/001 word shingles overlap about 0.6 while these character
shingles stay near the top. One hash per shingle keeps it cheap: k smallest values of a
single hash function estimate Jaccard similarity.
"""
from __future__ import annotations

import hashlib
import heapq
import re
import zlib
from dataclasses import dataclass

from archive.textnorm import fold

SHINGLE = 5
SKETCH_SIZE = 128
# Lookup keys find the candidates a new text is compared with: the 32 smallest hashes of
# its word 3-grams. Character 5-grams (the sketch) are shared by thousands of articles in
# one language, so their smallest hashes point at everything; word 3-grams outside set
# phrases are rare, and a copy shares most of them. A lookup reads only a sample of each
# key's copies (store.KEY_SAMPLE) and ranks candidates by how many keys they share, so
# finding a copy costs the same at 100 articles and at 100,000.
LOOKUP_KEYS = 32
KEY_WORDS = 3
# Estimated Jaccard similarity above which two cleaned texts may be copies of one article
# (bench/near_duplicates.py: the lowest true copy is near 0.57, the highest rewrite 0.30);
# between it and CERTAIN, the copies must also name the same places and numbers, since
# two stories written from one template ("tỉnh X thăm và làm việc với tỉnh Y") reach 0.74.
DUPLICATE_THRESHOLD = 0.5
CERTAIN_THRESHOLD = 0.9
_NUMBER = re.compile(r"\d+(?:[.,/:]\d+)*")

_NOT_ALNUM = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class Fingerprint:
    text_sha256: str
    sketch: list[int]
    keys: list[int]


def squeeze(folded: str) -> str:
    """Folded text (textnorm.fold) with only its letters and digits."""
    return _NOT_ALNUM.sub("", folded)


def sketch(text: str, k: int = SKETCH_SIZE) -> list[int]:
    return _sketch(fold(text), k)


def _sketch(folded: str, k: int = SKETCH_SIZE) -> list[int]:
    squeezed = squeeze(folded)
    shingles = {squeezed[i : i + SHINGLE] for i in range(max(1, len(squeezed) - SHINGLE + 1))}
    hashes = {zlib.crc32(s.encode("utf-8")) for s in shingles if s}
    return sorted(heapq.nsmallest(k, hashes))


def similarity(a: list[int], b: list[int], k: int = SKETCH_SIZE) -> float:
    """Bottom-k estimate of the Jaccard similarity of the two shingle sets."""
    if not a or not b:
        return 0.0
    set_a, set_b = set(a), set(b)
    union = sorted(set_a | set_b)[:k]
    both = set_a & set_b
    return sum(1 for h in union if h in both) / len(union)


def may_reach(a: set[int], b: list[int], threshold: float = DUPLICATE_THRESHOLD, k: int = SKETCH_SIZE) -> bool:
    """False only when similarity(a, b) < threshold for certain, found without sorting:
    the estimate counts shared hashes among the k smallest of the union, so it is at most
    all the shared hashes over min(k, the union's size). A sketch's hashes are distinct.
    Most candidates a lookup finds are not copies, and stop here."""
    shared = len(a.intersection(b))
    union = min(k, len(a) + len(b) - shared)
    return union > 0 and shared / union >= threshold


def lookup_keys(text: str, k: int = LOOKUP_KEYS) -> list[int]:
    return _lookup_keys(fold(text), k)


def _lookup_keys(folded: str, k: int = LOOKUP_KEYS) -> list[int]:
    words = _NOT_ALNUM.split(folded)
    words = [w for w in words if w]
    grams = {" ".join(words[i : i + KEY_WORDS]) for i in range(max(1, len(words) - KEY_WORDS + 1))}
    return sorted(heapq.nsmallest(k, {zlib.crc32(g.encode("utf-8")) for g in grams if g}))


def fingerprint(text: str) -> Fingerprint:
    normalized = " ".join(text.split())
    folded = fold(text)  # once for both the sketch and the keys: a whole text is long
    return Fingerprint(
        text_sha256=hashlib.sha256(normalized.encode("utf-8")).hexdigest(),
        sketch=_sketch(folded),
        keys=_lookup_keys(folded),
    )


def numbers(text: str) -> set[str]:
    """Dates, amounts and counts written in the text: copies share them, templates do not."""
    return {n for n in _NUMBER.findall(text) if len(n) >= 2}


def _jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a | b else 1.0


def same_article(score: float, places_a, places_b, numbers_a: set[str], numbers_b: set[str]) -> bool:
    if score < DUPLICATE_THRESHOLD:
        return False
    if score >= CERTAIN_THRESHOLD:
        return True
    return _jaccard(set(places_a), set(places_b)) >= 0.6 and _jaccard(numbers_a, numbers_b) >= 0.5
