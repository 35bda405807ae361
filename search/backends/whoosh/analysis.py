"""The archive's analyzer chain (search.analysis) as Whoosh tokenizers: one for the folded
fields, one that keeps diacritics for the exact field."""
from __future__ import annotations

from whoosh.analysis import Token, Tokenizer

from archive.textnorm import nfc
from search.analysis import fold_token, iter_tokens


class ArchiveTokenizer(Tokenizer):
    """Tokenizes, lower-cases and folds in one pass: the whole chain, for speed."""

    folded = True

    def __eq__(self, other):
        return other.__class__ is self.__class__

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        value = nfc(value)
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            token.original = token.text = fold_token(value)
            token.boost = 1.0
            if positions:
                token.pos = start_pos
            if chars:
                token.startchar, token.endchar = start_char, start_char + len(value)
            yield token
            return
        for pos, (text, start, end) in enumerate(iter_tokens(value, self.folded)):
            token.text = text
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = value[start:end]
            if positions:
                token.pos = start_pos + pos
            if chars:
                token.startchar = start_char + start
                token.endchar = start_char + end
            yield token


class ExactTokenizer(ArchiveTokenizer):
    """The same tokens, diacritics kept."""

    folded = False


def ArchiveAnalyzer():  # noqa: N802 - Whoosh analyzers are built by factory functions
    return ArchiveTokenizer()


def ExactAnalyzer():  # noqa: N802
    return ExactTokenizer()


# Word pairs: two consecutive tokens joined by a space (no token holds one), so that a
# two-word phrase is one term and a longer one a phrase of pairs (compiler.py).
PAIR_SEPARATOR = " "


def pairs(tokens: list[str]) -> list[str]:
    """The consecutive pairs of a token sequence: a b c -> 'a b', 'b c'."""
    return [f"{a}{PAIR_SEPARATOR}{b}" for a, b in zip(tokens, tokens[1:])]


class PairTokenizer(Tokenizer):
    """The pairs of another tokenizer's tokens (the folded ones), pair i at position i:
    pairs i and i + 1 are then adjacent exactly when the words i, i + 1, i + 2 are."""

    def __init__(self, words: Tokenizer):
        self.words = words

    def __eq__(self, other):
        return other.__class__ is self.__class__ and other.words == self.words

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        previous = None
        pos = start_pos
        for word in self.words(value, positions=False, chars=chars, start_char=start_char, mode=mode):
            if previous is not None:
                token.text = f"{previous[0]}{PAIR_SEPARATOR}{word.text}"
                token.boost = 1.0
                token.stopped = False
                if positions:
                    token.pos = pos
                if chars:
                    token.startchar, token.endchar = previous[1], word.endchar
                pos += 1
                yield token
            previous = (word.text, word.startchar if chars else 0)


def PairAnalyzer():  # noqa: N802
    return PairTokenizer(ArchiveTokenizer())
