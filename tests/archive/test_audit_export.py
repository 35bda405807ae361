"""The audit trail (imports, uploads, exports, log-ins; shell edits in the history) and the
exports: JSON Lines of the published archive, a WARC of the raw captures for superusers."""
import io
import json

from django.contrib.auth.models import Group, User
from django.core.management import call_command
from warcio.archiveiterator import ArchiveIterator

from archive.models import Article, ArticleChange, AuditEntry, RawCapture

PASSWORD = "a-long-password-123"


def login(client, name, superuser=False):
    if superuser:
        user = User.objects.create_superuser(name, password=PASSWORD)
    else:
        user = User.objects.create_user(name, password=PASSWORD, is_staff=True)
        user.groups.add(Group.objects.get(name="editor"))
    client.login(username=name, password=PASSWORD)
    return user


def test_imports_and_log_ins_are_audited_and_shown_to_superusers_only(seeded, client):
    entry = AuditEntry.objects.get(action="import")
    assert entry.detail["outcomes"] == {"imported": 4, "merged": 1}
    assert entry.username  # the operating system's user who ran the command
    editor = login(client, "edna")
    assert AuditEntry.objects.filter(action="login", user=editor).exists()
    assert client.get("/admin/archive/auditentry/").status_code == 403
    client.logout()
    login(client, "root", superuser=True)
    page = client.get("/admin/archive/auditentry/").content.decode()
    assert "import" in page and "edna logged in" in page


def test_a_shell_edit_writes_history_as_an_admin_edit_does(seeded):
    article = seeded["004"]
    article.title = "Corrected in a shell"
    article.save()
    change = ArticleChange.objects.get(article=article, action="edited (shell)")
    assert change.changes["title"][1] == "Corrected in a shell"
    assert "title" in Article.objects.get(pk=article.pk).edited_fields
    article.save()  # nothing changed: nothing recorded
    assert ArticleChange.objects.filter(article=article).count() == 1


def test_jsonl_export_holds_the_published_archive_and_no_raw_capture(seeded, client):
    seeded["002"].status = "hidden"
    seeded["002"].save()
    out = io.StringIO()
    call_command("export", "--format", "jsonl", stdout=out)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert sorted(r["id"] for r in records) == sorted(a.pk for a in Article.objects.published())
    binh_phuoc = next(r for r in records if r["id"] == seeded["004"].pk)
    assert {"binh-phuoc", "jeollanam"} <= {p["slug"] for p in binh_phuoc["places"]}
    assert binh_phuoc["events"] and binh_phuoc["copies"] and binh_phuoc["body"]
    assert "sha256" not in out.getvalue() and "raw" not in json.dumps(list(binh_phuoc))
    # The admin offers the same download, counted as an export in the audit trail.
    login(client, "edna")
    download = client.get("/admin/archive/article/export/")
    lines = b"".join(download.streaming_content).decode().splitlines()
    assert download["Content-Type"].startswith("application/x-ndjson") and len(lines) == len(records)
    assert AuditEntry.objects.filter(action="export").count() == 2


def test_warc_of_raw_captures_is_for_superusers_only(seeded, client):
    login(client, "edna")
    assert client.get("/admin/archive/rawcapture/export-warc/").status_code == 403
    client.logout()
    login(client, "root", superuser=True)
    assert "Export all as WARC" in client.get("/admin/archive/rawcapture/").content.decode()
    response = client.get("/admin/archive/rawcapture/export-warc/")
    records = [(r.rec_headers.get_header("WARC-Payload-Digest"), r.content_stream().read())
               for r in ArchiveIterator(io.BytesIO(b"".join(response.streaming_content)))]
    assert len(records) == RawCapture.objects.count() == 5
    import hashlib

    assert all(digest == f"sha256:{hashlib.sha256(data).hexdigest()}" for digest, data in records)
