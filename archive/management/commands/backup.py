"""python manage.py backup DEST: database snapshot, raw store, block list and manifest."""
from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from archive import audit
from archive.backup import BackupError, backup


class Command(BaseCommand):
    help = "Write a consistent backup (database, raw captures, block list, manifest with checksums) into DEST."

    def add_arguments(self, parser):
        parser.add_argument("dest", type=Path, help="a new or empty folder")

    def handle(self, *args, **options):
        try:
            timing = backup(options["dest"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        audit.record("backup", summary=f"backup to {options['dest']}"[:500], seconds=timing.seconds)
        self.stdout.write(f"Backup written to {options['dest']} ({timing}).")
