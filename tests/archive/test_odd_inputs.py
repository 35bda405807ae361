"""Issue 21: every odd input the probe found gets one outcome, a clear reason and its
bytes kept, and the batch goes on; pages too large for their layout to be read are read
as plain text, flagged for review; one document's time is bounded."""
import io
import json
import os
import random
import time
import zipfile

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archive.ingest import html, review
from archive.ingest.budget import Overrun, budget, can_bound
from archive.ingest.pipeline import iter_input_files
from archive.ingest.run import ImportRun
from archive.ingest.store import raw_path
from archive.models import Article, Copy, RawCapture

pytestmark = pytest.mark.django_db(transaction=True)

WORDS = ("Hanoi Busan delegation signed memorandum port cooperation today city hall mayor trade culture "
         "students exchange festival investment province partnership").split()


def sentences(n: int, seed: int = 1, words: int = 18) -> list[str]:
    rng = random.Random(seed)
    return [f"Paragraph {i}: " + " ".join(rng.choice(WORDS) for _ in range(words)) + "." for i in range(n)]


def page(paragraphs: str, title: str = "Hanoi and Busan sign a port cooperation memorandum") -> bytes:
    return (f"<html><head><title>{title}</title></head><body>{paragraphs}</body></html>").encode()


ARTICLE_2 = page("<article><h1>Da Nang and Daegu open a student exchange</h1>"
                 + "".join(f"<p>{s}</p>" for s in sentences(6, 99)) + "</article>")
ARTICLE = page("<article><h1>Hanoi and Busan sign a port cooperation memorandum</h1>"
               + "".join(f"<p>{s}</p>" for s in sentences(6, 7)) + "</article>")


def run_files(*paths, workers=1):
    with ImportRun(origin="") as run:
        return list(run.import_files(list(iter_input_files(paths)), workers=workers))


def one(outcomes, fragment):
    found = [o for o in outcomes if fragment in o.name]
    assert len(found) == 1, (fragment, [(o.name, o.status, o.reason) for o in outcomes])
    return found[0]


def kept(outcome):
    """The rejected capture whose name is the outcome's, with its bytes on disk."""
    capture = RawCapture.objects.get(original_name=outcome.name[:500])
    assert capture.rejected_reason == outcome.reason
    assert raw_path(capture.sha256).exists()
    return raw_path(capture.sha256).read_bytes()


# --- pages too large for their layout ---------------------------------------------------

def test_a_page_nested_100_000_deep_is_read_as_plain_text_and_flagged(search_index, tmp_path):
    body = "".join(f"<p>{s}</p>" for s in sentences(5))
    (tmp_path / "deep.html").write_bytes(page("<div>" * 100_000 + body + "</div>" * 100_000))
    outcome = run_files(tmp_path)[0]  # unfinished after 15 minutes before
    assert outcome.status == "imported", outcome.reason
    article = Article.objects.get(id=outcome.article_id)
    assert review.PLAIN_TEXT in article.review_reasons and article.needs_review
    assert "Paragraph 0:" in article.body and "Paragraph 4:" in article.body and "<div>" not in article.body


def test_a_page_of_150_000_paragraphs_is_bounded_by_the_budget_and_kept(search_index, tmp_path, settings):
    """13 MB of text: read as plain text (over the element limit), which takes longer
    than the budget (set low here to keep the test short), so it is refused, kept, and
    the batch goes on."""
    settings.ARCHIVE_DOCUMENT_SECONDS = 2
    wide = page("".join(f"<p>{s}</p>" for s in sentences(150_000, words=9)))
    assert html.layout_too_large(wide.decode()) == "over 50000 elements"
    (tmp_path / "a-wide.html").write_bytes(wide)
    (tmp_path / "b.html").write_bytes(ARTICLE)
    started = time.perf_counter()
    outcomes = run_files(tmp_path)
    assert time.perf_counter() - started < 2 * 2 + 10
    assert one(outcomes, "a-wide").reason == "refused: it took over 2 s to process, even as plain text"
    assert kept(one(outcomes, "a-wide")) == wide
    assert one(outcomes, "b.html").status == "imported"


