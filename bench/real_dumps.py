"""The ingest stages on real text: 94 dumps from about 60 publishers (../shared/eval/real-dumps).

    python bench/real_dumps.py                    # both halves, side by side
    python bench/real_dumps.py --half tune -v     # one half, with every item's detail
    python bench/real_dumps.py --json             # figures (and items) as JSON
    python bench/real_dumps.py --acceptance DIR   # a set kept aside for acceptance (same labels,
                                                  # with its own `credited`): measured, never tuned on
    python bench/real_dumps.py --tune2 [DIR]      # the second tuning set (../shared/eval/tune2-dumps,
                                                  # same labels with `credited`): tuned on

Each dump goes through the archive's own stages, as `pipeline.prepare_bytes` chains them
for the import command: read -> clean -> extract -> events -> fingerprint. Store is not
run: it only merges copies and writes, and nothing measured here is decided there. The
dumps are read as the import command reads a `.txt` without a sidecar, so no source URL
or site is known (what a dump alone gives).

Measures (labels: the corpus README; split: bench/real_dumps_split.json):
- imported / rejected: rejected when a stage raises IngestError (the reason is shown).
- flagged for review: imported with at least one review reason (`Metadata.review`: no
  date, derived title, body kept from the input's prose, ...); such articles are
  published. "body kept from the input's prose" counts the cleaner's fallback.
- date: the date we give, at our precision, against `published` (YYYY / YYYY-MM /
  YYYY-MM-DD, or null when the text gives no year): right (same value and precision),
  right with none (no date given where the text states none), more precise than the text (agrees where the label
  stops, e.g. a day invented inside a stated month), less precise (agrees, but coarser),
  wrong (disagrees, or a date given where the text has none: invented), missing.
- headline: right (the labelled headline exactly, after NFC and whitespace collapse; or,
  where the text has no headline, a title marked derived), derived (a headline was there
  but we derived one and marked it so), wrong (any other unmarked title).
- the issue's figures, each over the items it is about: stated dates (labels with a
  `date_stated`, i.e. the text states the date; `inferred:` labels excluded) found right at
  their precision; of the texts with a headline, the real one chosen; of the texts
  without one, a title derived and marked.
- language: the identified ISO 639-1 code equals the label's (d031 is Japanese, `ja`).
- source: whether we credit an agency/outlet at all, and whether it is the one the
  archive would credit from the page's URL (`sites.from_url` of the label's source_url):
  with no URL, only credits read in the text can agree.
- credit (issue 13's "agency or outlet credited, where the text names one"), against
  bench/real_dumps_credits.json (labels written on 2026-12-06, without running the
  archive): of the texts that name one, the credited source is the labelled one
  (`credited_slug`), or for an outlet the registry lacks, an outlet credited by that name
  (`same_outlet`: the outlets a credit form names without the registry); and how many
  texts that name none get a credit anyway (a site from a URL is not known here).
- body, over the cleaned text (paragraphs, without the title), NFC, whitespace collapsed:
  clean = starts with `body_first_words` and ends with `body_last_words`; kept = both
  inside (these two checks ignore spaces altogether, and an "./." or "-VNA" sign-off at
  the end on either side: see `compact` and `_SIGN_OFF`); token F1 = bag of whitespace tokens of our body against the labelled span (raw
  text from the first words to the last words). Japanese has no spaces, so its tokens are
  characters (its labels are 30 characters, not 8 words). Items with empty labels (d051)
  are skipped; a rejected item with a labelled body counts as not clean, not kept, F1 0.
  The metadata measures are over imported items only.
- CPU milliseconds per article for each stage (time.process_time), after one untimed
  warm-up pass so that compiling rules and loading the gazetteer are not charged to the
  first article.
"""
from __future__ import annotations

import argparse
import functools
import json
import os
import platform
import re
import subprocess
import sys
import time
import unicodedata
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")

from bench.real_dumps_split import CORPUS, HALVES, load_labels, load_split  # noqa: E402

