"""The report of `make bench` (bench/run.py): from the stage JSON files of one run, one table
per engine (each figure, its target from issue 20, the verdict, FTS5's figure from the same
run and the ratio to it), the ratios between engines, and the latency of each query kind.

A pure function of the stages' results, so that tests can build it from fixtures.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

ENGINES = ("whoosh", "opensearch", "fts5")
LABEL = {"whoosh": "Whoosh (embedded)", "opensearch": "OpenSearch", "fts5": "SQLite FTS5"}
DEEP = "deep_page"
PLACE = "place_alias"
PHRASE = "phrase"
# The judged set's scores when issue 20 started (bench/RESULTS.md, "OpenSearch mapping …",
# Whoosh full system at commit 7d53f55, 102 judged queries then): Whoosh must not fall below them.
WHOOSH_BEFORE = {"ndcg": 0.898, "place_recall": 0.954}


@dataclass
class Meta:
    n: int
    name: str
    command: str
    commit: str
    machine: str
    when: str
    opensearch_heap: str = "1g"


def get(data, *keys):
    for key in keys:
        if not isinstance(data, dict) or data.get(key) is None:
            return None
        data = data[key]
    return data


def fmt(value, unit: str = "", digits: int = 1) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        value = f"{value:,.{digits}f}"
    elif isinstance(value, int):
        value = f"{value:,}"
    return f"{value}{unit}"


def ratio(a, b) -> float | None:
    return a / b if a is not None and b not in (None, 0) else None


@dataclass
class Target:
    """`op` is "<=" or ">="; `relative` means the bound is that many times FTS5's figure."""
    op: str
    bound: float
    relative: bool = False

    def text(self, unit: str) -> str:
        sign = "≤" if self.op == "<=" else "≥"
        return f"{sign} {self.bound:g}× FTS5" if self.relative else f"{sign} {self.bound:g}{unit}"

    def met(self, value: float, fts5: float | None) -> bool | None:
        bound = self.bound * fts5 if self.relative else self.bound
        if self.relative and fts5 is None:
            return None
        return value <= bound if self.op == "<=" else value >= bound


@dataclass
class Figure:
    label: str
    unit: str
    value: Callable[[dict, str], float | None]  # (stages, engine) -> value
    targets: dict[str, Target]
    digits: int = 1
    extra_ok: Callable[[dict, str], bool] | None = None  # a further condition (0 errors)
    detail: Callable[[dict, str], str] | None = None


def _http(kind: str | None, stat: str) -> Callable[[dict, str], float | None]:
    """A one-pass /search/ latency (cache off); FTS5's from bench/baselines.py."""

    def value(s: dict, engine: str):
        base = get(s, "fts5.run") if engine == "fts5" else get(s, f"{engine}.http_cache_off", "search")
        part = get(base, "except_deep_page") if kind is None else get(base, "by_kind", kind)
        return get(part, stat)

    return value


def _import_rate(s: dict, engine: str):
    if engine == "fts5":
        return get(s, "fts5.run", "build", "docs_per_s")
    return get(s, f"{engine}.import", "files_per_s")


def _import_detail(s: dict, engine: str) -> str:
    if engine == "fts5":
        return (f"{fmt(get(s, 'fts5.run', 'build', 'docs'))} docs in {fmt(get(s, 'fts5.run', 'build', 'seconds'), ' s')}, "
                "built from the Whoosh import's cleaned articles (not end to end)")
    imp = get(s, f"{engine}.import") or {}
    return (f"{fmt(imp.get('files'))} files in {fmt(imp.get('seconds'), ' s')}, "
            f"{fmt(imp.get('imported_per_s'), ' imported/s')}; database: {imp.get('database') or 'SQLite'}")


def _memory(s: dict, engine: str):
    key = "fts5.run" if engine == "fts5" else f"{engine}.import"
    value = get(s, key, "largest_process_bytes")
    return value / 2 ** 20 if value else None


def _memory_detail(s: dict, engine: str) -> str:
    key = "fts5.run" if engine == "fts5" else f"{engine}.import"
    text = f"largest process: {get(s, key, 'largest_process') or '–'}"
    node = get(s, key, "apart", "opensearch node")
    if engine == "opensearch":
        text += (f"; OpenSearch node apart (heap {get(s, key, 'opensearch_heap') or '?'}): "
                 f"peak RSS {fmt(node / 2 ** 20 if node else None, ' MB', 0)}")
    return text


def _cache_on(s: dict, engine: str):
    if engine == "fts5":
        return get(s, "fts5.run", "replay", "p95")
    return get(s, f"{engine}.http_cache_on", "search", "p95")


