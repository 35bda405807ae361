"""Which maintained language identifier the archive uses (issue 13, item 5): py3langid
against lingua-language-detector, on the text the archive identifies (the headline and
the cleaned body), over

- the real dumps (../shared/eval/real-dumps, read at run time), each half as a whole;
- the synthetic extraction gold set (tests/gold/extraction, 28 articles);
- the relevance corpus (tests/relevance/corpus, language in each file name).

    python bench/language_id.py

Both identifiers run over all the languages they know (so a Malay or Japanese text can be
called what it is); the figures are misses per set, CPU ms per text and the time to load.
"""
from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")

from bench.real_dumps_split import CORPUS, load_labels, load_split  # noqa: E402


def texts() -> dict[str, list[tuple[str, str]]]:
    """{set: [(expected code, text)]}: headline and cleaned body, as extract sees them."""
    import django

    django.setup()
    from archive.ingest.clean import clean
    from archive.ingest.read import IngestError, read_document

    def cleaned(data: bytes, name: str) -> str | None:
        try:
            doc = clean(read_document(data, name))
        except IngestError:
            return None
        return f"{doc.headline or ''}\n{doc.text}"

    sets: dict[str, list[tuple[str, str]]] = {"real-dumps tune": [], "real-dumps test": [],
                                              "gold extraction": [], "relevance corpus": []}
    split = load_split()
    half_of = {n: h for h in ("tune", "test") for n in split[h]}
    for label in load_labels(CORPUS):
        text = cleaned((CORPUS / f"{label['name']}.txt").read_bytes(), label["name"] + ".txt")
        if text is not None:
            sets[f"real-dumps {half_of[label['name']]}"].append((label["language"], text))
    gold = REPO / "tests" / "gold" / "extraction"
    for name, label in json.loads((gold / "labels.json").read_text()).items():
        if not label.get("no_article"):
            sets["gold extraction"].append((label["lang"], cleaned((gold / name).read_bytes(), name)))
    for path in sorted((REPO / "tests" / "relevance" / "corpus").glob("*.txt")):
        text = cleaned(path.read_bytes(), path.name)
        if text is not None:
            sets["relevance corpus"].append((path.name.split("_")[1], text))
    return sets


def identifiers():
    start = time.process_time()
    import py3langid

    py3langid.classify("warm up")
    yield "py3langid 0.4.0", lambda text: py3langid.classify(text)[0], time.process_time() - start
    from lingua import LanguageDetectorBuilder

    for name, builder in (("lingua 2.1.1 (high accuracy)", LanguageDetectorBuilder.from_all_languages()),
                          ("lingua 2.1.1 (low accuracy)", LanguageDetectorBuilder.from_all_languages()
                           .with_low_accuracy_mode())):
        start = time.process_time()
        detector = builder.with_preloaded_language_models().build()

        def detect(text, detector=detector):
            found = detector.detect_language_of(text)
            return found.iso_code_639_1.name.lower() if found else "??"

        detect("warm up")
        yield name, detect, time.process_time() - start


def main() -> None:
    sets = texts()
    rows = []
    for name, detect, load_s in identifiers():
        misses, cpu, n = {}, 0.0, 0
        for set_name, items in sets.items():
            wrong = []
            for expected, text in items:
                start = time.process_time()
                got = detect(text)
                cpu += time.process_time() - start
                n += 1
                if got != expected:
                    wrong.append(f"{expected}->{got}")
            # Per-item misses are shown for the tuning half and the synthetic sets only.
            misses[set_name] = (len(wrong), len(items), wrong if "test" not in set_name else [])
        rows.append((name, misses, cpu / n * 1000, load_s))
    print("| identifier | " + " | ".join(f"{s} misses (of n)" for s in sets) + " | CPU ms/text | load s |")
    print("| --- " * (len(sets) + 3) + "|")
    for name, misses, ms, load_s in rows:
        cells = " | ".join(f"{m[0]} of {m[1]}" for m in misses.values())
        print(f"| {name} | {cells} | {ms:.2f} | {load_s:.1f} |")
    for name, misses, _, _ in rows:
        for set_name, (_, _, wrong) in misses.items():
            if wrong:
                print(f"{name}, {set_name}: {', '.join(wrong)}")


if __name__ == "__main__":
    main()
