"""The tuning/test split of the real-text bench (../shared/eval/real-dumps), made once.

    python bench/real_dumps_split.py            # prints the split it would make
    python bench/real_dumps_split.py --write    # writes bench/real_dumps_split.json

The split is by publisher: two pages from one site share its template and house style,
so a rule tuned on one of them would be "tested" on the other. Labelled pairs stay in
one half too, since the near-duplicate and rewrite benches compare their two members.
Publishers and pairs are joined with union-find; the resulting groups are given to the
halves deterministically, largest first, each to the half where it leaves the language
counts most even. The committed JSON, not this code, is the split: later edits here must
not silently move dumps between halves (`check_split` validates the committed file).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("ARCHIVE_REAL_DUMPS") or REPO.parent / "shared" / "eval" / "real-dumps")
SPLIT_FILE = REPO / "bench" / "real_dumps_split.json"
HALVES = ("tune", "test")

# Second-level public suffixes met in the corpus: the publisher is the label before them
# (kcms.cnews.co.kr -> cnews.co.kr, xuyenmoc.baria-vungtau.gov.vn -> baria-vungtau.gov.vn).
SECOND_LEVEL_SUFFIXES = {"co.kr", "go.kr", "or.kr", "ne.kr", "ac.kr", "com.vn", "gov.vn", "org.vn",
                         "net.vn", "edu.vn"}
# Hosting platforms where each subdomain is somebody else's site (a blog, a mirror):
# there the full host is the publisher.
SHARED_HOSTS = {"tistory.com", "usercontent.dev"}
# Different domains, one newsroom (checked in the texts, see RULE below).
ALIASES = {
    "huengaynay.vn": "baothuathienhue.vn",
    "vietnamplus.vn": "vnanet.vn",
    "lecourrier.vn": "vnanet.vn",
    "vietnamnews.vn": "vnanet.vn",
}
RULE = (
    "Publisher = the registrable domain of the label's `site` (the host without www.): the last two "
    "labels, or three under a second-level suffix (co.kr, go.kr, com.vn, gov.vn, ...), so m.wikitree.co.kr "
    "= wikitree.co.kr, www5.ajunews.com = ajunews.com, en./fr.vietnamplus.vn = vietnamplus.vn, "
    "news.baothuathienhue.vn = baothuathienhue.vn, tacnghiep.thoidai.com.vn = thoidai.com.vn. On hosting "
    "platforms (tistory.com, usercontent.dev) the full host is the publisher. Aliases, one newsroom under "
    "two domains: huengaynay.vn = baothuathienhue.vn (the Thua Thien Hue paper renamed Hue Ngay Nay; the "
    "two English pages share one page layout, 'Thursday, dd/mm/yyyy hh:mm' over the headline, "
    "'TTH.VN -'/'HNN.VN -' datelines); vietnamplus.vn, lecourrier.vn and vietnamnews.vn = vnanet.vn (all "
    "published by the Vietnam News Agency; the archive itself credits vnanet, vietnamplus and lecourrier "
    "to VNA in archive/ingest/sites.py, and the datelines and '-VNA' sign-offs that the rules key on are "
    "VNA house style, so tuning on one title would leak into another). Kept apart on purpose: the "
    "Tuyen Quang People's Council (hdndtuyenquang.gov.vn) and the provincial investment portal "
    "(ipc.tuyenquang.gov.vn), and other state titles (nhandan.vn, vovworld.vn, baodantoc.vn): different "
    "newsrooms and sites. Then union-find over publishers and all 40 pairs of pairs.json (every label, "
    "hard negatives included), so both members of a pair are in one half. Groups are assigned largest "
    "first (ties by first dump name), each to the half where the per-language counts and the total "
    "stay most even (tune on a tie)."
)


def publisher(site: str) -> str:
    """The publisher key of a label's `site` (see RULE)."""
    host = site.lower().removeprefix("www.")
    labels = host.split(".")
    for shared in SHARED_HOSTS:
        if host.endswith("." + shared):
            return host
    keep = 3 if ".".join(labels[-2:]) in SECOND_LEVEL_SUFFIXES else 2
    domain = ".".join(labels[-keep:])
    return ALIASES.get(domain, domain)


def load_labels(corpus: Path = CORPUS) -> list[dict]:
    return json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))


def load_pairs(corpus: Path = CORPUS) -> list[dict]:
    return json.loads((corpus / "pairs.json").read_text(encoding="utf-8"))


class UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, item: str) -> str:
        self.parent.setdefault(item, item)
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]  # path halving
            item = self.parent[item]
        return item

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # The smaller key becomes the root, so the groups do not depend on pair order.
            self.parent[max(ra, rb)] = min(ra, rb)


def groups(labels: list[dict], pairs: list[dict]) -> list[list[str]]:
    """Dump names that must share a half: one publisher, or joined by a labelled pair."""
    uf = UnionFind()
    for label in labels:
        uf.union(label["name"], "publisher:" + publisher(label["site"]))
    for pair in pairs:
        uf.union(pair["a"], pair["b"])
    members: dict[str, list[str]] = {}
    for label in labels:
        members.setdefault(uf.find(label["name"]), []).append(label["name"])
    return [sorted(names) for names in members.values()]


def _imbalance(counts: dict[str, Counter]) -> tuple[int, int]:
    """Summed per-language difference between the halves, then the difference in size."""
    languages = set(counts["tune"]) | set(counts["test"])
    per_language = sum(abs(counts["tune"][lang] - counts["test"][lang]) for lang in languages)
    total = abs(sum(counts["tune"].values()) - sum(counts["test"].values()))
    return per_language, total


def assign(labels: list[dict], pairs: list[dict]) -> dict[str, list[str]]:
    """Greedy and deterministic: the largest groups are placed while there is most room to
    even out the smaller ones after them."""
    language = {label["name"]: label["language"] for label in labels}
    halves: dict[str, list[str]] = {half: [] for half in HALVES}
    counts: dict[str, Counter] = {half: Counter() for half in HALVES}
    for group in sorted(groups(labels, pairs), key=lambda g: (-len(g), g[0])):
        added = Counter(language[name] for name in group)
        best = min(HALVES, key=lambda half: (_imbalance({**counts, half: counts[half] + added}),
                                             HALVES.index(half)))
        halves[best].extend(group)
        counts[best] += added
    return {half: sorted(names) for half, names in halves.items()}


def make_split(corpus: Path = CORPUS) -> dict:
    labels, pairs = load_labels(corpus), load_pairs(corpus)
    halves = assign(labels, pairs)
    publishers = {half: sorted({publisher(lab["site"]) for lab in labels if lab["name"] in names})
                  for half, names in halves.items()}
    language = {label["name"]: label["language"] for label in labels}
    return {
        "corpus": "../shared/eval/real-dumps (94 dumps; names only, no text)",
        "rule": RULE,
        "publisher_aliases": ALIASES,
        "counts": {half: dict(sorted(Counter(language[n] for n in names).items())) | {"all": len(names)}
                   for half, names in halves.items()},
        "publishers": publishers,
        **halves,
    }


def load_split(path: Path = SPLIT_FILE) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def check_split(split: dict, labels: list[dict], pairs: list[dict]) -> list[str]:
    """Problems with a split: a dump missing or in both halves, a publisher or a pair
    across the halves. Empty when the split is valid."""
    problems = []
    half_of: dict[str, str] = {}
    for half in HALVES:
        for name in split[half]:
            if name in half_of:
                problems.append(f"{name} is in both halves")
            half_of[name] = half
    names = {label["name"] for label in labels}
    problems += [f"{name} is in no half" for name in sorted(names - set(half_of))]
    problems += [f"{name} is not a dump of the corpus" for name in sorted(set(half_of) - names)]
    seen: dict[str, str] = {}
    for label in labels:
        key, half = publisher(label["site"]), half_of.get(label["name"])
        if half and seen.setdefault(key, half) != half:
            problems.append(f"publisher {key} is in both halves")
    for pair in pairs:
        if half_of.get(pair["a"]) != half_of.get(pair["b"]):
            problems.append(f"pair {pair['a']} / {pair['b']} is split")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--write", action="store_true", help=f"write {SPLIT_FILE.relative_to(REPO)}")
    args = parser.parse_args()
    if not CORPUS.exists():
        sys.exit(f"the corpus is not at {CORPUS}")
    split = make_split()
    problems = check_split(split, load_labels(), load_pairs())
    if problems:
        sys.exit("invalid split:\n" + "\n".join(problems))
    if args.write:
        SPLIT_FILE.write_text(json.dumps(split, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(split["counts"]), json.dumps(split["publishers"], indent=1))


if __name__ == "__main__":
    main()
