"""Cost of issue 17's researcher tools on the 166-article relevance corpus, in one fresh
archive (a child process with its own ARCHIVE_DATA_DIR), search cache and rate limits off:

- /search/export/?format=csv and ?format=ris of every article (q empty, newest first),
  beside the baseline /api/search/ of its first 100 (the most one API page gives);
- an article page (with "Cite this": APA and MLA by citeproc-py) seen for the first time,
  the share of it that the five citations take (archive.citations.all_formats alone), and
  the page seen again (the process keeps formatted references).

    .venv/bin/python bench/export.py [--repeat 5]

Prints a markdown table of medians (ms) and ratios, for bench/RESULTS.md.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "tests" / "relevance" / "corpus"


def child(repeat: int) -> None:
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from archive import citations
    from archive.models import Article

    call_command("migrate", verbosity=0)
    call_command("import_articles", str(CORPUS), stdout=open(os.devnull, "w"))
    client = Client()
    article = Article.objects.published().order_by("id").first()
    permalink = "http://testserver" + article.get_absolute_url()

    def timed(fn):
        fn()  # warm: styles parsed, index opened
        runs = []
        for _ in range(repeat):
            start = time.perf_counter()
            fn()
            runs.append((time.perf_counter() - start) * 1000)
        return statistics.median(runs)

    def get(url, params):
        response = client.get(url, params)
        assert response.status_code == 200, (url, response.status_code)
        return response

    figures = {
        "articles": Article.objects.published().count(),
        "api_100": timed(lambda: get("/api/search/", {"sort": "date", "page_size": 100})),
        "export_csv": timed(lambda: get("/search/export/", {"format": "csv", "sort": "date"})),
        "export_ris": timed(lambda: get("/search/export/", {"format": "ris", "sort": "date"})),
        "article_page": timed(lambda: get(article.get_absolute_url(), {})),
        "article_page_first": timed(lambda: (citations._formatted.cache_clear(), get(article.get_absolute_url(), {}))),
        "citations_first": timed(lambda: (citations._formatted.cache_clear(),
                                          citations.all_formats(article, permalink, timezone.now().date()))),
    }
    print(json.dumps(figures))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    if args.child:
        child(args.repeat)
        return
    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "ARCHIVE_DATA_DIR": data, "DJANGO_SETTINGS_MODULE": "archive.settings",
               "ARCHIVE_SEARCH_CACHE": "0", "ARCHIVE_RATELIMIT": "0", "ARCHIVE_ALLOWED_HOSTS": "testserver"}
        result = subprocess.run([sys.executable, __file__, "--child", "--repeat", str(args.repeat)], cwd=REPO,
                                env=env, capture_output=True, text=True)
        if result.returncode:
            sys.exit(result.stderr[-3000:])
        f = json.loads(result.stdout.strip().splitlines()[-1])
    print(f"| what | median ms ({args.repeat} runs) | against |")
    print("| --- | --- | --- |")
    print(f"| /api/search/ first 100 (baseline) | {f['api_100']:.0f} | 1.00 |")
    print(f"| /search/export/ CSV, all {f['articles']} | {f['export_csv']:.0f} | {f['export_csv'] / f['api_100']:.2f} × API 100 |")
    print(f"| /search/export/ RIS, all {f['articles']} | {f['export_ris']:.0f} | {f['export_ris'] / f['api_100']:.2f} × API 100 |")
    print(f"| article page, first view (APA and MLA formatted anew) | {f['article_page_first']:.0f} | 1.00 |")
    print(f"| the five citations alone, formatted anew | {f['citations_first']:.0f} | "
          f"{f['citations_first'] / f['article_page_first']:.2f} of that page |")
    print(f"| article page, seen before (citations kept by the process) | {f['article_page']:.0f} | "
          f"{f['article_page'] / f['article_page_first']:.2f} × first view |")


if __name__ == "__main__":
    main()
