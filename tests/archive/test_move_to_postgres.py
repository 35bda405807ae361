"""Moving an archive from SQLite to PostgreSQL the way README "Scaling out" says: dump the
SQLite database, load it into a new PostgreSQL database, copy the raw captures, rebuild the
index from the database and check it. On the seeds plus the relevance corpus."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from tests import postgres
from tests.services import service_unavailable

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "tests" / "relevance" / "corpus"
# What the README's dump leaves out: rows that migrate makes (content types, permissions)
# and log-in sessions.
EXCLUDE = ["contenttypes", "auth.permission", "sessions"]

pytestmark = pytest.mark.slow  # separate processes, two databases


def manage(env: dict, *args) -> str:
    result = subprocess.run([sys.executable, "manage.py", *map(str, args)], cwd=REPO, env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout


def dump(env: dict, path: Path) -> list:
    manage(env, "dumpdata", "--natural-foreign", "--natural-primary", "--indent", "1",
           *(f"--exclude={e}" for e in EXCLUDE), "--output", path)
    return sorted(json.loads(path.read_text(encoding="utf-8")), key=lambda r: (r["model"], str(r.get("pk"))))


def _same(old, new) -> bool:
    """Equal, where a time counts to the millisecond: dumpdata writes no finer."""
    if old == new:
        return True
    try:
        return datetime.fromisoformat(old) == datetime.fromisoformat(new)
    except (TypeError, ValueError):
        return False


def differences(old: dict, new: dict) -> tuple | None:
    fields = sorted(set(old["fields"]) | set(new["fields"]))
    changed = {f: (old["fields"].get(f), new["fields"].get(f)) for f in fields
               if not _same(old["fields"].get(f), new["fields"].get(f))}
    return (old["model"], old.get("pk"), changed) if changed or old.get("pk") != new.get("pk") else None


def env_for(data: Path, database_url: str = "") -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in ("ARCHIVE_DATABASE_URL", "ARCHIVE_DB_PATH", "ARCHIVE_INDEX_PATH")}
    env.update(ARCHIVE_DATA_DIR=str(data), PYTHONUNBUFFERED="1")
    if database_url:
        env["ARCHIVE_DATABASE_URL"] = database_url
    return env


def test_an_archive_moved_from_sqlite_to_postgresql_keeps_every_row_and_its_index(tmp_path):
    if not postgres.URL:
        # Not a missing service: this is the SQLite pass; `make test` runs the module again
        # on PostgreSQL (make test-postgres), where a server that cannot be reached fails.
        pytest.skip("runs in the PostgreSQL pass: ARCHIVE_DATABASE_URL is not set (make test-postgres sets it)")
    if why := postgres.reachable():
        service_unavailable(why)
    old = env_for(tmp_path / "old")
    manage(old, "migrate", "--noinput")
    imported = manage(old, "import_articles", REPO / "seeds", CORPUS)
    assert " 0 rejected." in imported
    before = dump(old, tmp_path / "archive.json")
    assert sum(r["model"] == "archive.article" for r in before) >= 150

    with postgres.fresh_database() as url:
        new = env_for(tmp_path / "new", url)
        manage(new, "migrate", "--noinput")
        manage(new, "loaddata", tmp_path / "archive.json")
        shutil.copytree(tmp_path / "old" / "raw", tmp_path / "new" / "raw")
        manage(new, "rebuild_index")
        assert "The index matches the database." in manage(new, "check_index")
        moved = dump(new, tmp_path / "moved.json")
        assert len(moved) == len(before)
        assert [d for a, b in zip(before, moved) if (d := differences(a, b))] == []
        # New rows continue after the moved ones (the loaded ids moved the sequences on).
        manage(new, "import_articles", REPO / "tests" / "fixtures")
        assert "The index matches the database." in manage(new, "check_index")
