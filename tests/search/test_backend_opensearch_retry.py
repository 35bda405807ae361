"""Searches and writes tried again when a cluster node leaves: the OpenSearch backend against a
loopback HTTP server that answers as OpenSearch did in the two-node test
(test_opensearch_cluster) while its data node stopped, one planned answer per request.
The real cluster test shows the failure happens; this one makes each case deterministic:
a transient failure is tried again, a partial answer is asked again, a write refused
because its node closed is sent again (only the refused items), anything else is raised
at once, and the tries are bounded."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from opensearchpy.exceptions import TransportError

from search import querytree as qt
from search.backends.opensearch.backend import ArchiveOpenSearchBackend
from search.backends.opensearch.transient import SEARCH_RETRY_PAUSES
from search.engine import SearchRequest

NODE_LEFT = {"type": "node_not_connected_exception", "reason": "[data][127.0.0.1:9355] Node not connected"}
# The body OpenSearch 2 returned to the cluster test's searcher (status 500).
ALL_SHARDS_FAILED = (500, {"error": {"root_cause": [NODE_LEFT], "type": "search_phase_execution_exception",
                                     "reason": "all shards failed", "phase": "query", "grouped": True,
                                     "failed_shards": [{"shard": 0, "index": "archive-x", "node": "d1",
                                                        "reason": NODE_LEFT}],
                                     "caused_by": NODE_LEFT},
                           "status": 500})
BAD_QUERY = (400, {"error": {"root_cause": [{"type": "query_shard_exception", "reason": "failed to create query"}],
                             "type": "search_phase_execution_exception", "reason": "all shards failed"},
                   "status": 400})
INTERNAL = (500, {"error": {"root_cause": [{"type": "illegal_state_exception", "reason": "boom"}],
                            "type": "illegal_state_exception", "reason": "boom"}, "status": 500})


def answer(ids: list[int], failed: list[dict] | None = None) -> tuple[int, dict]:
    failed = failed or []
    return 200, {"took": 1, "timed_out": False,
                 "_shards": {"total": 2, "successful": 2 - len(failed), "skipped": 0, "failed": len(failed),
                             **({"failures": failed} if failed else {})},
                 "hits": {"total": {"value": len(ids), "relation": "eq"}, "max_score": 1.0,
                          "hits": [{"_index": "archive-x", "_id": f"archive.article.{i}", "_score": 1.0,
                                    "fields": {"django_id": [str(i)]}} for i in ids]},
                 "aggregations": {"language": {"buckets": [{"key": "en", "doc_count": len(ids)}]}}}


class PlannedNode:
    """An HTTP server on loopback giving each search the next planned (status, body)."""

    def __init__(self) -> None:
        self.plan: list[tuple[int, dict]] = []
        self.bodies: list[dict] = []
        node = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) or b"{}"
                try:
                    node.bodies.append(json.loads(raw))
                except ValueError:  # a bulk request: lines of JSON
                    node.bodies.append([json.loads(line) for line in raw.splitlines() if line.strip()])
                status, body = node.plan.pop(0)
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture(scope="module")
def node():
    planned = PlannedNode()
    yield planned
    planned.server.shutdown()


@pytest.fixture
def backend(node, tmp_path, settings):
    settings.ARCHIVE_SEARCH_BUDGET_SECONDS = 5
    node.plan.clear()
    node.bodies.clear()
    engine = ArchiveOpenSearchBackend("retry-test", URL=node.url, INDEX_NAME="archive", PATH=str(tmp_path))
    engine.setup_complete = True  # no index to create: the planned node only answers searches
    yield engine
    assert node.plan == [], "every planned answer was asked for"


REQUEST = SearchRequest(qt.Phrase("cluster"), size=10, facets=("language",))


def test_a_search_failing_because_a_node_left_is_answered_by_the_next_try(node, backend):
    node.plan = [ALL_SHARDS_FAILED, answer([7, 8])]
    response = backend.execute(REQUEST)
    assert response.ids == [7, 8] and response.facets["language"] == [("en", 2)]
    assert len(node.bodies) == 2 and node.bodies[0] == node.bodies[1]  # the same search again


def test_an_answer_missing_a_shard_that_was_on_the_leaving_node_is_asked_again(node, backend):
    lost = {"shard": 1, "index": "archive-x", "node": "d1", "reason": NODE_LEFT}
    node.plan = [answer([7], failed=[lost]), answer([7, 8])]
    assert backend.execute(REQUEST).ids == [7, 8]


def test_a_partial_answer_for_another_cause_is_returned_as_opensearch_gives_it(node, backend):
    other = {"shard": 1, "index": "archive-x", "node": "d1",
             "reason": {"type": "query_shard_exception", "reason": "too many clauses"}}
    node.plan = [answer([7], failed=[other])]
    assert backend.execute(REQUEST).ids == [7]


@pytest.mark.parametrize("failure", [BAD_QUERY, INTERNAL], ids=["bad query", "other server error"])
def test_other_failures_are_raised_at_once(node, backend, failure):
    node.plan = [failure]
    with pytest.raises(TransportError) as raised:
        backend.execute(REQUEST)
    assert raised.value.status_code == failure[0] and len(node.bodies) == 1


def test_the_tries_are_bounded_and_the_last_failure_is_raised(node, backend):
    node.plan = [ALL_SHARDS_FAILED] * (len(SEARCH_RETRY_PAUSES) + 1)
    with pytest.raises(TransportError) as raised:
        backend.execute(REQUEST)
    assert "node_not_connected_exception" in str(raised.value.info)
    assert len(node.bodies) == len(SEARCH_RETRY_PAUSES) + 1


def test_spelling_suggestions_are_tried_again_too(node, backend):
    suggested = {"took": 1, "timed_out": False, "_shards": {"total": 1, "successful": 1, "failed": 0},
                 "hits": {"total": {"value": 0, "relation": "eq"}, "hits": []},
                 "suggest": {"w0": [{"text": "cooperatoin", "offset": 0, "length": 11,
                                     "options": [{"text": "cooperation", "score": 0.9, "freq": 3}]}]}}
    node.plan = [ALL_SHARDS_FAILED, (200, suggested)]
    assert backend.spelling_suggestions(["cooperatoin"]) == {"cooperatoin": "cooperation"}


def bulk_answer(*items: tuple[str, int, str | None]) -> tuple[int, dict]:
    """A _bulk response: (id, status, error type or None) per item."""
    return 200, {"took": 1, "errors": any(error for _, _, error in items), "items": [
        {"index": {"_index": "archive-x", "_id": doc_id, "status": status,
                   **({"error": {"type": error, "reason": "node closed {data}"}} if error else {"result": "created"})}}
        for doc_id, status, error in items]}


def write(doc_id: str) -> dict:
    return {"_op_type": "index", "_index": "archive-x", "_id": doc_id, "_source": {"title": doc_id}}


def test_writes_refused_because_their_node_closed_are_sent_again_alone(node, backend):
    node.plan = [bulk_answer(("a1", 500, "node_closed_exception"), ("a2", 201, None)), bulk_answer(("a1", 201, None))]
    backend._bulk([write("a1"), write("a2")])
    sent = [[line["index"]["_id"] for line in body if "index" in line] for body in node.bodies]
    assert sent == [["a1", "a2"], ["a1"]]


def test_a_write_refused_for_another_cause_is_raised_at_once(node, backend):
    node.plan = [bulk_answer(("a1", 400, "mapper_parsing_exception"))]
    with pytest.raises(RuntimeError, match="refused 1 of 1 writes"):
        backend._bulk([write("a1")])
    assert len(node.bodies) == 1
