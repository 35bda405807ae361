"""python manage.py restore SRC: a backup into an empty data folder, the index rebuilt."""
from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from archive import audit
from archive.backup import BackupError, restore


class Command(BaseCommand):
    help = ("Restore a backup made by `backup` into an empty data folder (ARCHIVE_DATA_DIR): checksums "
            "verified first, then the database, the raw captures, the block list, and a rebuilt index.")

    def add_arguments(self, parser):
        parser.add_argument("src", type=Path)

    def handle(self, *args, **options):
        try:
            timing = restore(options["src"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        audit.record("restore", summary=f"restored from {options['src']}"[:500], seconds=timing.seconds)
        self.stdout.write(f"Restored from {options['src']} ({timing}).")
