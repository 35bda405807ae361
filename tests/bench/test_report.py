"""`make bench`'s report (bench/report.py) built from stage JSON fixtures: one table per
engine, each figure against its issue-20 target, FTS5's figure and the ratio to it."""
from __future__ import annotations

from bench import report

META = report.Meta(n=2000, name="fixture", command="python bench/run.py --n 2000", commit="abc1234",
                   machine="x86_64 2 cores", when="2026-12-06 00:00 UTC", opensearch_heap="1g")


def http(p50: float, p95: float, deep_p95: float, place: tuple[float, float], phrase_p95: float) -> dict:
    return {"requests": 140, "except_deep_page": {"p50": p50, "p95": p95},
            "by_kind": {"deep_page": {"p50": deep_p95 / 2, "p95": deep_p95},
                        "place_alias": {"p50": place[0], "p95": place[1]}, "phrase": {"p50": 1.0, "p95": phrase_p95}}}


def relevance(ndcg: float, place_recall: float) -> dict:
    return {"config": "cfg", "all": {"ndcg": ndcg, "recall": 0.9, "n": 106},
            "place queries": {"ndcg": None, "recall": place_recall, "n": 53}}


STAGES = {
    "queries": {"queries": 1260},
    "whoosh.import": {"files": 2000, "seconds": 40.0, "files_per_s": 50.0, "imported_per_s": 49.0,
                      "largest_process_bytes": 512 * 2 ** 20, "largest_process": "python manage.py import_articles",
                      "database": "SQLite"},
    "whoosh.http_cache_off": {"search": http(30.0, 500.0, 300.0, (20.0, 100.0), 350.0)},
    "whoosh.http_cache_on": {"search": {"p95": 90.0}, "requests": 200, "repeat_share": 0.5},
    "whoosh.load": {"ok_per_s": 30.0, "errors": 2, "seconds": 10.0, "p95": 900.0},
    "whoosh.relevance": relevance(0.90, 0.954),
    "opensearch.import": {"files": 2000, "seconds": 10.0, "files_per_s": 200.0, "largest_process_bytes": 2 ** 30 + 1,
                          "largest_process": "python manage.py import_articles", "opensearch_heap": "1g",
                          "apart": {"opensearch node": 1500 * 2 ** 20}},
    "opensearch.http_cache_off": {"search": http(20.0, 60.0, 250.0, (10.0, 40.0), 50.0)},
    "fts5.run": {"build": {"docs": 2000, "seconds": 0.4, "docs_per_s": 5000.0}, "largest_process_bytes": 100 * 2 ** 20,
                 "except_deep_page": {"p50": 2.0, "p95": 20.0}, "replay": {"p95": 10.0},
                 "by_kind": {"deep_page": {"p50": 100.0, "p95": 200.0}, "place_alias": {"p50": 0.5, "p95": 5.0},
                             "phrase": {"p50": 1.0, "p95": 10.0}}},
    "fts5.relevance": relevance(0.5, 0.4),
}


def row(markdown: str, engine: str, label: str) -> list[str]:
    """The cells of one figure's row in one engine's table."""
    section = markdown.split(f"#### {report.LABEL[engine]}\n", 1)[1].split("\n\n", 1)[0]
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if cells[0] == label:
            return cells
    raise AssertionError(f"no row {label!r} in the {engine} table:\n{section}")


def test_one_table_per_engine_with_targets_verdicts_and_fts5_ratios():
    text = report.markdown(STAGES, META)
    for engine in ("whoosh", "opensearch", "fts5"):
        assert f"#### {report.LABEL[engine]}" in text
    assert "Rate limits: off" in text and "Database: SQLite" in text
    assert row(text, "whoosh", "import end to end (articles/s)")[:6] == [
        "import end to end (articles/s)", "50.0 /s", "≥ 100 /s", "**missed**", "5,000.0 /s", "0.01×"]
    assert row(text, "whoosh", "relevance nDCG@10 (judged set, all)")[5] == "1.80×"
    assert row(text, "opensearch", "import end to end (articles/s)")[3] == "met"
    # Deep pages: relative to FTS5's p95 in the same run (200 ms): Whoosh ≤ 2×, OpenSearch ≤ 1×.
    assert row(text, "whoosh", "deep pages (page ≥ 10) p95")[1:6] == ["300.0 ms", "≤ 2× FTS5", "met", "200.0 ms",
                                                                      "1.50×"]
    assert row(text, "opensearch", "deep pages (page ≥ 10) p95")[3] == "**missed**"
    # The load needs 0 errors as well as the rate.
    assert row(text, "whoosh", "16 clients, cache on: searches/s")[3] == "**missed**"
    assert row(text, "opensearch", "16 clients, cache on: searches/s")[3] == "not measured"
    # Memory: 1 GB and a byte is over; the OpenSearch node is named apart.
    memory = row(text, "opensearch", "peak memory of the import, largest process")
    assert memory[3] == "**missed**" and "OpenSearch node apart (heap 1g): peak RSS 1,500 MB" in memory[6]
    assert row(text, "whoosh", "relevance place recall@20")[1:4] == ["0.954", "≥ 0.954", "met"]
    assert "#### SQLite FTS5 (the reference: no targets)" in text


def test_ratios_between_engines():
    text = report.markdown(STAGES, META)
    ratios = text.split("#### Ratios between engines", 1)[1]
    line = next(l for l in ratios.splitlines() if l.startswith("| /search/ cache off p95, every kind but deep"))
    assert [c.strip() for c in line.strip("|").split("|")][1:] == ["25.00×", "3.00×", "0.12×"]


def test_missing_stages_are_not_measured_not_errors():
    text = report.markdown({"queries": {"queries": 10}}, META)
    assert row(text, "whoosh", "phrase queries p95")[1:4] == ["–", "≤ 400 ms", "not measured"]
