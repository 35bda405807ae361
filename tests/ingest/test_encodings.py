"""Every encoding the archive meets, on real text from the gold pages: UTF-8 with and without
BOM, UTF-16, Windows-1258 (Vietnamese with combining tone marks), Windows-1252 declared as
ISO-8859-1, EUC-KR and CP949 (one declared wrongly as UTF-8), and no declaration at all."""
import json
import unicodedata
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from archive.ingest.clean import clean
from archive.ingest.read import read_document
from search.analysis import analyze

GOLD = Path(__file__).resolve().parents[1] / "gold" / "extraction"
LABELS = json.loads((GOLD / "labels.json").read_text(encoding="utf-8"))
ENCODED = sorted(n for n, label in LABELS.items() if not label.get("no_article"))


@pytest.mark.parametrize("name", ENCODED)
def test_each_page_decodes_to_its_real_text_in_nfc(name):
    label = LABELS[name]
    raw = read_document((GOLD / name).read_bytes(), name)
    decoded = BeautifulSoup(raw.text, "html.parser").get_text(" ") if raw.media_type == "text/html" else raw.text
    decoded = " ".join(unicodedata.normalize("NFC", decoded).split())
    expected = (GOLD / (Path(name).stem + ".expected.txt")).read_text(encoding="utf-8")
    for paragraph in expected.split("\n\n")[:3]:
        words = paragraph.split()
        # A run of words from the article, as it was before any glued-word repair.
        if not LABELS[name].get("notes", "").lower().count("glued"):
            assert " ".join(words[:8]) in decoded, (name, label["encoding"], raw.encoding)
    assert unicodedata.is_normalized("NFC", clean(raw).text)


def test_the_encodings_covered():
    encodings = {LABELS[n]["encoding"] for n in ENCODED}
    assert {"utf-8", "utf-8-sig", "utf-16", "cp1258", "cp1252", "euc-kr", "cp949"} <= encodings
    assert any(LABELS[n].get("declared_charset") is None and n.endswith(".html") for n in ENCODED)
    assert any(LABELS[n]["encoding"] == "cp949" and LABELS[n].get("declared_charset") == "utf-8" for n in ENCODED)


def test_combining_marks_and_old_tone_placement_fold_to_the_same_tokens():
    precomposed = "Thừa Thiên Huế, Khánh Hòa, Thanh Hóa"
    assert analyze(unicodedata.normalize("NFD", precomposed)) == analyze(precomposed)
    assert analyze("Khánh Hoà, Thanh Hoá") == analyze("Khánh Hòa, Thanh Hóa")
    cp1258 = (GOLD / "vi06_sonv_hue_gyeongju_cp1258.txt").read_bytes()
    text = clean(read_document(cp1258, "vi06.txt")).text
    assert "Huế" in text  # recomposed from the page's combining tone marks
