"""The scale benchmark of issue 7, stage by stage and resumable.

    .venv/bin/python bench/run.py --n 100000          # the real run (hours on 2 cores)
    .venv/bin/python bench/run.py --n 2000 --load-seconds 10 --at 1000   # a quick try

Each stage writes bench/work/<name>/stages/<stage>.json (name: run-<n> unless --name)
and is skipped when that file exists; `--redo STAGE` (repeatable) runs it again. Stages:

  corpus          bench/corpus.py into bench/work/corpus-<n> (resumable itself)
  queries         bench/queries.py: the query set, the input of every later stage
  import_ours     fresh data folder, migrate, then `manage.py import_articles` timed end to
                  end; peak RSS by /usr/bin/time -v (largest single process) and by sampling
                  the summed RSS of the whole process tree every 0.5 s; the larger counts
  sizes           index folder bytes against the UTF-8 bytes of title + body in archive_article
  http_cache_off  gunicorn, ARCHIVE_SEARCH_CACHE=0: every query once, /search/ and /api/search/
  http_cache_on   gunicorn, cache on (its default): a Zipf replay (--replay requests) per endpoint
  raw_whoosh      bench/baselines.py whoosh: the engine's limit on our index
  fts5            bench/baselines.py fts5: SQLite FTS5 on the same articles
  sql_queries     skipped: a test covers the number of SQL queries per search
  load            bench/load.py: 16 clients for --load-seconds against /search/, cache on
  at_10k          the first --at files (10,000) imported by our import; our /search/ with cache
                  off and haystack's default setup (bench/haystack_default/) on the same
                  articles, both asked the same queries with only q and page
  report          a markdown table of every figure against its target, appended to --results

Servers listen on 127.0.0.1 only and are stopped when their stage ends.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench import http_bench  # noqa: E402
from bench.queries import corpus_files, replay  # noqa: E402

WORK = REPO / "bench" / "work"
PY = str(REPO / ".venv" / "bin" / "python") if (REPO / ".venv" / "bin" / "python").exists() else sys.executable
GNU_TIME = Path("/usr/bin/time")
HAYSTACK_DEFAULT = REPO / "bench" / "haystack_default"
PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass
class Run:
    n: int
    name: str
    at: int
    replay: int
    load_seconds: float
    results: Path
    command: str = ""
    every: int = 1

    @property
    def dir(self) -> Path:
        return WORK / self.name

    @property
    def corpus(self) -> Path:
        return WORK / f"corpus-{self.n}"

    @property
    def data(self) -> Path:
        return self.dir / "data"

    @property
    def queries_file(self) -> Path:
        return self.dir / "queries.json"

    def log(self, name: str) -> Path:
        (self.dir / "logs").mkdir(parents=True, exist_ok=True)
        return self.dir / "logs" / name

    def queries(self) -> list[dict]:
        return json.loads(self.queries_file.read_text(encoding="utf-8"))

    def timed_queries(self) -> list[dict]:
        """The queries each one-pass measurement asks: all, or every n-th (--every), which
        keeps the kinds' balance (the list is built kind by kind, in rounds)."""
        return self.queries()[:: self.every]

    def stage(self, name: str) -> dict | None:
        path = self.dir / "stages" / f"{name}.json"
        return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


# --- helpers ------------------------------------------------------------------------

