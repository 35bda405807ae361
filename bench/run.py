"""The scale benchmark of issues 7 and 20: one corpus and one query set, in one run, on
three engines, stage by stage and resumable.

    .venv/bin/python bench/run.py --n 100000 --every 5 --replay 500      # make bench (hours)
    .venv/bin/python bench/run.py --n 2000 --load-seconds 10 --replay 200  # make bench-quick

Engines: Whoosh (embedded, the default), OpenSearch (a node on 127.0.0.1:--opensearch-port
started and stopped by this script from scripts/opensearch, heap --opensearch-heap), both
with SQLite as their database; and SQLite FTS5, the outside reference (bench/baselines.py),
built from the articles of the Whoosh import. Every server runs with rate limits off
(ARCHIVE_RATELIMIT=0) and ARCHIVE_DATABASE_URL unset.

Each stage writes bench/work/<name>/stages/<stage>.json (name: run-<n> unless --name) and
is skipped when that file exists; `--redo STAGE` (repeatable) runs it again. Stages:

  corpus                bench/corpus.py into bench/work/corpus-<n> (resumable itself)
  queries               bench/queries.py: the query set, the input of every later stage
  <engine>.import       fresh data folder bench/work/<name>/<engine>/data, migrate, then
                        `manage.py import_articles` timed end to end; the peak memory (VmHWM)
                        of each process of the tree, the largest named; for OpenSearch the
                        node's own peak is recorded apart (its heap is not the import's)
  whoosh.sizes          index folder bytes against the UTF-8 bytes of title + body
  <engine>.http_cache_off  gunicorn, ARCHIVE_SEARCH_CACHE=0: every query once, /search/ and
                        /api/search/, per kind, and every kind but deep pages together
  <engine>.http_cache_on   gunicorn, cache on: a Zipf replay (--replay requests) per endpoint
  <engine>.load         bench/load.py: 16 clients for --load-seconds against /search/, cache on
  <engine>.relevance    bench/relevance.py --engine: nDCG@10 and place recall@20 on the judged set
  whoosh.raw            bench/baselines.py whoosh: the engine's limit on our index
  fts5.run              bench/baselines.py fts5: build (docs/s, peak memory), each query once,
                        and the same Zipf replay (FTS5 has no cache)
  at_10k                only with --at-10k: the first --at files, our /search/ against
                        haystack's default setup (bench/haystack_default/)
  report                one table per engine (figure, target of issue 20, verdict, FTS5, ratio),
                        the ratios between engines and the kinds, appended to --results

Servers listen on 127.0.0.1 only and are stopped when their stage ends; the OpenSearch node
when the last OpenSearch stage ends (or the run fails).
"""
from __future__ import annotations

import argparse
import functools
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench import http_bench  # noqa: E402
from bench.http_bench import with_env  # noqa: E402
from bench.queries import corpus_files, replay  # noqa: E402

WORK = REPO / "bench" / "work"
PY = str(REPO / ".venv" / "bin" / "python") if (REPO / ".venv" / "bin" / "python").exists() else sys.executable
GNU_TIME = Path("/usr/bin/time")
HAYSTACK_DEFAULT = REPO / "bench" / "haystack_default"
PAGE = os.sysconf("SC_PAGE_SIZE")
SERVED = ("whoosh", "opensearch")  # the engines the archive serves; fts5 is the reference
ENGINES = (*SERVED, "fts5")
ENGINE_LABEL = {"whoosh": "Whoosh (embedded)", "opensearch": "OpenSearch", "fts5": "SQLite FTS5"}
OPENSEARCH_INDEX = "bench"


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
    opensearch_port: int = 9270
    opensearch_heap: str = "1g"

    @property
    def dir(self) -> Path:
        return WORK / self.name

    @property
    def corpus(self) -> Path:
        return WORK / f"corpus-{self.n}"

    def data(self, engine: str = "whoosh") -> Path:
        """The data folder (SQLite database, raw captures, Whoosh index) of an engine's
        import; FTS5 is built from the Whoosh import's database."""
        return self.dir / ("whoosh" if engine == "fts5" else engine) / "data"

    @property
    def opensearch_url(self) -> str:
        return f"http://127.0.0.1:{self.opensearch_port}"

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

    def untimed_queries(self, count: int = 600) -> list[dict]:
        """`count` queries that the one-pass measurements do not ask (of every kind: the
        list is built kind by kind, in rounds): the cache-off stage's warm-up. Sixty were
        too few for a node just started: at 100k, OpenSearch's median over the same 252
        queries was 33.2 ms on the first pass after 60, then 29.7, 28.2 and 28.1 (the JVM
        still compiling); after about 500 it no longer falls."""
        return [q for i, q in enumerate(self.queries()) if i % self.every][:count]

    def replayed(self) -> list[dict]:
        """The Zipf replay every engine gets with its cache on (the same list for each)."""
        return replay(self.queries(), self.replay, seed=11)

    def stage(self, name: str) -> dict | None:
        path = self.dir / "stages" / f"{name}.json"
        return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def engine_env(run: Run, engine: str) -> dict[str, str | None]:
    """What every child of an engine's stages runs with: its search engine, SQLite as the
    database (ARCHIVE_DATABASE_URL removed) and rate limits off. None removes a variable."""
    env: dict[str, str | None] = {"ARCHIVE_RATELIMIT": "0", "ARCHIVE_DATABASE_URL": None,
                                  "ARCHIVE_SEARCH_ENGINE": None, "ARCHIVE_OPENSEARCH_URL": None,
                                  "ARCHIVE_OPENSEARCH_INDEX": None, "DJANGO_SETTINGS_MODULE": None}
    if engine == "opensearch":
        env.update({"ARCHIVE_SEARCH_ENGINE": "opensearch", "ARCHIVE_OPENSEARCH_URL": run.opensearch_url,
                    "ARCHIVE_OPENSEARCH_INDEX": OPENSEARCH_INDEX})
    return env



