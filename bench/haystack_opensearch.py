"""django-haystack-opensearch against our OpenSearch backend (issue 19, "Client").

django-haystack-opensearch 1.0.0 needs opensearch-py>=3.1; the archive pins 2.8.0. So the
package lives in a SEPARATE venv, data/hso-venv (gitignored), never in the project's:

    python3 -m venv data/hso-venv
    grep -v '^opensearch-py' requirements.txt > data/hso-req.txt
    data/hso-venv/bin/python -m pip install -r data/hso-req.txt django-haystack-opensearch==1.0.0

and a node (any free port; 9280 here):

    ARCHIVE_OPENSEARCH_HOME=$PWD/data/opensearch/hso ARCHIVE_OPENSEARCH_PORT=9280 \
        ARCHIVE_OPENSEARCH_TRANSPORT_PORT=9380 sh scripts/opensearch start

Then, with the project's venv (it starts the children in the right venv itself):

    .venv/bin/python bench/haystack_opensearch.py --opensearch http://127.0.0.1:9280 \
        [--hso-python data/hso-venv/bin/python] [--repeat 5] [--synonyms]

1. Relevance and latency. The relevance corpus (tests/relevance/corpus, what
   bench/relevance.py imports) is imported once per child into a temporary archive, then
   - "ours": search/backends/opensearch/ (opensearch-py 2.8, the project's venv) asked
     through the archive's search service (run_search, cache off, page of 20), exactly as
     bench/relevance.py --opensearch asks it; its latency is timed twice: the whole service
     (parse, expansion, facets, highlight, articles loaded) and the engine call alone;
   - "hso": haystack's tutorial SearchIndex (bench/haystack_default/search_indexes.py) on
     `django_haystack_opensearch.haystack.OpenSearchSearchEngine`
     (bench/haystack_default/opensearch_settings.py), built by `rebuild_index`, asked as
     `SearchQuerySet().auto_query(q)[:20]` (the results' primary keys read).
   Both are scored with bench/relevance.py's nDCG@10 / recall@20. Latency: each judged
   query once to warm up, then --repeat times; p50/p95 over all those calls.
2. The contract, tried on django-haystack-opensearch in its own child: each item of
   tests/search/backend_contract.py (folding incl. đ, Hangul bigrams, facets over the whole
   result set, highlighting, did-you-mean, bulk indexing, index versioning via alias),
   answered yes/no with what was observed.
3. With --synonyms: place alternatives on our backend as the archive's own query-time
   expansion (the default) against an OpenSearch synonym_graph filter built from the
   gazetteer's aliases (ARCHIVE_OPENSEARCH_PLACE_SYNONYMS=1, search/backends/opensearch/
   mapping.py and compiler.py): nDCG@10, place recall@20 and p50/p95 of the place queries.
   Runs go one after the other on the same node, which warms up as it serves: run once with
   --synonyms-first too, and compare.

Prints one markdown block (the bench/RESULTS.md section); --record appends it there.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RELEVANCE = REPO / "tests" / "relevance"
PROJECT_PYTHON = REPO / ".venv" / "bin" / "python"
HSO_PYTHON = REPO / "data" / "hso-venv" / "bin" / "python"


def _queries() -> list[dict]:
    return json.loads((RELEVANCE / "queries.json").read_text(encoding="utf-8"))


def _is_place(query: dict) -> bool:
    return "place" in query["kind"] or "alias" in query["kind"]  # as bench/relevance.py counts them


def _setup_django() -> None:
    # bench/ itself is no package path: its events.py would hide the `events` package that
    # opensearch-py imports (as in bench/relevance.py).
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != REPO / "bench"]
    sys.path.insert(0, str(REPO))
    import django

    django.setup()


def _import_corpus() -> dict[int, list[str]]:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("import_articles", str(RELEVANCE / "corpus"), stdout=open(os.devnull, "w"))
    return _files_of()


def _files_of() -> dict[int, list[str]]:
    from archive.models import Copy

    files_of: dict[int, list[str]] = defaultdict(list)
    for copy in Copy.objects.select_related("raw"):
        files_of[copy.article_id].append(Path(copy.raw.original_name).name)
    return files_of


def _timed(ask, queries: list[dict], repeat: int) -> tuple[dict, dict[str, list[float]]]:
    """Rankings from the first call, and every call's milliseconds per query id."""
    rankings, times = {}, defaultdict(list)
    for query in queries:
        rankings[query["id"]] = ask(query["query"])  # the warm-up call
    for _ in range(repeat):
        for query in queries:
            started = time.perf_counter()
            ask(query["query"])
            times[query["id"]].append((time.perf_counter() - started) * 1000)
    return rankings, times


