"""Issue 21's "limits" figures: the worst single-document import time over the odd inputs
the probe found (deep, wide and large pages, odd sidecars and names, broken containers),
and the worst single-query time on a 10k bench archive, each beside a baseline from the
same run (an ordinary article's import, the median query), as ratios.

    .venv/bin/python bench/limits.py --n 10000        # corpus, import, inputs, queries

Everything lives under bench/work/limits-<n>/ (a data folder of its own); the corpus and
its import are kept between runs. Searches go through Django's test client to /search/
and /api/search/ (page rendering and snippets included), with the search cache off.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def odd_inputs(folder: Path) -> dict[str, Path]:
    """The inputs of tests/archive/test_odd_inputs.py, written as files (one home for how
    they are made: the test module)."""
    from tests.archive import test_odd_inputs as t

    folder.mkdir(parents=True, exist_ok=True)
    body = "".join(f"<p>{s}</p>" for s in t.sentences(5))
    files = {
        "ordinary article (baseline)": ("ordinary.html", t.ARTICLE),
        "nested 100,000 deep": ("deep.html", t.page("<div>" * 100_000 + body + "</div>" * 100_000)),
        "150,000 <p> (13 MB)": ("wide.html", t.page("".join(f"<p>{s}</p>" for s in t.sentences(150_000, words=9)))),
        "440 kB nested 23,000 deep": ("deep440.html", t.page("<span><b>" * 23_000 + body + "</b></span>" * 23_000)),
        "3 MB text repeating a place name": ("place.txt", ("Busan port delegation visits Hanoi. " * 85_000).encode()),
        "sidecar: non-string source_url": ("sidecar.html", t.ARTICLE_2),
        "zip bomb (15 MB of zeros)": ("bomb.zip", t.bomb()),
        "zip whose header lies": ("lying.zip", t.lying_zip()),
        "not a zip": ("notzip.zip", b"this is not a zip file at all\n" * 10),
        "junk WARC": ("junk.warc", b"\x00junk that is not a web archive\n" * 30),
        "zip with ../ members": ("climb.zip", t.make_zip({"../../etc/evil.html": t.ARTICLE, "a.html": t.ARTICLE_2})),
        "truncated .warc.gz": ("cut.warc.gz", t.make_warc([t.ARTICLE, t.ARTICLE_2])[:-200]),
        "name of 255 bytes": ("n" * 250 + ".html", t.ARTICLE.replace(b"Paragraph", b"Part")),
        "bad byte in UTF-8": ("badbyte.txt", ("Hà Nội và Busan ký kết thỏa thuận hợp tác cảng biển. " * 20).encode()[:-9] + b"\xff."),
    }
    paths = {}
    for label, (name, data) in files.items():
        sub = folder / str(len(paths))
        sub.mkdir(exist_ok=True)
        (sub / name).write_bytes(data)
        if name == "sidecar.html":
            (sub / (name + ".meta.json")).write_text('{"source_url": 12}')
        paths[label] = sub / name
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--per-kind", type=int, default=40, help="queries drawn per kind (bench/queries.py)")
    args = parser.parse_args()
    work = REPO / "bench" / "work" / f"limits-{args.n}"
    data = work / "data"
    # Rate limits off: every query is timed, none answered 429 (recorded in limits.json).
    os.environ.update(ARCHIVE_DATA_DIR=str(data), ARCHIVE_SEARCH_CACHE="0", ARCHIVE_RATELIMIT="0",
                      DJANGO_SETTINGS_MODULE="archive.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from archive.ingest.pipeline import iter_input_files
    from archive.ingest.run import ImportRun
    from bench.queries import draw_queries

    figures: dict = {"n": args.n, "machine": f"{platform.node()} {os.cpu_count()} cores", "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
               "rate_limits": "off", "document_seconds": os.environ.get("ARCHIVE_DOCUMENT_SECONDS", "10 (default)")}
    figures["commit"] = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True,
                                       text=True).stdout.strip()
    call_command("migrate", "--noinput", verbosity=0)
    corpus = work / "corpus"
    if not corpus.exists():
        subprocess.run([sys.executable, "bench/corpus.py", "--n", str(args.n), "--out", str(corpus)], cwd=REPO,
                       check=True)
    done = work / "imported.json"
    if not done.exists():
        started = time.perf_counter()
        try:
            call_command("import_articles", str(corpus), workers=os.cpu_count() or 1, stdout=open(os.devnull, "w"))
        except Exception as exc:  # rejected files make the command exit non-zero
            print("import:", exc)
        done.write_text(json.dumps({"seconds": round(time.perf_counter() - started, 1)}))
    figures["corpus_import_seconds"] = json.loads(done.read_text())["seconds"]

    # --- one document at a time ------------------------------------------------------
    documents = []
    for label, path in odd_inputs(work / "inputs").items():
        started = time.perf_counter()
        with ImportRun(origin="") as run:
            outcomes = list(run.import_files(list(iter_input_files([path.parent]))))
        seconds = time.perf_counter() - started
        documents.append({"input": label, "seconds": round(seconds, 3),
                          "outcomes": [f"{o.status}: {o.reason}"[:120] if o.reason else o.status for o in outcomes]})
        print(f"{seconds:8.2f} s  {label}: {documents[-1]['outcomes']}", flush=True)
    figures["documents"] = documents

    # --- one query at a time ---------------------------------------------------------
    queries = [q["params"] for q in draw_queries(corpus, per_kind=args.per_kind)]
    misspelt = " ".join(f"Hanoj{i}x Busn{i}q Gyeongii{i}z" for i in range(20))[:570]
    queries += [{"q": misspelt}, {"q": "Busan"}, {"q": "Busan port delegation"}, {"q": '"Busan port"'},
                {"q": " OR ".join(f"w{i}" for i in range(60))}, {"q": "*"}, {"q": "a" * 500}]
    client = Client(SERVER_NAME="127.0.0.1")
    timings = []
    for params in queries:
        for path in ("/search/", "/api/search/"):
            started = time.perf_counter()
            response = client.get(path, params)
            seconds = time.perf_counter() - started
            timings.append({"path": path, "params": params, "status": response.status_code, "seconds": round(seconds, 4)})
    figures["queries"] = timings
    seconds = sorted(t["seconds"] for t in timings)
    figures["query_summary"] = {"count": len(timings), "median": statistics.median(seconds),
                                "p99": seconds[int(0.99 * (len(seconds) - 1))], "worst": seconds[-1],
                                "statuses": sorted({t["status"] for t in timings})}
    (work / "limits.json").write_text(json.dumps(figures, ensure_ascii=False, indent=1))
    worst = max(timings, key=lambda t: t["seconds"])
    print(json.dumps(figures["query_summary"]), "worst:", worst["path"], json.dumps(worst["params"], ensure_ascii=False)[:200])


if __name__ == "__main__":
    main()
