"""The query compiler: query objects (search.querytree) to Whoosh queries.

A phrase is analyzed by each text field's own analyzer and searched in every text field
with the field's weight: one token is a term, two are one term of the field's word-pair
field (schema.PAIR_FIELDS), more are a phrase of consecutive pairs there (so 경기도,
indexed as the bigrams 경기 기도, is the pair "경기 기도" and never matches 기도 alone).
A phrase of pairs matches exactly where the phrase of words does, over postings much
shorter than the words'. A place the query names (an Alternatives of kind "place") is one
term of the place field (schema.PLACE_FIELD), OR its spellings as words, for the mentions
the gazetteer missed: each spelling the And of its word pairs, so no spelling needs
positions. Filters become a Whoosh filter
query, which restricts the matches without scoring them.
"""
from __future__ import annotations

from whoosh import query as wq
from whoosh.matching import RequireMatcher
from whoosh.query import spans
from whoosh.fields import Schema

from search import querytree as qt
from search.backends.whoosh.analysis import pairs
from search.backends.whoosh.schema import DATE_FIELD, EXACT_FIELD, PLACE_FIELD, TEXT_FIELDS, pair_field


# A Prefer tier's score: far above any BM25F score a match can reach in this archive (a
# query's score is a sum over at most 32 items of a few units each).
TIER_SCORE = 10_000.0
# Literal first (search.query): an article is in the tier of the words as typed when they are
# in its title or qt.literal_repeats() times in its text. By default a single passing mention
# is not: ranked in the tier, it pushed articles about the same thing in other languages off
# the first page (bench/RESULTS.md, "Literal first": every literal match in the tier made
# Korean and French nDCG@10 fall; 2 repeats still cost Korean 0.001; 3 raised every language).
# The place-id term's weight against the spellings' words (compiler._place). Measured on
# the judged set (all spellings): 1 -> nDCG@10 0.905, place recall@20 0.951; 2 -> 0.905,
# 0.950; 3 -> 0.905, 0.952; 6 -> 0.904, 0.950.
PLACE_BOOST = 3.0


class _SpanNear(spans.SpanNear2):
    """Whoosh 2.7's SpanNear2 names an unimported module in `_and_query` (used to estimate
    its size): the same, with the import that method needs."""

    def _and_query(self):
        return wq.And(self.qs)


class _Require(wq.Require):
    """Whoosh 2.7's Require builds an AndNotMatcher (the first query's matches *without*
    the second's): the same query with the matcher its docstring describes, the first
    query's matches that the second has too, scored by the first alone."""

    def matcher(self, searcher, context=None):
        scored = self.a.matcher(searcher, context)
        required = self.b.matcher(searcher, searcher.boolean_context())
        return RequireMatcher(scored, required)