def test_an_admin_upload_of_a_deep_440_kb_page_gets_a_report(search_index, client):
    User.objects.create_superuser("root", "r@example.org", "a-long-password-123")
    client.login(username="root", password="a-long-password-123")
    body = "".join(f"<p>{s}</p>" for s in sentences(5))
    data = page("<span><b>" * 23_000 + body + "</b></span>" * 23_000)
    assert len(data) > 440_000
    response = client.post("/admin/archive/article/upload/", {"files": [SimpleUploadedFile("deep.html", data)]})
    assert response.status_code == 200
    assert "deep.html: imported as article" in response.content.decode()


# --- the time budget ------------------------------------------------------------------

@pytest.mark.skipif(not can_bound(), reason="no interval timer in this thread")
def test_the_budget_stops_work_that_runs_over():
    started = time.perf_counter()
    with pytest.raises(Overrun), budget(0.2):
        while True:
            sum(range(1000))
    assert time.perf_counter() - started < 2
    import signal

    with budget(5):
        pass
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)  # no timer left behind


def test_a_document_over_budget_even_as_plain_text_is_refused_kept_and_the_batch_goes_on(
        search_index, tmp_path, settings):
    settings.ARCHIVE_DOCUMENT_SECONDS = 0.000001
    (tmp_path / "a.html").write_bytes(ARTICLE)
    (tmp_path / "b.html").write_bytes(ARTICLE.replace(b"Paragraph", b"Section"))
    outcomes = run_files(tmp_path)
    assert [o.status for o in outcomes] == ["rejected", "rejected"]
    for outcome in outcomes:
        assert outcome.reason == "refused: it took over 1e-06 s to process, even as plain text"
        assert kept(outcome).startswith(b"<html>")


# --- odd sidecars and names -------------------------------------------------------------

@pytest.mark.parametrize("meta, reason", [
    ({"source_url": 12}, "source_url must be a URL as text, not a number"),
    ({"source_url": ["https://a.vn/x"]}, "source_url must be a URL as text, not a list"),
    ({"captured_at": 20240101}, "captured_at must be an ISO 8601 time as text, not a number"),
    ({"captured_at": {"y": 2024}}, "captured_at must be an ISO 8601 time as text, not an object"),
    ({"site": True}, "site must be text, not true/false"),
    ({"source_url": "javascript:alert(1)//https://a.vn"}, "is not an http(s) URL"),
    (["https://a.vn/x"], "must hold a JSON object, not a list"),
])
def test_odd_sidecars_are_reasons_not_tracebacks(search_index, tmp_path, meta, reason):
    (tmp_path / "a.html").write_bytes(ARTICLE)
    (tmp_path / "a.html.meta.json").write_text(json.dumps(meta))
    (tmp_path / "b.html").write_bytes(ARTICLE.replace(b"Paragraph", b"Section"))
    outcomes = run_files(tmp_path)
    assert reason in one(outcomes, "a.html").reason
    assert kept(one(outcomes, "a.html")) == ARTICLE
    assert one(outcomes, "b.html").status == "imported"


def test_url_schemes_are_case_insensitive(search_index, tmp_path):
    (tmp_path / "a.html").write_bytes(ARTICLE)
    (tmp_path / "a.html.meta.json").write_text('{"source_url": "HTTPS://Example.VN/Tin/1"}')
    outcomes = run_files(tmp_path)
    assert outcomes[0].status == "imported"
    assert Copy.objects.get().source_url == "https://Example.VN/Tin/1"


def test_a_zip_sidecar_that_is_a_list_is_a_reason_in_the_upload(search_index, client):
    User.objects.create_superuser("root", "r@example.org", "a-long-password-123")
    client.login(username="root", password="a-long-password-123")
    data = make_zip({"a.html": ARTICLE, "a.html.meta.json": b'["x"]',
                     "b.html": ARTICLE.replace(b"Paragraph", b"Section")})
    response = client.post("/admin/archive/article/upload/", {"files": [SimpleUploadedFile("p.zip", data)]})
    assert response.status_code == 200
    html = response.content.decode()
    assert "p.zip:a.html: rejected: the sidecar a.html.meta.json must hold a JSON object, not a list" in html
    assert "p.zip:b.html: imported as article" in html


def test_long_and_non_utf8_file_names(search_index, tmp_path):
    long_name = "tin-" + "x" * 246 + ".html"  # 255 bytes: no room for a sidecar beside it
    (tmp_path / long_name).write_bytes(ARTICLE)
    latin = os.fsencode(str(tmp_path)) + b"/h\xe0-n\xf4i.html"  # Latin-1 bytes, not UTF-8
    with open(latin, "wb") as handle:
        handle.write(ARTICLE_2)
    outcomes = run_files(tmp_path)
    assert sorted(o.status for o in outcomes) == ["imported", "imported"]
    assert one(outcomes, "x" * 246).status == "imported"
    assert one(outcomes, "h\ufffd-n\ufffdi.html").status == "imported"
    assert RawCapture.objects.filter(original_name__endswith="h\ufffd-n\ufffdi.html").exists()


