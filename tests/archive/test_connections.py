"""A server process keeps its database connection between requests (archive.settings,
ARCHIVE_DB_CONN_MAX_AGE): opening one for every request cost about 1.5 ms of CPU on SQLite.

Run in a fresh process with the archive's own settings: Django's test client disconnects
the end-of-request handler that closes connections, so it cannot show this."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

# Two requests as Django's handler frames them (request_started, a query, request_finished):
# prints whether the second request used the first one's connection.
CYCLE = """
import django
django.setup()
from django.core.signals import request_finished, request_started
from django.db import connection
seen = []
for _ in range(2):
    request_started.send(sender=None)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    seen.append(connection.connection)
    request_finished.send(sender=None)
print("same" if seen[0] is seen[1] and seen[0] is not None else "new")
"""


def cycle(tmp_path: Path, **env: str) -> str:
    child = {**os.environ, "ARCHIVE_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "archive.settings", **env}
    child.pop("ARCHIVE_DATABASE_URL", None)
    child.pop("ARCHIVE_DB_PATH", None)
    result = subprocess.run([sys.executable, "-c", CYCLE], cwd=REPO, env=child, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip()


def test_a_server_process_keeps_its_database_connection_between_requests(tmp_path):
    assert cycle(tmp_path) == "same"


def test_a_zero_age_opens_a_connection_for_every_request(tmp_path):
    assert cycle(tmp_path, ARCHIVE_DB_CONN_MAX_AGE="0") == "new"