class WhooshCompiler:
    def __init__(self, schema: Schema, place_spellings: str = "all"):
        self.schema = schema
        self.place_spellings = place_spellings

    def compile(self, query: qt.Query) -> wq.Query:
        # normalize() flattens nested Ors and Ands and drops what cannot match, as
        # Whoosh's own parser does with what it builds.
        return self._compile(query).normalize()

    def _compile(self, query: qt.Query) -> wq.Query:
        if isinstance(query, qt.MatchAll):
            return wq.Every()
        if isinstance(query, qt.Phrase):
            return wq.Or([self._words(name, query.text, boost) for name, boost in TEXT_FIELDS.items()])
        if isinstance(query, qt.Exact):
            return self._exact(query)
        if isinstance(query, qt.And):
            return self._and(query.parts)
        if isinstance(query, qt.Alternatives) and query.kind == "place" and query.key and PLACE_FIELD in self.schema:
            return self._place(query)
        if isinstance(query, qt.Or):  # Alternatives included
            return wq.Or([self._compile(part) for part in query.parts])
        if isinstance(query, qt.Not):
            return wq.Not(self._compile(query.part))
        if isinstance(query, qt.Prefer):
            tiers = [wq.ConstantScoreQuery(self._literal_tier(part.text), TIER_SCORE) for part in query.preferred]
            if not tiers:
                return self._compile(query.query)
            return wq.AndMaybe(self._compile(query.query), tiers[0] if len(tiers) == 1 else wq.Or(tiers))
        raise TypeError(f"no Whoosh form for {type(query).__name__}")

    def _and(self, parts: tuple[qt.Query, ...]) -> wq.Query:
        # Whoosh's normalize() reads an And holding an unfielded Every as Every, which
        # would drop the exclusions of "-busan" (everything but Busan): MatchAll is left
        # out of an And, and an And of exclusions only is everything but those.
        parts = tuple(p for p in parts if not isinstance(p, qt.MatchAll))
        if not parts:
            return wq.Every()
        if all(isinstance(p, qt.Not) for p in parts):
            return wq.AndNot(wq.Every(), wq.Or([self._compile(p.part) for p in parts]))
        return wq.And([self._compile(part) for part in parts])

    def _place(self, query: qt.Alternatives) -> wq.Query:
        """The place's id, OR, for mentions the gazetteer did not find (beyond the first
        100,000 characters, or refused by its context rules), its spellings as words:
        - "all" (the archive's): every alias, each one term or pair term, rarely a phrase
          of pairs; their scores rank the matches as before;
        - "typed": only the words as typed (and their exact form). One term and the typed
          words, but measured on the judged set it ranks articles in the typed script above
          the rest: nDCG@10 0.896 -> 0.884, place recall@20 0.954 -> 0.944
          (bench/RESULTS.md, "Query speed (issue 20 items 1–3)")."""
        place = wq.Term(PLACE_FIELD, query.key, boost=PLACE_BOOST)
        if self.place_spellings == "all":
            return wq.Or([place, *(self._spelling(part) for part in query.parts)])
        typed = [self._compile(qt.Phrase(query.label))] if query.label else []
        exact = [self._compile(part) for part in query.parts if isinstance(part, qt.Exact)]
        return wq.Or([place, *typed, *exact])

    def _spelling(self, part: qt.Query) -> wq.Query:
        """A place's spelling as words: every word pair of it in a field, in any order (an
        And of its pair terms, not a phrase of them). A spelling of three words or more
        (most Hangul and many Vietnamese ones) then needs no positions; its pairs standing
        apart in one article, and not together, is what it gives up. Measured on the judged
        set and at 100,000 articles: bench/RESULTS.md, "Whoosh at 100,000 files after this
        stop's query and merge work"."""
        if isinstance(part, qt.Phrase):
            return wq.Or([self._words(name, part.text, boost, ordered=False) for name, boost in TEXT_FIELDS.items()])
        if isinstance(part, qt.Exact):
            return self._exact(part, ordered=False)
        return self._compile(part)

    def _tokens(self, field: str, text: str) -> list[str]:
        return [t.text for t in self.schema[field].analyzer(text, mode="query")]

    def _words(self, field: str, text: str, boost: float, ordered: bool = True) -> wq.Query:
        tokens = self._tokens(field, text)
        if not tokens:
            return wq.NullQuery
        if len(tokens) == 1:
            # Unweighted, as Whoosh's query parser built a one-word phrase (it drops the
            # field's weight): the ranking measured by bench/relevance.py. Weighting it
            # is a change of relevance, to be measured on its own.
            return wq.Term(field, tokens[0])
        pair_name = pair_field(field, self.schema)
        if pair_name is None:  # haystack's analyzer, measured against ours: no pair fields
            return wq.Phrase(field, tokens, boost=boost)
        units = pairs(tokens)
        if len(units) == 1:
            return wq.Term(pair_name, units[0], boost=boost)
        if not ordered:
            return wq.And([wq.Term(pair_name, unit) for unit in units], boost=boost)
        return wq.Phrase(pair_name, units, boost=boost)

    def _exact(self, query: qt.Exact, ordered: bool = True) -> wq.Query:
        """The words with their diacritics, to rank: one word is a term (unweighted, as
        Whoosh's parser built it); more are each word in the exact field, scored with the
        boost, where the folded phrase is too. The exact field keeps no positions: this
        ranks first the articles with the phrase as typed, and also the rare one with the
        phrase folded and the words with their marks elsewhere. It adds no match: an
        Exact is always an alternative beside the folded phrase of the same words."""
        tokens = self._tokens(EXACT_FIELD, query.text)
        if len(tokens) <= 1:
            return wq.Term(EXACT_FIELD, tokens[0]) if tokens else wq.NullQuery
        words = wq.And([wq.Term(EXACT_FIELD, token) for token in tokens], boost=query.boost / len(tokens))
        return _Require(words, self._words("text", query.text, 1.0, ordered))

    def _once(self, field: str, tokens: list[str]) -> wq.Query:
        """One occurrence of the words in order, as a span query (repeatable)."""
        if len(tokens) == 1:
            return wq.Term(field, tokens[0])
        pair_name = pair_field(field, self.schema)
        if pair_name is None:
            return _SpanNear([wq.Term(field, token) for token in tokens], slop=1, ordered=True)
        units = pairs(tokens)
        if len(units) == 1:
            return wq.Term(pair_name, units[0])
        return _SpanNear([wq.Term(pair_name, unit) for unit in units], slop=1, ordered=True)

    def _literal_tier(self, text: str) -> wq.Query:
        """The articles about the words as typed: in the title, or at least
        qt.literal_repeats() times in the text (a span of the phrase, repeated in order)."""
        title = self._words("title", text, 1.0)
        tokens = self._tokens("text", text)
        if not tokens:
            return wq.NullQuery
        once = self._once("text", tokens)
        repeats = qt.literal_repeats()
        return wq.Or([title, once if repeats == 1 else _SpanNear([once] * repeats, slop=1_000_000, ordered=True)])

    def compile_filters(self, filters: tuple[qt.Filter, ...]) -> wq.Query | None:
        terms: list[wq.Query] = []
        for condition in filters:
            if isinstance(condition, qt.FieldIn):
                values = [wq.Term(condition.field, v) for v in condition.values]
                terms.append(values[0] if len(values) == 1 else wq.Or(values))
            elif isinstance(condition, qt.DateRange):
                # Unknown dates are stored as 0: never inside a range.
                terms.append(wq.NumericRange(DATE_FIELD, condition.start or 1, condition.end))
            else:
                raise TypeError(f"no Whoosh form for {type(condition).__name__}")
        return wq.And(terms) if terms else None
