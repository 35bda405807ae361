"""The ingest stages run read -> clean -> extract (events included) -> fingerprint -> store
-> index, and the code says so: no stage imports a later one. Read from the source (every
import, also those inside functions), not by importing it."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

INGEST = Path(__file__).resolve().parents[2] / "archive" / "ingest"

STAGES = ["read", "clean", "extract", "fingerprint", "store", "index"]
# Every module of archive/ingest/ belongs to one stage, or wires stages together.
STAGE_OF = {
    "read": "read", "warc": "read", "uploads": "read", "reasons": "read",
    "clean": "clean", "html": "clean", "stamps": "clean", "headline": "clean", "datewords": "clean",
    "review": "read",  # the reasons for review, given from the first stage on
    "extract": "extract", "dates": "extract", "sites": "extract",
    "events": "extract", "event_dates": "extract", "language": "extract",
    "fingerprint": "fingerprint",
    "store": "store", "articles": "store", "event_store": "store", "merge": "store",
}
# The wiring: `pipeline` takes a document through the stages before store, `run` stores
# and indexes what it gives, `report` words the outcomes.
WIRING = {"pipeline": "fingerprint", "budget": "fingerprint", "run": "index", "report": "index"}
# What lives outside archive/ingest/ but is a stage all the same: the ORM and the places'
# rows are the store's; search is the index. (Closing connections before forking workers,
# django.db.connections, writes nothing.)
OUTSIDE = {"archive.models": "store", "archive.places": "store", "django.db.models": "store",
           "django.db.transaction": "store", "search": "index"}


def imports_of(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            # `from archive.ingest import clean` imports the module archive.ingest.clean.
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def stage_of_import(name: str) -> str | None:
    parts = name.split(".")
    if parts[:2] == ["archive", "ingest"] and len(parts) >= 3:
        module = parts[2]
        return STAGE_OF.get(module) or WIRING.get(module)
    for prefix, stage in OUTSIDE.items():
        if name == prefix or name.startswith(prefix + "."):
            return stage
    return None


def test_every_ingest_module_has_a_place():
    modules = {p.stem for p in INGEST.glob("*.py")} - {"__init__"}
    assert modules == set(STAGE_OF) | set(WIRING)


@pytest.mark.parametrize("module", sorted({**STAGE_OF, **WIRING}))
def test_no_stage_imports_a_later_one(module):
    own = STAGES.index(STAGE_OF.get(module) or WIRING[module])
    later = sorted(
        name for name in imports_of(INGEST / f"{module}.py")
        if (stage := stage_of_import(name)) is not None and STAGES.index(stage) > own
    )
    assert later == [], f"{module} ({STAGES[own]}) imports later stages: {later}"


def test_events_import_nothing_from_store():
    for module in ("events", "event_dates", "datewords"):
        imported = imports_of(INGEST / f"{module}.py")
        assert not [n for n in imported if stage_of_import(n) in ("store", "index")], module
        assert not [n for n in imported if "partnership" in n], module


def test_the_import_command_reads_top_down():
    """import_articles reaches the stages through the run, in their order."""
    run = (INGEST / "run.py").read_text(encoding="utf-8")
    pipeline = (INGEST / "pipeline.py").read_text(encoding="utf-8")
    order = ["read_document(", "clean_stage.clean(", "extract_stage.extract(", "read_events(",
             "fp_stage.fingerprint("]
    positions = [pipeline.index(step) for step in order]
    assert positions == sorted(positions)
    assert run.index("prepare_files(") < run.index("store_stage.store(") < run.index("self.index.flush(")
