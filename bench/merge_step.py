"""One final-merge step on a copy of an index: lock hold (the commit's time) and memory.

    python bench/merge_step.py INDEX_DIR LIMIT

Copies INDEX_DIR (an import's whoosh_index) to a temporary folder and commits one step of
search.backends.whoosh.index.merge_step(LIMIT) there, as `merge_small_segments` does under
the index lock; prints the segments before and after, the seconds, and the process's
anonymous memory before and after.
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")


def status() -> dict[str, int]:
    out = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(("VmHWM", "VmRSS", "RssAnon", "RssFile")):
            key, value = line.split(":")
            out[key] = int(value.split()[0]) // 1024
    return out


def main() -> None:
    import django

    django.setup()
    from whoosh.index import open_dir

    from search.backends.whoosh.index import merge_step

    source, limit = sys.argv[1], int(sys.argv[2])
    with tempfile.TemporaryDirectory(prefix="merge-step-") as tmp:
        target = Path(tmp) / "index"
        shutil.copytree(source, target)
        ix = open_dir(str(target))
        before = sorted(s.doc_count_all() for s in ix._segments())
        ix.doc_count_all()
        a = status()
        started = time.perf_counter()
        ix.writer().commit(mergetype=merge_step(limit))
        seconds = time.perf_counter() - started
        b = status()
        after = sorted(s.doc_count_all() for s in ix.refresh()._segments())
    print(f"limit {limit}: segments {before} -> {after}; commit {seconds:.1f} s; "
          f"anonymous memory {a['RssAnon']} -> {b['RssAnon']} MB, peak RSS {b['VmHWM']} MB")


if __name__ == "__main__":
    main()
