"""The same event listed twice on a timeline, on the 166-article relevance corpus
(issue 14, item 5).

    python bench/event_duplicates.py            # prints the figures
    python bench/event_duplicates.py --record   # and appends them to bench/RESULTS.md

The corpus is imported into a temporary archive (a child process with its own
ARCHIVE_DATA_DIR). What a partnership's timeline lists is then checked two ways, both
independent of how the archive groups reports:
- repeats: listed rows that are the same real-world event as another listed row: same type,
  same parties, dates linked by a chain of reports ±3 days apart (day precision) or in the
  same month (month precision), counted as rows minus connected groups;
- one sentence, two types: a sentence of one article listed under two types for the same
  parties where neither is a visit (the "other" plus "sister-city agreement" case).
Runs on any commit: a tree without merge_reports lists one row per report.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "tests" / "relevance" / "corpus"


def linked(a, b) -> bool:
    if a.date is None or b.date is None:
        return a.date is None and b.date is None
    if (a.date_precision or "day") == "day" and (b.date_precision or "day") == "day":
        return abs((a.date - b.date).days) <= 3
    if "year" in (a.date_precision, b.date_precision):
        return a.date.year == b.date.year
    return (a.date.year, a.date.month) == (b.date.year, b.date.month)


def child() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from archive import partnerships
    from archive.models import Article, PartnershipEvent

    call_command("migrate", verbosity=0)
    call_command("import_articles", str(CORPUS), stdout=open(os.devnull, "w"))
    reports = list(PartnershipEvent.objects.filter(article__status=Article.Status.PUBLISHED)
                   .exclude(status=PartnershipEvent.Status.REJECTED).select_related("vn", "kr"))
    merge = getattr(partnerships, "merge_reports", None)
    listed = [g.first for g in merge(reports)] if merge else reports
    by_key = defaultdict(list)
    for row in listed:
        by_key[(row.type, row.vn_id, row.kr_id)].append(row)
    groups = 0
    for rows in by_key.values():
        parent = list(range(len(rows)))

        def find(i):
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        for i in range(len(rows)):
            for j in range(i + 1, len(rows)):
                if linked(rows[i], rows[j]):
                    parent[find(i)] = find(j)
        groups += len({find(i) for i in range(len(rows))})
    types_of = defaultdict(set)
    for row in reports:
        if row.type != "visit":
            types_of[(row.article_id, row.sentence, row.vn_id, row.kr_id)].add(row.type)
    two_types = sum(1 for types in types_of.values() if len(types) > 1)
    print(json.dumps({"articles": Article.objects.published().count(), "reports": len(reports),
                      "listed": len(listed), "repeats": len(listed) - groups, "two_types": two_types,
                      "merged": merge is not None}))


def run(tree: Path) -> dict:
    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "ARCHIVE_DATA_DIR": data, "DJANGO_SETTINGS_MODULE": "archive.settings",
               "PYTHONPATH": str(tree)}
        result = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child"], cwd=tree, env=env,
                                capture_output=True, text=True, check=True)
        return json.loads(result.stdout.strip().splitlines()[-1])


def commit(ref: str = "HEAD") -> str:
    return subprocess.run(["git", "rev-parse", "--short", ref], cwd=REPO, capture_output=True,
                          text=True).stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", action="store_true")
    parser.add_argument("--before", help="also run the archive as of this commit (a git archive in a temp dir)")
    parser.add_argument("--record", action="store_true")
    args = parser.parse_args()
    if args.child:
        sys.path.insert(0, os.getcwd())
        child()
        return
    runs = []
    if args.before:
        with tempfile.TemporaryDirectory() as tree:
            archive = subprocess.run(["git", "archive", args.before], cwd=REPO, capture_output=True, check=True)
            subprocess.run(["tar", "-x", "-C", tree], input=archive.stdout, check=True)
            runs.append((f"before ({commit(args.before)})", run(Path(tree))))
    runs.append((f"after ({commit()})", run(REPO)))
    lines = [f"### Duplicate events on the relevance corpus — {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, "
             f"{platform.machine()} {os.cpu_count()} cores", "",
             f"`python bench/event_duplicates.py{' --before ' + args.before if args.before else ''}` on "
             "tests/relevance/corpus (166 files).", "",
             "| code | published articles | event reports | timeline rows | same event listed again | "
             "one sentence, two types |", "| --- | --- | --- | --- | --- | --- |"]
    for name, r in runs:
        lines.append(f"| {name} | {r['articles']} | {r['reports']} | {r['listed']} | {r['repeats']} | "
                     f"{r['two_types']} |")
    text = "\n".join(lines) + "\n"
    print(text)
    if args.record:
        results = REPO / "bench" / "RESULTS.md"
        results.write_text(results.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + text, encoding="utf-8")


if __name__ == "__main__":
    main()
