import random
from pathlib import Path

from archive.ingest.clean import clean
from archive.ingest.fingerprint import DUPLICATE_THRESHOLD, SKETCH_SIZE, fingerprint, may_reach, similarity
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


def test_may_reach_is_false_only_below_the_threshold():
    """The cheap bound skips a candidate only when its estimate is below the threshold:
    random sketches of every overlap and size, against the estimate itself. A bound that
    forgot the union's cap at k (or counted shared hashes over k alone) fails here."""
    rng = random.Random(20)
    skipped = 0
    for _ in range(3000):
        pool = rng.sample(range(1, 10**6), 3 * SKETCH_SIZE)
        a = sorted(rng.sample(pool, rng.choice([5, 60, SKETCH_SIZE])))
        shared = rng.sample(a, rng.randint(0, len(a)))
        b = sorted(set(shared) | set(rng.sample(pool, rng.randint(0, SKETCH_SIZE - len(shared)))))
        for threshold in (DUPLICATE_THRESHOLD, 0.3, 0.9):
            score = similarity(a, b)
            if not may_reach(set(a), b, threshold):
                skipped += 1
                assert score < threshold, (len(a), len(b), score, threshold)
    assert skipped > 1000  # the bound does skip most unrelated candidates
