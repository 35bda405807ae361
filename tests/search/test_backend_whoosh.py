"""The backend contract (tests/search/backend_contract.py) on the embedded Whoosh engine."""
import pytest

from tests.search.backend_contract import BackendTests

pytestmark = pytest.mark.django_db(transaction=True)


class TestWhooshBackend(BackendTests):
    engine_path = "search.backends.whoosh.ArchiveWhooshEngine"
