"""Search relevance on the judged set in tests/relevance/: nDCG@10 and recall@20 per query
language, for three configurations in one run.

    python bench/relevance.py            # prints the table
    python bench/relevance.py --record   # and appends it to bench/RESULTS.md
    python bench/relevance.py --opensearch http://127.0.0.1:9250   # Whoosh beside OpenSearch

- "haystack default analyzer": Whoosh's StemmingAnalyzer, as haystack builds it;
- "our analyzer, no aliases": our analyzer, place names searched only as typed;
- "full system": our analyzer and the gazetteer's aliases.

Each configuration imports the corpus into its own temporary archive (a child process
with its own ARCHIVE_DATA_DIR) and asks every query through the archive's search service.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import platform
import subprocess
import sys
import tempfile
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RELEVANCE = REPO / "tests" / "relevance"
CONFIGS = {
    "haystack default analyzer": {"analyzer": "stemming", "aliases": False},
    "our analyzer, no aliases": {"analyzer": "archive", "aliases": False},
    "full system": {"analyzer": "archive", "aliases": True},
}
# With --korean: the full system with Korean indexed as kiwipiepy morphemes instead of
# character bigrams (needs `pip install kiwipiepy`, which is not an archive dependency).
KOREAN_CONFIG = {"full system, Korean morphemes (kiwipiepy)": {"analyzer": "archive", "aliases": True, "korean": "kiwi"}}


# With --opensearch URL: the full system on Whoosh beside the same on an OpenSearch node
# (search/backends/opensearch/), in one run.
OPENSEARCH_CONFIG = {"full system, OpenSearch": {"analyzer": "archive", "aliases": True, "engine": "opensearch"}}


# SQLite FTS5 on the same imported articles (bench/baselines.py: bm25, words ANDed, no
# aliases, unicode61 without Hangul bigrams): the outside reference of `make bench`.
FTS5_CONFIG = {"SQLite FTS5 (bench/baselines.py)": {"analyzer": "archive", "aliases": False, "engine": "fts5"}}

ALL_CONFIGS = {**CONFIGS, **KOREAN_CONFIG, **OPENSEARCH_CONFIG, **FTS5_CONFIG}
# `--engine NAME --json` (bench/run.py): the configuration each engine is judged with.
ENGINE_CONFIG = {"whoosh": "full system", "opensearch": "full system, OpenSearch",
                 "fts5": "SQLite FTS5 (bench/baselines.py)"}


def dcg(gains: list[int]) -> float:
    return sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(gains))


def ndcg_at(ranked: list[str], judgments: dict[str, int], k: int = 10) -> float:
    ideal = dcg(sorted(judgments.values(), reverse=True)[:k])
    return dcg([judgments.get(doc, 0) for doc in ranked[:k]]) / ideal if ideal else 0.0


def recall_at(ranked: list[str], judgments: dict[str, int], k: int = 20, grade: int = 2) -> float:
    """Share of the relevant articles in the top k, out of as many as fit in k (a query
    with 37 relevant articles can show at most 20 of them)."""
    relevant = {doc for doc, g in judgments.items() if g >= grade}
    return len(relevant & set(ranked[:k])) / min(len(relevant), k) if relevant else 1.0


def child(config: str) -> None:
    """Runs inside a fresh process: import the corpus, ask every query, print rankings."""
    import django

    django.setup()
    from django.core.management import call_command

    from archive.models import Copy
    from search.service import run_search

    call_command("migrate", verbosity=0)
    call_command("import_articles", str(RELEVANCE / "corpus"), stdout=open(os.devnull, "w"))
    files_of: dict[int, list[str]] = defaultdict(list)
    for copy in Copy.objects.select_related("raw"):
        files_of[copy.article_id].append(Path(copy.raw.original_name).name)
    queries = json.loads((RELEVANCE / "queries.json").read_text(encoding="utf-8"))
    if ALL_CONFIGS[config].get("engine") == "fts5":
        print(json.dumps(fts5_rankings(queries, files_of)))
        return
    rankings = {}
    for query in queries:
        outcome = run_search(q=query["query"], page_size=20, expand_places=ALL_CONFIGS[config]["aliases"])
        rankings[query["id"]] = [files_of[hit.article.id] for hit in outcome.hits]
    print(json.dumps(rankings))


def fts5_rankings(queries: list[dict], files_of: dict[int, list[str]]) -> dict[str, list[list[str]]]:
    """The judged queries on an FTS5 database built from the archive just imported, ranked
    by bm25 as bench/baselines.py ranks them (a query FTS5 cannot read ranks nothing)."""
    import sqlite3

    from django.conf import settings

    from bench.baselines import PAGE_SIZE, build_fts5, to_fts5

    fts_db = Path(settings.DATA_DIR) / "fts5.sqlite3"
    build_fts5(Path(settings.DATA_DIR), fts_db)
    db = sqlite3.connect(fts_db)
    rankings = {}
    for query in queries:
        match, _only_not = to_fts5({"q": query["query"]})
        ids: list[int] = []
        if match:
            try:
                ids = [row[0] for row in db.execute(
                    "SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY bm25(docs, 2.0, 1.0, 0.0, 0.0, 0.0) "
                    "LIMIT ?", (match, PAGE_SIZE))]
            except sqlite3.Error:
                ids = []
        rankings[query["id"]] = [files_of[i] for i in ids]
    return rankings


OPENSEARCH_URL = ["http://127.0.0.1:9250"]


def run_config(config: str) -> dict[str, list[list[str]]]:
    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "ARCHIVE_DATA_DIR": data, "DJANGO_SETTINGS_MODULE": "archive.settings",
               "ARCHIVE_SEARCH_ANALYZER": ALL_CONFIGS[config]["analyzer"],
               "ARCHIVE_KOREAN_TOKENS": ALL_CONFIGS[config].get("korean", "bigram")}
        if ALL_CONFIGS[config].get("engine") == "opensearch":
            env.update({"ARCHIVE_SEARCH_ENGINE": "opensearch", "ARCHIVE_OPENSEARCH_URL": OPENSEARCH_URL[0],
                        "ARCHIVE_OPENSEARCH_INDEX": f"relevance-{os.getpid()}"})
        result = subprocess.run([sys.executable, __file__, "--child", config], cwd=REPO, env=env,
                                capture_output=True, text=True, check=True)
        return json.loads(result.stdout.strip().splitlines()[-1])


def score(rankings) -> dict:
    queries = json.loads((RELEVANCE / "queries.json").read_text(encoding="utf-8"))
    by_lang: dict[str, list[tuple[float, float]]] = defaultdict(list)
    places: list[float] = []
    for query in queries:
        # An article merged from two judged files takes the better grade of the two.
        ranked_files = rankings[query["id"]]
        judgments = query["judgments"]
        ranked = []
        for files in ranked_files:
            best = max(files, key=lambda f: judgments.get(f, 0))
            ranked.append(best)
        n, r = ndcg_at(ranked, judgments), recall_at(ranked, judgments)
        by_lang[query["lang"]].append((n, r))
        by_lang["all"].append((n, r))
        if "place" in query["kind"] or "alias" in query["kind"]:
            places.append(r)
    table = {lang: (sum(x for x, _ in v) / len(v), sum(y for _, y in v) / len(v), len(v)) for lang, v in by_lang.items()}
    table["place queries"] = (float("nan"), sum(places) / len(places), len(places))
    return table


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child")
    parser.add_argument("--record", action="store_true")
    parser.add_argument("--korean", action="store_true", help="also run Korean as kiwipiepy morphemes")
    parser.add_argument("--opensearch", metavar="URL",
                        help="the full system on Whoosh and on the OpenSearch node at URL (make opensearch)")
    parser.add_argument("--engine", choices=list(ENGINE_CONFIG),
                        help="only this engine's configuration (with --json: one JSON line, for bench/run.py)")
    parser.add_argument("--json", action="store_true", help="print the scores as one JSON line")
    args = parser.parse_args()
    if args.engine and not args.child:
        if args.opensearch:
            OPENSEARCH_URL[0] = args.opensearch
        config = ENGINE_CONFIG[args.engine]
        table = score(run_config(config))
        result = {"config": config, **{lang: {"ndcg": None if math.isnan(n) else round(n, 4), "recall": round(r, 4),
                                              "n": count} for lang, (n, r, count) in table.items()}}
        print(json.dumps(result) if args.json else result)
        return
    configs = {**CONFIGS, **(KOREAN_CONFIG if args.korean else {})}
    if args.opensearch:
        OPENSEARCH_URL[0] = args.opensearch
        configs = {"full system": CONFIGS["full system"], **OPENSEARCH_CONFIG}
    if args.child:
        # bench/ itself is no package path: its events.py would hide the `events` package
        # that opensearch-py imports.
        sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != REPO / "bench"]
        sys.path.insert(0, str(REPO))
        child(args.child)
        return
    results = {config: score(run_config(config)) for config in configs}
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True,
                            text=True).stdout.strip()
    lines = [f"### Relevance — {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, commit {commit}, "
             f"{platform.machine()} {os.cpu_count()} cores", "",
             f"`python bench/relevance.py` on tests/relevance/ (166 articles, {results['full system']['all'][2]} judged queries); "
             "nDCG@10 with gains 2^grade-1; recall@20 of articles graded 2 or 3, out of min(relevant, 20).", "",
             "| queries | n | " + " | ".join(f"{c}: nDCG@10 / R@20" for c in configs) + " |",
             "| --- | --- | " + " | ".join("---" for _ in configs) + " |"]
    for lang in ["en", "fr", "ko", "vi", "all", "place queries"]:
        cells = []
        for config in configs:
            n, r, count = results[config][lang]
            cells.append(("–" if math.isnan(n) else f"{n:.3f}") + f" / {r:.3f}")
        lines.append(f"| {lang} | {results['full system'][lang][2]} | " + " | ".join(cells) + " |")
    text = "\n".join(lines) + "\n"
    print(text)
    if args.record:
        record(text)


def record(text: str) -> None:
    """Append a section to bench/RESULTS.md (the --record of the bench scripts)."""
    path = REPO / "bench" / "RESULTS.md"
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + text, encoding="utf-8")


if __name__ == "__main__":
    main()
