"""Copies merged at scale, against the corpus's own ground truth (bench/corpus.py).

    python bench/copies.py bench/work/run-100000/data/archive.sqlite3 100000

The generator decides which files are near-copies of which article text; this reads the
archive's database (read-only) and counts articles, false merges (an article holding
copies of two different texts) and missed groups (copies of one text left in separate
articles).
"""
from __future__ import annotations

import collections
import random
import re
import sqlite3
import sys

sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent.parent))
from bench.corpus import DUPLICATE_SHARE  # noqa: E402


def copied_from(n: int, seed: int = 1) -> dict[int, int]:
    """File number -> the article number whose text it copies (as bench/corpus.write draws it)."""
    rng = random.Random(seed)
    copies = {}
    for i in range(n):
        source = rng.randrange(i) if i > 20 and rng.random() < DUPLICATE_SHARE else None
        if source is not None:
            copies[i] = source
    return copies


def main() -> None:
    database, n = sys.argv[1], int(sys.argv[2])
    copies = copied_from(n)
    text_of = {i: copies.get(i, i) for i in range(n)}
    db = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    articles = collections.defaultdict(list)
    for article, name in db.execute("SELECT c.article_id, r.original_name FROM archive_copy c "
                                    "JOIN archive_rawcapture r ON c.raw_id = r.id"):
        articles[article].append(int(re.search(r"a(\d{6})\.txt", name).group(1)))
    false = sum(1 for files in articles.values() if len({text_of[i] for i in files}) > 1)
    article_of = {i: a for a, files in articles.items() for i in files}
    texts = collections.defaultdict(set)
    for i in range(n):
        if i in article_of:
            texts[text_of[i]].add(article_of[i])
    missed = sum(1 for held in texts.values() if len(held) > 1)
    print(f"articles {len(articles)}, expected {len(texts)}; false merges {false}; missed copy groups {missed}")


if __name__ == "__main__":
    main()
