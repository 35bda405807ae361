import json

import pytest

from archive.ingest.read import IngestError, load_provenance, read_document

VI = "Bình Phước thăm và làm việc với Chính quyền tỉnh Jeollanam, Hàn Quốc"


def test_utf8_text_is_decoded_and_typed_as_plain_text():
    doc = read_document(VI.encode("utf-8"), "a.txt")
    assert doc.text == VI and doc.encoding == "utf-8" and doc.media_type == "text/plain"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_byte_order_marks_are_honoured(encoding):
    doc = read_document(VI.encode(encoding), "a.txt")
    assert doc.text == VI


def test_html_is_recognised_by_suffix_and_by_content():
    assert read_document(b"<p>x</p>", "page.html").media_type == "text/html"
    assert read_document(b"<!DOCTYPE html><html><p>x</p></html>", "page").media_type == "text/html"


def test_declared_html_charset_is_used():
    page = '<html><head><meta charset="euc-kr"></head><body><p>경기도와 하노이</p></body></html>'
    doc = read_document(page.encode("euc-kr"), "page.html")
    assert "경기도와 하노이" in doc.text


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "empty"),
        (b"   \n\t  ", "whitespace"),
        (bytes(range(256)) * 8, "binary"),
    ],
)
def test_bad_input_raises_a_clear_error(data, reason):
    with pytest.raises(IngestError, match=reason):
        read_document(data, "bad.txt")


def test_oversized_document_is_refused(monkeypatch):
    import archive.ingest.read as read

    monkeypatch.setattr(read, "MAX_DOCUMENT_BYTES", 1000)
    with pytest.raises(IngestError, match="refused"):
        read.read_document(b"x" * 1001, "big.txt")


def test_provenance_comes_from_the_sidecar_and_flags_fill_gaps(tmp_path):
    page = tmp_path / "a.txt"
    page.write_text("text")
    assert load_provenance(page).source_url is None  # never invented
    (tmp_path / "a.txt.meta.json").write_text(
        json.dumps({"source_url": "https://fr.vietnamplus.vn/x.vnp", "captured_at": "2023-02-22T10:00:00Z"})
    )
    prov = load_provenance(page, site="VietnamPlus")
    assert prov.source_url == "https://fr.vietnamplus.vn/x.vnp"
    assert prov.captured_at.isoformat() == "2023-02-22T10:00:00+00:00"
    assert prov.site == "VietnamPlus"


def test_a_broken_sidecar_is_an_error(tmp_path):
    page = tmp_path / "a.txt"
    page.write_text("text")
    (tmp_path / "a.txt.meta.json").write_text("{not json")
    with pytest.raises(IngestError, match="not valid JSON"):
        load_provenance(page)
