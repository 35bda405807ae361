"""The write path into OpenSearch, and the index's versions.

The archive searches an alias (INDEX_NAME, "archive" by default) that points at one
concrete index, named after the mapping's signature and its creation time. A rebuild or a
schema change builds a new concrete index beside the served one and moves the alias in
one atomic step when it is complete (`building`, `reindex`): searches never see a
half-built index. Every write holds the index lock (search.writer), as the Whoosh
backend's do, so that a rebuild and the site's writes queue up instead of racing, and
bumps the state token kept in a small state index.
"""
from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from haystack.constants import ID
from haystack.utils import get_identifier
from opensearchpy import helpers
from opensearchpy.exceptions import NotFoundError

from archive.textnorm import nfc
from search.backends.opensearch import mapping
from search.backends.opensearch.transient import WRITE_RETRY_PAUSES, transient
from search.engine import document_id
from search.writer import index_lock

STATE_ID = "state"


class OpenSearchWrites:
    """The writing half of ArchiveOpenSearchBackend."""

    # --- names --------------------------------------------------------------------

    @property
    def state_index(self) -> str:
        return f"{self.alias}-state"

    def new_index_name(self) -> str:
        version = hashlib.sha256(mapping.signature().encode()).hexdigest()[:8]
        return f"{self.alias}-{version}-{time.time_ns()}"

    def served_indices(self) -> list[str]:
        """The concrete index (or none) the alias points at."""
        try:
            return sorted(self.client.indices.get_alias(name=self.alias))
        except NotFoundError:
            return []

    def write_lock(self):
        return index_lock(self.path)

    # --- creation -----------------------------------------------------------------

    def setup(self) -> None:
        """The alias and its first index, and the state index, when missing."""
        if self.served_indices() and self.client.indices.exists(index=self.state_index):
            self.setup_complete = True
            return
        with self.write_lock():
            if not self.client.indices.exists(index=self.state_index):
                self.client.indices.create(index=self.state_index, body={
                    "settings": {"index": {"number_of_shards": 1, "number_of_replicas": self.replicas}},
                    "mappings": {"dynamic": "strict", "properties": {"token": {"type": "keyword"}}}})
            if not self.served_indices():
                name = self._create()
                self.client.indices.update_aliases(body={"actions": [{"add": {"index": name, "alias": self.alias}}]})
                self._bump()
        self.setup_complete = True

    def _create(self) -> str:
        name = self.new_index_name()
        self.client.indices.create(index=name, body=mapping.index_body(self.shards, self.replicas),
                                   params={"wait_for_active_shards": "1"})
        return name

    def _swap(self, name: str) -> None:
        """Point the alias at `name` alone, in one step, and drop what it pointed at."""
        old = self.served_indices()
        actions = [{"add": {"index": name, "alias": self.alias}}]
        actions += [{"remove": {"index": o, "alias": self.alias}} for o in old if o != name]
        self.client.indices.update_aliases(body={"actions": actions})
        for o in old:
            if o != name:
                self.client.indices.delete(index=o, params={"ignore_unavailable": "true"})
        self._bump()

    @contextmanager
    def building(self) -> Iterator[None]:
        """Writes inside go to a new, empty index, served once the block ends; the old one
        is served meanwhile, and kept if the block fails."""
        self._ready()
        with self.write_lock():
            name = self._create()
            self._target = name
            try:
                yield
                self.client.indices.refresh(index=name)
            except BaseException:
                self._target = None
                self.client.indices.delete(index=name, params={"ignore_unavailable": "true"})
                raise
            self._target = None
            self._swap(name)

    def reindex(self) -> str:
        """A new version of the index under the current mapping, filled by the server from
        the served one (its stored sources analyzed again), then served: for a change of
        analysis. A change of fields needs the database: indexing.rebuild_index."""
        self._ready()
        with self.write_lock():
            (served,) = self.served_indices()
            name = self._create()
            try:
                # Scrolled and bulk-written by the client (the node needs no reindex module).
                helpers.reindex(self.client, served, name, chunk_size=self.bulk_size,
                                bulk_kwargs={"refresh": "true", "request_timeout": 120})
                self.client.indices.refresh(index=name)
            except BaseException:
                self.client.indices.delete(index=name, params={"ignore_unavailable": "true"})
                raise
            self._swap(name)
            return name

    def reset(self) -> None:
        self._ready()
        with self.write_lock():
            self._swap(self._create())

    # --- writes -------------------------------------------------------------------

    def _bump(self) -> None:
        self.client.index(index=self.state_index, id=STATE_ID, body={"token": uuid.uuid4().hex},
                          params={"refresh": "true"})

    @property
    def write_index(self) -> str:
        return getattr(self, "_target", None) or self.alias

    def _bulk(self, actions: list[dict]) -> None:
        """Send the writes; the items refused for a transient cause (a node leaving the
        cluster: transient.py) are sent again after WRITE_RETRY_PAUSES, then any still
        refused are raised, so a write acknowledged by returning is a write kept."""
        pending, total = actions, len(actions)
        for pause in (*WRITE_RETRY_PAUSES, None):
            if not pending:
                return
            ok, errors = helpers.bulk(self.client, pending, raise_on_error=False, refresh="true",
                                      chunk_size=self.bulk_size, max_retries=3, request_timeout=120)
            # Deleting what is not there is no error (remove_ids's contract).
            failed = [e for e in errors if not ("delete" in e and e["delete"].get("status") == 404)]
            if not failed:
                return
            if pause is None or not all(transient(next(iter(e.values()))) for e in failed):
                raise RuntimeError(f"OpenSearch refused {len(failed)} of {total} writes: {failed[:3]}")
            again = {(op, item.get("_id")) for e in failed for op, item in e.items()}
            pending = [a for a in pending if (a["_op_type"], a["_id"]) in again]
            time.sleep(pause)

    def update(self, index, iterable, commit: bool = True) -> None:
        actions = []
        for obj in iterable:
            doc = index.full_prepare(obj)
            doc.pop("boost", None)
            doc.pop(mapping.EXACT_SOURCE, None)  # the subfield text.exact reads `text`
            for name in mapping.TEXT_FIELDS:
                if doc.get(name):
                    doc[name] = nfc(doc[name])
            doc[mapping.OLDEST_FIELD] = doc.get(mapping.DATE_FIELD) or mapping.UNKNOWN_DATE_LAST
            actions.append({"_op_type": "index", "_index": self.write_index, "_id": doc[ID], "_source": doc})
        if not actions:
            return
        with self.write_lock():
            self._ready()
            self._bulk(actions)
            self._bump()

    def remove(self, obj_or_string, commit: bool = True) -> None:
        self._remove([get_identifier(obj_or_string)])

    def remove_ids(self, article_ids: Iterable[int]) -> None:
        self._remove([document_id(i) for i in article_ids])

    def _remove(self, doc_ids: list[str]) -> None:
        with self.write_lock():
            self._ready()
            self._bulk([{"_op_type": "delete", "_index": self.write_index, "_id": i} for i in doc_ids])
            self._bump()

    def clear(self, models=None, commit: bool = True) -> None:
        """Empty the index: a new empty version served (during a rebuild, the one being built
        is emptied the same way)."""
        with self.write_lock():
            self._ready()
            if self._target:
                self.client.indices.delete(index=self._target)
                self._target = self._create()
                self._bump()
            else:
                self._swap(self._create())

    def optimize(self) -> None:
        """Merge every segment into one."""
        with self.write_lock():
            self._ready()
            self.client.indices.forcemerge(index=self.alias, params={"max_num_segments": "1"}, request_timeout=600)
            self._bump()