# --- children ---------------------------------------------------------------------------

def child_ours(repeat: int) -> None:
    """Project venv, ARCHIVE_SEARCH_ENGINE=opensearch: our backend through run_search."""
    _setup_django()
    from search.engine import SearchRequest, engine
    from search.query import parse
    from search.service import run_search

    files_of = _import_corpus()
    queries = _queries()

    def service(q):
        return [files_of[hit.article.id] for hit in run_search(q=q, page_size=20).hits]

    def engine_only(q):
        return engine().execute(SearchRequest(parse(q).to_query(), size=20)).ids

    rankings, service_ms = _timed(service, queries, repeat)
    _, engine_ms = _timed(engine_only, queries, repeat)
    print(json.dumps({"rankings": rankings, "service_ms": service_ms, "engine_ms": engine_ms}))


def child_hso_import() -> None:
    """Project venv, archive settings: the corpus imported into the temporary archive."""
    _setup_django()
    _import_corpus()


def child_hso(repeat: int) -> None:
    """hso venv, bench.haystack_default.opensearch_settings: haystack all the way."""
    _setup_django()
    from django.core.management import call_command
    from haystack.query import SearchQuerySet

    files_of = _files_of()
    started = time.perf_counter()
    call_command("rebuild_index", "--noinput", stdout=sys.stderr, stderr=sys.stderr)
    build_s = time.perf_counter() - started
    queries = _queries()

    def ask(q):
        return [files_of[int(r.pk)] for r in SearchQuerySet().auto_query(q)[:20]]

    rankings, ms = _timed(ask, queries, repeat)
    print(json.dumps({"rankings": rankings, "service_ms": ms, "build_s": build_s,
                      "contract": contract_hso()}))


