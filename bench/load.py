"""A bounded load generator: N concurrent keep-alive connections for a fixed time.

    python bench/load.py --base http://127.0.0.1:8000 --paths urls.json [--clients 16] [--seconds 60]

`urls.json` is a JSON list of paths ("/search/?q=…"), e.g. a Zipf replay from
bench/queries.py. Client i starts at position i * len / N of the list and goes round it.
Only loopback addresses are accepted. Prints one JSON line: requests/s, p50/p95 ms,
errors (non-200 answers and failed requests).

Run it in its own process (bench/run.py does), so the client threads do not share a
GIL with the caller; on a 2-core machine they still share the CPUs with the server.
"""
from __future__ import annotations

import argparse
import http.client
import ipaddress
import json
import socket
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.http_bench import summarize  # noqa: E402


def loopback_address(base_url: str) -> tuple[str, int]:
    """(host, port) of a 127.0.0.1 / ::1 / localhost URL; anything else is refused."""
    parts = urlsplit(base_url)
    if parts.scheme != "http" or not parts.hostname or not parts.port:
        raise SystemExit(f"refusing {base_url!r}: give http://127.0.0.1:PORT")
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(parts.hostname, parts.port)}
    except socket.gaierror as exc:
        raise SystemExit(f"refusing {base_url!r}: {exc}")
    if not addresses or not all(ipaddress.ip_address(a).is_loopback for a in addresses):
        raise SystemExit(f"refusing {base_url!r}: only loopback addresses may be loaded")
    return parts.hostname, parts.port


def client(host: str, port: int, paths: list[str], start: int, deadline: float,
           timings: list[float], statuses: Counter, lock: threading.Lock) -> None:
    conn = http.client.HTTPConnection(host, port, timeout=60)
    mine: list[float] = []
    seen: Counter = Counter()
    i = start
    while time.monotonic() < deadline:
        path = paths[i % len(paths)]
        i += 1
        t0 = time.perf_counter()
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            status = str(response.status)
        except (OSError, http.client.HTTPException) as exc:
            status = type(exc).__name__
            conn.close()
            conn = http.client.HTTPConnection(host, port, timeout=60)
        seen[status] += 1
        if status == "200":
            mine.append((time.perf_counter() - t0) * 1000)
    conn.close()
    with lock:
        timings.extend(mine)
        statuses.update(seen)


def run_load(base_url: str, paths: list[str], clients: int = 16, seconds: float = 60.0) -> dict:
    host, port = loopback_address(base_url)
    if not paths:
        raise SystemExit("no paths to request")
    timings: list[float] = []
    statuses: Counter = Counter()
    lock = threading.Lock()
    started = time.monotonic()
    deadline = started + seconds
    threads = [threading.Thread(target=client, args=(host, port, paths, k * len(paths) // clients, deadline,
                                                      timings, statuses, lock))
               for k in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    requests = sum(statuses.values())
    errors = requests - statuses.get("200", 0)
    return {"clients": clients, "seconds": round(elapsed, 1), "requests": requests,
            "requests_per_s": round(requests / elapsed, 1), "ok_per_s": round(len(timings) / elapsed, 1),
            "errors": errors, "statuses": dict(statuses), **{k: v for k, v in summarize(timings).items() if k != "n"}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", required=True, help="http://127.0.0.1:PORT")
    parser.add_argument("--paths", type=Path, required=True, help="JSON list of paths")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()
    if not 1 <= args.clients <= 64 or not 0 < args.seconds <= 600:
        raise SystemExit("clients must be 1-64 and seconds at most 600")
    paths = json.loads(args.paths.read_text(encoding="utf-8"))
    print(json.dumps(run_load(args.base, paths, args.clients, args.seconds)))


if __name__ == "__main__":
    main()
