"""A real two-node OpenSearch cluster on loopback: an index of 2 shards with 1 replica, an
import while searches go on, and the node that is not the cluster manager stopped in the
middle. Every search answers, no acknowledged write is lost (check_index's comparison
with the database is empty), and the restarted node brings the cluster back to green."""
from __future__ import annotations

import json
import shutil
import threading
import urllib.parse
import urllib.request
import uuid

import pytest
from opensearchpy import OpenSearch

from archive.models import Article
from search import indexing
from search import querytree as qt
from search.engine import SearchRequest, engine
from tests.search.opensearch_node import Node
from tests.services import service_unavailable

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SEEDS = "discovery.seed_hosts: [\"127.0.0.1:9354\", \"127.0.0.1:9355\"]"
MANAGER = Node("manager", 9254, 9354, extra=f"{SEEDS}\ncluster.initial_cluster_manager_nodes: [\"manager\"]",
               cluster="archive-cluster-test", heap="320m")
DATA = Node("data", 9255, 9355, extra=f"{SEEDS}\nnode.roles: [data, ingest]",
            cluster="archive-cluster-test", heap="320m")
BATCHES, PER_BATCH, STOP_AFTER, DOWN_FROM = 12, 25, 3, 8


def health(path: str = "", **params) -> dict:
    """The cluster's health, waiting as `params` say (over HTTP: opensearch-py reads a
    `timeout` parameter as its own)."""
    query = urllib.parse.urlencode(params)
    with urllib.request.urlopen(f"{MANAGER.url}/_cluster/health{path}?{query}", timeout=180) as response:
        return json.load(response)


@pytest.fixture(scope="module")
def cluster():
    try:
        MANAGER.start(fresh=True)
        DATA.start(fresh=True)
    except Exception as exc:  # noqa: BLE001 - reported as the missing service
        MANAGER.stop()
        DATA.stop()
        service_unavailable(f"a two-node OpenSearch cluster could not be started: {exc}")
    client = OpenSearch(hosts=[MANAGER.url])
    try:
        found = health(wait_for_nodes="2", timeout="60s")
        assert found["number_of_nodes"] == 2, found
        yield client
    finally:
        DATA.stop()
        MANAGER.stop()
        for node in (DATA, MANAGER):
            shutil.rmtree(node.home, ignore_errors=True)


def test_a_node_stops_during_an_import_and_nothing_is_lost(cluster, settings):
    from haystack import connections

    settings.ARCHIVE_SEARCH_CACHE = False
    default = settings.HAYSTACK_CONNECTIONS["default"]
    saved = dict(default)
    default.update({"ENGINE": "search.backends.opensearch.ArchiveOpenSearchEngine",
                    "URL": f"{MANAGER.url},{DATA.url}", "INDEX_NAME": f"cluster-{uuid.uuid4().hex[:8]}",
                    "SHARDS": 2, "REPLICAS": 1, "PATH": str(MANAGER.home / "archive-index")})
    connections.reload("default")
    try:
        indexing.rebuild_index()
        backend = engine()
        assert health(f"/{backend.alias}", wait_for_status="green", timeout="60s")["status"] == "green"
        managers = {n["name"] for n in cluster.cat.nodes(format="json", params={"h": "name,cluster_manager"})
                    if n.get("cluster_manager") == "*"}
        assert managers == {"manager"}  # the node stopped below is not the cluster manager

        done = threading.Event()
        searches: list[int] = []
        failures: list[BaseException] = []

        def search() -> None:
            while not done.is_set():
                try:
                    backend.execute(SearchRequest(qt.Phrase("cluster"), size=10, facets=("language",)))
                    searches.append(1)
                except BaseException as exc:  # noqa: BLE001 - the assertion below lists them
                    failures.append(exc)

        searcher = threading.Thread(target=search)
        searcher.start()
        stopper = None
        try:
            for batch in range(BATCHES):
                articles = Article.objects.bulk_create([
                    Article(title=f"Cluster report {batch}-{n}", body=f"Cluster body {batch} {n}.", language="en")
                    for n in range(PER_BATCH)])
                backend.index_ids([a.id for a in articles])  # acknowledged when it returns
                if batch == STOP_AFTER:  # stopped while writes and searches go on
                    stopper = threading.Thread(target=DATA.stop)
                    stopper.start()
                if batch == DOWN_FROM - 1:  # the later batches are written with the node down
                    stopper.join(timeout=120)
                    down = health(wait_for_nodes="1", timeout="30s")
                    assert down["number_of_nodes"] == 1 and down["status"] == "yellow", down
                    searched_before = len(searches)
            assert len(searches) > searched_before  # searches went on with the node down
        finally:
            done.set()
            searcher.join(timeout=60)
        assert failures == [] and len(searches) > 0
        assert not any(indexing.compare_with_database().values())
        assert backend.document_count() == BATCHES * PER_BATCH

        DATA.start()
        after = health(wait_for_status="green", wait_for_nodes="2", timeout="120s")
        assert after["status"] == "green" and after["number_of_nodes"] == 2
        assert not any(indexing.compare_with_database().values())
    finally:
        default.clear()
        default.update(saved)
        connections.reload("default")
