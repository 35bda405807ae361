"""The cleaner, scored on real gold sets, against trafilatura in the same run.

    python bench/extraction.py            # prints the table
    python bench/extraction.py --record   # and appends it to bench/RESULTS.md

Sets (../shared/eval and tests/gold/extraction):
- trafilatura's own: "with" snippets must be in the text, "without" snippets must not;
  precision/recall/F1 over all snippets, exactly as trafilatura's eval_common.py scores.
- Readability's expected articles and Scrapinghub's article bodies: bag-of-tokens
  precision/recall/F1 per page, averaged over pages.
- ours (Vietnamese/Korean/French/English pages and dumps): the same token scores; a page
  with no article counts 1 when nothing is extracted and 0 otherwise.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import re
import sys
import time
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EVAL = Path(os.environ.get("ARCHIVE_EVAL_DIR") or REPO.parent / "shared" / "eval")
OURS = REPO / "tests" / "gold" / "extraction"
sys.path.insert(0, str(REPO))

from archive.ingest.clean import clean  # noqa: E402
from archive.ingest.read import IngestError, read_document  # noqa: E402

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)


def ours(data: bytes, name: str) -> str:
    try:
        doc = clean(read_document(data, name))
    except IngestError:
        return ""
    return "\n".join(doc.paragraphs)  # the body; the headline is the title, kept apart


def trafilatura_default(data: bytes, name: str) -> str:
    import trafilatura

    if not name.lower().endswith((".html", ".htm", ".html.gz")):
        return data.decode("utf-8", "replace")  # a text dump has no markup to extract from
    return trafilatura.extract(data) or ""


SYSTEMS = {"ours": ours, "trafilatura (default)": trafilatura_default}


def tokens(text: str) -> Counter:
    return Counter(t.lower() for t in _TOKEN.findall(text))


def token_prf(found: str, gold: str) -> tuple[float, float, float]:
    f, g = tokens(found), tokens(gold)
    if not g:
        return (1.0, 1.0, 1.0) if not f else (0.0, 1.0, 0.0)
    overlap = sum((f & g).values())
    p = overlap / sum(f.values()) if f else 0.0
    r = overlap / sum(g.values())
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def snippet_scores(system, pages) -> tuple[float, float, float]:
    tp = fp = fn = tn = 0
    for data, name, with_, without in pages:
        text = re.sub(r"\s+", " ", system(data, name))
        for snippet in with_:
            if re.sub(r"\s+", " ", snippet) in text:
                tp += 1
            else:
                fn += 1
        for snippet in without:
            if re.sub(r"\s+", " ", snippet) in text:
                fp += 1
            else:
                tn += 1
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def mean_token_scores(system, pages) -> tuple[float, float, float]:
    scores = [token_prf(system(data, name), gold) for data, name, gold in pages]
    return tuple(sum(s[i] for s in scores) / len(scores) for i in range(3))


def trafilatura_pages():
    folder = EVAL / "trafilatura_eval"
    for entry in json.loads((folder / "expectations.json").read_text(encoding="utf-8")).values():
        path = folder / entry["file"]
        yield path.read_bytes(), path.name, entry.get("with", []), entry.get("without", [])


def html_text(markup: str) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markup, "html.parser")
    return soup.get_text("\n")


def readability_pages():
    folder = EVAL / "readability_eval"
    for page in sorted(p for p in folder.iterdir() if p.is_dir()):
        yield (page / "source.html").read_bytes(), f"{page.name}.html", html_text(
            (page / "expected.html").read_text(encoding="utf-8"))


def scrapinghub_pages():
    folder = EVAL / "scrapinghub_aeb"
    truth = json.loads((folder / "ground_truth_subset.json").read_text(encoding="utf-8"))
    for key, item in sorted(truth.items()):
        data = gzip.decompress((folder / "html" / f"{key}.html.gz").read_bytes())
        yield data, f"{key}.html", item.get("articleBody") or ""


def our_pages():
    labels = json.loads((OURS / "labels.json").read_text(encoding="utf-8"))
    for name, label in sorted(labels.items()):
        data = (OURS / name).read_bytes()
        if label.get("no_article"):
            yield data, name, ""
        else:
            expected = OURS / (Path(name).stem + ".expected.txt")
            yield data, name, expected.read_text(encoding="utf-8")


SETS = [
    ("trafilatura eval (48 pages, snippets)", trafilatura_pages, snippet_scores),
    ("Readability (26 pages, tokens)", readability_pages, mean_token_scores),
    ("Scrapinghub AEB (15 pages, tokens)", scrapinghub_pages, mean_token_scores),
    ("ours: vi/ko/fr/en (30 pages and dumps, tokens)", our_pages, mean_token_scores),
]


def run(systems=SYSTEMS) -> list[tuple[str, str, tuple[float, float, float], float]]:
    rows = []
    for label, pages, scorer in SETS:
        page_list = list(pages())
        for system_name, system in systems.items():
            start = time.perf_counter()
            scores = scorer(system, page_list)
            rows.append((label, system_name, scores, time.perf_counter() - start))
    return rows


def report(rows) -> str:
    import subprocess

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True,
                            text=True).stdout.strip()
    lines = [
        f"### Cleaning — {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, commit {commit}, "
        f"{platform.machine()} {os.cpu_count()} cores",
        "",
        "`python bench/extraction.py`; trafilatura 2.3.1 with default settings in the same run.",
        "",
        "| set | system | precision | recall | F1 | seconds |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for label, system, (p, r, f), seconds in rows:
        lines.append(f"| {label} | {system} | {p:.3f} | {r:.3f} | {f:.3f} | {seconds:.1f} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--record", action="store_true")
    args = parser.parse_args()
    text = report(run())
    print(text)
    if args.record:
        results = REPO / "bench" / "RESULTS.md"
        existing = results.read_text(encoding="utf-8") if results.exists() else "# Benchmark results\n"
        results.write_text(existing.rstrip("\n") + "\n\n" + text, encoding="utf-8")


if __name__ == "__main__":
    main()
