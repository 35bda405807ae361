"""The final merge of a bulk import on a copy of an index: each merge's time, its lock
hold, and memory.

    python bench/merge_step.py INDEX_DIR [LIMIT] [--keep DIR]

Copies INDEX_DIR (an import's whoosh_index) to a temporary folder (or to DIR, kept) and
runs `merge_small_segments(LIMIT)` there as a bulk import's end does: every merge built
beside the index (search.backends.whoosh.index.merge_beside), the lock taken only to put
it in. Prints the segments before and after, each merge's seconds and lock hold, and the
process's anonymous memory before and after.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

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

    from search.backends.whoosh.index import MERGE_TIER_DOCS, _smallest, merge_beside

    parser = argparse.ArgumentParser()
    parser.add_argument("source")
    parser.add_argument("limit", nargs="?", type=int, default=MERGE_TIER_DOCS)
    parser.add_argument("--keep", help="copy the index here and keep it merged")
    args = parser.parse_args()
    tmp = None if args.keep else tempfile.TemporaryDirectory(prefix="merge-step-")
    target = Path(args.keep) if args.keep else Path(tmp.name) / "index"
    shutil.copytree(args.source, target)
    backend = SimpleNamespace(index=open_dir(str(target)), path=str(target))
    before = sorted(s.doc_count_all() for s in backend.index._segments())
    a = status()
    while True:
        chosen = _smallest(backend.index.refresh()._segments(), args.limit)
        if not chosen:
            break
        started = time.perf_counter()
        hold = merge_beside(backend, chosen)
        print(f"merged {len(chosen)} segments ({sum(s.doc_count_all() for s in chosen)} documents) in "
              f"{time.perf_counter() - started:.1f} s; lock held {hold:.3f} s", flush=True)
    b = status()
    after = sorted(s.doc_count_all() for s in backend.index.refresh()._segments())
    print(f"limit {args.limit}: segments {before} -> {after}; anonymous memory {a['RssAnon']} -> "
          f"{b['RssAnon']} MB, peak RSS {b['VmHWM']} MB")
    if tmp:
        tmp.cleanup()


if __name__ == "__main__":
    main()
