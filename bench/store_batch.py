"""The storing process alone: CPU and SQL statements per document, stored one by one
(`store.store`, as before issue 20 item 4) and in batches (`store.store_many`).

    python bench/store_batch.py CORPUS_DIR [--n 600] [--batch 100]

The documents are prepared first (not timed), then stored into two fresh databases in a
temporary data folder; the index is left out (its writes are timed by
bench/import_speed.py). CPU time of this process, best of one run each (run it twice).
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def child(corpus: Path, n: int, batch: int, mode: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from archive.ingest import articles
    from archive.ingest import store as store_stage
    from archive.ingest.pipeline import iter_input_files, prepare_path
    from archive.places import PlaceCache, sync_places

    call_command("migrate", "--noinput", verbosity=0)
    sync_places()
    files = list(iter_input_files([corpus]))[:n]
    docs = []
    for path in files:
        parts = prepare_path(path).parts
        if parts is not None:
            docs.append(store_stage.Document(parts.raw, parts.cleaned, parts.meta, parts.fingerprint, parts.events))

    class Ids(list):
        def add(self, ids):
            self.extend(ids)

    writes = articles.Writes(places=PlaceCache(), index=Ids())
    captures = store_stage.RawStore(batched_sync=True)
    from collections import deque

    connection.ensure_connection()
    connection.queries_log = deque()  # Django keeps only the last 9,000
    started = time.process_time()
    with CaptureQueriesContext(connection) as queries:
        outcomes = []
        if mode == "one":
            for d in docs:
                outcomes.append(store_stage.store(d.raw, d.cleaned, d.meta, d.fingerprint, "published", writes,
                                                  captures, known_events=d.known_events))
        else:
            for start in range(0, len(docs), batch):
                outcomes += store_stage.store_many(docs[start:start + batch], "published", writes, captures)
    cpu = time.process_time() - started
    statuses = {}
    for o in outcomes:
        statuses[o.status] = statuses.get(o.status, 0) + 1
    print(f"{mode}: {len(docs)} documents {statuses}: {cpu * 1000 / len(docs):.2f} ms CPU and "
          f"{len(queries) / len(docs):.1f} SQL statements per document")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", type=Path, nargs="?")
    parser.add_argument("--n", type=int, default=600)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--child", choices=["one", "many"])
    args = parser.parse_args()
    if args.child:
        child(args.corpus, args.n, args.batch, args.child)
        return
    for mode in ("one", "many"):
        with tempfile.TemporaryDirectory(prefix="store-batch-") as data:
            env = {**os.environ, "ARCHIVE_DATA_DIR": data}
            subprocess.run([sys.executable, __file__, str(args.corpus.resolve()), "--n", str(args.n),
                            "--batch", str(args.batch), "--child", mode], env=env, check=True, cwd=ROOT)


if __name__ == "__main__":
    main()