def contract_hso() -> list[tuple[str, str, str]]:
    """Each contract item tried on django-haystack-opensearch: (item, yes/no, evidence)."""
    from django.conf import settings
    from django.db.models import Count
    from haystack import connections
    from haystack.query import SearchQuerySet

    from archive.models import Article

    backend = connections["default"].get_backend()
    conn, index = backend.conn, backend.index_name
    published = Article.objects.published()
    rows = []

    def tokens(text):
        return [t["token"] for t in conn.indices.analyze(index=index, body={"field": "text", "text": text})["tokens"]]

    def count(q):
        return SearchQuerySet().auto_query(q).count()

    # Folding: the text field's analysis, and the same words typed with and without marks.
    folded = tokens("Đà Nẵng")
    n_marks, n_plain = count("Đà Nẵng"), count("Da Nang")
    rows.append(("Vietnamese folding incl. đ", "yes" if folded == ["da", "nang"] and n_marks == n_plain else "no",
                 f"`text` analyzes \"Đà Nẵng\" as {folded}; auto_query finds {n_marks} articles for \"Đà Nẵng\", "
                 f"{n_plain} for \"Da Nang\""))

    # Hangul bigrams: 경기도 inside 경기도와.
    bigrams = tokens("경기도와")
    found = count("경기도")
    rows.append(("Hangul bigrams", "yes" if len(bigrams) > 1 else "no",
                 f"`text` analyzes \"경기도와\" as {bigrams}; \"경기도\" finds {found} articles, while "
                 f"{published.filter(body__contains='경기도').count()} published bodies contain it"))

    # Facets over the whole result set, as the database counts them.
    facets = SearchQuerySet().facet("places").facet("language").facet_counts()["fields"]
    db_places = published.exclude(places=None).values("places__slug").distinct().count()
    db_lang = dict(published.values_list("language").annotate(n=Count("id")).order_by())
    lang_ok = dict(facets.get("language", [])) == db_lang
    wide = SearchQuerySet().facet("places", size=5000).facet_counts()["fields"].get("places", [])
    rows.append(("Facets over the whole result set", "yes, with size" if lang_ok and len(wide) == db_places else "no",
                 f"terms aggregations: language counts equal the database's: {lang_ok}; places: "
                 f"{len(facets.get('places', []))} values by default (haystack's terms default of 10), "
                 f"{len(wide)} with .facet('places', size=5000), the database has {db_places}"))

    # Highlighting: with the index's analysis, so a folded query marks the accented words
    # only if the analysis folds; escaping is the highlighter's `encoder: html`.
    def fragments(q):
        return [f for r in SearchQuerySet().auto_query(q).highlight()[:20] for f in (r.highlighted or [])]

    plain, accented = fragments("Da Nang"), fragments("Đà Nẵng")
    folded_mark = any("<em>Đà</em>" in f for f in plain)
    asked = backend.build_search_kwargs("x", highlight=True).get("highlight")
    rows.append(("Highlighting with the same analysis", "yes" if folded_mark else "partly",
                 f"SearchQuerySet.highlight() gives OpenSearch's <em> fragments ({len(accented)} for \"Đà Nẵng\"); "
                 f"\"Da Nang\" marks Đà Nẵng in its fragments: {folded_mark}; the request asks {asked} "
                 "(no `encoder: html`: fragments are not HTML-escaped)"))

    # Did you mean: a term suggester on the document field.
    suggestion = SearchQuerySet().auto_query("delegaton").spelling_suggestion()
    rows.append(("Did you mean", "yes" if suggestion and "delegation" in suggestion else "no",
                 f"INCLUDE_SPELLING: spelling_suggestion(\"delegaton\") = {suggestion!r}"))

    # Bulk indexing: update() sends opensearchpy.helpers.bulk.
    docs = conn.count(index=index)["count"]
    rows.append(("Bulk indexing", "yes" if docs == published.count() else "no",
                 f"backend.update() is helpers.bulk; rebuild_index indexed {docs} of {published.count()} "
                 "published articles"))

    # Index versioning via alias: INDEX_NAME naming an alias over a versioned index holding a
    # document, then haystack's rebuild (clear(), then setup() and update()).
    versioned, alias = f"{index}-v1", f"{index}-alias"
    conn.indices.create(index=versioned, body=backend.DEFAULT_SETTINGS)
    conn.indices.put_alias(index=versioned, name=alias)
    conn.index(index=versioned, id="old", body={"text": "old version"}, refresh=True)
    try:
        aliased = type(backend)("default", **{**settings.HAYSTACK_CONNECTIONS["default"], "INDEX_NAME": alias,
                                               "SILENTLY_FAIL": False})
        try:
            aliased.clear()
            cleared = "clear() raised nothing"
        except Exception as exc:  # noqa: BLE001 - the evidence is the error itself
            cleared = f"clear() raised {type(exc).__name__}: {str(exc)[:140]}"
        left = conn.count(index=versioned)["count"] if conn.indices.exists(index=versioned) else "no index"
        outcome = (f"{cleared}; afterwards the versioned index holds {left} document(s) of the old version. "
                   "The backend has no create-new-index/reindex/swap-alias step: clear() is indices.delete on "
                   "INDEX_NAME and setup() creates INDEX_NAME as a concrete index, so rebuild_index serves an "
                   "empty, then half-built index")
    finally:
        conn.indices.delete(index=versioned, ignore=[404])
    rows.append(("Index versioning via alias", "no", outcome))
    return rows


# --- the parent ---------------------------------------------------------------------------

def _run(python: Path, args: list[str], env: dict) -> str:
    result = subprocess.run([str(python), __file__, *args], cwd=REPO, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{result.stderr[-4000:]}")
    return result.stdout.strip().splitlines()[-1]


def run_ours(url: str, repeat: int, synonyms: bool = False) -> dict:
    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "ARCHIVE_DATA_DIR": data, "DJANGO_SETTINGS_MODULE": "archive.settings",
               "ARCHIVE_SEARCH_ENGINE": "opensearch", "ARCHIVE_OPENSEARCH_URL": url, "ARCHIVE_SEARCH_CACHE": "0",
               "ARCHIVE_OPENSEARCH_INDEX": f"hso-ours-{os.getpid()}-{int(synonyms)}",
               "ARCHIVE_OPENSEARCH_PLACE_SYNONYMS": "1" if synonyms else "0"}
        return json.loads(_run(PROJECT_PYTHON, ["--child", "ours", "--repeat", str(repeat)], env))


