from pathlib import Path

from archive.ingest.clean import clean
from archive.ingest.fingerprint import DUPLICATE_THRESHOLD, fingerprint, similarity
from archive.ingest.read import read_document

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def fp(prefix):
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    return fingerprint(clean(read_document(path.read_bytes(), path.name)).text)


def test_the_two_scrapes_of_one_article_are_near_duplicates():
    assert similarity(fp("000").sketch, fp("001").sketch) >= DUPLICATE_THRESHOLD


def test_different_articles_are_not():
    prints = {p: fp(p) for p in ("000", "002", "003", "004")}
    for a in prints:
        for b in prints:
            if a < b:
                assert similarity(prints[a].sketch, prints[b].sketch) < DUPLICATE_THRESHOLD, (a, b)


def test_exact_hash_ignores_whitespace_only():
    assert fingerprint("a  b\n\nc").text_sha256 == fingerprint("a b c").text_sha256
    assert fingerprint("a b c").text_sha256 != fingerprint("a b d").text_sha256


def test_sketch_is_deterministic_and_bounded():
    text = "Bình Phước và Jeollanam " * 200
    assert fingerprint(text).sketch == fingerprint(text).sketch
    assert len(fingerprint(text).sketch) <= 128
