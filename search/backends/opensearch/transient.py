"""Failures a cluster gives while a node leaves or joins it, which another try answers.

When a data node stops, the requests routed to it in that moment fail: a search with
`node_not_connected_exception` (status 500), a bulk write with `node_closed_exception` for
each document it held. Within a second or so the cluster manager promotes the replicas and
routes around the node; the same request then succeeds (tests/search/test_opensearch_cluster.py
stops a node during an import and searches). Anything else, a bad query, a missing index,
a mapping error or the time budget, is not retried.
"""
from __future__ import annotations

from opensearchpy.exceptions import ConnectionError as TransportConnectionError
from opensearchpy.exceptions import ConnectionTimeout, TransportError

# The causes, as OpenSearch names them in an error's body, a shard failure or a bulk item.
TRANSIENT_CAUSES = ("node_not_connected_exception", "node_disconnected_exception", "node_closed_exception",
                    "connect_transport_exception", "send_request_transport_exception",
                    "no_shard_available_action_exception", "shard_not_found_exception",
                    "unavailable_shards_exception", "cluster_block_exception", "circuit_breaking_exception")
# Seconds between the tries of a search (two more tries), and of the refused items of a
# bulk write (a write waits longer: its primary may be the copy being promoted).
SEARCH_RETRY_PAUSES = (0.1, 0.5)
WRITE_RETRY_PAUSES = (0.5, 1.0, 2.0, 4.0)


def transient(failure: TransportError | dict) -> bool:
    """Whether a failure (an exception, a response's shard failures, or a bulk item's
    error) is one that another try answers: the transport could reach no node, or the
    cluster reported one of TRANSIENT_CAUSES."""
    if isinstance(failure, ConnectionTimeout):
        return False  # the time budget of a search, reported as QueryTooCostly
    if isinstance(failure, TransportConnectionError):
        return True
    if isinstance(failure, TransportError):
        if failure.status_code not in (500, 502, 503, 504, 429):
            return False
        failure = failure.info if isinstance(failure.info, dict) else {"reason": str(failure.info)}
    text = repr(failure)
    return any(cause in text for cause in TRANSIENT_CAUSES)