# Sets of their own beside the development dumps, each wholly one half: kept aside for
# acceptance (measured, never tuned on), or the second tuning set, collected on
# 2026-12-07 from sites the first lacked (its README says how; third-party text kept
# outside the repository like the dev set).
OWN_SETS = ("acceptance", "tune2")
TUNE2 = Path(os.environ.get("ARCHIVE_TUNE2_DUMPS") or CORPUS.parent / "tune2-dumps")

LANGUAGES = ("en", "fr", "ko", "vi", "ja")
STAGES = ("read", "clean", "extract", "events", "fingerprint")
DATE_CLASSES = ("right", "right_none", "more_precise", "less_precise", "wrong", "missing")
HEADLINE_CLASSES = ("right", "derived", "wrong")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
# The Vietnamese press end mark ("./.") and agency sign-offs ("-VNA", "-AVI", "(TTXVN)").
# The README leaves credits after the end mark out of the body, yet a label's last
# whitespace tokens keep one when it is glued on ("80%./."); the cleaner takes it off as a
# credit. Neither side is wrong, so the body checks ignore it on both sides.
_SIGN_OFF = re.compile(r"(?:/\.|[-–—]\s?(?:VNA|AVI|TTXVN)|\((?:VNA|TTXVN)(?:/Vietnam\+)?\))\s*$")


@functools.cache
def _stages():
    """The stage functions, in the order the pipeline runs them, imported once Django is
    set up (the settings name the gazetteer; no database is used)."""
    import django

    django.setup()
    from archive.ingest import clean, extract, fingerprint, read
    from archive.ingest.events import read_events

    return read, clean, extract, fingerprint, read_events


# --- one dump through the stages -------------------------------------------------------

@dataclass
class Produced:
    """What the stages made of one dump, or why they refused it."""

    reason: str = ""
    title: str = ""
    title_derived: bool = False
    published: str | None = None  # ISO at our precision: YYYY, YYYY-MM or YYYY-MM-DD
    language: str = ""
    source: str | None = None
    source_name: str = ""
    body: str = ""
    events: int = 0
    review: list[str] = field(default_factory=list)
    cpu_ms: dict[str, float] = field(default_factory=dict)


def _at_precision(value: date | None, precision: str | None) -> str | None:
    if value is None:
        return None
    return {"year": value.isoformat()[:4], "month": value.isoformat()[:7]}.get(precision or "", value.isoformat())


def run_stages(data: bytes, name: str) -> Produced:
    """The chain of `pipeline.prepare_bytes`, stage by stage, each one timed in CPU time."""
    read, clean, extract, fingerprint, read_events = _stages()
    out = Produced()
    clock = time.process_time

    def timed(stage: str, call):
        start = clock()
        result = call()
        out.cpu_ms[stage] = (clock() - start) * 1000
        return result

    try:
        provenance = read.Provenance()  # a .txt without a sidecar: no URL, no site
        raw = timed("read", lambda: read.read_document(data, name, provenance))
        cleaned = timed("clean", lambda: clean.clean(raw))
        meta = timed("extract", lambda: extract.extract(cleaned, provenance))
    except read.IngestError as exc:
        out.reason = str(exc)
        return out
    found = timed("events", lambda: read_events(f"{meta.title[:500]}\n{cleaned.text}", meta.published, meta.places))
    timed("fingerprint", lambda: fingerprint.fingerprint(cleaned.text))
    out.title, out.title_derived, out.language = meta.title, meta.title_derived, meta.language
    out.published = _at_precision(meta.published, meta.date_precision)
    out.source = meta.source.slug if meta.source else None
    out.source_name = meta.source.name if meta.source else ""
    out.body = cleaned.text
    out.events = len(found.events)
    out.review = list(meta.review)
    return out


# --- judging against the labels --------------------------------------------------------