# --- helpers ------------------------------------------------------------------------

def last_json_line(text: str) -> dict:
    for line in reversed(text.strip().splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    raise RuntimeError(f"no JSON line in output: {text[-500:]}")


def run_child(command: list[str], log: Path, env: dict | None = None) -> str:
    """Run a child to its end; its stderr goes to the log, its stdout is returned. A value
    of None in `env` removes that variable."""
    with open(log, "ab") as err:
        done = subprocess.run(command, cwd=REPO, env=with_env(env or {}), stdout=subprocess.PIPE, stderr=err)
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


def process_tree() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    return children


def descendants(root: int, children: dict[int, list[int]]) -> Iterator[tuple[int, int | None]]:
    """(pid, parent pid) of a process and every descendant."""
    stack: list[tuple[int, int | None]] = [(root, None)]
    while stack:
        pid, parent = stack.pop()
        yield pid, parent
        stack.extend((child, pid) for child in children.get(pid, ()))


def tree_rss(root: int) -> int:
    """Summed memory (bytes, PSS where the kernel gives it) of a process and all its
    descendants, from /proc."""
    total = 0
    for pid, _ in descendants(root, process_tree()):
        try:
            total += _memory(pid)
        except (OSError, IndexError, ValueError):
            pass
    return total


def peak_rss(pid: int) -> int | None:
    """A process's own peak resident set size (VmHWM), in bytes."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        return None
    return None


def command_line(pid: int) -> str:
    try:
        words = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return "?"
    words = [w.decode("utf-8", "replace") for w in words if w]
    # Drop the interpreter's path and the inputs: "python manage.py import_articles --json".
    shown = [Path(w).name if i == 0 else w for i, w in enumerate(words) if not w.startswith("/") or i == 0]
    return " ".join(shown)[:120]


class PeakSampler:
    """Every process of a tree, sampled: each one's own peak (VmHWM, which the kernel keeps,
    so a sample misses only growth in a process's last half second) and a name saying
    which process it is (forked children carry their parent's command line)."""

    def __init__(self, root: int):
        self.root = root
        self.seen: dict[int, dict] = {}

    def sample(self) -> None:
        for pid, parent in descendants(self.root, process_tree()):
            peak = peak_rss(pid)
            if peak is None:
                continue
            entry = self.seen.get(pid)
            if entry is None:
                cmd = command_line(pid)
                parent_entry = self.seen.get(parent) if parent else None
                if parent_entry and parent_entry["command"] == cmd:
                    role = f"forked child of pid {parent} ({cmd}): a pool worker or the index writer"
                else:
                    role = f"{cmd} (main process)" if cmd.split(" ")[0].startswith("python") else cmd
                entry = self.seen[pid] = {"pid": pid, "parent": parent, "command": cmd, "process": role, "bytes": 0}
            entry["bytes"] = max(entry["bytes"], peak)

    def largest(self, count: int = 3) -> list[dict]:
        python = [e for e in self.seen.values() if Path(e["command"].split(" ")[0]).name != "time"]
        return sorted(python, key=lambda e: -e["bytes"])[:count]


def opensearch_store_bytes(run: Run) -> int | None:
    try:
        with urllib.request.urlopen(f"{run.opensearch_url}/_cat/indices?format=json&bytes=b", timeout=30) as answer:
            rows = json.loads(answer.read())
    except (OSError, ValueError):
        return None
    return sum(int(r.get("store.size") or 0) for r in rows if r.get("index", "").startswith(OPENSEARCH_INDEX))


def folder_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def import_into(data: Path, inputs: list[Path], logs: Path, env: dict[str, str | None] | None = None,
                beside: dict[str, int] | None = None) -> dict:
    """A fresh data folder, migrated, then one `import_articles` timed end to end. `beside`:
    processes outside the import (the OpenSearch node) whose own peak is recorded apart."""
    if data.exists():
        shutil.rmtree(data)
    data.mkdir(parents=True)
    env = with_env({**(env or {}), "ARCHIVE_DATA_DIR": str(data)})
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
            sampler = PeakSampler(proc.pid)
            peak = 0
            while proc.poll() is None:
                peak = max(peak, tree_rss(proc.pid))
                sampler.sample()
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
    largest = sampler.largest()
    top = largest[0] if largest else {}
    return {"files": files, "outcomes": summary, "exit_code": proc.returncode, "seconds": round(seconds, 1),
            "files_per_s": round(files / seconds, 1), "imported_per_s": round(summary.get("imported", 0) / seconds, 1),
            "largest_process_bytes": max(top.get("bytes", 0), time_rss or 0) or None,
            "largest_process": top.get("process", "the largest child (/usr/bin/time -v)"),
            "largest_processes": largest, "processes_seen": len(sampler.seen),
            "peak_rss_tree_sampled_bytes": peak, "peak_rss_time_v_bytes": time_rss,
            "rss_method": "each process's VmHWM sampled every 0.5 s (the largest named), and /usr/bin/time -v's "
                          "largest process; the tree's summed PSS apart",
            "apart": {name: peak_rss(pid) for name, pid in (beside or {}).items()}}


def data_env(run: Run, engine: str, cache: bool) -> dict[str, str | None]:
    """The server's environment; each server starts with an empty search cache of its own
    (the cache is shared by a server's workers, in files)."""
    data = run.data(engine)
    cache_dir = Path(tempfile.mkdtemp(prefix="search-cache-", dir=data.parent))
    return {**engine_env(run, engine), "ARCHIVE_DATA_DIR": str(data), "ARCHIVE_SEARCH_CACHE": None if cache else "0",
            "ARCHIVE_SEARCH_CACHE_DIR": str(cache_dir)}


# --- the OpenSearch node ------------------------------------------------------------

def node_env(run: Run) -> dict[str, str | None]:
    # No ARCHIVE_DATA_DIR: scripts/opensearch finds the cached distribution in the
    # repository's data/opensearch (sh scripts/opensearch fetch).
    return {"ARCHIVE_DATA_DIR": None, "ARCHIVE_OPENSEARCH_PORT": str(run.opensearch_port),
            "ARCHIVE_OPENSEARCH_TRANSPORT_PORT": str(run.opensearch_port + 100),
            "ARCHIVE_OPENSEARCH_HOME": str(run.dir / "opensearch" / "node"),
            "ARCHIVE_OPENSEARCH_HEAP": run.opensearch_heap, "ARCHIVE_OPENSEARCH_CLUSTER": f"bench-{run.name}",
            "ARCHIVE_OPENSEARCH_NODE": "bench-node"}


def node_answers(run: Run) -> bool:
    try:
        with urllib.request.urlopen(f"{run.opensearch_url}/_cluster/health", timeout=2):
            return True
    except OSError:
        return False


@contextmanager
def opensearch_node(run: Run) -> Iterator[int]:
    """A node started from scripts/opensearch on 127.0.0.1:--opensearch-port, its data in
    bench/work/<name>/opensearch/node (kept, so a resumed run finds its index); yields the
    node's pid and stops it at the end."""
    pidfile = run.dir / "opensearch" / "node" / "opensearch.pid"
    if node_answers(run) and not pidfile.exists():
        raise RuntimeError(f"something else answers on {run.opensearch_url}: choose --opensearch-port")
    env = with_env(node_env(run))
    with open(run.log("opensearch-node.log"), "ab") as log:
        subprocess.run(["sh", "scripts/opensearch", "start"], cwd=REPO, env=env, stdout=log, stderr=log, check=True)
    try:
        yield int(pidfile.read_text().strip())
    finally:
        with open(run.log("opensearch-node.log"), "ab") as log:
            subprocess.run(["sh", "scripts/opensearch", "stop"], cwd=REPO, env=env, stdout=log, stderr=log)


NODE: dict[str, int] = {}  # the running node's pid, while OpenSearch stages run


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


def stage_import(run: Run, engine: str) -> dict:
    beside = {"opensearch node": NODE["pid"]} if engine == "opensearch" else {}
    result = import_into(run.data(engine), [run.corpus], run.log(f"import_{engine}"), env=engine_env(run, engine),
                         beside=beside)
    result["database"] = "SQLite (archive.sqlite3 in the data folder)"
    if engine == "opensearch":
        result["opensearch_heap"] = run.opensearch_heap
        result["index_bytes"] = opensearch_store_bytes(run)
    return result


def stage_sizes(run: Run) -> dict:
    data = run.data("whoosh")
    db = sqlite3.connect(f"file:{data / 'archive.sqlite3'}?mode=ro", uri=True)
    articles, text_bytes = db.execute(
        "SELECT count(*), sum(length(CAST(title AS BLOB)) + length(CAST(body AS BLOB))) FROM archive_article"
    ).fetchone()
    index = data / "whoosh_index"
    index_bytes = folder_bytes(index)
    return {"articles": articles, "cleaned_text_bytes": text_bytes, "index_bytes": index_bytes,
            "index_to_text": round(index_bytes / text_bytes, 2), "segments": len(list(index.glob("*.seg"))),
            "database_bytes": sum(p.stat().st_size for p in data.glob("archive.sqlite3*")),
            "raw_bytes": folder_bytes(data / "raw")}


def prime_page_cache(run: Run, engine: str) -> dict:
    """Read the files a search reads (the database, and the index: Whoosh's folder, or the
    OpenSearch node's) once before timing, so that the timings do not depend on what the
    machine's disk cache kept: on these machines memory reclaim evicts files left idle
    for minutes, and the first queries after it read from the disk. A server that has
    been serving has them in memory."""
    data = run.data(engine)
    folders = [data / "whoosh_index"] if engine == "whoosh" else [run.dir / "opensearch" / "node"]
    files = [*data.glob("archive.sqlite3*"), *(p for folder in folders for p in folder.rglob("*") if p.is_file())]
    started, read = time.perf_counter(), 0
    for path in files:
        try:
            with open(path, "rb") as handle:
                while chunk := handle.read(1 << 20):
                    read += len(chunk)
        except OSError:  # a file the node removed meanwhile
            continue
    return {"bytes": read, "seconds": round(time.perf_counter() - started, 1)}


def stage_http_cache_off(run: Run, engine: str) -> dict:
    queries, warming = run.timed_queries(), run.untimed_queries()
    primed = prime_page_cache(run, engine)
    with http_bench.gunicorn(data_env(run, engine, cache=False), log=run.log(f"gunicorn-{engine}-cache-off.log")) as base:
        http_bench.warm_up(base, "/search/", queries=warming)
        page = http_bench.measure(base, "/search/", queries)
        api = http_bench.measure(base, "/api/search/", queries, extra={"page_size": "20"})
    return {"search": page, "api": api, "rate_limits": "off", "page_cache_primed": primed,
            "warm_up_queries": len(warming)}


def stage_http_cache_on(run: Run, engine: str) -> dict:
    replayed = run.replayed()
    distinct = len({json.dumps(q["params"], sort_keys=True) for q in replayed})
    result = {"requests": len(replayed), "distinct": distinct, "repeat_share": round(1 - distinct / len(replayed), 3),
              "rate_limits": "off", "page_cache_primed": prime_page_cache(run, engine)}
    # A fresh server per endpoint: the second replay does not start with the first one's cache.
    for name, path, extra in (("search", "/search/", None), ("api", "/api/search/", {"page_size": "20"})):
        with http_bench.gunicorn(data_env(run, engine, cache=True), log=run.log(f"gunicorn-{engine}-cache-on.log")) as base:
            http_bench.warm_up(base, path)
            result[name] = http_bench.measure(base, path, replayed, extra=extra)
    return result


def stage_load(run: Run, engine: str, clients: int = 16) -> dict:
    paths = [http_bench.query_path("/search/", q["params"]) for q in replay(run.queries(), 20_000, seed=13)]
    paths_file = run.dir / "load_paths.json"
    paths_file.write_text(json.dumps(paths, ensure_ascii=False), encoding="utf-8")
    primed = prime_page_cache(run, engine)
    with http_bench.gunicorn(data_env(run, engine, cache=True), log=run.log(f"gunicorn-{engine}-load.log")) as base:
        out = run_child([PY, "bench/load.py", "--base", base, "--paths", str(paths_file), "--clients", str(clients),
                         "--seconds", str(run.load_seconds)], run.log(f"load-{engine}.log"))
    return {**last_json_line(out), "rate_limits": "off", "cache": "on", "page_cache_primed": primed}


def stage_relevance(run: Run, engine: str) -> dict:
    command = [PY, "bench/relevance.py", "--engine", engine, "--json"]
    if engine == "opensearch":
        command += ["--opensearch", run.opensearch_url]
    env = {key: value for key, value in engine_env(run, engine).items() if not key.startswith("ARCHIVE_OPENSEARCH")}
    return last_json_line(run_child(command, run.log(f"relevance-{engine}.log"), env=env))


def stage_raw_whoosh(run: Run) -> dict:
    """Every query with facet counts from per-segment tables (what the archive does), and
    every 10th with Whoosh's own groupedby facets, which rebuild their tables per query."""
    data = run.data("whoosh")
    base = [PY, "bench/baselines.py", "whoosh", "--data", str(data), "--queries", str(run.queries_file)]
    env = {**engine_env(run, "whoosh"), "ARCHIVE_DATA_DIR": str(data)}
    result = last_json_line(run_child([*base, "--every", str(run.every)], run.log("raw_whoosh.log"), env=env))
    result["whoosh_groupedby_every_10th"] = last_json_line(
        run_child([*base, "--facets", "whoosh", "--every", str(10 * run.every)], run.log("raw_whoosh.log"), env=env))
    return result


def stage_fts5(run: Run) -> dict:
    """FTS5 built from the Whoosh import's articles, each query once, then the Zipf replay;
    the process's peak memory (build and queries) from /usr/bin/time -v."""
    data = run.data("fts5")
    replay_file = run.dir / "replay.json"
    replay_file.write_text(json.dumps(run.replayed(), ensure_ascii=False), encoding="utf-8")
    command = [PY, "bench/baselines.py", "fts5", "--data", str(data), "--queries", str(run.queries_file),
               "--fts-db", str(run.dir / "fts5" / "fts5.sqlite3"), "--every", str(run.every),
               "--replay", str(replay_file)]
    (run.dir / "fts5").mkdir(parents=True, exist_ok=True)
    time_file = run.dir / "fts5" / "baselines.time"
    if GNU_TIME.exists():
        command = [str(GNU_TIME), "-v", "-o", str(time_file), *command]
    result = last_json_line(run_child(command, run.log("fts5.log"),
                                      env={**engine_env(run, "fts5"), "ARCHIVE_DATA_DIR": str(data)}))
    if GNU_TIME.exists():
        for line in time_file.read_text().splitlines():
            if "Maximum resident set size" in line:
                result["largest_process_bytes"] = int(line.rsplit(":", 1)[1]) * 1024
                result["largest_process"] = "bench/baselines.py fts5 (build, then the queries; /usr/bin/time -v)"
    sizes = run.stage("whoosh.sizes")
    if sizes:
        result["build"]["size_to_text"] = round(result["build"]["bytes"] / sizes["cleaned_text_bytes"], 2)
    return result


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
    whoosh = engine_env(run, "whoosh")
    result: dict = {"articles": at, "import": import_into(data, [corpus], run.log("import_at"), env=whoosh)}
    queries = run.timed_queries()
    env = {**whoosh, "ARCHIVE_DATA_DIR": str(data), "ARCHIVE_SEARCH_CACHE": "0"}
    with http_bench.gunicorn(env, log=run.log("gunicorn-at-ours.log")) as base:
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
                                         run.log("haystack_default_build.log"), env=whoosh))
    except (RuntimeError, ValueError) as exc:
        result["haystack_default"] = {"skipped": f"build failed: {exc}"}
        return result
    env = {**whoosh, "ARCHIVE_DATA_DIR": str(data), "HAYSTACK_DEFAULT_INDEX": str(index),
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


def stage_report(run: Run) -> dict:
    from bench import report

    stages = {name: run.stage(name) for name in STAGES if name != "report"}
    markdown = report.markdown(stages, report.Meta(
        n=run.n, name=run.name, command=run.command or f"python bench/run.py --n {run.n}", commit=commit(),
        machine=machine(), when=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        opensearch_heap=run.opensearch_heap))
    with open(run.results, "a", encoding="utf-8") as out:
        out.write("\n" + markdown + "\n")
    print(markdown)
    return {"appended_to": str(run.results), "markdown": markdown}


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


# In order. The OpenSearch node runs from the first OpenSearch stage to the last.
STAGES: dict[str, Callable[[Run], dict]] = {
    "corpus": stage_corpus, "queries": stage_queries,
    "whoosh.import": functools.partial(stage_import, engine="whoosh"), "whoosh.sizes": stage_sizes,
    "whoosh.http_cache_off": functools.partial(stage_http_cache_off, engine="whoosh"),
    "whoosh.http_cache_on": functools.partial(stage_http_cache_on, engine="whoosh"),
    "whoosh.load": functools.partial(stage_load, engine="whoosh"),
    "whoosh.raw": stage_raw_whoosh,
    "whoosh.relevance": functools.partial(stage_relevance, engine="whoosh"),
    "fts5.run": stage_fts5,
    "fts5.relevance": functools.partial(stage_relevance, engine="fts5"),
    "opensearch.import": functools.partial(stage_import, engine="opensearch"),
    "opensearch.http_cache_off": functools.partial(stage_http_cache_off, engine="opensearch"),
    "opensearch.http_cache_on": functools.partial(stage_http_cache_on, engine="opensearch"),
    "opensearch.load": functools.partial(stage_load, engine="opensearch"),
    "opensearch.relevance": functools.partial(stage_relevance, engine="opensearch"),
    "at_10k": stage_at_10k,
    "report": stage_report,
}
OPTIONAL = {"at_10k"}  # run only when asked (--at-10k)


def needs_node(name: str) -> bool:
    return name.startswith("opensearch.")


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
    parser.add_argument("--at-10k", action="store_true",
                        help="also run the at_10k stage (haystack's default setup beside ours); not needed by the "
                             "per-engine report")
    parser.add_argument("--at", type=int, default=10_000, help="articles of the at_10k stage (default 10000; "
                                                                "half the corpus when it is not larger)")
    parser.add_argument("--replay", type=int, default=3000, help="requests of the cache-on Zipf replay")
    parser.add_argument("--load-seconds", type=float, default=60.0)
    parser.add_argument("--results", type=Path, default=REPO / "bench" / "RESULTS.md")
    parser.add_argument("--every", type=int, default=1,
                        help="one-pass latency stages ask every n-th query only (a stratified sample)")
    parser.add_argument("--opensearch-port", type=int, default=9270,
                        help="HTTP port of the node the bench starts (transport: this + 100)")
    parser.add_argument("--opensearch-heap", default="1g", help="the node's heap (-Xms and -Xmx), 512m to 1g")
    args = parser.parse_args()
    run = Run(args.n, args.name or f"run-{args.n}", args.at, args.replay, args.load_seconds, args.results.resolve(),
              command=" ".join(["python bench/run.py", *sys.argv[1:]]), every=args.every,
              opensearch_port=args.opensearch_port, opensearch_heap=args.opensearch_heap)
    (run.dir / "stages").mkdir(parents=True, exist_ok=True)
    pending = [name for name in STAGES if (name not in OPTIONAL or args.at_10k)
               and (not (run.dir / "stages" / f"{name}.json").exists() or name in args.redo)]
    last_node_stage = max((i for i, name in enumerate(pending) if needs_node(name)), default=-1)
    node = None
    try:
        for name, stage in STAGES.items():
            path = run.dir / "stages" / f"{name}.json"
            if name not in pending:
                if path.exists():
                    print(f"[{name}] done before: {headline(json.loads(path.read_text(encoding='utf-8')))}")
                continue
            if needs_node(name) and node is None:
                print(f"[opensearch node] starting on {run.opensearch_url}, heap {run.opensearch_heap}…", flush=True)
                node = opensearch_node(run)
                NODE["pid"] = node.__enter__()
            print(f"[{name}] running…", flush=True)
            started = time.perf_counter()
            result = stage(run)
            result["stage_seconds"] = round(time.perf_counter() - started, 1)
            result["finished"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
            path.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
            print(f"[{name}] {headline(result)}", flush=True)
            if node is not None and pending.index(name) >= last_node_stage:
                node.__exit__(None, None, None)
                node = None
                print("[opensearch node] stopped", flush=True)
    finally:
        if node is not None:
            node.__exit__(None, None, None)


if __name__ == "__main__":
    main()
