"""Event extraction and story grouping, scored on the gold sets in tests/gold/.

    python bench/events.py            # prints the tables
    python bench/events.py --record   # and appends them to bench/RESULTS.md

An extracted event is right when its type, both places and its date (at its precision)
equal a gold event of the same sentence.
"""
from __future__ import annotations

import argparse
import calendar
import json
import os
import platform
import subprocess
import sys
from collections import Counter, defaultdict
from datetime import date, datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GOLD = REPO / "tests" / "gold"
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")

from archive.ingest import events as rules  # noqa: E402


def article_ref(value: str, precision: str | None) -> date:
    """The reference date for resolving "le 21 février": the last day a month-precision
    article could have been published."""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        return date(*parts)
    if len(parts) == 2:
        return date(parts[0], parts[1], calendar.monthrange(parts[0], parts[1])[1])
    return date(parts[0], 12, 31)


def as_text(when: date | None, precision: str | None) -> str | None:
    if when is None:
        return None
    return {"day": when.isoformat(), "month": when.strftime("%Y-%m"), "year": when.strftime("%Y")}[precision or "day"]


# Sets labelled under the first rules (EVENTS_AND_STORIES.md §1.4: plans, negations and
# the founding year of an anniversary give no event; an anniversary ceremony is `other`).
FIRST_RULES_SETS = ("events/sentences.jsonl", "heldout/sentences.jsonl")
# Sets labelled under issue 14's rules (types anniversary, plan, negated).
ISSUE14_SETS = ("events/extended.jsonl", "events/tune2.jsonl", "heldout2/sentences.jsonl", "heldout3/sentences.jsonl")


def first_rules_view(found: list[tuple]) -> list[tuple]:
    """What the issue-14 types mean under the first rules: an anniversary ceremony dated
    to the day or month is `other`; plans and negations are no event."""
    view = []
    for type_, vn, kr, when in found:
        if type_ == "anniversary":
            if when is None or len(when) == 4:
                continue
            type_ = "other"
        elif type_ in ("plan", "negated"):
            continue
        view.append((type_, vn, kr, when))
    return view


def score_events(path: Path = GOLD / "events" / "sentences.jsonl", first_rules: bool | None = None) -> dict:
    if first_rules is None:
        first_rules = any(str(path).endswith(name) for name in FIRST_RULES_SETS)
    per_lang: dict[str, Counter] = defaultdict(Counter)
    mistakes = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        gold = Counter((e["type"], e["vn"], e["kr"], e["date"]) for e in item["events"])
        ref = article_ref(item["article_date"], item.get("article_date_precision"))
        found_list = [(e.type, e.vn, e.kr, as_text(e.date, e.date_precision))
                      for e in rules.extract_events(item["sentence"], ref, [])]
        found = Counter(first_rules_view(found_list) if first_rules else found_list)
        tp = sum((gold & found).values())
        counts = per_lang[item["lang"]]
        counts["tp"] += tp
        counts["fp"] += sum(found.values()) - tp
        counts["fn"] += sum(gold.values()) - tp
        if gold != found:
            mistakes.append((item["id"], sorted(gold - found), sorted(found - gold)))
    total = sum(per_lang.values(), Counter())
    return {"per_lang": dict(per_lang), "total": total, "mistakes": mistakes}


def precision_recall(counts: Counter) -> tuple[float, float]:
    p = counts["tp"] / (counts["tp"] + counts["fp"]) if counts["tp"] + counts["fp"] else 1.0
    r = counts["tp"] / (counts["tp"] + counts["fn"]) if counts["tp"] + counts["fn"] else 1.0
    return p, r


def read_story_article(path: Path) -> tuple[date | None, str]:
    lines = path.read_text(encoding="utf-8").split("\n")
    published = None
    if lines and lines[0].startswith("date "):
        published = article_ref(lines[0][5:].strip(), None)
        lines = lines[1:]
    return published, "\n".join(lines).strip()


