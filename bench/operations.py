"""Operating figures (issue 22): backup and restore times at N articles, and requests/s
under the default rate limits.

    python bench/operations.py --n 10000 [--seconds 20] [--clients 8]

1. writes the corpus (bench/corpus.py) and imports it into a fresh data folder;
2. times `manage.py backup` of it, then `manage.py restore` into another, empty data folder
   (which rebuilds the search index);
3. serves the restored archive with gunicorn on 127.0.0.1 (bench/http_bench.py), and
   drives /api/search/ with bench/load.py's bounded load twice: rate limits off
   (ARCHIVE_RATELIMIT=0) and at their defaults. All the load comes from one address, so
   under the limits almost every request is a 429: the figure says what answering those
   costs, and that the 60 allowed a minute still get through.

Prints the figures as JSON and leaves everything under bench/work/operations/.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench import corpus, http_bench  # noqa: E402
from bench.load import run_load  # noqa: E402

WORK = REPO / "bench" / "work" / "operations"
QUERIES = ["Gyeonggi", "Hà Nội", "hanoi", "đầu tư", "협력", "coopération", "Busan", "investment",
           "Bình Phước", "Seoul", "giáo dục", "culture"]


def manage(data: Path, *args: str, env: dict | None = None) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "manage.py", *args], cwd=REPO, check=True,
                   env={**os.environ, "ARCHIVE_DATA_DIR": str(data), "ARCHIVE_RATELIMIT": "0", **(env or {})},
                   stdout=subprocess.DEVNULL)
    return round(time.perf_counter() - start, 1)


def du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=10000)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    figures: dict = {"n": args.n}
    source_data, backup_dir, restored = WORK / f"data-{args.n}", WORK / f"backup-{args.n}", WORK / f"restored-{args.n}"
    files = REPO / "bench" / "work" / "corpus"
    corpus.write(args.n, files)
    if not (source_data / "archive.sqlite3").exists():
        manage(source_data, "migrate", "--noinput")
        figures["import_s"] = manage(source_data, "import_articles", str(files), "--workers", "2")
    for folder in (backup_dir, restored):
        shutil.rmtree(folder, ignore_errors=True)
    figures["backup_s"] = manage(source_data, "backup", str(backup_dir))
    figures["backup_mb"] = round(du(backup_dir) / 1e6, 1)
    manifest = json.loads((backup_dir / "manifest.json").read_text())
    figures["articles"] = manifest["counts"]["archive_article"]
    figures["raw_files"] = sum(1 for name in manifest["files"] if name.startswith("raw/"))
    restored.mkdir(parents=True)
    figures["restore_s"] = manage(restored, "restore", str(backup_dir))

    paths = [http_bench.query_path("/api/search/", {"q": q}) for q in QUERIES]
    http_bench.GUNICORN = Path(sys.executable).parent / "gunicorn"
    for label, limits in (("limits_off", "0"), ("limits_default", None)):
        env = {"ARCHIVE_DATA_DIR": str(restored), "ARCHIVE_RATELIMIT": limits,
               "ARCHIVE_RATELIMIT_SEARCH": None, "ARCHIVE_RATELIMIT_API": None}
        shutil.rmtree(restored / "ratelimit-cache", ignore_errors=True)
        with http_bench.gunicorn(env, log=WORK / "gunicorn.log") as base:
            if limits == "0":
                http_bench.warm_up(base, "/api/search/")
            figures[label] = run_load(base, paths, clients=args.clients, seconds=args.seconds)
    print(json.dumps(figures, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
