"""Keeping the index in step with the database, which is the source of truth.

- `index_articles(ids)`: published articles are (re)indexed, all others removed: the one
  write path, under `search.writer`'s lock.
- `AFTER_COMMIT`: an edit's articles are indexed once its transaction commits (the admin,
  a shell, the signals).
- `IndexBatch`: an import run's articles, collected and written in batches, flushed
  explicitly by the run.
- `ensure_index()`: the index records the version of its schema and analyzer; when the
  code's version differs (or the index is missing or unreadable) it is rebuilt.
"""
from __future__ import annotations

import json
import logging
import multiprocessing
from collections.abc import Iterable
from contextlib import contextmanager
from pathlib import Path

from django.db import transaction

from search.analysis import ANALYZER_VERSION

log = logging.getLogger(__name__)
VERSION_FILE = "archive_index_version.json"
BATCH = 500
# Bulk imports write bigger batches: fewer Whoosh segments to merge later.
BULK_BATCH = 2000


def backend():
    from search.engine import engine

    return engine()


def index_articles(ids: Iterable[int], batch: int = BATCH) -> None:
    ids = sorted(set(ids))
    if not ids:
        return
    for start in range(0, len(ids), batch):
        backend().index_ids(ids[start : start + batch])


class AfterCommit:
    """Index articles once the current transaction commits (at once outside one): reading
    them again after the commit gives the index their final state, places included."""

    def add(self, ids: Iterable[int]) -> None:
        ids = list(ids)
        transaction.on_commit(lambda: index_articles(ids))


AFTER_COMMIT = AfterCommit()


class IndexBatch:
    """An import run's articles waiting for the index, written in batches so a crash loses
    at most one batch (and `write_journal` repairs even that on the next run). Ids are
    taken when their transaction commits, as `AfterCommit` would index them.

    In the background (bulk imports), each batch is written by a forked child process
    while this one goes on storing: Whoosh's indexing is pure Python and would otherwise
    take half of the importing process's time. One child at a time, so batches land in
    order; a batch whose child failed is written again here, so no write is lost."""

    def __init__(self, background: bool = False):
        self.background = background
        self.pending: set[int] = set()
        self.child = None
        self.child_batch: list[int] = []

    def add(self, ids: Iterable[int]) -> None:
        ids = list(ids)
        transaction.on_commit(lambda: self._collect(ids))

    def _collect(self, ids: list[int]) -> None:
        self.pending.update(ids)
        if len(self.pending) >= (BULK_BATCH if self.background else BATCH):
            self.flush(final=False)

    def flush(self, final: bool = True) -> None:
        """Write what is waiting; `final` writes it here and waits for any child, so the
        index holds every article of the run when it returns."""
        batch = sorted(self.pending)
        self.pending.clear()
        if self.background and not final:
            self.wait()
            context = multiprocessing.get_context("fork")
            self.child = context.Process(target=_index_in_child, args=(batch,), daemon=False)
            self.child.start()
            self.child_batch = batch
            return
        self.wait()
        index_articles(batch)

    def wait(self) -> None:
        if self.child is None:
            return
        self.child.join()
        failed = self.child.exitcode != 0
        self.child = None
        if failed:
            log.warning("a background index write failed; writing its %d articles here", len(self.child_batch))
            index_articles(self.child_batch)
        self.child_batch = []


_inherited: list = []


def _index_in_child(ids: list[int]) -> None:
    from django.db import connections as db_connections

    from archive.procname import name_process

    name_process("import-index")

    # The parent's database connections are not this process's to use or to close
    # (closing SQLite's handle here could checkpoint the parent's WAL): they are set
    # aside, never closed, and the process ends without cleaning up.
    for connection in db_connections.all(initialized_only=True):
        _inherited.append(connection.connection)
        connection.connection = None
    # Written BATCH articles a commit, as everywhere: one commit of the whole batch held
    # the index lock for 24-79 s on the shared machine (bench/RESULTS.md, issue 20 item 4).
    index_articles(ids)
    db_connections.close_all()


def _journal_dir() -> Path:
    return Path(backend().path).parent / "import-journal"


