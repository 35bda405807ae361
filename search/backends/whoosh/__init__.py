"""The embedded engine: a Whoosh index in a folder beside the database."""
from search.backends.whoosh.backend import ArchiveWhooshBackend, ArchiveWhooshEngine

__all__ = ["ArchiveWhooshBackend", "ArchiveWhooshEngine"]
