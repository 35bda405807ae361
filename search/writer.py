"""The one write path into the Whoosh index.

Whoosh allows one writer at a time and fails the others with LockError (or, through
haystack's defaults, drops their writes with only a log line). Every write here first
takes an exclusive lock on a file beside the index, blocking until the current writer
commits, so writes from the site, imports and commands queue up instead of colliding.
The lock is an OS file lock: it is released when its holder exits, even by SIGKILL.
"""
from __future__ import annotations

import fcntl
import os
import threading
from contextlib import contextmanager
from pathlib import Path

_thread_lock = threading.RLock()


def lock_path(index_path: str) -> Path:
    path = Path(index_path)
    return path.parent / f".{path.name}.write.lock"


@contextmanager
def index_lock(index_path: str):
    path = lock_path(index_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with _thread_lock:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)


@contextmanager
def locked_writer(backend):
    """A committed-or-cancelled Whoosh writer, held under the index lock."""
    with index_lock(backend.path):
        backend.index = backend.index.refresh()
        writer = backend.index.writer()
        try:
            yield writer
        except BaseException:
            writer.cancel()
            raise
        else:
            writer.commit()
