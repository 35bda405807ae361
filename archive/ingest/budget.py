"""A time budget for one document's stages, so that one page can never stall an import.

The budget is an interval timer (SIGALRM) in the process doing the work: the import run's
worker processes, or the command's own process. It raises `Overrun`, a BaseException so
that no stage's `except Exception` can swallow it. Where no timer can be set (a thread
other than the main one, as under Django's development server), the work runs unbounded
but still under the element and depth limits of archive/ingest/html.py.
"""
from __future__ import annotations

import signal
import threading
from contextlib import contextmanager


class Overrun(BaseException):
    """The document ran past its time budget."""


def _on_alarm(signum, frame):
    raise Overrun


def can_bound() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def budget(seconds: float):
    """Raise `Overrun` inside the block once `seconds` have passed (0 or less: no budget)."""
    if seconds <= 0 or not can_bound():
        yield
        return
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
