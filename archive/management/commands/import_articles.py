"""python manage.py import_articles PATH... : files and folders of dumps and HTML pages."""
from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from archive.ingest.pipeline import import_file, import_status, iter_input_files
from archive.ingest.report import describe, summary
from archive.ingest.store import Outcome
from archive.places import sync_places
from search.indexing import deferred_indexing, ensure_index, write_journal


class Command(BaseCommand):
    help = "Import scraped articles (text dumps, HTML pages, zip and WARC files) from files and folders."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument("--source-url", help="where the page was captured (one file only)")
        parser.add_argument("--site", help="the site the files were captured from")
        parser.add_argument("--draft", action="store_true",
                            help="new articles wait as drafts for an editor (also ARCHIVE_IMPORT_STATUS=draft)")

    def handle(self, *paths, **options):
        paths = options["paths"]
        missing = [str(p) for p in paths if not p.exists()]
        if options["source_url"] and (len(paths) != 1 or paths[0].is_dir()):
            raise CommandError("--source-url names one page: give exactly one file with it")
        sync_places()
        if ensure_index():
            self.stdout.write("The search index was rebuilt (its version had changed).")
        outcomes = [Outcome(name, "rejected", reason="no such file or folder") for name in missing]
        for outcome in outcomes:
            self.stdout.write(describe(outcome))
        with write_journal(), deferred_indexing():
            for path in iter_input_files(p for p in paths if p.exists()):
                for outcome in import_file(path, source_url=options["source_url"], site=options["site"],
                                           status=import_status(options["draft"])):
                    outcomes.append(outcome)
                    self.stdout.write(describe(outcome))
        self.stdout.write(summary(outcomes))
        rejected = sum(1 for o in outcomes if o.status == "rejected")
        if rejected:
            raise CommandError(f"{rejected} file(s) rejected", returncode=1)
