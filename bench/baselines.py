"""What the engines underneath can do on the same data and queries (issue 7).

    ARCHIVE_DATA_DIR=DATA python bench/baselines.py whoosh --data DATA --queries Q.json
    python bench/baselines.py fts5 --data DATA --queries Q.json --fts-db OUT.sqlite3

whoosh: the archive's own index (DATA/whoosh_index) queried directly, one searcher open
  for the whole run (the engine's limit, not what a web request pays). Untimed: our
  parser reads q into a query object; the backend's compiler turns it and the filters
  into Whoosh queries, as the search service does. Timed: `searcher.search(query, filter=…, limit=page_end,
  groupedby=facets)`, reading the facet counts, fetching the 20 shown articles' title
  and body from SQLite (plain sqlite3) and highlighting both with whoosh.highlight and
  the index schema's "text" analyzer (title whole, body one 260-character fragment).
fts5: a separate SQLite FTS5 database built from archive_article (title, body, language,
  year, places, `unicode61 remove_diacritics 2`): build rate and size, then each query
  translated to a MATCH expression (words ANDed, phrases, NOT, OR, column filters for
  lang/year/place), bm25 ranking, LIMIT 20 OFFSET, snippet() and highlight(), and facet
  counts by GROUP BY over the matched set. No aliases, no Hangul bigrams: a speed reference.

Each prints its figures and ends with one JSON line (p50/p95/mean ms, per kind).
"""
from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.http_bench import by_kind, except_deep, summarize  # noqa: E402

PAGE_SIZE = 20
FACETS = ("language", "year", "places", "source")


def load_queries(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))


def page_of(params: dict) -> int:
    return max(1, int(params.get("page") or 1))


# --- raw Whoosh ---------------------------------------------------------------------

def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    import django

    django.setup()


def prepare_whoosh(params: dict):
    """(Whoosh query, filter query, sort) as the search service would build them."""
    from search import querytree as qt
    from search import service
    from search.engine import engine
    from search.query import parse

    parsed = parse(params.get("q", ""))
    active = {**parsed.filters, **{k: params[k] for k in ("lang", "place", "year") if params.get(k)}}
    filters: list[qt.Filter] = []
    for name, value in active.items():
        if name in ("from", "to"):
            bound = service._date_bound(value, end=name == "to")
            if bound:
                filters.append(qt.DateRange(bound, None) if name == "from" else qt.DateRange(None, bound))
            continue
        values = service.place_family(value) if name == "place" else [value]
        filters.append(qt.FieldIn(service.FILTERS[name], tuple(values)))
    sort = params.get("sort") or ("relevance" if not parsed.is_empty else "date")
    backend = engine()
    if not backend.setup_complete:
        backend.setup()
    compiler = backend.compiler
    return compiler.compile(parsed.to_query()), compiler.compile_filters(tuple(filters)), sort == "date"


def run_whoosh(data: Path, queries: list[dict], facet_method: str = "tables") -> dict:
    """facet_method "tables": counts from per-segment value tables built once
    (search/backends/whoosh/facet_counts.py, the engine code the archive uses); "whoosh": Whoosh's own
    groupedby=FieldFacet, which rebuilds every document's values for each query."""
    _django()
    from search.backends.whoosh import facet_counts
    from whoosh import highlight, index
    from whoosh.sorting import Count, FieldFacet

    ix = index.open_dir(str(data / "whoosh_index"))
    schema = ix.schema
    analyzer = schema["text"].analyzer
    facets = {name: FieldFacet(name, allow_overlap=True, maptype=Count) for name in FACETS}
    fragmenter = highlight.ContextFragmenter(maxchars=260, surround=60)
    whole = highlight.WholeFragmenter()
    formatter = highlight.HtmlFormatter(tagname="mark")
    db = sqlite3.connect(f"file:{data / 'archive.sqlite3'}?mode=ro", uri=True)
    timings: list[tuple[str, float]] = []
    hits_total = 0
    with ix.searcher() as searcher:
        for query in queries:
            params = query["params"]
            parsed, filter_query, by_date = prepare_whoosh(params)
            terms = {text for field, text in parsed.iter_all_terms() if field in ("text", "title")}
            page = page_of(params)
            start, end = (page - 1) * PAGE_SIZE, page * PAGE_SIZE
            t0 = time.perf_counter()
            if facet_method == "whoosh":
                results = searcher.search(parsed, filter=filter_query, limit=end, groupedby=facets,
                                          sortedby="published" if by_date else None, reverse=by_date)
                counts = {name: results.groups(name) for name in FACETS}
            else:
                results = searcher.search(parsed, filter=filter_query, limit=end,
                                          sortedby="published" if by_date else None, reverse=by_date)
                counts = facet_counts.count(searcher, results.docs(), FACETS)
            ids = [int(hit["django_id"]) for hit in results[start:end]]
            rows = dict((r[0], r[1:]) for r in db.execute(
                f"SELECT id, title, body FROM archive_article WHERE id IN ({','.join('?' * len(ids))})", ids))
            shown = []
            for article_id in ids:
                title, body = rows.get(article_id, ("", ""))
                shown.append((highlight.highlight(title, terms, analyzer, whole, formatter, top=1),
                              highlight.highlight(body, terms, analyzer, fragmenter, formatter, top=1)))
            total = len(results)
            timings.append((query["kind"], (time.perf_counter() - t0) * 1000))
            hits_total += total
            del counts, shown
    return {**summarize([ms for _, ms in timings]), "by_kind": by_kind(timings), "except_deep_page": except_deep(timings),
            "mean_hits": round(hits_total / max(1, len(queries)), 1), "facets": facet_method,
            "queries": len(queries)}


