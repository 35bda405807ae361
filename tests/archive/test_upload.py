"""Importing through the admin: pages, zips and WARC files, with hostile uploads refused."""
import io
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archive.ingest import uploads
from archive.models import Article, Copy

pytestmark = pytest.mark.django_db(transaction=True)
SEEDS = Path(__file__).resolve().parents[2] / "seeds"
PAGE = ("<html lang='vi'><head><title>Hợp tác</title></head><body><nav>Trang chủ</nav><article>"
        "<h1>Đà Nẵng và Daegu ký kết bản ghi nhớ</h1><p>Đà Nẵng (TTXVN) - Thành phố Đà Nẵng và thành phố "
        "Daegu của Hàn Quốc đã ký bản ghi nhớ hợp tác về du lịch và giáo dục.</p>"
        "<p>Hai bên sẽ trao đổi đoàn học sinh mỗi năm.</p></article><footer>© Báo</footer></body></html>")


@pytest.fixture
def admin_client(client):
    User.objects.create_superuser("root", "r@example.org", "a-long-password-123")
    client.login(username="root", password="a-long-password-123")
    return client


def upload(client, *files):
    response = client.post("/admin/archive/article/upload/", {"files": list(files)})
    assert response.status_code == 200
    return response.content.decode()


def seed_bytes(prefix):
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_bytes()


def make_zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buffer.getvalue()


def make_warc(records: list[tuple[str, str, bytes, str]]) -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    for url, content_type, body, status in records:
        headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
        record = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers,
                                           warc_headers_dict={"WARC-Date": "2024-10-22T03:04:05Z"})
        writer.write_record(record)
    return buffer.getvalue()


def test_upload_pages_and_get_the_same_report_as_the_command(search_index, admin_client):
    html = upload(admin_client,
                  SimpleUploadedFile("004.txt", seed_bytes("004")),
                  SimpleUploadedFile("empty.txt", b""))
    assert "004.txt: imported as article" in html
    assert "empty.txt: rejected: the file is empty" in html
    assert "Done: 1 imported, 0 merged, 0 unchanged, 1 rejected." in html
    again = upload(admin_client, SimpleUploadedFile("004.txt", seed_bytes("004")))
    assert "unchanged (already imported" in again
    assert admin_client.get("/api/search/", {"q": "Jeollanam"}).json()["count"] == 1


def test_the_upload_report_is_in_the_editors_language_and_the_stored_reason_stays_english(
        search_index, admin_client):
    from django.conf import settings

    from archive.models import RawCapture

    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    html = upload(admin_client,
                  SimpleUploadedFile("004.txt", seed_bytes("004")),
                  SimpleUploadedFile("empty.txt", b""),
                  SimpleUploadedFile("blob.txt", bytes(range(256)) * 40),
                  SimpleUploadedFile("batch.zip", make_zip({"../escape.txt": seed_bytes("002")})))
    assert "004.txt: 기사" in html and "(으)로 가져왔습니다" in html
    assert "empty.txt: 거부됨: 파일이 비어 있습니다" in html
    assert "blob.txt: 거부됨: 텍스트나 HTML이 아닌 바이너리 파일입니다" in html
    assert "batch.zip:../escape.txt: 거부됨: 거부됨: 경로가 폴더 밖으로 나갑니다 (../)" in html
    assert "완료: 1 가져옴, 0 병합됨, 0 변경 없음, 3 거부됨." in html
    assert "rejected" not in html.split('id="import-report"')[1]
    # Stored in English, as the command prints it; shown in the editor's language.
    assert RawCapture.objects.filter(original_name="blob.txt",
                                     rejected_reason="the file is binary, not text or HTML").exists()
    listing = admin_client.get("/admin/archive/rawcapture/").content.decode()
    assert "텍스트나 HTML이 아닌 바이너리 파일입니다" in listing and "거부 사유" in listing


