"""The OpenSearch backend: a haystack backend implementing the engine interface
(search.engine) on opensearch-py, with the archive's mapping (mapping.py), write path and
index versions (index.py) and query compiler (compiler.py).

Connection options (settings.HAYSTACK_CONNECTIONS, or ARCHIVE_SEARCH_ENGINE=opensearch with
ARCHIVE_OPENSEARCH_URL): URL (one or more, comma-separated: a cluster's nodes), INDEX_NAME
(the alias searched), SHARDS and REPLICAS of a new index, PATH (a local folder for the
write lock and the index version file, as the embedded engine's).
"""
from __future__ import annotations

import os
import time

from django.conf import settings
from haystack.backends import BaseEngine, BaseSearchBackend, BaseSearchQuery
from opensearchpy import OpenSearch, helpers
from opensearchpy.exceptions import ConnectionTimeout, NotFoundError, TransportError

from search.analysis import analyze
from search.backends.opensearch import compiler
from search.backends.opensearch import mapping
from search.backends.opensearch.index import STATE_ID, OpenSearchWrites
from search.backends.opensearch.transient import SEARCH_RETRY_PAUSES, transient
from search.engine import QueryTooCostly, SearchEngine, SearchRequest, SearchResponse, highlight_terms

# "Did you mean": as the embedded engine, at most this many words, each of 4 letters or
# more, corrected within 2 edits among indexed words sharing its first letter.
MAX_SPELLED_WORDS = 8


class ArchiveOpenSearchBackend(OpenSearchWrites, SearchEngine, BaseSearchBackend):
    date_field = mapping.DATE_FIELD

    def __init__(self, connection_alias, **connection_options):
        super().__init__(connection_alias, **connection_options)
        self.connection_options = connection_options
        urls = connection_options.get("URL") or "http://127.0.0.1:9250"
        self.hosts = [u.strip() for u in urls.split(",") if u.strip()]
        self.alias = connection_options.get("INDEX_NAME", "archive")
        self.path = connection_options["PATH"]
        os.makedirs(self.path, exist_ok=True)
        self.shards = int(connection_options.get("SHARDS", 1))
        self.replicas = int(connection_options.get("REPLICAS", 0))
        self.bulk_size = int(connection_options.get("BULK_SIZE", 500))
        self.client = OpenSearch(hosts=self.hosts, timeout=int(connection_options.get("TIMEOUT", 30)),
                                 max_retries=3, retry_on_timeout=True, http_compress=False)
        self.setup_complete = False
        self._target = None

    def _ready(self) -> None:
        if not self.setup_complete:
            self.setup()

    # --- state --------------------------------------------------------------------

    def state_token(self) -> str:
        self._ready()
        try:
            return self.client.get(index=self.state_index, id=STATE_ID)["_source"]["token"]
        except NotFoundError:
            return "missing"

    def schema_signature(self) -> str:
        return mapping.signature()

    def document_count(self) -> int:
        self._ready()
        return int(self.client.count(index=self.alias)["count"])

    def indexed_state(self) -> dict[int, str]:
        self._ready()
        self.client.indices.refresh(index=self.alias)
        hits = helpers.scan(self.client, index=self.alias, size=2000, preserve_order=False,
                            query={"query": {"match_all": {}}, "_source": ["django_id", "updated"]})
        return {int(h["_source"]["django_id"]): h["_source"].get("updated", "") for h in hits}

    # --- reads --------------------------------------------------------------------

    def execute(self, request: SearchRequest) -> SearchResponse:
        self._ready()
        budget = settings.ARCHIVE_SEARCH_BUDGET_SECONDS
        body = compiler.search_body(request)
        body["timeout"] = f"{max(int(budget * 1000), 1)}ms"
        try:
            answer = self._search(body, request_timeout=max(budget * 2, 5))
        except ConnectionTimeout as exc:
            raise QueryTooCostly(f"the search took longer than {budget:g} s") from exc
        if answer.get("timed_out"):
            raise QueryTooCostly(f"the search took longer than {budget:g} s")
        response = SearchResponse(
            ids=[int(hit["fields"]["django_id"][0]) for hit in answer["hits"]["hits"]],
            total=int(answer["hits"]["total"]["value"]),
        )
        for name in request.facets:
            buckets = compiler.facet_buckets(answer["aggregations"][name])
            response.facets[name] = sorted(((b["key"], b["doc_count"]) for b in buckets if b["key"]),
                                           key=lambda kv: (-kv[1], kv[0]))
        if request.highlight:
            response.highlight_terms = highlight_terms(request.query)
        return response

    def _search(self, body: dict, **params) -> dict:
        """One search of the alias, tried again after SEARCH_RETRY_PAUSES when it fails,
        or answers from fewer than all shards, for a transient cause. A last partial
        answer is returned as OpenSearch gives it; a last failure is raised."""
        for pause in SEARCH_RETRY_PAUSES:
            try:
                answer = self.client.search(index=self.alias, body=body, **params)
            except TransportError as exc:
                if not transient(exc):
                    raise
            else:
                shards = answer.get("_shards", {})
                if not shards.get("failed") or not transient(shards):
                    return answer
            time.sleep(pause)
        return self.client.search(index=self.alias, body=body, **params)

    def spelling_suggestions(self, words: list[str]) -> dict[str, str]:
        """The nearest indexed word, from the term suggester, for words the index lacks."""
        self._ready()
        asked: dict[str, str] = {}
        for word in list(dict.fromkeys(words))[:MAX_SPELLED_WORDS]:
            tokens = analyze(word)
            if len(tokens) == 1 and len(tokens[0]) >= 4:
                asked[f"w{len(asked)}"] = word
        if not asked:
            return {}
        suggest = {key: {"text": analyze(word)[0],
                         "term": {"field": "text", "suggest_mode": "missing", "size": 1, "max_edits": 2,
                                  "prefix_length": 1, "min_word_length": 4, "sort": "score"}}
                   for key, word in asked.items()}
        answer = self._search({"size": 0, "suggest": suggest})
        found: dict[str, str] = {}
        for key, word in asked.items():
            for entry in answer.get("suggest", {}).get(key, []):
                if entry["options"]:
                    found[word] = entry["options"][0]["text"]
        return found


class ArchiveOpenSearchQuery(BaseSearchQuery):
    """haystack's query object; the archive reads query strings itself (search.query)."""

    def build_query_fragment(self, field, filter_type, value):
        return str(value)


class ArchiveOpenSearchEngine(BaseEngine):
    backend = ArchiveOpenSearchBackend
    query = ArchiveOpenSearchQuery
