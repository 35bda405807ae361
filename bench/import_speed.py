"""Import speed and memory per process: one `import_articles` into a fresh data folder.

    python bench/import_speed.py CORPUS_DIR [--data bench/work/import-speed] [--out result.json] [--repo DIR]

Like bench/run.py's import_into (a fresh ARCHIVE_DATA_DIR, migrated, then one timed
`import_articles --json`), but sampling every process of the import's tree every 0.25 s:
its name (/proc/<pid>/comm: the import names its workers `import-worker` and its index
children `import-index`), its VmRSS, and its VmHWM (peak RSS) read last before it exits.
The report gives files/s, the peak of each kind of process, and the RSS curve of the
largest ones (to reason about growth at 100k).
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = str(ROOT / ".venv" / "bin" / "python")


def _status(pid: int) -> dict[str, int]:
    out = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(("VmRSS:", "VmHWM:")):
                key, value = line.split(":", 1)
                out[key] = int(value.split()[0]) * 1024
    except OSError:
        pass
    return out


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of one process so far (/proc/<pid>/stat)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(x) for x in text.split()]


def _tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(_children(p))
    return out


def _comm(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return "?"


def probe_lock(lock_file: Path, stop: threading.Event, waits: list[float], every: float = 1.0) -> None:
    """What an admin edit would wait: every second, take the index's write lock (as
    search.writer does, an exclusive flock) and note how long that took."""
    import fcntl

    while not stop.wait(every):
        if not lock_file.exists():
            continue
        fd = os.open(lock_file, os.O_RDWR)
        try:
            started = time.perf_counter()
            fcntl.flock(fd, fcntl.LOCK_EX)
            waits.append(time.perf_counter() - started)
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)


def run(corpus: Path, data: Path, repo: Path = ROOT, interval: float = 0.25) -> dict:
    if data.exists():
        shutil.rmtree(data)
    data.mkdir(parents=True)
    env = {**os.environ, "ARCHIVE_DATA_DIR": str(data)}
    log = open(data.parent / f"{data.name}.log", "wb")
    subprocess.run([PY, "manage.py", "migrate", "--noinput"], cwd=repo, env=env, stdout=log, stderr=log, check=True)
    report = data.parent / f"{data.name}.json"
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    waits: list[float] = []
    stop = threading.Event()
    prober = threading.Thread(target=probe_lock, args=(data / ".whoosh_index.write.lock", stop, waits), daemon=True)
    started = time.perf_counter()
    prober.start()
    with open(report, "wb") as out:
        proc = subprocess.Popen([PY, "manage.py", "import_articles", "--json", str(corpus)], cwd=repo, env=env,
                                stdout=out, stderr=log)
        # pid -> {"role", "hwm", "rss"}; curve: (seconds, role, pid, rss)
        seen: dict[int, dict] = {}
        curve: list[tuple[float, str, int, int]] = []
        while proc.poll() is None:
            now = round(time.perf_counter() - started, 2)
            for pid in _tree(proc.pid):
                st = _status(pid)
                if not st:
                    continue
                role = "main" if pid == proc.pid else _comm(pid)
                entry = seen.setdefault(pid, {"role": role, "hwm": 0, "rss": 0, "first": now})
                entry["role"] = role if role != "?" else entry["role"]
                entry["hwm"] = max(entry["hwm"], st.get("VmHWM", 0))
                entry["rss"] = max(entry["rss"], st.get("VmRSS", 0))
                entry["last"] = now
                entry["cpu"] = max(entry.get("cpu", 0.0), _cpu_seconds(pid))
                curve.append((now, entry["role"], pid, st.get("VmRSS", 0)))
            time.sleep(interval)
    seconds = time.perf_counter() - started
    stop.set()
    prober.join()
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    summary = json.loads(report.read_text(encoding="utf-8"))["summary"]
    files = sum(summary.values())
    by_role: dict[str, dict] = {}
    for pid, entry in seen.items():
        role = by_role.setdefault(entry["role"], {"processes": 0, "peak_hwm_mb": 0.0, "cpu_s_sampled": 0.0})
        role["processes"] += 1
        role["cpu_s_sampled"] = round(role["cpu_s_sampled"] + entry.get("cpu", 0.0), 1)
        role["peak_hwm_mb"] = max(role["peak_hwm_mb"], round(entry["hwm"] / 2**20, 1))
    return {"files": files, "outcomes": summary, "seconds": round(seconds, 1),
            "files_per_s": round(files / seconds, 1), "cpu_seconds": round(cpu, 1),
            "cpu_ms_per_file": round(cpu * 1000 / files, 1), "by_role": by_role,
            "lock_probe": {"probes": len(waits), "max_wait_s": round(max(waits, default=0), 2),
                           "waits_over_1s": sorted(round(w, 1) for w in waits if w > 1)},
            "largest": max(by_role.items(), key=lambda kv: kv[1]["peak_hwm_mb"])[0],
            "curve": curve}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--data", type=Path, default=ROOT / "bench" / "work" / "import-speed")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--repo", type=Path, default=ROOT,
                        help="the checkout whose manage.py imports (another commit's, for a baseline)")
    args = parser.parse_args()
    result = run(args.corpus.resolve(), args.data.resolve(), args.repo.resolve())
    if args.out:
        args.out.write_text(json.dumps(result))
    shown = {k: v for k, v in result.items() if k != "curve"}
    print(json.dumps(shown, indent=1))
    # The RSS curve of the main process, every ~10% of the run.
    main_curve = [(t, rss) for t, role, _, rss in result["curve"] if role == "main"]
    step = max(1, len(main_curve) // 10)
    print("main RSS MB over time:", [(t, round(r / 2**20)) for t, r in main_curve[::step]])
    idx = [(t, pid, rss) for t, role, pid, rss in result["curve"] if role not in ("main",) and "worker" not in role]
    peaks: dict[int, tuple[float, int]] = {}
    for t, pid, rss in idx:
        if rss > peaks.get(pid, (0, 0))[1]:
            peaks[pid] = (t, rss)
    print("other children (start s, peak RSS MB):", sorted((round(t), round(r / 2**20)) for t, r in peaks.values()))
    sys.exit(0)


if __name__ == "__main__":
    main()
