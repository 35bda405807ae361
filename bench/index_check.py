"""The deep index check at scale: what every server start (`ensure_index`), `check_index`
and a failed search pay to be sure the Whoosh index reads, by segment hashes (the default)
against decoding every term's postings (`check_index --full`, the check before 5721cb9).

    ARCHIVE_DATA_DIR=bench/work/run-100000/whoosh/data python bench/index_check.py --decode 3

Prints JSON: the index's segments, documents, bytes and terms; the hash check's seconds
(wall and CPU); the full decode of the `--decode` smallest segments, timed, and the
full decode of the whole index extrapolated from their seconds per term (decoding it all
at 100k takes minutes of a server start; `--decode all` measures it anyway).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def timed(function):
    wall, cpu = time.perf_counter(), time.process_time()
    value = function()
    return value, round(time.perf_counter() - wall, 3), round(time.process_time() - cpu, 3)


def terms_of(leaf) -> int:
    return sum(sum(1 for _ in leaf.lexicon(field)) for field in leaf.indexed_field_names())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--decode", default="2", help="how many of the smallest segments to decode fully, or 'all'")
    args = parser.parse_args()
    if not os.environ.get("ARCHIVE_DATA_DIR"):
        parser.error("set ARCHIVE_DATA_DIR to the data folder whose index to check")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    import django

    django.setup()
    from haystack import connections

    from search.backends.whoosh import backend as whoosh
    from search.backends.whoosh import checksums

    backend = connections["default"].get_backend()
    backend._ready()
    index = backend.index.refresh()
    folder = Path(backend.path)
    result: dict = {"index": str(folder), "bytes": sum(p.stat().st_size for p in folder.iterdir() if p.is_file())}
    with index.reader() as reader:
        leaves = [leaf for leaf, _offset in reader.leaf_readers()]
        result["segments"] = len(leaves)
        result["documents"] = reader.doc_count_all()
        # First pass: segments the list lacks are decoded (and listed); then the hashes alone.
        decoded, wall, cpu = timed(lambda: checksums.verify(folder, leaves, whoosh._decode_segment))
        result["first_check"] = {"segments_decoded": decoded, "seconds": wall, "cpu_seconds": cpu}
        decoded, wall, cpu = timed(lambda: checksums.verify(folder, leaves, whoosh._decode_segment))
        result["hash_check"] = {"segments_decoded": decoded, "seconds": wall, "cpu_seconds": cpu}
        counts, wall, cpu = timed(lambda: [terms_of(leaf) for leaf in leaves])
        result["terms"] = sum(counts)
        result["counting_terms_seconds"] = wall
        order = sorted(range(len(leaves)), key=lambda i: leaves[i].doc_count_all())
        chosen = order if args.decode == "all" else order[: int(args.decode)]
        sample = {"segments": len(chosen), "documents": 0, "terms": 0, "seconds": 0.0, "cpu_seconds": 0.0}
        for i in chosen:
            _, wall, cpu = timed(lambda: whoosh._decode_segment(leaves[i]))
            sample["documents"] += leaves[i].doc_count_all()
            sample["terms"] += counts[i]
            sample["seconds"] += wall
            sample["cpu_seconds"] += cpu
        result["full_decode_sample"] = sample
        if sample["terms"]:
            per_term = sample["seconds"] / sample["terms"]
            result["full_decode_microseconds_per_term"] = round(per_term * 1e6, 2)
            result["full_decode_seconds_estimated"] = round(per_term * result["terms"], 1)
            result["full_to_hash_ratio"] = round(result["full_decode_seconds_estimated"]
                                                 / max(result["hash_check"]["seconds"], 1e-6), 1)
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