def _load(s: dict, engine: str):
    return None if engine == "fts5" else get(s, f"{engine}.load", "ok_per_s")


def _relevance(lang: str, stat: str) -> Callable[[dict, str], float | None]:
    return lambda s, engine: get(s, f"{engine}.relevance", lang, stat)


FIGURES = [
    Figure("import end to end (articles/s)", " /s", _import_rate,
           {"whoosh": Target(">=", 100), "opensearch": Target(">=", 100)}, detail=_import_detail),
    Figure("peak memory of the import, largest process", " MB", _memory,
           {"whoosh": Target("<=", 1024), "opensearch": Target("<=", 1024)}, digits=0, detail=_memory_detail),
    Figure("/search/ cache off p50, every kind but deep pages", " ms", _http(None, "p50"),
           {"whoosh": Target("<=", 60), "opensearch": Target("<=", 25)}),
    Figure("/search/ cache off p95, every kind but deep pages", " ms", _http(None, "p95"),
           {"whoosh": Target("<=", 400), "opensearch": Target("<=", 80)}),
    Figure("deep pages (page ≥ 10) p95", " ms", _http(DEEP, "p95"),
           {"whoosh": Target("<=", 2, relative=True), "opensearch": Target("<=", 1, relative=True)}),
    Figure("place-name queries p50", " ms", _http(PLACE, "p50"),
           {"whoosh": Target("<=", 40), "opensearch": Target("<=", 25)}),
    Figure("place-name queries p95", " ms", _http(PLACE, "p95"),
           {"whoosh": Target("<=", 200), "opensearch": Target("<=", 80)}),
    Figure("phrase queries p95", " ms", _http(PHRASE, "p95"),
           {"whoosh": Target("<=", 400), "opensearch": Target("<=", 80)}),
    Figure("/search/ cache on, Zipf replay, p95", " ms", _cache_on,
           {"whoosh": Target("<=", 400), "opensearch": Target("<=", 80)},
           detail=lambda s, e: ("FTS5: the same replay, no cache" if e == "fts5" else
                                f"{fmt(get(s, f'{e}.http_cache_on', 'requests'))} requests, "
                                f"{fmt(get(s, f'{e}.http_cache_on', 'repeat_share'), '', 3)} repeats; rate limits: off")),
    Figure("16 clients, cache on: searches/s", " /s", _load,
           {"whoosh": Target(">=", 25), "opensearch": Target(">=", 40)},
           extra_ok=lambda s, e: get(s, f"{e}.load", "errors") == 0,
           detail=lambda s, e: ("no server: not measured" if e == "fts5" else
                                f"{fmt(get(s, f'{e}.load', 'seconds'), ' s')}, errors {fmt(get(s, f'{e}.load', 'errors'))}, "
                                f"p95 {fmt(get(s, f'{e}.load', 'p95'), ' ms')}; rate limits: off")),
    Figure("relevance nDCG@10 (judged set, all)", "", _relevance("all", "ndcg"),
           {"whoosh": Target(">=", WHOOSH_BEFORE["ndcg"]), "opensearch": Target(">=", 0.85)}, digits=3,
           detail=lambda s, e: (f"{get(s, f'{e}.relevance', 'config') or ''}, "
                                f"{fmt(get(s, f'{e}.relevance', 'all', 'n'))} judged queries"
                                + ("; the target is the figure when issue 20 started, on 102 queries (commit 7d53f55)"
                                   if e == "whoosh" else ""))),
    Figure("relevance place recall@20", "", _relevance("place queries", "recall"),
           {"whoosh": Target(">=", WHOOSH_BEFORE["place_recall"]), "opensearch": Target(">=", 0.95)}, digits=3),
]


def verdict(figure: Figure, s: dict, engine: str, value, fts5) -> str:
    target = figure.targets.get(engine)
    if target is None:
        return "reference"
    if value is None:
        return "not measured"
    met = target.met(value, fts5)
    if met is None:
        return "no FTS5 figure"
    if met and figure.extra_ok is not None:
        met = figure.extra_ok(s, engine)
    return "met" if met else "**missed**"


def fmt_ratio(value: float | None) -> str:
    """A ratio with two decimals, or two significant digits when it is below 0.1."""
    if value is None:
        return "–"
    return f"{value:.2g}×" if abs(value) < 0.1 else f"{value:,.2f}×"


def reference_table(s: dict) -> list[str]:
    lines = [f"#### {LABEL['fts5']} (the reference: no targets)", "", "| figure | measured | detail |",
             "| --- | --- | --- |"]
    for figure in FIGURES:
        lines.append(f"| {figure.label} | {fmt(figure.value(s, 'fts5'), figure.unit, figure.digits)} | "
                     f"{figure.detail(s, 'fts5') if figure.detail else ''} |")
    return lines


