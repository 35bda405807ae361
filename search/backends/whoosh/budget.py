"""A per-request time budget for Whoosh's matching.

Whoosh's own TimeLimitCollector starts a timer thread for every search, and a filter
wrapped around it bypasses its check. This checks a deadline as each match is found, with
no thread, wherever it sits; a budget of 0 refuses at the first match, which is how the
tests reach the refusal without timing anything.
"""
from __future__ import annotations

import time

from whoosh.collectors import WrappingCollector

from search.engine import QueryTooCostly


class DeadlineCollector(WrappingCollector):
    def __init__(self, child, seconds: float):
        super().__init__(child)
        self.seconds = seconds
        self.deadline = 0.0

    def prepare(self, top_searcher, q, context) -> None:
        self.child.prepare(top_searcher, q, context)
        self.deadline = time.monotonic() + self.seconds

    def matches(self):
        # Checked as each match is found, so the budget holds whichever collector loops
        # over the matches (a FilterCollector around this one calls matches() directly).
        for sub_docnum in self.child.matches():
            if time.monotonic() >= self.deadline:
                raise QueryTooCostly(f"the search took longer than {self.seconds:g} s")
            yield sub_docnum
