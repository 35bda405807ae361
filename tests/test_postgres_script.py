"""scripts/postgres, which `make postgres` and `make test-postgres` use: a real server started
and stopped twice over in a folder of its own, on a port of the project's range."""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests import postgres
from tests.services import service_unavailable

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "postgres"
PORT = 55434


def run(action: str, folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["sh", str(SCRIPT), action, str(folder), str(PORT)], capture_output=True,
                          text=True, timeout=180)


@pytest.fixture
def folder():
    # Not pytest's tmp_path: its parents are closed to the postgres user the server runs as.
    path = Path(tempfile.mkdtemp(prefix="archive-postgres-"))
    yield path
    run("stop", path)
    shutil.rmtree(path, ignore_errors=True)


def test_start_and_stop_are_idempotent_and_serve_the_archive_database(folder):
    first = run("start", folder)
    if first.returncode == 3:
        service_unavailable(first.stderr.strip())
    assert first.returncode == 0, first.stderr
    url = first.stdout.strip()
    assert url == f"postgres://archive:archive@127.0.0.1:{PORT}/archive"
    again = run("start", folder)
    assert again.returncode == 0 and again.stdout.strip() == url, again.stderr
    with postgres.connect(url) as conn:
        assert conn.execute("SELECT current_user, current_database()").fetchone() == ("archive", "archive")
    assert postgres.reachable(url) is None

    assert run("stop", folder).returncode == 0
    assert postgres.reachable(url) is not None
    assert run("stop", folder).returncode == 0