# --- SQLite FTS5 ----------------------------------------------------------------------

def place_token(slug: str) -> str:
    """A place slug as one FTS5 token: 'ha-noi' -> 'ha0noi' (slugs have no digits)."""
    return slug.replace("-", "0")


def build_fts5(data: Path, fts_db: Path) -> dict:
    if fts_db.exists():
        fts_db.unlink()
    source = sqlite3.connect(f"file:{data / 'archive.sqlite3'}?mode=ro", uri=True)
    db = sqlite3.connect(fts_db)
    t0 = time.perf_counter()
    db.executescript("""
        CREATE VIRTUAL TABLE docs USING fts5(
            title, body, language, year, places, source UNINDEXED, published UNINDEXED,
            tokenize = "unicode61 remove_diacritics 2");
        CREATE TABLE doc_places (article_id INTEGER NOT NULL, slug TEXT NOT NULL);
    """)
    rows = source.execute("""
        SELECT a.id, a.title, a.body, a.language, COALESCE(strftime('%Y', a.published), ''),
               COALESCE(s.slug, ''), COALESCE(CAST(strftime('%Y%m%d', a.published) AS INTEGER), 0),
               (SELECT group_concat(p.slug, ' ') FROM archive_article_places ap
                JOIN archive_place p ON p.id = ap.place_id WHERE ap.article_id = a.id)
        FROM archive_article a LEFT JOIN archive_source s ON s.id = a.source_id
        WHERE a.status = 'published'""")
    docs = 0
    for article_id, title, body, lang, year, src, published, places in rows:
        slugs = (places or "").split()
        db.execute("INSERT INTO docs(rowid, title, body, language, year, places, source, published) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                   (article_id, title, body, lang, year, " ".join(place_token(s) for s in slugs), src, published))
        db.executemany("INSERT INTO doc_places VALUES (?, ?)", [(article_id, s) for s in slugs])
        docs += 1
    db.execute("CREATE INDEX doc_places_article ON doc_places(article_id)")
    db.execute("INSERT INTO docs(docs) VALUES ('optimize')")
    db.commit()
    seconds = time.perf_counter() - t0
    db.close()
    return {"docs": docs, "seconds": round(seconds, 2), "docs_per_s": round(docs / seconds, 1),
            "bytes": fts_db.stat().st_size}


def fts_string(text: str) -> str:
    """A phrase as an FTS5 string: every character literal, quotes doubled."""
    return '"' + text.replace('"', '""') + '"'


def has_token(text: str) -> bool:
    return any(c.isalnum() for c in text)


def to_fts5(params: dict) -> tuple[str | None, str | None]:
    """(MATCH expression or None, a NOT expression applied by rowid or None). Words are
    read by our parser without place expansion, so the grammar is the same; the words
    are searched in title and body, the filters in their own columns."""
    from search import service
    from search.query import parse

    parsed = parse(params.get("q", ""), expand_places=False)
    positives = [fts_string(i.label) for i in parsed.items if not i.negated and has_token(i.label)]
    for group in parsed.any_of:
        alternatives = [fts_string(i.label) for i in group if has_token(i.label)]
        if alternatives:
            positives.append("(" + " OR ".join(alternatives) + ")")
    negatives = [fts_string(i.label) for i in parsed.items if i.negated and has_token(i.label)]
    filters = {**parsed.filters, **{k: params[k] for k in ("lang", "place", "year") if params.get(k)}}
    columns = []
    if filters.get("lang"):
        columns.append("language : " + fts_string(filters["lang"]))
    if filters.get("year"):
        columns.append("year : " + fts_string(filters["year"]))
    if filters.get("place"):
        family = service.place_family(filters["place"])
        columns.append("places : (" + " OR ".join(fts_string(place_token(s)) for s in family) + ")")
    parts = (["{title body} : (" + " AND ".join(positives) + ")"] if positives else []) + columns
    match = " AND ".join(parts) if parts else None
    if match and negatives:
        match = f"({match}) NOT {{title body}} : ({' OR '.join(negatives)})"
        return match, None
    return match, ("{title body} : (" + " OR ".join(negatives) + ")") if negatives else None


def run_fts5(fts_db: Path, queries: list[dict]) -> dict:
    _django()  # only for our query reader and the place families (untimed)
    db = sqlite3.connect(fts_db)
    timings: list[tuple[str, float]] = []
    errors: list[str] = []
    hits_total = 0
    prepared = [(q, *to_fts5(q["params"])) for q in queries]
    for query, match, only_not in prepared:
        params = query["params"]
        page = page_of(params)
        order = "published DESC" if params.get("sort") == "date" else "bm25(docs, 2.0, 1.0, 0.0, 0.0, 0.0)"
        if match:
            where, args = "docs MATCH ?", [match]
        elif only_not:
            where, args = "rowid NOT IN (SELECT rowid FROM docs WHERE docs MATCH ?)", [only_not]
        else:
            where, args = "1", []
        if not match:
            order = "published DESC"
        t0 = time.perf_counter()
        try:
            shown = db.execute(
                f"SELECT rowid, highlight(docs, 0, '<mark>', '</mark>'), "
                f"snippet(docs, 1, '<mark>', '</mark>', '…', 40) FROM docs WHERE {where} "
                f"ORDER BY {order} LIMIT ? OFFSET ?", [*args, PAGE_SIZE, (page - 1) * PAGE_SIZE]).fetchall()
            db.execute("DROP TABLE IF EXISTS temp.hits")
            db.execute(f"CREATE TEMP TABLE hits AS SELECT rowid AS id, language, year, source FROM docs WHERE {where}",
                       args)
            total = db.execute("SELECT count(*) FROM hits").fetchone()[0]
            counts = {name: db.execute(f"SELECT {name}, count(*) FROM hits GROUP BY {name}").fetchall()
                      for name in ("language", "year", "source")}
            counts["places"] = db.execute("SELECT p.slug, count(*) FROM hits JOIN doc_places p "
                                          "ON p.article_id = hits.id GROUP BY p.slug").fetchall()
        except sqlite3.Error as exc:
            errors.append(f"{exc}: {params} -> {match}")
            continue
        timings.append((query["kind"], (time.perf_counter() - t0) * 1000))
        hits_total += total
        del shown, counts
    return {**summarize([ms for _, ms in timings]), "by_kind": by_kind(timings), "except_deep_page": except_deep(timings),
            "mean_hits": round(hits_total / max(1, len(queries)), 1), "errors": len(errors),
            "error_examples": errors[:10]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("engine", choices=("whoosh", "fts5"))
    parser.add_argument("--data", type=Path, required=True, help="the archive's data folder")
    parser.add_argument("--queries", type=Path, required=True)
    parser.add_argument("--fts-db", type=Path, help="fts5: where to build the FTS5 database")
    parser.add_argument("--facets", choices=("tables", "whoosh"), default="tables",
                        help="whoosh: how facet counts are made (see run_whoosh)")
    parser.add_argument("--every", type=int, default=1, help="only every n-th query (a sample)")
    parser.add_argument("--replay", type=Path,
                        help="fts5: also ask this list of queries in order (the Zipf replay the servers get with "
                             "their cache on; FTS5 has no cache)")
    args = parser.parse_args()
    data = args.data.resolve()
    os.environ["ARCHIVE_DATA_DIR"] = str(data)
    queries = load_queries(args.queries)[:: args.every]
    if args.engine == "whoosh":
        result = run_whoosh(data, queries, args.facets)
    else:
        fts_db = args.fts_db or data.parent / "fts5.sqlite3"
        build = build_fts5(data, fts_db)
        print(f"FTS5 build: {build['docs']} docs in {build['seconds']} s ({build['docs_per_s']} docs/s), "
              f"{build['bytes'] / 1e6:.1f} MB", file=sys.stderr)
        result = {"build": build, **run_fts5(fts_db, queries)}
        if args.replay:
            result["replay"] = run_fts5(fts_db, load_queries(args.replay))
    print(f"{args.engine}: p50 {result['p50']} ms, p95 {result['p95']} ms, mean {result['mean']} ms", file=sys.stderr)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
