"""Which language a text is in: py3langid (a maintained identifier, 97 languages), chosen
over lingua-language-detector by the figures of bench/language_id.py (both without a miss
on the real dumps and the synthetic sets; py3langid about seven times faster and loaded in
half a second instead of fourteen; see bench/RESULTS.md).

The code is ISO 639-1 (the best two-letter code the identifier gives): vi, ko, fr, en, and any other
language's own code (ms, ja, ...), which the site shows by name and facets as `other`.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

# Below this probability the language is shown but flagged for an editor.
SURE = 0.90
# The identifier needs some letters: below this it says nothing useful.
MIN_LETTERS = 3


@dataclass(frozen=True)
class Identified:
    code: str
    probability: float


@functools.cache
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def identify(text: str) -> Identified:
    """The language of a text and how sure the identifier is; 'en' with probability 0
    when the text has no letters to go on."""
    if sum(ch.isalpha() for ch in text[:2000]) < MIN_LETTERS:
        return Identified("en", 0.0)
    code, probability = _identifier().classify(text)
    if len(code) == 2:
        return Identified(str(code), float(probability))
    ranked = _identifier().rank(text)
    # The model also knows languages with no ISO 639-1 code, and "zxx" (no linguistic
    # content, e.g. made-up words): the field holds two letters, so the best two-letter
    # code is taken, and its probability tells how sure that is.
    code, probability = next(((c, p) for c, p in ranked if len(c) == 2), ("en", 0.0))
    return Identified(str(code), float(probability))
