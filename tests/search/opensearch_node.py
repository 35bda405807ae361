"""A real OpenSearch node for the tests, started by the project's own script
(scripts/opensearch) and stopped after them.

ARCHIVE_TEST_OPENSEARCH_URL names a node that is already running (it is then neither
started nor stopped). Otherwise a node is started on 127.0.0.1:9251, in a fresh folder under
data/opensearch/, from the distribution that the script fetches from Maven Central and
caches. Where it cannot start, the test calls service_unavailable.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import urllib.request
from pathlib import Path

from tests.services import service_unavailable

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "opensearch"


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_cluster/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


class Node:
    """One node started by scripts/opensearch, in its own folder."""

    def __init__(self, name: str, port: int, transport_port: int, extra: str | None = None,
                 cluster: str = "archive-test", heap: str = "384m"):
        self.name, self.port, self.transport_port = name, port, transport_port
        self.url = f"http://127.0.0.1:{port}"
        self.home = REPO / "data" / "opensearch" / f"test-{name}"
        self.env = {**os.environ, "ARCHIVE_OPENSEARCH_HOME": str(self.home),
                    "ARCHIVE_OPENSEARCH_PORT": str(port), "ARCHIVE_OPENSEARCH_TRANSPORT_PORT": str(transport_port),
                    "ARCHIVE_OPENSEARCH_HEAP": heap, "ARCHIVE_OPENSEARCH_NODE": name,
                    "ARCHIVE_OPENSEARCH_CLUSTER": cluster}
        self.env.pop("ARCHIVE_DATA_DIR", None)  # the distribution is cached in the checkout's data/
        if extra is not None:
            self.env["ARCHIVE_OPENSEARCH_EXTRA"] = extra

    def start(self, fresh: bool = False) -> None:
        if fresh:
            shutil.rmtree(self.home, ignore_errors=True)
        result = subprocess.run(["sh", str(SCRIPT), "start"], env=self.env, capture_output=True, text=True,
                                timeout=600)
        if result.returncode != 0:
            raise RuntimeError(f"scripts/opensearch start failed: {result.stdout[-2000:]}{result.stderr[-2000:]}")

    def stop(self) -> None:
        subprocess.run(["sh", str(SCRIPT), "stop"], env=self.env, capture_output=True, text=True, timeout=120)


def running_node():
    """A generator for a module- or session-scoped fixture: yields a node's URL."""
    given = os.environ.get("ARCHIVE_TEST_OPENSEARCH_URL")
    if given:
        if not answers(given):
            service_unavailable(f"OpenSearch does not answer at ARCHIVE_TEST_OPENSEARCH_URL={given}")
        yield given
        return
    if shutil.which("java") is None:
        service_unavailable("OpenSearch needs Java (17): none on this machine")
    node = Node("single", 9251, 9351)
    try:
        node.start(fresh=True)
    except (RuntimeError, subprocess.TimeoutExpired, OSError) as exc:
        node.stop()
        service_unavailable(f"OpenSearch could not be started: {exc}")
    try:
        yield node.url
    finally:
        node.stop()
        shutil.rmtree(node.home, ignore_errors=True)
