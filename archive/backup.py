"""Backups that restore: a consistent snapshot of the database, the raw store and the
block list, with a manifest of checksums; and its restore into an empty data folder.

A backup folder holds:

    manifest.json        what is here, each file's sha256 and size, the schema it was made at
    archive.sqlite3      the database, copied with SQLite's online backup API (a consistent
                         snapshot while the site serves and imports run)
    blocklist.json       the block list (archive.blocklist), readable without the database
    raw/ab/cd/<sha256>   the raw captures the snapshot's rows point at (purged ones are gone)

The search index is not in it: a restore rebuilds it from the database, which is the source
of truth. Raw captures are written before the rows that name them commit, so every row of
the snapshot finds its bytes; files written after the snapshot are left out.

PostgreSQL does not exist in this project yet: on another database `backup` refuses, and
`pg_dump` comes with the scale-out issue.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

FORMAT = 1
DB_FILE = "archive.sqlite3"
BLOCKLIST_FILE = "blocklist.json"
MANIFEST = "manifest.json"


class BackupError(Exception):
    pass


@dataclass
class Timing:
    seconds: dict

    def __str__(self) -> str:
        return ", ".join(f"{k} {v:.2f} s" for k, v in self.seconds.items())


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _require_sqlite() -> None:
    if connection.vendor != "sqlite":
        raise BackupError(f"backups are made for SQLite only; this database is {connection.vendor} "
                          "(pg_dump comes with the scale-out issue)")


def _raw_dir() -> Path:
    return Path(settings.RAW_CAPTURE_DIR)


def _raw_relative(sha256: str) -> str:
    return f"raw/{sha256[:2]}/{sha256[2:4]}/{sha256}"


def _migrations(db: sqlite3.Connection) -> dict:
    rows = db.execute("SELECT app, name FROM django_migrations ORDER BY id").fetchall()
    latest: dict[str, str] = {}
    for app, name in rows:
        latest[app] = name
    return latest


def backup(dest: Path) -> Timing:
    """Write a backup into `dest`, a folder that must not exist or be empty."""
    _require_sqlite()
    dest = Path(dest)
    if dest.exists() and any(dest.iterdir()):
        raise BackupError(f"{dest} is not empty")
    dest.mkdir(parents=True, exist_ok=True)
    seconds = {}
    start = time.perf_counter()
    connection.ensure_connection()
    snapshot = sqlite3.connect(dest / DB_FILE)
    try:
        connection.connection.backup(snapshot)  # pages copied in one consistent read
        seconds["database"] = time.perf_counter() - start
        start = time.perf_counter()
        blocked = [{"kind": k, "value": v, "reason": r, "created": c} for k, v, r, c in snapshot.execute(
            "SELECT kind, value, reason, created FROM archive_blockeditem ORDER BY id")]
        captures = [row[0] for row in snapshot.execute(
            "SELECT sha256 FROM archive_rawcapture WHERE purged_at IS NULL ORDER BY id")]
        migrations = _migrations(snapshot)
        counts = {table: snapshot.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
                  for table in ("archive_article", "archive_copy", "archive_rawcapture",
                                "archive_partnershipevent", "archive_articlechange", "archive_blockeditem")}
    finally:
        snapshot.close()
    (dest / BLOCKLIST_FILE).write_text(json.dumps(blocked, ensure_ascii=False, indent=1), encoding="utf-8")
    files = {}
    missing = []
    for sha256 in captures:
        source = _raw_dir() / sha256[:2] / sha256[2:4] / sha256
        relative = _raw_relative(sha256)
        if not source.exists():
            missing.append(sha256)
            continue
        target = dest / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        files[relative] = {"sha256": sha256, "size": target.stat().st_size}
    seconds["raw store"] = time.perf_counter() - start
    start = time.perf_counter()
    for name in (DB_FILE, BLOCKLIST_FILE):
        files[name] = {"sha256": _sha256_file(dest / name), "size": (dest / name).stat().st_size}
    manifest = {
        "format": FORMAT,
        "created": timezone.now().isoformat(),
        "database": "sqlite",
        "migrations": migrations,
        "counts": counts,
        "missing_raw": missing,
        "files": files,
    }
    (dest / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
    os.sync()
    seconds["manifest"] = time.perf_counter() - start
    return Timing(seconds)


def verify(src: Path) -> dict:
    """The manifest, once every file it lists has its size and checksum (raw captures are
    named by their checksum, so they are checked too)."""
    src = Path(src)
    try:
        manifest = json.loads((src / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"{src / MANIFEST}: {exc}") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"backup format {manifest.get('format')} is not {FORMAT}")
    for relative, expected in manifest["files"].items():
        path = src / relative
        if not path.exists():
            raise BackupError(f"{relative} is missing from the backup")
        if path.stat().st_size != expected["size"] or _sha256_file(path) != expected["sha256"]:
            raise BackupError(f"{relative} does not match its checksum in the manifest")
    return manifest


def _database_empty() -> bool:
    from archive.models import Article, RawCapture

    tables = connection.introspection.table_names()
    if "archive_article" not in tables:
        return True
    return not Article.objects.exists() and not RawCapture.objects.exists()


def _raw_store_empty() -> bool:
    root = _raw_dir()
    return not root.exists() or not any(p.is_file() for p in root.rglob("*"))


def restore(src: Path) -> Timing:
    """Restore a verified backup into an empty data folder (no articles, no raw captures),
    then bring the schema up to date, rebuild the index and reapply the block list."""
    from django.core.cache import caches
    from django.core.management import call_command

    from archive import blocklist
    from archive.models import RawCapture
    from search.indexing import rebuild_index

    _require_sqlite()
    src = Path(src)
    seconds = {}
    start = time.perf_counter()
    manifest = verify(src)
    if not _database_empty() or not _raw_store_empty():
        raise BackupError("the data folder is not empty: restore into a new ARCHIVE_DATA_DIR")
    seconds["verify"] = time.perf_counter() - start
    start = time.perf_counter()
    connection.ensure_connection()
    source = sqlite3.connect(src / DB_FILE)
    try:
        source.backup(connection.connection)
    finally:
        source.close()
    call_command("migrate", "--noinput", verbosity=0)
    seconds["database"] = time.perf_counter() - start
    start = time.perf_counter()
    for relative in manifest["files"]:
        if relative.startswith("raw/"):
            target = _raw_dir() / relative[len("raw/"):]
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src / relative, target)
    seconds["raw store"] = time.perf_counter() - start
    start = time.perf_counter()
    blocklist.load(json.loads((src / BLOCKLIST_FILE).read_text(encoding="utf-8")))
    from archive.ingest.store import raw_path

    for capture in RawCapture.objects.exclude(purged_at=None):
        raw_path(capture.sha256).unlink(missing_ok=True)
    seconds["block list"] = time.perf_counter() - start
    start = time.perf_counter()
    caches["search"].clear()
    rebuild_index()
    seconds["index"] = time.perf_counter() - start
    return Timing(seconds)
