"""Search engine backends: the only code that talks to an engine.

Each engine is a package here whose backend is a haystack backend implementing
search.engine.SearchEngine: a mapping (schema.py), a write path (index.py) and a query
compiler (compiler.py). The settings choose one (ARCHIVE_SEARCH_ENGINE).
"""
