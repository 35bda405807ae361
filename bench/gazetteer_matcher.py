"""Gazetteer matcher speed: ms per article for find_places, two places.json side by side.

    python bench/gazetteer_matcher.py [OLD_PLACES_JSON]

OLD_PLACES_JSON defaults to the file as committed before the second tier (git show
8cd3509~1:archive/gazetteer/places.json). Texts: the tuning half of the real dumps
(bench/real_dumps_split.json), only for timing; CPU time, best of 5 passes.
"""
from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from archive.gazetteer import _Gazetteer  # noqa: E402

DUMPS = ROOT.parent / "shared" / "eval" / "real-dumps"


def texts() -> list[str]:
    split = json.loads((ROOT / "bench" / "real_dumps_split.json").read_text(encoding="utf-8"))
    out = []
    for name in split["tune"]:
        path = DUMPS / f"{name}.txt"
        if path.exists():
            out.append(path.read_text(encoding="utf-8", errors="replace"))
    return out


def per_article_ms(gaz: _Gazetteer, docs: list[str]) -> float:
    best = float("inf")
    for _ in range(5):
        start = time.process_time()
        for doc in docs:
            gaz.place_matcher.find(doc)
        best = min(best, time.process_time() - start)
    return best * 1000 / len(docs)


def main() -> None:
    if len(sys.argv) > 1:
        old = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    else:
        old = json.loads(subprocess.run(["git", "show", "8cd3509~1:archive/gazetteer/places.json"], cwd=ROOT,
                                        capture_output=True, text=True, check=True).stdout)
    new = json.loads((ROOT / "archive" / "gazetteer" / "places.json").read_text(encoding="utf-8"))
    docs = texts()
    t0 = time.process_time()
    g_old = _Gazetteer(old)
    load_old = (time.process_time() - t0) * 1000
    t0 = time.process_time()
    g_new = _Gazetteer(new)
    load_new = (time.process_time() - t0) * 1000
    a, b = per_article_ms(g_old, docs), per_article_ms(g_new, docs)
    chars = sum(map(len, docs)) // len(docs)
    print(f"{len(docs)} articles (tuning half, {chars} chars on average)")
    print(f"places: {len(old['places'])} -> {len(new['places'])}")
    print(f"load ms: {load_old:.0f} -> {load_new:.0f}")
    print(f"find_places ms/article: {a:.3f} -> {b:.3f} (ratio {b / a:.2f})")


if __name__ == "__main__":
    main()
