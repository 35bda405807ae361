"""What differs between the two databases the archive runs on: SQLite (the default) and
PostgreSQL (selected by ARCHIVE_DATABASE_URL).

SQLite has one writer at a time: every transaction starts with BEGIN IMMEDIATE (settings),
so an import's look-up-then-insert can never interleave with another writer. PostgreSQL
lets writers run side by side, so the places that need that guarantee say so here:
`import_lock` serialises the imports' duplicate look-up and insert among themselves
(an advisory lock: admin edits and readers do not wait for it), and `locked` re-reads
rows with FOR UPDATE so that two edits of one article queue instead of losing one.
On SQLite both are no-ops: the IMMEDIATE transaction already holds the only write lock.
"""
from __future__ import annotations

from urllib.parse import unquote, urlsplit

from django.db import connection

# Keys of the transaction-level advisory locks (any fixed 64-bit numbers).
IMPORT_LOCK = 0x19A2_C011


def database_from_url(url: str) -> dict:
    """Django's DATABASES entry for postgres://user:password@host:port/name."""
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql"):
        raise ValueError(f"ARCHIVE_DATABASE_URL must be postgres://user:password@host:port/name, not {url!r}")
    name = unquote(parts.path.lstrip("/"))
    if not name:
        raise ValueError(f"ARCHIVE_DATABASE_URL names no database: {url!r}")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        "TEST": {"NAME": f"test_{name}"},
    }


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def import_lock() -> None:
    """Inside a transaction: wait until no other import is storing a document, and hold
    that until this transaction ends."""
    if is_postgresql():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK])


def locked(queryset):
    """The queryset's rows locked for the rest of the transaction (FOR UPDATE)."""
    return queryset.select_for_update() if is_postgresql() else queryset


def lock_rows(queryset) -> None:
    """Lock the queryset's rows now (PostgreSQL), in primary-key order so that two
    transactions locking overlapping sets cannot deadlock."""
    if is_postgresql():
        list(queryset.select_for_update().order_by("pk").values_list("pk", flat=True))
