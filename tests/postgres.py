"""PostgreSQL in the tests: `make test` runs the database-touching modules a second time
with ARCHIVE_DATABASE_URL pointing at a server that scripts/postgres started (Makefile
`test-postgres`). Tests that start their own archive processes give each one a database
of its own on that server."""
from __future__ import annotations

import os
import uuid
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

URL = os.environ.get("ARCHIVE_DATABASE_URL", "")


def reachable(url: str = URL) -> str | None:
    """None if the server at `url` answers, else why not."""
    import psycopg

    try:
        with psycopg.connect(_conninfo(url, "postgres"), connect_timeout=5):
            return None
    except psycopg.Error as exc:
        return f"PostgreSQL at {urlsplit(url).hostname}:{urlsplit(url).port} cannot be reached: {exc}"


def _conninfo(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + database))


@contextmanager
def fresh_database(url: str = URL):
    """A new empty database on the server of `url`, dropped afterwards; yields its URL."""
    import psycopg

    name = f"archive_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_conninfo(url, "postgres"), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _conninfo(url, name)
    finally:
        with psycopg.connect(_conninfo(url, "postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def connect(url: str):
    """A plain DB-API connection (for counting rows from outside the archive's processes)."""
    import psycopg

    return psycopg.connect(url)