def last_json_line(text: str) -> dict:
    for line in reversed(text.strip().splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    raise RuntimeError(f"no JSON line in output: {text[-500:]}")


def run_child(command: list[str], log: Path, env: dict | None = None) -> str:
    """Run a child to its end; its stderr goes to the log, its stdout is returned."""
    with open(log, "ab") as err:
        done = subprocess.run(command, cwd=REPO, env={**os.environ, **(env or {})}, stdout=subprocess.PIPE,
                              stderr=err)
    if done.returncode:
        raise RuntimeError(f"{' '.join(command[:4])}… exited with {done.returncode}; see {log}")
    return done.stdout.decode("utf-8")


def _memory(pid: int) -> int:
    """A process's proportional set size (shared pages divided among their sharers, so
    forked workers' copy-on-write pages are not counted twice), else its RSS."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE


def tree_rss(root: int) -> int:
    """Summed memory (bytes, PSS where the kernel gives it) of a process and all its
    descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        try:
            total += _memory(pid)
        except (OSError, IndexError, ValueError):
            pass
        stack.extend(children.get(pid, ()))
    return total


def folder_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def import_into(data: Path, inputs: list[Path], logs: Path) -> dict:
    """A fresh data folder, migrated, then one `import_articles` timed end to end."""
    if data.exists():
        shutil.rmtree(data)
    data.mkdir(parents=True)
    env = {**os.environ, "ARCHIVE_DATA_DIR": str(data)}
    with open(logs.with_suffix(".log"), "ab") as log:
        subprocess.run([PY, "manage.py", "migrate", "--noinput"], cwd=REPO, env=env, stdout=log, stderr=log,
                       check=True)
        command = [PY, "manage.py", "import_articles", "--json", *map(str, inputs)]
        time_file = logs.with_suffix(".time")
        if GNU_TIME.exists():
            command = [str(GNU_TIME), "-v", "-o", str(time_file), *command]
        report = logs.with_suffix(".json")
        with open(report, "wb") as out:
            started = time.perf_counter()
            proc = subprocess.Popen(command, cwd=REPO, env=env, stdout=out, stderr=log)
            peak = 0
            while proc.poll() is None:
                peak = max(peak, tree_rss(proc.pid))
                time.sleep(0.5)
            seconds = time.perf_counter() - started
    try:  # the command exits 1 when a file was rejected: its report says how many
        summary = json.loads(report.read_text(encoding="utf-8"))["summary"]
    except (ValueError, KeyError):
        raise RuntimeError(f"import_articles exited with {proc.returncode} without a report; see {log.name}")
    files = sum(summary.values())
    time_rss = None
    if GNU_TIME.exists():
        for line in time_file.read_text().splitlines():
            if "Maximum resident set size" in line:
                time_rss = int(line.rsplit(":", 1)[1]) * 1024
    return {"files": files, "outcomes": summary, "exit_code": proc.returncode, "seconds": round(seconds, 1),
            "files_per_s": round(files / seconds, 1), "imported_per_s": round(summary.get("imported", 0) / seconds, 1),
            "peak_rss_bytes": max(peak, time_rss or 0), "peak_rss_tree_sampled_bytes": peak,
            "peak_rss_time_v_bytes": time_rss,
            "rss_method": "max of /usr/bin/time -v (largest single process) and the process tree's summed PSS "
                          "sampled every 0.5 s" if time_rss else "process tree's summed PSS sampled every 0.5 s"}


def data_env(data: Path, cache: bool) -> dict[str, str | None]:
    """The server's environment; each server starts with an empty search cache of its own
    (the cache is shared by a server's workers, in files)."""
    cache_dir = Path(tempfile.mkdtemp(prefix="search-cache-", dir=data.parent))
    return {"ARCHIVE_DATA_DIR": str(data), "ARCHIVE_SEARCH_CACHE": None if cache else "0",
            "ARCHIVE_SEARCH_CACHE_DIR": str(cache_dir), "DJANGO_SETTINGS_MODULE": None}


# --- stages -------------------------------------------------------------------------

def stage_corpus(run: Run) -> dict:
    started = time.perf_counter()
    run_child([PY, "bench/corpus.py", "--n", str(run.n), "--out", str(run.corpus)], run.log("corpus.log"))
    files = corpus_files(run.corpus)
    return {"dir": str(run.corpus), "files": len(files), "seconds": round(time.perf_counter() - started, 1),
            "text_bytes": sum(p.stat().st_size for p in files)}


def stage_queries(run: Run) -> dict:
    run_child([PY, "bench/queries.py", "--corpus", str(run.corpus), "--out", str(run.queries_file)],
              run.log("queries.log"))
    queries = run.queries()
    return {"file": str(run.queries_file), "queries": len(queries),
            "by_kind": dict(Counter(q["kind"] for q in queries)),
            "by_language": dict(Counter(q["language"] for q in queries))}


def stage_import_ours(run: Run) -> dict:
    return import_into(run.data, [run.corpus], run.log("import_ours"))


def stage_sizes(run: Run) -> dict:
    db = sqlite3.connect(f"file:{run.data / 'archive.sqlite3'}?mode=ro", uri=True)
    articles, text_bytes = db.execute(
        "SELECT count(*), sum(length(CAST(title AS BLOB)) + length(CAST(body AS BLOB))) FROM archive_article"
    ).fetchone()
    index = run.data / "whoosh_index"
    index_bytes = folder_bytes(index)
    return {"articles": articles, "cleaned_text_bytes": text_bytes, "index_bytes": index_bytes,
            "index_to_text": round(index_bytes / text_bytes, 2), "segments": len(list(index.glob("*.seg"))),
            "database_bytes": sum(p.stat().st_size for p in run.data.glob("archive.sqlite3*")),
            "raw_bytes": folder_bytes(run.data / "raw")}


def stage_http_cache_off(run: Run) -> dict:
    queries = run.timed_queries()
    with http_bench.gunicorn(data_env(run.data, cache=False), log=run.log("gunicorn-cache-off.log")) as base:
        http_bench.warm_up(base, "/search/")
        page = http_bench.measure(base, "/search/", queries)
        api = http_bench.measure(base, "/api/search/", queries, extra={"page_size": "20"})
    return {"search": page, "api": api}


def stage_http_cache_on(run: Run) -> dict:
    replayed = replay(run.queries(), run.replay, seed=11)
    distinct = len({json.dumps(q["params"], sort_keys=True) for q in replayed})
    result = {"requests": len(replayed), "distinct": distinct, "repeat_share": round(1 - distinct / len(replayed), 3)}
    # A fresh server per endpoint: the second replay does not start with the first one's cache.
    for name, path, extra in (("search", "/search/", None), ("api", "/api/search/", {"page_size": "20"})):
        with http_bench.gunicorn(data_env(run.data, cache=True), log=run.log("gunicorn-cache-on.log")) as base:
            http_bench.warm_up(base, path)
            result[name] = http_bench.measure(base, path, replayed, extra=extra)
    return result


def stage_raw_whoosh(run: Run) -> dict:
    """Every query with facet counts from per-segment tables (what the archive does), and
    every 10th with Whoosh's own groupedby facets, which rebuild their tables per query."""
    base = [PY, "bench/baselines.py", "whoosh", "--data", str(run.data), "--queries", str(run.queries_file)]
    env = {"ARCHIVE_DATA_DIR": str(run.data)}
    result = last_json_line(run_child([*base, "--every", str(run.every)], run.log("raw_whoosh.log"), env=env))
    result["whoosh_groupedby_every_10th"] = last_json_line(
        run_child([*base, "--facets", "whoosh", "--every", str(10 * run.every)], run.log("raw_whoosh.log"), env=env))
    return result


def stage_fts5(run: Run) -> dict:
    out = run_child([PY, "bench/baselines.py", "fts5", "--data", str(run.data), "--queries", str(run.queries_file),
                     "--fts-db", str(run.dir / "fts5.sqlite3"), "--every", str(run.every)], run.log("fts5.log"),
                    env={"ARCHIVE_DATA_DIR": str(run.data)})
    result = last_json_line(out)
    sizes = run.stage("sizes")
    if sizes:
        result["build"]["size_to_text"] = round(result["build"]["bytes"] / sizes["cleaned_text_bytes"], 2)
    return result


def stage_sql_queries(run: Run) -> dict:
    return {"skipped": "a test covers the number of SQL queries per search"}


def stage_load(run: Run, clients: int = 16) -> dict:
    paths = [http_bench.query_path("/search/", q["params"]) for q in replay(run.queries(), 20_000, seed=13)]
    paths_file = run.dir / "load_paths.json"
    paths_file.write_text(json.dumps(paths, ensure_ascii=False), encoding="utf-8")
    with http_bench.gunicorn(data_env(run.data, cache=True), log=run.log("gunicorn-load.log")) as base:
        out = run_child([PY, "bench/load.py", "--base", base, "--paths", str(paths_file), "--clients", str(clients),
                         "--seconds", str(run.load_seconds)], run.log("load.log"))
    return last_json_line(out)


def first_files(corpus: Path, count: int, into: Path) -> list[Path]:
    """The first `count` corpus files, hard-linked (or copied) into their own folder."""
    if into.exists():
        shutil.rmtree(into)
    files = corpus_files(corpus)[:count]
    for path in files:
        target = into / path.relative_to(corpus)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(path, target)
        except OSError:
            shutil.copy2(path, target)
    return files


def stage_at_10k(run: Run) -> dict:
    at = run.at if run.at < run.n else max(1, run.n // 2)
    corpus = run.dir / f"corpus-first-{at}"
    data = run.dir / "data-at"
    first_files(run.corpus, at, corpus)
    result: dict = {"articles": at, "import": import_into(data, [corpus], run.log("import_at"))}
    queries = run.timed_queries()
    with http_bench.gunicorn(data_env(data, cache=False), log=run.log("gunicorn-at-ours.log")) as base:
        http_bench.warm_up(base, "/search/")
        result["ours"] = http_bench.measure(base, "/search/", queries, only=("q", "page"), per_query=True)
    ours_each = result["ours"].pop("per_query_ms")
    build = HAYSTACK_DEFAULT / "build.py"
    if not build.exists() or not (HAYSTACK_DEFAULT / "settings.py").exists():
        result["haystack_default"] = {"skipped": "bench/haystack_default/ (build.py, settings.py) is absent"}
        return result
    index = run.dir / "haystack-default-index"
    if index.exists():
        shutil.rmtree(index)
    try:
        built = last_json_line(run_child([PY, str(build), "--data-dir", str(data), "--index-dir", str(index)],
                                         run.log("haystack_default_build.log")))
    except (RuntimeError, ValueError) as exc:
        result["haystack_default"] = {"skipped": f"build failed: {exc}"}
        return result
    env = {"ARCHIVE_DATA_DIR": str(data), "HAYSTACK_DEFAULT_INDEX": str(index),
           "DJANGO_SETTINGS_MODULE": "bench.haystack_default.settings", "ARCHIVE_SEARCH_CACHE": "0"}
    with http_bench.gunicorn(env, log=run.log("gunicorn-at-haystack.log")) as base:
        http_bench.warm_up(base, "/search/")
        measured = http_bench.measure(base, "/search/", queries, only=("q", "page"), per_query=True)
    result["haystack_default"] = {"build": built, "search": measured}
    # Compared on the queries both answered: haystack's default view answers a page past
    # the end with 404 where ours gives an empty page.
    pairs = [(o, h) for o, h in zip(ours_each, measured.pop("per_query_ms"))
             if o is not None and h is not None]
    ours_p50 = http_bench.summarize([o for o, _ in pairs])["p50"]
    theirs_p50 = http_bench.summarize([h for _, h in pairs])["p50"]
    result["paired"] = {"queries": len(pairs), "ours_p50": ours_p50, "haystack_p50": theirs_p50}
    if ours_p50 and theirs_p50:
        result["haystack_over_ours_p50"] = round(theirs_p50 / ours_p50, 2)
    return result


# --- report -------------------------------------------------------------------------

def machine() -> str:
    model = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    memory = ""
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal"):
            memory = f", {int(line.split()[1]) / 1024 ** 2:.1f} GB RAM"
    return f"{platform.machine()} {os.cpu_count()} cores ({model}){memory}"


def commit() -> str:
    def git(*args: str) -> str:
        return subprocess.run(["git", "--no-optional-locks", *args], cwd=REPO, capture_output=True,
                              text=True).stdout.strip()

    return (git("rev-parse", "--short", "HEAD") or "unknown") + ("+dirty" if git("status", "--porcelain") else "")


def get(data: dict | None, *keys: str):
    for key in keys:
        if not isinstance(data, dict) or data.get(key) is None:
            return None
        data = data[key]
    return data


def fmt(value, unit: str = "", digits: int = 1) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        value = f"{value:.{digits}f}"
    return f"{value}{unit}"


def verdict(value, ok: Callable[[float], bool]) -> str:
    return "not measured" if value is None else ("met" if ok(value) else "**missed**")


def stage_report(run: Run) -> dict:
    s = {name: run.stage(name) for name in STAGES if name != "report"}
    off_p50, raw_p50 = get(s, "http_cache_off", "search", "p50"), get(s, "raw_whoosh", "p50")
    on_p50, on_p95 = get(s, "http_cache_on", "search", "p50"), get(s, "http_cache_on", "search", "p95")
    versus = get(s, "at_10k", "haystack_over_ours_p50")
    rate = get(s, "import_ours", "files_per_s")
    ratio = get(s, "sizes", "index_to_text")
    rss = get(s, "import_ours", "peak_rss_bytes")
    load_rate, load_errors = get(s, "load", "ok_per_s"), get(s, "load", "errors")
    at = get(s, "at_10k", "articles")
    targets = [
        ("search page p50, cache off / raw Whoosh p50",
         off_p50 / raw_p50 if off_p50 and raw_p50 else None, "≤ 1.3×", "×", lambda v: v <= 1.3,
         f"{fmt(off_p50, ' ms')} / {fmt(raw_p50, ' ms')}"),
        ("cache-on Zipf replay, /search/ p50", on_p50, "≤ 60 ms", " ms", lambda v: v <= 60, ""),
        ("cache-on Zipf replay, /search/ p95", on_p95, "≤ 150 ms", " ms", lambda v: v <= 150, ""),
        (f"haystack default p50 / ours p50 at {at or '10k'} articles", versus, "≥ 3×", "×", lambda v: v >= 3,
         get(s, "at_10k", "haystack_default", "skipped") or
         f"{fmt(get(s, 'at_10k', 'paired', 'haystack_p50'), ' ms')} / {fmt(get(s, 'at_10k', 'paired', 'ours_p50'), ' ms')}"
         f" over the {fmt(get(s, 'at_10k', 'paired', 'queries'))} queries both answered with 200"),
        ("import rate (files / s, end to end)", rate, "≥ 100 /s", " /s", lambda v: v >= 100,
         f"{fmt(get(s, 'import_ours', 'files'))} files in {fmt(get(s, 'import_ours', 'seconds'), ' s')}"),
        ("index size / cleaned text (UTF-8)", ratio, "≤ 3×", "×", lambda v: v <= 3,
         f"{fmt(get(s, 'sizes', 'index_bytes'))} / {fmt(get(s, 'sizes', 'cleaned_text_bytes'))} bytes"),
        ("peak RSS of the import", rss / 2 ** 20 if rss else None, "≤ 1 GB", " MB", lambda v: v <= 1024,
         get(s, "import_ours", "rss_method") or ""),
        (f"load: searches/s, 16 clients, {fmt(get(s, 'load', 'seconds'), ' s')}", load_rate, "≥ 40 /s, 0 errors",
         " /s", lambda v: v >= 40 and load_errors == 0, f"errors {fmt(load_errors)}"),
    ]
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [f"### Scale — {get(s, 'sizes', 'articles') or run.n} articles — {now}, commit {commit()}, {machine()}",
             "", f"`{run.command or f'python bench/run.py --n {run.n}'}` (stages in bench/work/{run.name}/stages/); "
             f"{get(s, 'queries', 'queries')} distinct queries.", "",
             "| figure | measured | target | verdict | detail |", "| --- | --- | --- | --- | --- |"]
    lines += [f"| {label} | {fmt(value, unit, 2 if unit == '×' else 1)} | {target} | {verdict(value, ok)} | {detail} |"
              for label, value, target, unit, ok, detail in targets]
    other = [
        ("/search/ cache off (each query once)", get(s, "http_cache_off", "search")),
        ("/api/search/ cache off", get(s, "http_cache_off", "api")),
        ("/search/ cache on (Zipf replay)", get(s, "http_cache_on", "search")),
        ("/api/search/ cache on (Zipf replay)", get(s, "http_cache_on", "api")),
        ("raw Whoosh (one open searcher, facets from per-segment tables)", s.get("raw_whoosh")),
        ("raw Whoosh, Whoosh's own groupedby facets (every 10th query)",
         get(s, "raw_whoosh", "whoosh_groupedby_every_10th")),
        ("SQLite FTS5", s.get("fts5")),
        ("load, 16 clients", s.get("load")),
        (f"ours at {at}, q and page only, cache off", get(s, "at_10k", "ours")),
        (f"haystack default at {at}, q and page only", get(s, "at_10k", "haystack_default", "search")),
    ]
    lines += ["", "| latency | p50 ms | p95 ms | mean ms | errors |", "| --- | --- | --- | --- | --- |"]
    lines += [f"| {label} | {fmt(get(r, 'p50'))} | {fmt(get(r, 'p95'))} | {fmt(get(r, 'mean'))} | "
              f"{fmt(get(r, 'errors'))} |" for label, r in other if r]
    kinds = get(s, "http_cache_off", "search", "by_kind") or {}
    lines += ["", "| query kind (p50 / p95 ms) | /search/ cache off | raw Whoosh | FTS5 |", "| --- | --- | --- | --- |"]
    for kind in kinds:
        cells = [get(s, "http_cache_off", "search", "by_kind", kind), get(s, "raw_whoosh", "by_kind", kind),
                 get(s, "fts5", "by_kind", kind)]
        lines.append(f"| {kind} | " + " | ".join(f"{fmt(get(c, 'p50'))} / {fmt(get(c, 'p95'))}" for c in cells) + " |")
    build, hay = get(s, "fts5", "build"), get(s, "at_10k", "haystack_default", "build")
    lines += ["", "Builds: ours " + f"{fmt(rate, ' files/s')}; FTS5 {fmt(get(build, 'docs_per_s'), ' docs/s')}, "
              f"{fmt(get(build, 'bytes'))} bytes ({fmt(get(build, 'size_to_text'), '× text', 2)}); "
              f"haystack default {fmt(get(hay, 'docs_per_s'), ' docs/s')}. "
              f"Index segments after the import: {fmt(get(s, 'sizes', 'segments'))}. "
              f"Zipf replay: {fmt(get(s, 'http_cache_on', 'requests'))} requests, "
              f"{fmt(get(s, 'http_cache_on', 'repeat_share'), '', 3)} of them repeats.", ""]
    markdown = "\n".join(lines)
    with open(run.results, "a", encoding="utf-8") as out:
        out.write("\n" + markdown + "\n")
    print(markdown)
    return {"appended_to": str(run.results), "markdown": markdown}


STAGES: dict[str, Callable[[Run], dict]] = {
    "corpus": stage_corpus, "queries": stage_queries, "import_ours": stage_import_ours, "sizes": stage_sizes,
    "http_cache_off": stage_http_cache_off, "http_cache_on": stage_http_cache_on, "raw_whoosh": stage_raw_whoosh,
    "fts5": stage_fts5, "sql_queries": stage_sql_queries, "load": stage_load, "at_10k": stage_at_10k,
    "report": stage_report,
}


def headline(result: dict) -> str:
    """The stage's scalar figures and each nested measurement's p50/p95, on one line."""
    parts = []
    for key, value in result.items():
        if isinstance(value, dict) and "p50" in value:
            parts.append(f"{key} p50 {value['p50']} p95 {value['p95']} ms errors {value.get('errors', 0)}")
        elif isinstance(value, dict) and "skipped" in value:
            parts.append(f"{key} skipped: {value['skipped']}")
        elif isinstance(value, (int, float, str)) and key not in ("markdown", "dir", "file", "rss_method"):
            parts.append(f"{key} {value}")
    return "; ".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, required=True, help="articles in the corpus")
    parser.add_argument("--name", help="run folder under bench/work (default run-<n>)")
    parser.add_argument("--redo", action="append", default=[], choices=list(STAGES), metavar="STAGE",
                        help="run this stage again even if it has a result (repeatable)")
    parser.add_argument("--at", type=int, default=10_000, help="articles of the at_10k stage (default 10000; "
                                                                "half the corpus when it is not larger)")
    parser.add_argument("--replay", type=int, default=3000, help="requests of the cache-on Zipf replay")
    parser.add_argument("--load-seconds", type=float, default=60.0)
    parser.add_argument("--results", type=Path, default=REPO / "bench" / "RESULTS.md")
    parser.add_argument("--every", type=int, default=1,
                        help="one-pass latency stages ask every n-th query only (a stratified sample)")
    args = parser.parse_args()
    run = Run(args.n, args.name or f"run-{args.n}", args.at, args.replay, args.load_seconds, args.results.resolve(),
              command=" ".join(["python bench/run.py", *sys.argv[1:]]), every=args.every)
    (run.dir / "stages").mkdir(parents=True, exist_ok=True)
    for name, stage in STAGES.items():
        path = run.dir / "stages" / f"{name}.json"
        if path.exists() and name not in args.redo:
            print(f"[{name}] done before: {headline(json.loads(path.read_text(encoding='utf-8')))}")
            continue
        print(f"[{name}] running…", flush=True)
        started = time.perf_counter()
        result = stage(run)
        result["stage_seconds"] = round(time.perf_counter() - started, 1)
        result["finished"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
        path.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
        print(f"[{name}] {headline(result)}", flush=True)


if __name__ == "__main__":
    main()
