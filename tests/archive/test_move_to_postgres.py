"""Moving an archive from SQLite to PostgreSQL the way README "Scaling out" says: dump the
SQLite database, load it into a new PostgreSQL database, copy the raw captures, rebuild the
index from the database and check it. On the seeds plus the relevance corpus, once onto
PostgreSQL with the Whoosh index, once onto PostgreSQL with OpenSearch (the scaled setup)."""
from __future__ import annotations

import json
import os
import shutil
import uuid
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from tests import postgres
from tests.search.opensearch_node import running_node
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


# Searches whose results the moved archive must give as the old one gave them.
QUERIES = ["Binh Phuoc", "호치민", "jumelage", "TP.HCM", "Gyeonggi -Hanoi", "biên bản ghi nhớ", "Séoul"]
FOUND = ("import json, sys; from search.service import run_search; "
         "print(json.dumps({q: sorted(h.article.id for h in run_search(q=q, page_size=100).hits) "
         "for q in json.loads(sys.argv[1])}))")


def found(env: dict) -> dict:
    env = {**env, "ARCHIVE_SEARCH_CACHE": "0"}
    result = subprocess.run([sys.executable, "-c", "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', "
                             "'archive.settings'); django.setup(); " + FOUND, json.dumps(QUERIES)],
                            cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def old_archive(tmp_path_factory):
    """The SQLite archive to move (seeds plus the relevance corpus), its dump and its answers."""
    if not postgres.URL:
        # Not a missing service: this is the SQLite pass; `make test` runs the module again
        # on PostgreSQL (make test-postgres), where a server that cannot be reached fails.
        pytest.skip("runs in the PostgreSQL pass: ARCHIVE_DATABASE_URL is not set (make test-postgres sets it)")
    if why := postgres.reachable():
        service_unavailable(why)
    folder = tmp_path_factory.mktemp("move")
    old = env_for(folder / "old")
    manage(old, "migrate", "--noinput")
    imported = manage(old, "import_articles", REPO / "seeds", CORPUS)
    assert " 0 rejected." in imported
    rows = dump(old, folder / "archive.json")
    assert sum(r["model"] == "archive.article" for r in rows) >= 150
    answers = found(old)
    assert sum(map(len, answers.values())) > 0
    return folder, rows, answers


def move(folder: Path, into: Path, env: dict) -> None:
    """README "Scaling out", steps 2 to 4: load the dump, copy the raw captures, rebuild, check."""
    manage(env, "migrate", "--noinput")
    manage(env, "loaddata", folder / "archive.json")
    shutil.copytree(folder / "old" / "raw", into / "raw")
    manage(env, "rebuild_index")
    assert "The index matches the database." in manage(env, "check_index")


def test_an_archive_moved_from_sqlite_to_postgresql_keeps_every_row_and_its_index(old_archive, tmp_path):
    folder, before, answers = old_archive
    with postgres.fresh_database() as url:
        new = env_for(tmp_path / "new", url)
        move(folder, tmp_path / "new", new)
        moved = dump(new, tmp_path / "moved.json")
        assert len(moved) == len(before)
        assert [d for a, b in zip(before, moved) if (d := differences(a, b))] == []
        assert found(new) == answers
        # New rows continue after the moved ones (the loaded ids moved the sequences on).
        manage(new, "import_articles", REPO / "tests" / "fixtures")
        assert "The index matches the database." in manage(new, "check_index")


@pytest.fixture(scope="module")
def opensearch_url(old_archive):
    yield from running_node()


def test_an_archive_moved_to_postgresql_and_opensearch_finds_what_it_found(old_archive, opensearch_url, tmp_path):
    folder, before, answers = old_archive
    with postgres.fresh_database() as url:
        index = f"move-{uuid.uuid4().hex[:8]}"
        new = {**env_for(tmp_path / "new", url), "ARCHIVE_SEARCH_ENGINE": "opensearch",
               "ARCHIVE_OPENSEARCH_URL": opensearch_url, "ARCHIVE_OPENSEARCH_INDEX": index}
        move(folder, tmp_path / "new", new)
        assert len(dump(new, tmp_path / "moved.json")) == len(before)
        # The same articles found (the order may differ: another scorer).
        assert found(new) == answers
        manage(new, "import_articles", REPO / "tests" / "fixtures")
        assert "The index matches the database." in manage(new, "check_index")
