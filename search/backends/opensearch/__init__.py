"""The server engine: an OpenSearch index (or cluster) reached over HTTP with opensearch-py."""
from search.backends.opensearch.backend import ArchiveOpenSearchBackend, ArchiveOpenSearchEngine

__all__ = ["ArchiveOpenSearchBackend", "ArchiveOpenSearchEngine"]