def test_upload_a_zip_with_sidecars_and_hostile_members(search_index, admin_client, monkeypatch):
    monkeypatch.setattr(uploads, "RATIO_CHECK_ABOVE", 1000)
    data = make_zip({
        "batch/000.txt": seed_bytes("000"),
        "batch/001.txt": seed_bytes("001"),
        "batch/001.txt.meta.json": b'{"source_url": "https://fr.vietnamplus.vn/ha-nam.vnp", "site": "VietnamPlus"}',
        "../escape.txt": seed_bytes("002"),
        "/etc/absolute.txt": seed_bytes("002"),
        "bomb.txt": b"\0" * 2_000_000,
        "photo.jpg": b"\xff\xd8\xff",
    })
    html = upload(admin_client, SimpleUploadedFile("batch.zip", data))
    assert "batch.zip:batch/000.txt: imported as article" in html
    assert "batch.zip:batch/001.txt: merged as a copy of article" in html
    assert "batch.zip:../escape.txt: rejected: refused: its path climbs out of the folder (../)" in html
    assert "batch.zip:/etc/absolute.txt: rejected: refused: its path is absolute" in html
    assert "batch.zip:bomb.txt: rejected: refused: it compresses" in html and "zip bomb" in html
    assert "photo.jpg: rejected: refused: not a text dump or an HTML page" in html
    assert Article.objects.count() == 1
    assert Copy.objects.filter(source_url="https://fr.vietnamplus.vn/ha-nam.vnp", site="VietnamPlus").exists()


def test_zip_bombs_and_oversized_members_are_refused(search_index, admin_client, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_ZIP_TOTAL_BYTES", 1_000_000)
    html = upload(admin_client, SimpleUploadedFile("bomb.zip", make_zip({"a.txt": b"a" * 1_500_000})))
    assert "bomb.zip: rejected: the zip would unpack to" in html and "zip bomb" in html
    monkeypatch.setattr(uploads, "MAX_DOCUMENT_BYTES", 1000)
    html = upload(admin_client, SimpleUploadedFile("big.zip", make_zip({"big.txt": b"word " * 1000})))
    assert "big.zip:big.txt: rejected: refused: it is 0.0 MB; documents over" in html
    html = upload(admin_client, SimpleUploadedFile("notzip.zip", b"this is not a zip"))
    assert "notzip.zip: rejected: not a readable zip file" in html


def test_upload_a_warc_file(search_index, admin_client):
    warc = make_warc([
        ("https://baodanang.vn/hop-tac.html", "text/html; charset=utf-8", PAGE.encode(), "200 OK"),
        ("https://baodanang.vn/logo.png", "image/png", b"\x89PNG", "200 OK"),
        ("https://baodanang.vn/missing.html", "text/html", b"<html>gone</html>", "404 Not Found"),
    ])
    html = upload(admin_client, SimpleUploadedFile("crawl.warc.gz", warc))
    assert "crawl.warc.gz#0 https://baodanang.vn/hop-tac.html: imported as article" in html
    assert "missing.html: rejected: HTTP status 404" in html
    assert "logo.png" not in html
    copy = Copy.objects.get()
    assert copy.source_url == "https://baodanang.vn/hop-tac.html"
    assert copy.captured_at.isoformat() == "2024-10-22T03:04:05+00:00"
    assert copy.article.title == "Đà Nẵng và Daegu ký kết bản ghi nhớ"


def test_the_command_reads_zip_and_warc_files_too(search_index, tmp_path):
    from django.core.management import call_command

    (tmp_path / "crawl.warc.gz").write_bytes(
        make_warc([("https://baodanang.vn/a.html", "text/html", PAGE.encode(), "200 OK")]))
    (tmp_path / "batch.zip").write_bytes(make_zip({"004.txt": seed_bytes("004")}))
    out = io.StringIO()
    call_command("import_articles", str(tmp_path), stdout=out)
    assert "Done: 2 imported, 0 merged, 0 unchanged, 0 rejected." in out.getvalue()


def test_anonymous_users_cannot_upload(client):
    response = client.post("/admin/archive/article/upload/", {})
    assert response.status_code == 302 and "/admin/login/" in response.url