def story_keys_of(path: Path):
    from archive import gazetteer

    published, text = read_story_article(path)
    places = []
    for mention in gazetteer.find_places(text):
        if mention.slug not in places:
            places.append(mention.slug)
    found = rules.events_in_text(text, published, places)
    return rules.story_keys(found, published)


def score_stories(folder: Path = GOLD / "stories") -> dict:
    pairs = json.loads((folder / "pairs.json").read_text(encoding="utf-8"))
    counts, wrong, missed = Counter(), [], []
    for pair in pairs:
        same = rules.same_story(story_keys_of(folder / pair["a"]), story_keys_of(folder / pair["b"]))
        if same and pair["same_story"]:
            counts["tp"] += 1
        elif same:
            counts["fp"] += 1
            wrong.append(pair["pair"])
        elif pair["same_story"]:
            counts["fn"] += 1
            missed.append(pair["pair"])
        else:
            counts["tn"] += 1
    return {"counts": counts, "wrong": wrong, "missed": missed, "pairs": len(pairs)}


def commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True,
                              text=True).stdout.strip() or "?"
    except OSError:
        return "?"


def report() -> str:
    events = score_events()
    stories = score_stories()
    lines = [
        f"### Events and stories — {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, commit {commit()}, "
        f"{platform.machine()} {os.cpu_count()} cores",
        "",
        "`python bench/events.py` on tests/gold/events/sentences.jsonl (sentence by sentence) "
        "and tests/gold/stories/pairs.json.",
        "",
        "| language | gold events | extracted | right | precision | recall |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for lang, counts in sorted(events["per_lang"].items()) + [("all", events["total"])]:
        p, r = precision_recall(counts)
        lines.append(f"| {lang} | {counts['tp'] + counts['fn']} | {counts['tp'] + counts['fp']} | {counts['tp']} "
                     f"| {p:.3f} | {r:.3f} |")
    c = stories["counts"]
    lines += [
        "",
        f"Stories: {stories['pairs']} labelled pairs; grouped right {c['tp']}, wrongly grouped {c['fp']}, "
        f"missed {c['fn']}, kept apart right {c['tn']}.",
        "",
    ]
    return "\n".join(lines)


def report_sets() -> str:
    """Precision and recall on each events gold set (issue 14, item 5)."""
    lines = [
        f"### Events on every gold set — {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, commit {commit()}, "
        f"{platform.machine()} {os.cpu_count()} cores",
        "",
        "`python bench/events.py --sets` (sentence by sentence; first-rules sets see plans/negations as no "
        "event and a dated anniversary as `other`).",
        "",
        "| set | sentences | gold events | extracted | right | precision | recall |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name in FIRST_RULES_SETS + ISSUE14_SETS:
        path = GOLD / name
        if not path.exists():
            continue
        result = score_events(path)
        counts = result["total"]
        p, r = precision_recall(counts)
        n = sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
        lines.append(f"| {name} | {n} | {counts['tp'] + counts['fn']} | {counts['tp'] + counts['fp']} "
                     f"| {counts['tp']} | {p:.3f} | {r:.3f} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    import django

    django.setup()
    parser = argparse.ArgumentParser()
    parser.add_argument("--record", action="store_true", help="append the tables to bench/RESULTS.md")
    parser.add_argument("--mistakes", action="store_true", help="list the sentences scored wrong")
    parser.add_argument("--sets", action="store_true", help="precision/recall on every events gold set")
    parser.add_argument("--gold", help="with --mistakes: the gold file under tests/gold/ to list")
    args = parser.parse_args()
    text = report_sets() if args.sets else report()
    print(text)
    if args.mistakes:
        for item in score_events(GOLD / args.gold if args.gold else GOLD / "events" / "sentences.jsonl")["mistakes"]:
            print(item)
        print(score_stories())
    if args.record:
        results = REPO / "bench" / "RESULTS.md"
        existing = results.read_text(encoding="utf-8") if results.exists() else "# Benchmark results\n\n"
        results.write_text(existing.rstrip("\n") + "\n\n" + text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