def canon(text: str) -> str:
    """NFC, no invisible characters, whitespace collapsed: the form the cleaner gives its
    text, so that only real differences count."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text).translate(_INVISIBLE)).strip()


def judge_date(ours: str | None, label: str | None) -> str:
    if label is None:
        return "right_none" if ours is None else "wrong"  # a date where the text has none is invented
    if ours is None:
        return "missing"
    if ours == label:
        return "right"
    if ours.startswith(label + "-"):
        return "more_precise"
    if label.startswith(ours + "-"):
        return "less_precise"
    return "wrong"


def judge_headline(title: str, derived: bool, label: str | None) -> str:
    if label is None:
        return "right" if derived else "wrong"
    if derived:
        return "derived"
    return "right" if canon(title) == canon(label) else "wrong"


def tokens(text: str, language: str) -> Counter:
    if language == "ja":
        return Counter(ch for ch in text if not ch.isspace())
    return Counter(text.split())


def unsigned(text: str) -> str:
    while (stripped := _SIGN_OFF.sub("", text).rstrip()) != text:
        text = stripped
    return text


def compact(text: str) -> str:
    """Without any whitespace: the cleaner rightly adds spaces to glued words ("가졌다.그동안")
    and drops some ("( ĐN)"), which says nothing about where the body starts or ends."""
    return re.sub(r"\s+", "", text)


def labelled_span(raw: str, first: str, last: str) -> str | None:
    """The body as labelled: raw text from its first words to its last words. The end is
    the last occurrence of the last words; the start is the last occurrence of the first
    words before it, since a standfirst or portal summary that repeats the lead is not
    body (the README: the body starts at the second copy)."""
    text = canon(raw)
    end = text.rfind(last)
    if end < 0:
        return None
    start = text.rfind(first, 0, end + len(last))
    return unsigned(text[start:end + len(last)]) if start >= 0 else None


def token_f1(ours: Counter, gold: Counter) -> float:
    overlap = sum((ours & gold).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(ours.values()), overlap / sum(gold.values())
    return 2 * precision * recall / (precision + recall)


def body_measures(body: str, raw: str, label: dict) -> dict | None:
    """clean / kept / F1, or None where the labels give no body (d051, raw HTML)."""
    first, last = canon(label["body_first_words"]), canon(label["body_last_words"])
    if not first or not last:
        return None
    ours = canon(body)
    span = labelled_span(raw, first, last)
    if span is None:
        raise ValueError(f"{label['name']}: the labelled body words are not in the text")
    body_c, first_c, last_c = compact(unsigned(ours)), compact(first), compact(unsigned(last))
    return {
        "clean": body_c.startswith(first_c) and body_c.endswith(last_c),
        "kept": first_c in body_c and last_c in body_c,
        "f1": token_f1(tokens(ours, label["language"]), tokens(span, label["language"])) if ours else 0.0,
    }


CREDITS = Path(__file__).resolve().parent / "real_dumps_credits.json"


@functools.cache
def credit_labels() -> dict[str, dict]:
    return json.loads(CREDITS.read_text(encoding="utf-8"))["labels"]


def registry_slug(name: str | None) -> str | None:
    """The registry's slug for a credited name as a label writes it (its slug, name or one
    of its names, any case), else None: a source the registry lacks."""
    if not name:
        return None
    from archive.ingest.sites import registry

    reg = registry()
    spelled = {**reg.names,
               **{info.name.split(" (")[0]: slug for slug, info in reg.known.items()},
               **{info.name: slug for slug, info in reg.known.items()}, **{slug: slug for slug in reg.known}}
    wanted = name.casefold()
    return next((slug for spelling, slug in spelled.items() if spelling.casefold() == wanted), None)


def _name_key(name: str) -> str:
    from archive.textnorm import fold

    key = re.sub(r"[^0-9a-z가-힣]+", "", fold(unicodedata.normalize("NFKC", name)).casefold())
    return key[3:] if key.startswith("bao") and len(key) > 6 else key


def same_outlet(ours: str, labelled: str) -> bool:
    """Whether the name we credit is the labelled outlet's: the same letters (case,
    marks, spaces and punctuation aside, and a leading "Báo"), one inside the other, or
    an alias the label gives in brackets ("Báo Quảng Nam (QNO)")."""
    ours_key = _name_key(ours)
    if len(ours_key) < 3:
        return False
    for alias in [labelled, *re.findall(r"\(([^()]+)\)", labelled), re.sub(r"\([^()]*\)", "", labelled)]:
        key = _name_key(alias)
        if len(key) >= 3 and (key == ours_key or key in ours_key or ours_key in key):
            return True
    return False


def credit_right(produced: Produced, credit: dict) -> bool:
    """Of a text that names its source: we credit the labelled registry entry, or, for
    an outlet the registry lacks, an outlet by the name the text gives it."""
    if credit["credited"] is None or produced.source is None:
        return False
    if credit["credited_slug"]:
        return produced.source == credit["credited_slug"]
    return same_outlet(produced.source_name, credit["credited"])


def credit_of(label: dict) -> dict:
    """{credited, credited_slug} of a dump: an acceptance label carries its own `credited`;
    the development dumps' are in real_dumps_credits.json."""
    if "credited" in label:
        return {"credited": label["credited"], "credited_slug": registry_slug(label["credited"])}
    found = credit_labels()[label["id"]]
    return {"credited": found["credited"], "credited_slug": found["credited_slug"]}


