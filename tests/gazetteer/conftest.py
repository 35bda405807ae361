"""The gazetteer needs no Django, so its tests run without settings (`-p no:django`).

tests/conftest.py has a session-wide autouse fixture that points the search index at a
temporary folder through Django settings; this same-named fixture replaces it here.
"""
import pytest


@pytest.fixture(scope="session", autouse=True)
def archive_data_dir():
    return None
