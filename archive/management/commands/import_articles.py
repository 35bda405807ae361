"""python manage.py import_articles PATH... : dumps, HTML pages, zip and WARC files."""
from __future__ import annotations

import json
import os
import sys
from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from archive.ingest.pipeline import iter_input_files
from archive.ingest.report import describe, reported_statuses, summary
from archive.ingest.run import ImportRun, import_status
from archive.ingest.store import Outcome


# Below this many files, worker processes cost more to start than they save.
PARALLEL_FROM = 200


class Command(BaseCommand):
    help = "Import scraped articles (text dumps, HTML pages, zip and WARC files) from files and folders."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument("--source-url", help="where the page was captured (one file only)")
        parser.add_argument("--site", help="the site the files were captured from")
        parser.add_argument("--draft", action="store_true",
                            help="new articles wait as drafts for an editor (also ARCHIVE_IMPORT_STATUS=draft)")
        parser.add_argument("--json", action="store_true", help="print a machine-readable report instead")
        parser.add_argument("--workers", type=int, default=None,
                            help="processes that read and clean pages while this one stores them "
                                 "(default: one per core for 200 files or more, else none)")
        parser.add_argument("--progress", action="store_true",
                            help="show the progress bar even when standard error is not a terminal")

    def handle(self, *args, **options):
        paths = options["paths"]
        if options["source_url"] and (len(paths) != 1 or paths[0].is_dir()):
            raise CommandError("--source-url names one page: give exactly one file with it")
        as_json = options["json"]
        outcomes = [Outcome(str(p), "rejected", reason="no such file or folder") for p in paths if not p.exists()]
        files = list(iter_input_files(p for p in paths if p.exists()))
        workers = options["workers"]
        if workers is None:
            workers = (os.cpu_count() or 1) if len(files) >= PARALLEL_FROM else 1
        show_bar = not as_json and (options["progress"] or sys.stderr.isatty())
        bar = tqdm(total=len(files), unit="file", disable=not show_bar, file=sys.stderr, dynamic_ncols=True)
        # Entering the run syncs the places, checks the index and marks the journal;
        # leaving it flushes the index and syncs the raw captures.
        with ImportRun(import_status(options["draft"]), background_index=workers > 1, batched_sync=True,
                       origin="command") as run:
            if run.index_rebuilt and not as_json:
                self._line("The search index was rebuilt (its version had changed).", bar, as_json)
            for outcome in outcomes:
                self._line(describe(outcome), bar, as_json)
            # read -> clean -> extract (events included) -> fingerprint -> store, file by file
            for outcome in run.import_files(files, source_url=options["source_url"], site=options["site"],
                                            workers=workers):
                outcomes.append(outcome)
                self._line(describe(outcome), bar, as_json)
                bar.update(1)
        # -> index: written in batches during the run, and the rest when it ended.
        bar.close()
        if as_json:
            self.stdout.write(json.dumps(report_json(outcomes), ensure_ascii=False, indent=1))
        else:
            self.stdout.write(summary_table(outcomes))
            self.stdout.write(summary(outcomes))
        rejected = sum(1 for o in outcomes if o.status == "rejected")
        if rejected:
            raise CommandError(f"{rejected} file(s) rejected", returncode=1)

    def _line(self, text: str, bar, as_json: bool) -> None:
        if as_json:
            return
        if bar.disable:
            self.stdout.write(text)
        else:
            bar.write(text, file=self.stdout)


def summary_table(outcomes: list[Outcome]) -> str:
    counts = Counter(o.status for o in outcomes)
    reasons = Counter(o.reason for o in outcomes if o.status == "rejected")
    width = max(len(s) for s in reported_statuses(outcomes))
    lines = ["", f"{'outcome':<{width}}  files", f"{'-' * width}  -----"]
    lines += [f"{status:<{width}}  {counts.get(status, 0):5d}" for status in reported_statuses(outcomes)]
    if reasons:
        lines += ["", "rejected because:"]
        lines += [f"  {n:5d}  {reason}" for reason, n in reasons.most_common()]
    return "\n".join(lines)


def report_json(outcomes: list[Outcome]) -> dict:
    counts = Counter(o.status for o in outcomes)
    return {
        "summary": {status: counts.get(status, 0) for status in reported_statuses(outcomes)},
        "files": [
            {"name": o.name, "status": o.status, "article": o.article_id, "reason": o.reason or None}
            for o in outcomes
        ],
    }