def url_source(url: str | None) -> str | None:
    from archive.ingest.sites import from_url

    found = from_url(url)
    return found.slug if found else None


@dataclass
class Judged:
    name: str
    half: str
    language: str
    status: str  # imported | rejected
    reason: str
    date: str | None
    headline: str | None
    language_right: bool | None
    source: str | None
    source_as_url: bool | None
    credit_right: bool | None
    body: dict | None
    produced: dict
    label: dict


def judge(label: dict, half: str, raw: str, produced: Produced) -> Judged:
    imported = not produced.reason
    return Judged(
        name=label["name"], half=half, language=label["language"],
        status="imported" if imported else "rejected", reason=produced.reason,
        date=judge_date(produced.published, label["published"]) if imported else None,
        headline=judge_headline(produced.title, produced.title_derived, label["title"]) if imported else None,
        language_right=produced.language == label["language"] if imported else None,
        source=produced.source,
        source_as_url=(produced.source is not None and produced.source == url_source(label["source_url"]))
        if imported else None,
        credit_right=credit_right(produced, credit_of(label)) if imported else None,
        body=body_measures(produced.body, raw, label),
        produced={k: v for k, v in asdict(produced).items() if k != "body"},
        label={**{k: label[k] for k in ("title", "published", "date_stated", "site", "body_first_words",
                                        "body_last_words")},
               **credit_of(label)},
    )


# --- the corpus and the figures --------------------------------------------------------

def items(half: str = "all", names: list[str] | None = None, corpus: Path = CORPUS) -> list[tuple[dict, str]]:
    """(label, half) of the dumps asked for, in name order; every item of a set of its own
    (half "acceptance" or "tune2") is in that half."""
    if half in OWN_SETS:
        chosen = [(lab, half) for lab in load_labels(corpus)]
        if names:
            chosen = [(lab, h) for lab, h in chosen if lab["name"] in names or lab["id"] in names]
        return sorted(chosen, key=lambda pair: pair[0]["name"])
    split = load_split()
    half_of = {name: h for h in HALVES for name in split[h]}
    chosen = [(lab, half_of[lab["name"]]) for lab in load_labels(corpus)
              if half in ("all", half_of[lab["name"]])]
    if names:
        chosen = [(lab, h) for lab, h in chosen if lab["name"] in names or lab["id"] in names]
    return sorted(chosen, key=lambda pair: pair[0]["name"])


def run(half: str = "all", names: list[str] | None = None, warm_up: bool = True,
        corpus: Path = CORPUS) -> list[Judged]:
    chosen = items(half, names, corpus)
    texts = {lab["name"]: (corpus / f"{lab['name']}.txt").read_bytes() for lab, _ in chosen}
    if warm_up:
        for lab, _ in chosen:
            run_stages(texts[lab["name"]], lab["name"] + ".txt")
    return [judge(lab, h, texts[lab["name"]].decode("utf-8"), run_stages(texts[lab["name"]], lab["name"] + ".txt"))
            for lab, h in chosen]


