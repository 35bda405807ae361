"""Near-duplicate merging, scored on the labelled pairs in tests/gold/near_duplicates/.

    python bench/near_duplicates.py

Each side goes through read -> clean -> fingerprint; a pair is merged when the sketch
similarity reaches the threshold. Prints the similarity of every pair and, for a sweep of
thresholds, false merges and the share of true copies merged.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GOLD = REPO / "tests" / "gold" / "near_duplicates"
sys.path.insert(0, str(REPO))

from archive.ingest.clean import clean  # noqa: E402
import os  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
from archive.ingest.extract import extract  # noqa: E402
from archive.ingest.fingerprint import (  # noqa: E402
    CERTAIN_THRESHOLD,
    DUPLICATE_THRESHOLD,
    fingerprint,
    numbers,
    same_article,
    similarity,
)
from archive.ingest.read import Provenance, read_document  # noqa: E402


def features(path: Path):
    doc = clean(read_document(path.read_bytes(), path.name))
    meta = extract(doc, Provenance())
    return fingerprint(doc.text).sketch, meta.places, numbers(doc.text)


def pair_similarities() -> list[tuple[str, str, str, float, bool]]:
    """(pair, label, kind, similarity, merged by the archive's rule)."""
    rows = []
    for p in json.loads((GOLD / "pairs.json").read_text(encoding="utf-8")):
        (sa, pa, na), (sb, pb, nb) = features(GOLD / p["a"]), features(GOLD / p["b"])
        value = similarity(sa, sb)
        rows.append((p["pair"], p["label"], p.get("kind", ""), value, same_article(value, pa, pb, na, nb)))
    return rows


def score(rows, threshold: float | None) -> dict:
    """At a bare similarity threshold, or (None) with the archive's full rule."""
    copies = [r for r in rows if r[1] == "copy"]
    different = [r for r in rows if r[1] != "copy"]
    decide = (lambda r: r[4]) if threshold is None else (lambda r: r[3] >= threshold)
    merged = [r for r in copies if decide(r)]
    false = [r for r in different if decide(r)]
    return {"threshold": threshold, "copies": len(copies), "merged": len(merged),
            "recall": len(merged) / len(copies) if copies else 1.0, "false_merges": [r[0] for r in false]}


def main() -> None:
    rows = pair_similarities()
    for pair, label, kind, value, merged in sorted(rows, key=lambda r: r[3]):
        print(f"{pair:5s} {label:9s} {kind:22s} {value:.3f} {'merged' if merged else ''}")
    print()
    print("| rule | copies merged | recall | false merges |")
    print("| --- | --- | --- | --- |")
    for threshold in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, None):
        s = score(rows, threshold)
        name = f"similarity >= {threshold:.2f}" if threshold is not None else (
            f"archive rule: >= {DUPLICATE_THRESHOLD} and same places and numbers, or >= {CERTAIN_THRESHOLD}")
        print(f"| {name} | {s['merged']}/{s['copies']} | {s['recall']:.3f} | "
              f"{len(s['false_merges'])} {' '.join(s['false_merges'])} |")


if __name__ == "__main__":
    main()
