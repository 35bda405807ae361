"""No search engine's client is imported outside search/backends/, bench/ and the backend
tests: the rest of the archive talks to search.engine only. Read from the source (every
import, also those inside functions), not by importing it."""
from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CLIENTS = ("whoosh", "opensearchpy", "opensearch_dsl", "haystack.backends.whoosh_backend")
ALLOWED = ("search/backends/", "bench/", "tests/search/test_backend_", "tests/search/backend_contract.py",
           "tests/search/test_opensearch_cluster.py")
SKIP = (".venv", "node_modules", "data")


def client_imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
            [node.module] if isinstance(node, ast.ImportFrom) and node.module else [])
        found.update(n for n in names if n.split(".")[0] in CLIENTS or n in CLIENTS)
    return found


def test_engine_clients_stay_in_the_backends():
    offenders = {}
    for path in REPO.rglob("*.py"):
        relative = path.relative_to(REPO).as_posix()
        if relative.split("/")[0] in SKIP or relative.startswith(ALLOWED):
            continue
        imports = client_imports(path)
        if imports:
            offenders[relative] = sorted(imports)
    assert offenders == {}


def test_the_check_sees_an_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from opensearchpy import OpenSearch\n    import whoosh.index\n")
    assert client_imports(sample) == {"opensearchpy", "whoosh.index"}