def engine_table(s: dict, engine: str) -> list[str]:
    if engine == "fts5":
        return reference_table(s)
    lines = [f"#### {LABEL[engine]}", "",
             "| figure | measured | target (issue 20) | verdict | FTS5, same run | ratio to FTS5 | detail |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for figure in FIGURES:
        value, fts5 = figure.value(s, engine), figure.value(s, "fts5")
        target = figure.targets.get(engine)
        lines.append(" | ".join([
            f"| {figure.label}", fmt(value, figure.unit, figure.digits),
            target.text(figure.unit) if target else "reference",
            verdict(figure, s, engine, value, fts5), fmt(fts5, figure.unit, figure.digits),
            fmt_ratio(ratio(value, fts5)), (figure.detail(s, engine) if figure.detail else "") + " |"]))
    return lines


def ratios_table(s: dict) -> list[str]:
    pairs = (("whoosh", "fts5"), ("opensearch", "fts5"), ("opensearch", "whoosh"))
    lines = ["#### Ratios between engines (same run; > 1 means the first is larger)", "",
             "| figure | " + " | ".join(f"{LABEL[a]} / {LABEL[b]}" for a, b in pairs) + " |",
             "| --- | " + " | ".join("---" for _ in pairs) + " |"]
    for figure in FIGURES:
        cells = [fmt_ratio(ratio(figure.value(s, a), figure.value(s, b))) for a, b in pairs]
        lines.append(f"| {figure.label} | " + " | ".join(cells) + " |")
    return lines


def kinds_table(s: dict) -> list[str]:
    sources = {"Whoosh /search/": get(s, "whoosh.http_cache_off", "search"),
               "OpenSearch /search/": get(s, "opensearch.http_cache_off", "search"),
               "FTS5": get(s, "fts5.run"), "raw Whoosh": get(s, "whoosh.raw")}
    sources = {name: value for name, value in sources.items() if value}
    kinds = sorted({kind for value in sources.values() for kind in (get(value, "by_kind") or {})})
    lines = ["#### Cache off, each query once, by kind (p50 / p95 ms)", "",
             "| kind | " + " | ".join(sources) + " |", "| --- | " + " | ".join("---" for _ in sources) + " |"]
    for kind in kinds:
        cells = [get(value, "by_kind", kind) for value in sources.values()]
        lines.append(f"| {kind} | " + " | ".join(f"{fmt(get(c, 'p50'))} / {fmt(get(c, 'p95'))}" for c in cells) + " |")
    return lines


def markdown(s: dict, meta: Meta) -> str:
    queries = get(s, "queries", "queries")
    articles = get(s, "whoosh.sizes", "articles") or meta.n
    lines = [f"### Three engines — {articles} articles — {meta.when}, commit {meta.commit}, {meta.machine}", "",
             f"`{meta.command}` (stages in bench/work/{meta.name}/stages/); {fmt(queries)} distinct queries, "
             f"{fmt(get(s, 'whoosh.http_cache_off', 'search', 'requests'))} of them asked once per engine.", "",
             "Database: SQLite for both Whoosh and OpenSearch (ARCHIVE_DATABASE_URL unset). "
             f"OpenSearch: one node started and stopped by the bench, heap {meta.opensearch_heap}, its memory counted "
             "apart from the import's. FTS5: bench/baselines.py on the Whoosh import's articles, in one process, "
             "no server. Rate limits: off (ARCHIVE_RATELIMIT=0) for every server and the load.", ""]
    for engine in ENGINES:
        lines += engine_table(s, engine) + [""]
    lines += ratios_table(s) + [""] + kinds_table(s) + [""]
    text_bytes = get(s, "whoosh.sizes", "cleaned_text_bytes")
    sizes = {"Whoosh index": get(s, "whoosh.sizes", "index_bytes"),
             "OpenSearch store": get(s, "opensearch.import", "index_bytes"), "FTS5 database": get(s, "fts5.run", "build", "bytes")}
    lines += ["Index sizes against the cleaned text (title + body, UTF-8): " + "; ".join(
        f"{name} {fmt(value)} bytes ({fmt_ratio(ratio(value, text_bytes))})" for name, value in sizes.items()) + ".", ""]
    at = get(s, "at_10k")
    if at:
        lines += [f"at_10k (optional): haystack default p50 / ours p50 at {fmt(get(at, 'articles'))} articles: "
                  f"{fmt(get(at, 'haystack_over_ours_p50'), '×', 2)}", ""]
    return "\n".join(lines)
