"""A real gunicorn on 127.0.0.1 for the benchmarks, and timed GETs against it.

    with gunicorn({"ARCHIVE_DATA_DIR": data, "ARCHIVE_SEARCH_CACHE": "0"}, log=path) as base:
        figures = measure(base, "/search/", queries)

`gunicorn` starts `gunicorn archive.wsgi:application --workers 2 --bind 127.0.0.1:PORT
--no-control-socket` on a free port with the given environment, waits until `/` answers, and terminates it (and
only it) at the end. `measure` sends each query once, in order, on one keep-alive
connection, and returns p50/p95/mean in milliseconds and the errors (non-200 or failed).
"""
from __future__ import annotations

import http.client
import os
import socket
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode, urlsplit

REPO = Path(__file__).resolve().parent.parent
GUNICORN = REPO / ".venv" / "bin" / "gunicorn"


def summarize(ms: list[float]) -> dict:
    """p50 / p95 / mean / max of latencies in milliseconds, rounded for reading."""
    if not ms:
        return {"n": 0, "p50": None, "p95": None, "mean": None, "max": None}
    p95 = statistics.quantiles(ms, n=20, method="inclusive")[-1] if len(ms) > 1 else ms[0]
    return {"n": len(ms), "p50": round(statistics.median(ms), 2), "p95": round(p95, 2),
            "mean": round(statistics.fmean(ms), 2), "max": round(max(ms), 2)}


def by_kind(rows: Iterable[tuple[str, float]]) -> dict[str, dict]:
    """Latency summaries per query kind from (kind, ms) pairs."""
    groups: dict[str, list[float]] = {}
    for kind, ms in rows:
        groups.setdefault(kind, []).append(ms)
    return {kind: summarize(values) for kind, values in sorted(groups.items())}


DEEP = "deep_page"


def except_deep(rows: Iterable[tuple[str, float]]) -> dict:
    """The latency summary of every kind but deep pages (issue 20 reports those apart)."""
    return summarize([ms for kind, ms in rows if kind != DEEP])


def query_path(path: str, params: dict, extra: dict | None = None) -> str:
    return path + "?" + urlencode({**params, **(extra or {})})


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(base_url: str, timeout: float = 90.0, proc: subprocess.Popen | None = None) -> None:
    parts = urlsplit(base_url)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {proc.returncode} before answering")
        try:
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
            conn.request("GET", "/")
            conn.getresponse().read()
            conn.close()
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{base_url} did not answer within {timeout:.0f} s")


def with_env(overrides: dict[str, str | None]) -> dict[str, str]:
    """This process's environment with `overrides`; a value of None removes the variable."""
    env = dict(os.environ)
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


@contextmanager
def gunicorn(env: dict[str, str | None], log: Path | None = None, workers: int = 2) -> Iterator[str]:
    """A gunicorn serving the archive on 127.0.0.1; yields its base URL. A value of None
    in `env` removes that variable (to get a setting's default)."""
    port = free_port()
    child_env = with_env(env)
    # No control socket: its default path (~/.gunicorn/gunicorn.ctl) is shared by every
    # gunicorn of this user, and another one may be running beside the benchmark.
    command = [str(GUNICORN), "archive.wsgi:application", "--workers", str(workers),
               "--bind", f"127.0.0.1:{port}", "--no-control-socket"]
    out = open(log, "ab") if log else subprocess.DEVNULL
    proc = subprocess.Popen(command, cwd=REPO, env=child_env, stdout=out, stderr=subprocess.STDOUT)
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base_url, proc=proc)
        yield base_url
    finally:
        proc.terminate()  # gunicorn's master stops its workers on SIGTERM
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if log:
            out.close()


def warm_up(base_url: str, path: str, n: int = 6, queries: list[dict] | None = None) -> None:
    """A few requests outside the measured set, so both workers have loaded the index; then
    `queries` (others outside the measured set), so that a server just started (a JVM's
    compiler, the engine's own caches) is not measured as it warms."""
    parts = urlsplit(base_url)
    for params in [{"q": f"warmup{i}"} for i in range(n)] + [q["params"] for q in queries or []]:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        conn.request("GET", query_path(path, params))
        conn.getresponse().read()
        conn.close()


def measure(base_url: str, path: str, queries: list[dict], extra: dict | None = None,
            only: tuple[str, ...] | None = None, timeout: float = 120.0, per_query: bool = False) -> dict:
    """Each query once, in order, on one keep-alive connection. `extra` adds parameters
    (page_size=20); `only` keeps just those parameters (q, page). Returns p50/p95/mean
    in ms over the answered (200) requests, per kind as well, and the errors; with
    `per_query`, also each query's ms (None when not answered with 200), in order."""
    parts = urlsplit(base_url)
    if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise ValueError("measure only talks to this machine")
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    timings: list[tuple[str, float]] = []
    statuses: Counter[str] = Counter()
    examples: list[str] = []
    each: list[float | None] = []
    for query in queries:
        params = query["params"]
        if only:
            params = {k: v for k, v in params.items() if k in only}
        url = query_path(path, params, extra)
        start = time.perf_counter()
        try:
            conn.request("GET", url)
            response = conn.getresponse()
            response.read()
            status = str(response.status)
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
        except (OSError, http.client.HTTPException) as exc:
            status = type(exc).__name__
            conn.close()
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
        ms = (time.perf_counter() - start) * 1000
        statuses[status] += 1
        each.append(ms if status == "200" else None)
        if status == "200":
            timings.append((query["kind"], ms))
        elif len(examples) < 10:
            examples.append(f"{status} {url}")
    conn.close()
    errors = sum(n for s, n in statuses.items() if s != "200")
    result = {**summarize([ms for _, ms in timings]), "requests": len(queries), "errors": errors,
              "statuses": dict(statuses), "error_examples": examples, "by_kind": by_kind(timings),
              "except_deep_page": except_deep(timings)}
    if per_query:
        result["per_query_ms"] = [round(ms, 2) if ms is not None else None for ms in each]
    return result


if __name__ == "__main__":
    sys.exit("a library for bench/run.py; see its docstring")
