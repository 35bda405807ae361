"""An upload through the admin is in the audit trail with the user who made it."""
import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile

from archive.models import AuditEntry
from tests.conftest import SEEDS

PASSWORD = "a-long-password-123"


@pytest.mark.django_db(transaction=True)
def test_an_upload_is_audited_with_its_user(search_index, client):
    User.objects.create_superuser("root", password=PASSWORD)
    client.login(username="root", password=PASSWORD)
    seed = next(SEEDS.glob("004_*.txt"))
    client.post("/admin/archive/article/upload/", {"files": [SimpleUploadedFile(seed.name, seed.read_bytes())]})
    entry = AuditEntry.objects.get(action="upload")
    assert entry.username == "root" and entry.detail["outcomes"] == {"imported": 1}


