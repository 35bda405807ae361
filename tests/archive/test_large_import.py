"""A folder of 1,000 mixed files, broken ones among them: a progress bar, every broken file
reported with its reason, the rest imported, the raw bytes of all of them kept."""
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

import archive.ingest.read as read_stage
from archive.models import Article, RawCapture
from tests.synthetic import article_text, write_articles

pytestmark = pytest.mark.django_db(transaction=True)

BROKEN = {
    "empty": (b"", "the file is empty"),
    "binary": (bytes(range(256)) * 4, "the file is binary"),
    "nav": (("<html><body><nav><a href='/'>Trang chủ</a></nav><ul>" + "<li><a href='/x'>Tin tức</a></li>" * 30
             + "</ul></body></html>").encode(), "no article found"),
    "huge": (b"Hanoi " * 1500, "documents over"),
}


@pytest.mark.slow
def test_a_thousand_mixed_files(search_index, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(read_stage, "MAX_DOCUMENT_BYTES", 8000)  # "huge" stands for a 20 MB page
    write_articles(tmp_path, 0, 950)
    for kind, (data, _) in BROKEN.items():
        for i in range(10):
            suffix = ".html" if kind == "nav" else ".txt"
            # Each broken file is distinct, so each is its own raw capture.
            distinct = data if kind == "empty" else data + f"<!-- {i} -->".encode()
            (tmp_path / f"broken_{kind}_{i:02d}{suffix}").write_bytes(distinct)
    for i in range(10):  # truncated HTML that still holds an article: imported, not lost
        title, _, body = article_text(5000 + i).partition("\n\n")
        paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
        (tmp_path / f"truncated_{i:02d}.html").write_text(f"<html><body><article><h1>{title}</h1>{paragraphs}<p>Cắt ngang gi")
    assert len(list(tmp_path.iterdir())) == 1000
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_articles", str(tmp_path), "--progress", stdout=out)
    report = out.getvalue()
    bar = capsys.readouterr().err
    assert "1000/1000" in bar and "file/s" in bar  # count, rate (and time left while running)
    assert "imported     960" in report and "rejected      40" in report
    for kind, (_, reason) in BROKEN.items():
        for i in range(10):
            line = next(l for l in report.splitlines() if f"broken_{kind}_{i:02d}" in l)
            assert ": rejected: " in line and reason in line, line
    assert Article.objects.count() == 960
    assert RawCapture.objects.exclude(rejected_reason="").count() == 30  # empty files have no bytes to keep


def test_json_report(search_index, tmp_path):
    write_articles(tmp_path, 0, 3)
    (tmp_path / "empty.txt").write_bytes(b"")
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_articles", str(tmp_path), "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["summary"] == {"imported": 3, "merged": 0, "unchanged": 0, "rejected": 1}
    assert {f["status"] for f in data["files"]} == {"imported", "rejected"}
    assert next(f for f in data["files"] if f["status"] == "rejected")["reason"] == "the file is empty"


def test_a_document_over_20_mb_is_refused_clearly_and_kept(search_index, tmp_path):
    import io as _io

    from archive.ingest.store import raw_path
    from tests.archive.test_upload import make_warc

    big = tmp_path / "big.html"
    with big.open("wb") as handle:
        handle.write(b"<html><body><p>")
        for _ in range(21):
            handle.write(b"x" * (1024 * 1024))
    (tmp_path / "crawl.warc.gz").write_bytes(
        make_warc([("https://example.org/big.html", "text/html", b"<p>" + b"y" * (21 * 1024 * 1024), "200 OK")]))
    out = _io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_articles", str(big), str(tmp_path / "crawl.warc.gz"), stdout=out)
    report = out.getvalue()
    assert "big.html: rejected: the document is 22.0 MB; documents over 20 MB are refused" in report
    assert "crawl.warc.gz#0 https://example.org/big.html: rejected: the record is over 20 MB" in report
    kept = RawCapture.objects.get(original_name__endswith="big.html")
    assert raw_path(kept.sha256).stat().st_size == big.stat().st_size