def test_a_symlink_in_an_import_folder_is_refused_never_followed(search_index, tmp_path):
    secret = tmp_path / "outside.txt"
    secret.write_bytes(b"root:x:0:0:root:/root:/bin/bash\n" * 40)
    folder = tmp_path / "import"
    folder.mkdir()
    (folder / "passwd.txt").symlink_to(secret)
    (folder / "linked").symlink_to(tmp_path, target_is_directory=True)
    (folder / "a.html").write_bytes(ARTICLE)
    outcomes = run_files(folder)
    assert len(outcomes) == 2
    assert one(outcomes, "passwd.txt").reason == (
        "refused: it is a symbolic link; links in an import folder are not followed")
    assert not RawCapture.objects.filter(original_name__contains="passwd").exists()
    assert not RawCapture.objects.filter(original_name__contains="outside").exists()


# --- bytes and charsets -----------------------------------------------------------------

def test_a_bad_byte_in_utf8_is_replaced_and_flagged(search_index, tmp_path):
    text = "\n\n".join(["Hà Nội và Busan ký kết thỏa thuận hợp tác cảng biển, mở rộng trao đổi văn hóa, "
                        "thương mại và giáo dục giữa hai thành phố trong năm tới."] * 3)
    data = text.encode()
    data = data[:40] + b"\xff" + data[40:]
    (tmp_path / "a.txt").write_bytes(data)
    outcome = run_files(tmp_path)[0]
    assert outcome.status == "imported"
    article = Article.objects.get(id=outcome.article_id)
    assert review.BAD_BYTES in article.review_reasons
    assert "\ufffd" in article.body and "Busan" in article.body


def test_a_cp1252_page_declared_utf8_is_read_as_cp1252_and_flagged(search_index, tmp_path):
    text = ("Le jumelage de Hanoï et de Busan, signé à l’hôtel de ville – « une étape », dit le maire. " * 3)
    data = ("<html><head><meta charset='utf-8'><title>Jumelage entre Hanoï et Busan</title></head>"
            f"<body><article><p>{text}</p><p>{text.upper()}</p></article></body></html>").encode("cp1252")
    (tmp_path / "a.html").write_bytes(data)
    outcome = run_files(tmp_path)[0]
    assert outcome.status == "imported", outcome.reason
    article = Article.objects.get(id=outcome.article_id)
    assert "l’hôtel de ville – « une étape »" in article.body
    assert review.CHARSET_MISMATCH in article.review_reasons


# --- containers -------------------------------------------------------------------------

def make_zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buffer.getvalue()


def warc_record(writer, url, body, length=None):
    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    record = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers,
                                       length=length, warc_headers_dict={"WARC-Date": "2024-10-22T03:04:05Z"})
    writer.write_record(record)


def make_warc(bodies, gz=True) -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gz)
    for i, body in enumerate(bodies):
        warc_record(writer, f"https://a.vn/{i}", body)
    return buffer.getvalue()


def bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("big.txt", b"\0" * (15 * 1024 * 1024))
    data = buffer.getvalue()
    return data


def lying_zip() -> bytes:
    """A member whose headers say 40 bytes when it holds a whole article."""
    data = bytearray(make_zip({"a.html": ARTICLE}))
    central = data.rfind(b"PK\x01\x02")
    local = data.find(b"PK\x03\x04")
    for offset in (local + 22, central + 24):  # uncompressed size in both headers
        data[offset:offset + 4] = (40).to_bytes(4, "little")
    return bytes(data)


CONTAINERS = {
    "bomb.zip": lambda: bomb(),
    "lying.zip": lying_zip,
    "notzip.zip": lambda: b"this is not a zip file at all\n" * 10,
    "junk.warc": lambda: b"\x00junk that is not a web archive\n" * 30,
}