def figures(judged: list[Judged]) -> dict:
    """Counts (and mean F1 and CPU ms) of one group of items."""
    imported = [j for j in judged if j.status == "imported"]
    # A rejected dump's body is empty, so it already scores not clean, not kept, F1 0.
    bodies = [j.body for j in judged if j.body is not None]
    cpu = {stage: [j.produced["cpu_ms"][stage] for j in judged if stage in j.produced["cpu_ms"]] for stage in STAGES}
    return {
        "n": len(judged),
        "imported": len(imported),
        "rejected": len(judged) - len(imported),
        "date": {c: sum(j.date == c for j in imported) for c in DATE_CLASSES},
        "headline": {c: sum(j.headline == c for j in imported) for c in HEADLINE_CLASSES},
        # The figures, each over the items it is about.
        "stated_n": sum(j.label.get("date_stated") is not None for j in imported),
        "stated_right": sum(j.label.get("date_stated") is not None and j.date == "right" for j in imported),
        "headline_n": sum(j.label["title"] is not None for j in imported),
        "headline_real": sum(j.label["title"] is not None and j.headline == "right" for j in imported),
        "no_headline_n": sum(j.label["title"] is None for j in imported),
        "no_headline_derived": sum(j.label["title"] is None and j.headline == "right" for j in imported),
        "language_right": sum(bool(j.language_right) for j in imported),
        "source_credited": sum(j.source is not None for j in imported),
        "source_as_url": sum(bool(j.source_as_url) for j in imported),
        "credit_n": sum(j.label["credited"] is not None for j in imported),
        "credit_right": sum(bool(j.credit_right) for j in imported),
        "credit_unnamed_given": sum(j.label["credited"] is None and j.source is not None for j in imported),
        "flagged": sum(bool(j.produced["review"]) for j in imported),
        "body_fallback": sum(any(r.startswith("body kept") for r in j.produced["review"]) for j in imported),
        "body_n": len(bodies),
        "clean": sum(b["clean"] for b in bodies),
        "kept": sum(b["kept"] for b in bodies),
        "token_f1": round(sum(b["f1"] for b in bodies) / len(bodies), 3) if bodies else None,
        "cpu_ms_per_article": {s: round(sum(v) / len(v), 3) if v else None for s, v in cpu.items()},
    }


def all_figures(judged: list[Judged]) -> dict:
    """{half: {language: figures}}, with 'all' for every language and for both halves."""
    halves = sorted({j.half for j in judged}, key=(*HALVES, *OWN_SETS).index)
    groups = {h: [j for j in judged if j.half == h] for h in halves}
    if len(halves) > 1:
        groups["all"] = judged
    out = {}
    for half, members in groups.items():
        present = [lang for lang in LANGUAGES if any(j.language == lang for j in members)]
        out[half] = {lang: figures([j for j in members if j.language == lang]) for lang in present}
        out[half]["all"] = figures(members)
    return out


# --- printing ----------------------------------------------------------------------------

ROWS = [
    ("dumps", lambda f: f["n"]),
    ("imported", lambda f: f["imported"]),
    ("rejected", lambda f: f["rejected"]),
    ("date right at its precision", lambda f: f["date"]["right"]),
    ("no date in the text, none given", lambda f: f["date"]["right_none"]),
    ("date more precise than the text", lambda f: f["date"]["more_precise"]),
    ("date less precise than the text", lambda f: f["date"]["less_precise"]),
    ("date wrong or invented", lambda f: f["date"]["wrong"]),
    ("date missing", lambda f: f["date"]["missing"]),
    ("stated date in the text (labelled)", lambda f: f["stated_n"]),
    ("stated date found at its precision", lambda f: f["stated_right"]),
    ("headline in the text", lambda f: f["headline_n"]),
    ("headline in the text: real one chosen", lambda f: f["headline_real"]),
    ("no headline in the text", lambda f: f["no_headline_n"]),
    ("no headline: title derived and marked", lambda f: f["no_headline_derived"]),
    ("headline right", lambda f: f["headline"]["right"]),
    ("headline derived and marked", lambda f: f["headline"]["derived"]),
    ("headline wrong", lambda f: f["headline"]["wrong"]),
    ("language right", lambda f: f["language_right"]),
    ("source credited", lambda f: f["source_credited"]),
    ("source = the URL's", lambda f: f["source_as_url"]),
    ("text names its agency or outlet (labelled)", lambda f: f["credit_n"]),
    ("… the one it names credited", lambda f: f["credit_right"]),
    ("text names none, a credit given", lambda f: f["credit_unnamed_given"]),
    ("flagged for review (published)", lambda f: f["flagged"]),
    ("body kept from the input's prose (flagged)", lambda f: f["body_fallback"]),
    ("body labelled", lambda f: f["body_n"]),
    ("body clean", lambda f: f["clean"]),
    ("body kept", lambda f: f["kept"]),
    ("body token F1", lambda f: "–" if f["token_f1"] is None else f"{f['token_f1']:.3f}"),
] + [(f"CPU ms/article: {s}", (lambda s: lambda f: "–" if f["cpu_ms_per_article"][s] is None
                               else f"{f['cpu_ms_per_article'][s]:.2f}")(s)) for s in STAGES]


