"""What the search page, the JSON API and the search feed answer, for every judged query
and a set of filtered, sorted, paged and malformed searches, over the judged corpus and the
seeds: one JSON file, to compare the same searches before and after a change of the
search code.

    python bench/search_snapshot.py OUT.json     # then: cmp BEFORE.json OUT.json

The search cache is off, so every answer is computed. Feed build dates and CSRF tokens are
left out of the digests (they change from run to run).
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXTRA = [
    {"q": ""}, {"q": "", "sort": "date", "page": "2"}, {"q": "Hanoi", "lang": "vi"}, {"q": "Hanoi", "lang": "fr"},
    {"q": "gyeonggi", "year": "2024"}, {"q": "", "place": "ninh-binh"}, {"q": "", "place": "ha-nam"},
    {"q": "", "source": "vna"}, {"q": "MOU", "from": "2020", "to": "2023-06"}, {"q": "", "from": "2025-07-01"},
    {"q": "", "to": "bogus"}, {"q": "Seoul OR Busan"}, {"q": "Seoul -Busan"}, {"q": '"smart city"'},
    {"q": "lang:ko 경기도"}, {"q": "place:gyeonggi"}, {"q": "Hanio"}, {"q": "Binh Phuc"}, {"q": "cooperaton"},
    {"q": "jumelage"}, {"q": "Hà Nam"}, {"q": "Ha Nam"}, {"q": "경기도와"}, {"q": "기도"}, {"q": 'unbalanced "quote'},
    {"q": "Hanoi", "sort": "date"}, {"q": "Hanoi", "page": "2", "page_size": "5"}, {"q": "Hanoi", "page": "99"},
    {"q": "Hanoi", "page": "0"}, {"q": "Hanoi", "page_size": "101"}, {"q": "Hanoi", "sort": "bogus"},
    {"q": "%%%"}, {"q": "*"}, {"q": "text_exact:hanoi"}, {"q": "NOT"}, {"q": "Hanoi", "place": "bad value!"},
    {"q": "đà nẵng"}, {"q": "da nang"}, {"q": "daegu OR 대구 -busan"},
]
_VOLATILE = re.compile(rb"<lastBuildDate>[^<]*</lastBuildDate>|<updated>[^<]*</updated>"
                       rb"|csrfmiddlewaretoken\" value=\"[^\"]*\"")


def digest(body: bytes) -> str:
    return hashlib.sha256(_VOLATILE.sub(b"", body)).hexdigest()[:16]


def child(out: str) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    devnull = open(os.devnull, "w")
    call_command("import_articles", str(REPO / "tests" / "relevance" / "corpus"), stdout=devnull)
    call_command("import_articles", str(REPO / "seeds"), stdout=devnull)
    queries = json.loads((REPO / "tests" / "relevance" / "queries.json").read_text(encoding="utf-8"))
    searches = [{"q": q["query"]} for q in queries] + EXTRA
    client = Client(HTTP_HOST="127.0.0.1")
    snapshot = {}
    for params in searches:
        key = json.dumps(params, ensure_ascii=False, sort_keys=True)
        api = client.get("/api/search/", {"page_size": "100", **params})
        page = client.get("/search/", {k: v for k, v in params.items() if k != "page_size"})
        feed = client.get("/feeds/search/", {k: v for k, v in params.items() if k not in ("page", "page_size", "sort")})
        snapshot[key] = {
            "api_status": api.status_code,
            "api": api.json() if api.status_code < 500 else None,
            "page_status": page.status_code,
            "page": digest(page.content),
            "feed_status": feed.status_code,
            "feed": digest(feed.content),
        }
    Path(out).write_text(json.dumps(snapshot, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")


def main() -> None:
    if sys.argv[1] == "--child":
        sys.path.insert(0, str(REPO))
        child(sys.argv[2])
        return
    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "ARCHIVE_DATA_DIR": data, "DJANGO_SETTINGS_MODULE": "archive.settings",
               "ARCHIVE_SEARCH_CACHE": "0"}
        subprocess.run([sys.executable, __file__, "--child", os.path.abspath(sys.argv[1])], cwd=REPO, env=env,
                       check=True)


if __name__ == "__main__":
    main()
