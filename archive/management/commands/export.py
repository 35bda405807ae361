"""python manage.py export --format jsonl [--output FILE]: the published archive for researchers."""
from __future__ import annotations

from django.core.management.base import BaseCommand

from archive import audit
from archive.exporting import iter_jsonl


class Command(BaseCommand):
    help = ("Write the published archive (articles, metadata, places, events, copies' URLs; "
            "never raw captures) as JSON Lines.")

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["jsonl"], default="jsonl")
        parser.add_argument("--output", "-o", help="a file to write (default: standard output)")

    def handle(self, *args, **options):
        count = 0
        out = open(options["output"], "w", encoding="utf-8") if options["output"] else None
        try:
            for line in iter_jsonl():
                if out:
                    out.write(line)
                else:
                    self.stdout.write(line, ending="")
                count += 1
        finally:
            if options["output"]:
                out.close()
        audit.record("export", summary=f"jsonl export of {count} articles (command)", articles=count)
        if options["output"]:
            self.stderr.write(f"{count} articles written to {options['output']}")