def markdown(figs: dict) -> str:
    """One table: a row per measure, a column per language in each half."""
    # Both halves together get only their total: the per-language split is in each half.
    columns = [(half, lang) for half in figs for lang in figs[half] if half != "all" or lang == "all"]
    head = "| measure | " + " | ".join(f"{half} {lang}" for half, lang in columns) + " |"
    lines = [head, "|" + " --- |" * (len(columns) + 1)]
    for title, get in ROWS:
        lines.append(f"| {title} | " + " | ".join(str(get(figs[h][lang])) for h, lang in columns) + " |")
    return "\n".join(lines)


def detail(j: Judged) -> str:
    p = j.produced
    body = "no body labelled" if j.body is None else (
        f"clean {'yes' if j.body['clean'] else 'no'}, kept {'yes' if j.body['kept'] else 'no'}, F1 {j.body['f1']:.3f}")
    if j.status == "rejected":
        return f"{j.name} [{j.half}] REJECTED: {j.reason}; {body}"
    return "\n".join([
        f"{j.name} [{j.half}] {j.language}->{p['language']}",
        f"  date {j.date}: ours {p['published']} / label {j.label['published']}",
        f"  headline {j.headline}: ours {'(derived) ' if p['title_derived'] else ''}{p['title'][:90]!r}"
        f" / label {(j.label['title'] or '')[:90]!r}",
        f"  source {p['source'] or '-'} (site {j.label['site']}; credited in the text:"
        f" {j.label['credited_slug'] or j.label['credited'] or '-'}); events {p['events']}; {body}",
    ])


def commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--half", choices=("tune", "test", "all"), default="all")
    parser.add_argument("--only", nargs="*", help="dump names or ids (d001) to run")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every item's detail")
    parser.add_argument("--json", action="store_true", help="print JSON instead of tables")
    parser.add_argument("--acceptance", type=Path, metavar="DIR",
                        help="measure a set kept aside for acceptance instead (its manifest.json and texts)")
    parser.add_argument("--tune2", type=Path, metavar="DIR", nargs="?", const=TUNE2,
                        help=f"measure the second tuning set instead (default {TUNE2})")
    args = parser.parse_args()
    corpus = args.acceptance or args.tune2 or CORPUS
    if not corpus.exists():
        sys.exit(f"the dumps are not at {corpus} (set ARCHIVE_REAL_DUMPS, or give --acceptance / --tune2 DIR)")
    half = "acceptance" if args.acceptance else "tune2" if args.tune2 else args.half
    judged = run(half, args.only, corpus=corpus)
    figs = all_figures(judged)
    if args.json:
        out = {"commit": commit(), "half": args.half, "figures": figs}
        if args.verbose:
            out["items"] = [asdict(j) for j in judged]
        print(json.dumps(out, ensure_ascii=False, indent=1))
        return
    if args.verbose:
        print("\n".join(detail(j) for j in judged), end="\n\n")
    print(f"commit {commit()}, {platform.machine()}, {os.cpu_count()} cores, "
          f"{time.strftime('%Y-%m-%d')}\n")
    print(markdown(figs))


if __name__ == "__main__":
    main()
