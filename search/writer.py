"""The lock every index write takes, whichever engine holds the index.

Whoosh allows one writer at a time and fails the others with LockError (or, through
haystack's defaults, drops their writes with only a log line). Every write first takes an
exclusive lock on a file beside the index, blocking until the current writer commits, so
writes from the site, imports and commands queue up instead of colliding. The lock is an
OS file lock: it is released when its holder exits, even by SIGKILL.

The lock is re-entrant within a thread: a rebuild holds it while it recreates the index,
and creating the index takes it too. (Two flocks on two descriptors of one file in one
process would deadlock each other.)
"""
from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_thread_lock = threading.RLock()
# Lock file -> how many times the thread holding `_thread_lock` has entered it.
_depth: dict[Path, int] = {}


def lock_path(index_path: str) -> Path:
    path = Path(index_path)
    return path.parent / f".{path.name}.write.lock"


@contextmanager
def index_lock(index_path: str) -> Iterator[None]:
    path = lock_path(index_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with _thread_lock:
        if _depth.get(path):
            _depth[path] += 1
            try:
                yield
            finally:
                _depth[path] -= 1
            return
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            _depth[path] = 1
            yield
        finally:
            _depth.pop(path, None)
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)
