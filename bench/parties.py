"""Parties precision and recall on the real dumps (issue 14, item 5).

    python bench/parties.py                 # both halves
    python bench/parties.py --half tune -v  # one half, each item's detail
    python bench/parties.py --acceptance DIR  # a set kept aside for acceptance: measured, never tuned on
    python bench/parties.py --tune2 [DIR]     # the second tuning set (../shared/eval/tune2-dumps)

Each dump goes through read -> clean -> extract as the import command runs them; the
article's `places` (the parties and the places it is about) are compared with the labels:
- test half: tests/gold/real_dumps_parties_test.json (committed before any tuning);
- tune half, and an acceptance set: the corpus labels converted the same way on the fly
  (lookup); a name lookup cannot resolve stays a gold party we cannot find ("?name").

recall: gold parties found in `places`, at the level the text names them (a city
  party is not found by its province).
precision: `places` that are a gold party or a unit containing one (Gangwon for
  Chuncheon: the roll-up); a venue, a dateline or any other place counts against.
venue errors: gold venue-only places that `places` holds.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.real_dumps import OWN_SETS, TUNE2, _stages  # noqa: E402
from bench.real_dumps_split import CORPUS, load_labels, load_split  # noqa: E402

GOLD_TEST = REPO / "tests" / "gold" / "real_dumps_parties_test.json"
_BY_HAND = {"Incheon Jung-gu": "jung-gu-incheon", "Ulsan Buk-gu": "buk-gu-ulsan", "Tam Nong": "tam-nong-dong-thap",
            "Incheon Dong-gu": "dong-gu-incheon", "Gwangju Buk-gu": "buk-gu-gwangju",
            "Ho Chi Minh City District 12": "quan-12"}


def gold(half: str, corpus: Path = CORPUS) -> dict:
    if half == "test":
        return json.loads(GOLD_TEST.read_text(encoding="utf-8"))["items"]
    from archive import gazetteer

    labels = load_labels(corpus)
    names = {label["name"] for label in labels} if half in OWN_SETS else set(load_split()[half])
    out = {}
    for label in labels:
        if label["name"] not in names:
            continue

        def slug(n: str) -> str:
            place = gazetteer.lookup(n)
            return _BY_HAND.get(n) or (place.slug if place else f"?{n}")

        out[label["name"]] = {
            "parties": {"vn": [slug(n) for n in label["places_vn"]], "kr": [slug(n) for n in label["places_kr"]]},
            "venue_only": [slug(n) for n in label["venue_only_places"]],
            "on_topic": label["on_topic"],
        }
    return out


def ours(name: str, corpus: Path = CORPUS) -> list[str]:
    read, clean, extract, _, _ = _stages()
    data = (corpus / f"{name}.txt").read_bytes()
    provenance = read.Provenance()
    try:
        meta = extract.extract(clean.clean(read.read_document(data, f"{name}.txt", provenance)), provenance)
    except read.IngestError:
        return []
    return list(meta.places)


def ancestors(slug: str) -> set[str]:
    from archive import gazetteer

    found = set()
    place = gazetteer.get(slug)
    while place and place.parent:
        found.add(place.parent)
        place = gazetteer.get(place.parent)
    return found


def measure(half: str, verbose: bool = False, corpus: Path = CORPUS) -> dict:
    labels = gold(half, corpus)
    found_parties = total_parties = right = total_ours = venue_errors = 0
    for name, item in sorted(labels.items()):
        parties = set(item["parties"]["vn"]) | set(item["parties"]["kr"])
        allowed = parties | {a for p in parties for a in ancestors(p)}
        places = ours(name, corpus)
        hit = parties & set(places)
        found_parties += len(hit)
        total_parties += len(parties)
        right += sum(p in allowed for p in places)
        total_ours += len(places)
        venues = set(item["venue_only"]) & set(places) - parties
        venue_errors += len(venues)
        if verbose:
            missing = sorted(parties - hit)
            extra = sorted(p for p in places if p not in allowed)
            print(f"{name}: missing {missing} extra {extra}" + (f" venues {sorted(venues)}" if venues else ""))
    return {
        "half": half,
        "items": len(labels),
        "parties": total_parties,
        "recall": round(found_parties / total_parties, 3) if total_parties else None,
        "precision": round(right / total_ours, 3) if total_ours else None,
        "places_given": total_ours,
        "venue_counted_as_place": venue_errors,
        "gold_names_unresolved": sum(p.startswith("?") for item in labels.values()
                                     for p in [*item["parties"]["vn"], *item["parties"]["kr"]]),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--half", choices=("tune", "test"))
    parser.add_argument("-v", action="store_true")
    parser.add_argument("--acceptance", type=Path, metavar="DIR", help="measure a set kept aside for acceptance")
    parser.add_argument("--tune2", type=Path, metavar="DIR", nargs="?", const=TUNE2,
                        help=f"measure the second tuning set (default {TUNE2})")
    args = parser.parse_args()
    if args.acceptance or args.tune2:
        half = "acceptance" if args.acceptance else "tune2"
        print(json.dumps(measure(half, args.v, corpus=args.acceptance or args.tune2), ensure_ascii=False))
        return
    for half in [args.half] if args.half else ["tune", "test"]:
        print(json.dumps(measure(half, args.v and half == "tune"), ensure_ascii=False))


if __name__ == "__main__":
    main()