def dead_import_marks() -> list[Path]:
    """Marks left by imports whose process is gone (killed mid-import)."""
    import os

    dead = []
    for mark in sorted(_journal_dir().glob("*.pid")):
        try:
            os.kill(int(mark.stem), 0)
            continue  # still running
        except (ValueError, ProcessLookupError):
            dead.append(mark)
        except PermissionError:
            continue
    return dead


def heal_killed_imports() -> int:
    """After an import that was killed, bring the index in line with the database (the
    articles it stored but never indexed) and clear its mark. Returns the articles
    re-indexed. Run by every import, `ensure_index` (server start) and `check_index`."""
    marks = dead_import_marks()
    if not marks:
        return 0
    differences = compare_with_database()
    repaired = 0
    if any(differences.values()):
        log.warning("an earlier import did not finish; repairing the index: %s",
                    {k: len(v) for k, v in differences.items()})
        repaired = repair(differences)
    for mark in marks:
        mark.unlink(missing_ok=True)
    return repaired


@contextmanager
def write_journal():
    """Mark a bulk write in progress. A process killed mid-import leaves its mark behind;
    the next run, server start or index check sees a mark whose process is gone and
    repairs the index from the database (`heal_killed_imports`)."""
    import os

    journal = _journal_dir()
    journal.mkdir(parents=True, exist_ok=True)
    heal_killed_imports()
    mine = journal / f"{os.getpid()}.pid"
    mine.write_text("")
    try:
        yield
    finally:
        mine.unlink(missing_ok=True)


def schema_version() -> str:
    """The analyzer version and the schema's fields, computed without opening the index."""
    from search.analysis import KOREAN_MODE

    analyzer = backend().connection_options.get("ANALYZER", "archive") + f"/{KOREAN_MODE}"
    return f"{ANALYZER_VERSION}:{analyzer}|" + backend().schema_signature()


def _version_path() -> Path:
    return Path(backend().path) / VERSION_FILE


def stored_version() -> str | None:
    try:
        return json.loads(_version_path().read_text())["version"]
    except (OSError, ValueError, KeyError):
        return None


def rebuild_index() -> int:
    """Drop the index and index every published article again. Returns the count."""
    from archive.models import Article

    b = backend()
    # Written as a bulk import writes (Whoosh: no merge per batch, one merge at the end,
    # once the new index is complete and its lock given back).
    with b.bulk_writes(), b.building():
        ids = list(Article.objects.published().values_list("id", flat=True))
        for start in range(0, len(ids), BATCH):
            b.index_ids(ids[start : start + BATCH])
    _version_path().write_text(json.dumps({"version": schema_version()}))
    log.info("search index rebuilt with %d articles", len(ids))
    return len(ids)


def ensure_index(deep: bool = False) -> bool:
    """Rebuild the index if its version is not the code's, or if it cannot be read.
    Returns True if it rebuilt. `deep`: read every segment and stored document to be sure
    (server start, check_index, a search that failed); otherwise opening it is enough."""
    current = schema_version()
    if stored_version() == current:
        try:
            if deep:
                backend().verify_readable()
            else:
                backend().document_count()
            return False
        except Exception:  # an unreadable index is rebuilt from the database
            log.exception("search index unreadable; rebuilding")
    rebuild_index()
    return True


def readable(full: bool = False) -> str | None:
    """Why the index cannot be read to the end, or None when it can."""
    try:
        backend().verify_readable(full=full)
    except Exception as exc:  # noqa: BLE001 - any failure to read is the answer
        return f"{type(exc).__name__}: {exc}"[:500]
    return None


def compare_with_database() -> dict[str, list[int]]:
    """Differences between the database (the truth) and the index."""
    from archive.models import Article

    truth = {pk: updated.isoformat() for pk, updated in Article.objects.published().values_list("id", "updated")}
    indexed = backend().indexed_state()
    return {
        "missing": sorted(set(truth) - set(indexed)),
        "extra": sorted(set(indexed) - set(truth)),
        "stale": sorted(pk for pk in set(truth) & set(indexed) if truth[pk] != indexed[pk]),
    }


def repair(differences: dict[str, list[int]]) -> int:
    ids = set().union(*differences.values())
    index_articles(ids)
    return len(ids)
