"""Build haystack's default index over an archive data folder, timed (measurement only).

    .venv/bin/python bench/haystack_default/build.py --data-dir DATA --index-dir DIR

Sets ARCHIVE_DATA_DIR=DATA, HAYSTACK_DEFAULT_INDEX=DIR and
DJANGO_SETTINGS_MODULE=bench.haystack_default.settings, then runs haystack's
`rebuild_index --noinput` exactly as a user would (default batch size, one process,
no options) and prints one JSON line:

    {"docs": N, "seconds": S, "docs_per_s": R, "index_bytes": B}

`seconds` covers the whole command (clear_index + update_index), not Django's start-up.
The command's own output goes to stderr. rebuild_index deletes the index folder first
(the Whoosh backend's clear() removes the whole directory), so DIR must be empty, absent,
or a Whoosh index, and must not be the archive's own index or data folder.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(REPO))


def _looks_like_whoosh_index(path: Path) -> bool:
    names = [p.name for p in path.iterdir()]
    return all(
        n.endswith((".toc", ".seg", ".pst", ".trm", ".fdt", ".fdi", ".vps", ".lck", ".tmp"))
        or n.startswith(("_MAIN_", "MAIN_"))
        for n in names
    )


def _check_index_dir(index_dir: Path, data_dir: Path) -> None:
    if index_dir in (data_dir, data_dir / "whoosh_index", REPO, REPO / "data"):
        sys.exit(f"refusing to rebuild into {index_dir}: that is the archive's own folder")
    if index_dir.exists() and not index_dir.is_dir():
        sys.exit(f"{index_dir} exists and is not a folder")
    if index_dir.is_dir() and not _looks_like_whoosh_index(index_dir):
        sys.exit(f"refusing to rebuild into {index_dir}: it holds files that are not a Whoosh index, "
                 "and rebuild_index deletes the folder")


def folder_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", required=True, type=Path, help="the archive data folder (ARCHIVE_DATA_DIR)")
    parser.add_argument("--index-dir", required=True, type=Path, help="where haystack's default index goes")
    args = parser.parse_args(argv)
    data_dir, index_dir = args.data_dir.resolve(), args.index_dir.resolve()
    if not (data_dir / "archive.sqlite3").exists():
        sys.exit(f"no archive database in {data_dir}: run migrate and import_articles first")
    _check_index_dir(index_dir, data_dir)

    os.environ["ARCHIVE_DATA_DIR"] = str(data_dir)
    os.environ["HAYSTACK_DEFAULT_INDEX"] = str(index_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.haystack_default.settings"

    import django

    django.setup()
    from django.core.management import call_command
    from haystack import connections

    from archive.models import Article

    unified = connections["default"].get_unified_index()
    indexes = unified.get_indexes()
    loaded = {type(i).__module__ for i in indexes.values()}
    if loaded != {"bench.haystack_default.search_indexes"} or "search.search_indexes" in sys.modules:
        sys.exit(f"unexpected search indexes loaded: {sorted(loaded)}")

    started = time.perf_counter()
    call_command("rebuild_index", "--noinput", stdout=sys.stderr, stderr=sys.stderr)
    seconds = time.perf_counter() - started

    backend = connections["default"].get_backend()
    backend.setup()
    docs = backend.index.refresh().doc_count()
    expected = unified.get_index(Article).index_queryset().count()
    if docs != expected:
        print(f"warning: {docs} documents in the index, {expected} published articles", file=sys.stderr)
    print(json.dumps({
        "docs": docs,
        "seconds": round(seconds, 2),
        "docs_per_s": round(docs / seconds, 1) if seconds else None,
        "index_bytes": folder_bytes(index_dir),
    }))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