def test_containers_that_cannot_be_read_are_kept(search_index, tmp_path):
    written = {name: make() for name, make in CONTAINERS.items()}  # zips hold the time they were made
    for name, data in written.items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / "z.html").write_bytes(ARTICLE)
    outcomes = run_files(tmp_path)
    assert one(outcomes, "z.html").status == "imported"
    for name, data in written.items():
        outcome = [o for o in outcomes if o.name == str(tmp_path / name)]
        assert len(outcome) == 1 and outcome[0].status == "rejected", (name, outcomes)
        assert kept(outcome[0]) == data
    by_name = {o.name: o.reason for o in outcomes}
    assert "compresses" in by_name[f"{tmp_path}/bomb.zip:big.txt"]
    assert "a zip bomb" in by_name[f"{tmp_path}/bomb.zip"]
    assert "cannot be read from the zip" in by_name[f"{tmp_path}/lying.zip:a.html"]
    assert "headers that lie" in by_name[f"{tmp_path}/lying.zip"]
    assert one(outcomes, "notzip.zip").reason.startswith("not a readable zip file")
    assert one(outcomes, "junk.warc").reason.startswith("not a readable WARC file")


def test_refused_zip_members_are_kept(search_index, tmp_path):
    evil = b"<html><body><p>planted</p></body></html>"
    (tmp_path / "p.zip").write_bytes(make_zip({"../../etc/evil.html": evil, "/abs.html": evil + b" ",
                                               "a.html": ARTICLE}))
    outcomes = run_files(tmp_path)
    climbing = one(outcomes, "../../etc/evil.html")
    assert climbing.reason == "refused: its path climbs out of the folder (../)"
    assert kept(climbing) == evil
    assert kept(one(outcomes, "/abs.html")) == evil + b" "
    assert one(outcomes, "p.zip:a.html").status == "imported"


def test_a_truncated_warc_gz_gets_an_outcome_and_is_kept(search_index, tmp_path):
    bodies = [page("".join(f"<p>{s}</p>" for s in sentences(6, seed))) for seed in range(3)]
    whole = make_warc(bodies)
    cut = whole[: len(whole) - 200]
    (tmp_path / "cut.warc.gz").write_bytes(cut)
    outcomes = run_files(tmp_path)
    container = [o for o in outcomes if o.name == str(tmp_path / "cut.warc.gz")]
    assert len(container) == 1 and "breaks off or is damaged after record 2" in container[0].reason
    assert kept(container[0]) == cut
    assert sum(o.status == "imported" for o in outcomes) == 2
    assert "cut short" in one(outcomes, "cut.warc.gz#2").reason


def test_a_warc_gz_cut_between_records_is_reported(search_index, tmp_path):
    bodies = [page("".join(f"<p>{s}</p>" for s in sentences(6, seed))) for seed in range(3)]
    whole = make_warc(bodies)
    cut = whole[: len(whole) - 600]  # inside the last record's gzip member, before its body
    (tmp_path / "cut.warc.gz").write_bytes(cut)
    outcomes = run_files(tmp_path)
    container = [o for o in outcomes if o.name == str(tmp_path / "cut.warc.gz")]
    assert len(container) == 1 and "breaks off or is damaged" in container[0].reason
    assert kept(container[0]) == cut


def test_broken_and_cut_short_warc_records_are_outcomes(search_index, tmp_path):
    good = [page("".join(f"<p>{s}</p>" for s in sentences(6, seed))) for seed in range(3)]
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    warc_record(writer, "https://a.vn/0", good[0])
    start = buffer.tell()
    warc_record(writer, "https://a.vn/1", good[1])
    second = buffer.getvalue()[start:]
    warc_record(writer, "https://a.vn/2", good[2])
    data = buffer.getvalue()
    # Record 1 says it is 50 bytes longer than it is: no record boundary follows it.
    length = int(second.split(b"Content-Length: ")[1].split(b"\r\n")[0])
    broken = second.replace(f"Content-Length: {length}".encode(), f"Content-Length: {length - 30}".encode(), 1)
    (tmp_path / "broken.warc").write_bytes(data.replace(second, broken))
    # A last record whose header promises more than the file holds.
    (tmp_path / "short.warc").write_bytes(make_warc(good[:1], gz=False)[:-400])
    outcomes = run_files(tmp_path)
    reasons = {o.name.split(" ")[0].rsplit("/", 1)[1]: (o.status, o.reason) for o in outcomes}
    assert reasons["broken.warc#0"][0] == "imported"
    assert reasons["broken.warc#1"] == ("rejected", "the record is broken: its declared length does not match its content")
    assert reasons["short.warc#0"][0] == "rejected" and "cut short" in reasons["short.warc#0"][1]
