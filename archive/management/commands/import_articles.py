"""python manage.py import_articles PATH... : files and folders of dumps and HTML pages."""
from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from archive.ingest.pipeline import import_path, import_status, iter_input_files
from archive.places import sync_places
from search.indexing import deferred_indexing, ensure_index

VERBS = {
    "imported": "imported",
    "merged": "merged as a copy of article",
    "unchanged": "unchanged (already imported as article",
    "rejected": "rejected",
}


class Command(BaseCommand):
    help = "Import scraped articles (plain-text dumps and HTML pages) from files and folders."

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
        counts = {key: 0 for key in VERBS}
        for name in missing:
            counts["rejected"] += 1
            self.stdout.write(f"{name}: rejected: no such file or folder")
        with deferred_indexing():
            for path in iter_input_files(p for p in paths if p.exists()):
                outcome = import_path(path, source_url=options["source_url"], site=options["site"],
                                      status=import_status(options["draft"]))
                counts[outcome.status] += 1
                if outcome.status == "imported":
                    line = f"{outcome.name}: imported as article {outcome.article_id}"
                elif outcome.status == "merged":
                    line = f"{outcome.name}: merged as a copy of article {outcome.article_id}"
                elif outcome.status == "unchanged":
                    line = f"{outcome.name}: unchanged (already imported, article {outcome.article_id})"
                else:
                    line = f"{outcome.name}: rejected: {outcome.reason}"
                self.stdout.write(line)
        summary = ", ".join(f"{n} {k}" for k, n in counts.items())
        self.stdout.write(f"Done: {summary}.")
        if counts["rejected"]:
            raise CommandError(f"{counts['rejected']} file(s) rejected", returncode=1)