def run_hso(url: str, repeat: int, python: Path) -> dict:
    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "ARCHIVE_DATA_DIR": data, "DJANGO_SETTINGS_MODULE": "archive.settings"}
        subprocess.run([str(PROJECT_PYTHON), __file__, "--child", "hso-import"], cwd=REPO, env=env, check=True,
                       capture_output=True)
        env.update({"DJANGO_SETTINGS_MODULE": "bench.haystack_default.opensearch_settings",
                    "HSO_OPENSEARCH_URL": url, "HSO_OPENSEARCH_INDEX": f"hso-{os.getpid()}"})
        try:
            return json.loads(_run(python, ["--child", "hso", "--repeat", str(repeat)], env))
        finally:
            import urllib.request

            request = urllib.request.Request(f"{url}/hso-{os.getpid()}", method="DELETE")
            try:
                urllib.request.urlopen(request, timeout=30)
            except OSError:
                pass


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def _latency(ms: dict[str, list[float]], ids: set[str] | None = None) -> str:
    values = [v for qid, vs in ms.items() if ids is None or qid in ids for v in vs]
    return f"{statistics.median(values):.1f} / {_pct(values, 95):.1f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child")
    parser.add_argument("--opensearch", metavar="URL", default="http://127.0.0.1:9280")
    parser.add_argument("--hso-python", type=Path, default=HSO_PYTHON)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--synonyms", action="store_true", help="also measure the synonym_graph variant (part 3)")
    parser.add_argument("--synonyms-first", action="store_true",
                        help="run the synonym variant before the others (the node warms up as it runs)")
    parser.add_argument("--record", action="store_true")
    args = parser.parse_args()
    if args.child == "ours":
        return child_ours(args.repeat)
    if args.child == "hso-import":
        return child_hso_import()
    if args.child == "hso":
        return child_hso(args.repeat)

    sys.path.insert(0, str(REPO))
    from bench.relevance import score

    first = run_ours(args.opensearch, args.repeat, synonyms=True) if args.synonyms and args.synonyms_first else None
    runs = {"ours (opensearch-py 2.8)": run_ours(args.opensearch, args.repeat),
            "django-haystack-opensearch 1.0.0": run_hso(args.opensearch, args.repeat, args.hso_python)}
    if args.synonyms:
        runs["ours, synonym_graph places"] = first or run_ours(args.opensearch, args.repeat, synonyms=True)
    scores = {name: score(run["rankings"]) for name, run in runs.items()}
    queries = _queries()
    places = {q["id"] for q in queries if _is_place(q)}
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True,
                            text=True).stdout.strip()
    command = "python bench/haystack_opensearch.py --opensearch URL" + (" --synonyms" if args.synonyms else "") + \
        (" --synonyms-first" if args.synonyms_first else "") + f" --repeat {args.repeat}"
    lines = [f"### django-haystack-opensearch against our backend (issue 19) — {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, "
             f"commit {commit}, {platform.machine()} {os.cpu_count()} cores, OpenSearch 2.19.6 single node (512m–768m heap)", "",
             f"`{command}` on tests/relevance/ ({len(queries)} judged queries, {len(places)} place queries); "
             "nDCG@10 / recall@20 as bench/relevance.py scores them. Latency: ms over the judged queries, "
             f"1 warm-up + {args.repeat} calls each, one client.", "",
             "| queries | " + " | ".join(runs) + " |", "| --- | " + " | ".join("---" for _ in runs) + " |"]
    for lang in ["en", "fr", "ko", "vi", "all", "place queries"]:
        cells = []
        for name in runs:
            n, r, _ = scores[name][lang]
            cells.append(("–" if n != n else f"{n:.3f}") + f" / {r:.3f}")
        lines.append(f"| {lang} (nDCG@10 / R@20) | " + " | ".join(cells) + " |")
    lines.append("| all queries, p50 / p95 ms (service) | " + " | ".join(_latency(r["service_ms"]) for r in runs.values()) + " |")
    lines.append("| place queries, p50 / p95 ms (service) | " + " | ".join(_latency(r["service_ms"], places) for r in runs.values()) + " |")
    lines.append("| all queries, p50 / p95 ms (engine call only) | " + " | ".join(
        _latency(r["engine_ms"]) if "engine_ms" in r else "(= service)" for r in runs.values()) + " |")
    lines.append("| place queries, p50 / p95 ms (engine call only) | " + " | ".join(
        _latency(r["engine_ms"], places) if "engine_ms" in r else "(= service)" for r in runs.values()) + " |")
    hso = runs["django-haystack-opensearch 1.0.0"]
    lines += ["", "\"service\" for ours is run_search (parse, expansion, facets, highlight, articles loaded); for "
              "django-haystack-opensearch it is `SearchQuerySet().auto_query(q)[:20]`, no facets or highlight. "
              f"Its rebuild_index took {hso['build_s']:.1f} s.", "",
              "Our contract tried on django-haystack-opensearch:", "", "| item | can it? | evidence |", "| --- | --- | --- |"]
    for item, verdict, evidence in hso["contract"]:
        lines.append(f"| {item} | {verdict} | {evidence.replace('|', '/')} |")
    text = "\n".join(lines) + "\n"
    print(text)
    if args.record:
        from bench.relevance import record

        record(text)


if __name__ == "__main__":
    main()
