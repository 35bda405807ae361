"""Benchmark queries drawn deterministically from a corpus folder (issue 7).

    python bench/queries.py --corpus bench/work/corpus-100000 --out bench/work/queries.json

Reads the text files (not the index) and writes a JSON list of distinct queries, each
{"kind": ..., "language": ..., "params": {"q": ..., and maybe "lang", "place", "year",
"sort", "page"}}, the same list for the same corpus and seed. Kinds, about equally many
of each and balanced over vi/ko/fr/en where the kind allows:

  common      one of the most frequent words of a language
  rare        a word found in 1-3 files
  two_words   two words of one file;  three_words  three words of one file
  phrase      2-3 consecutive words of one file, in quotes
  no_marks    Vietnamese words or a phrase with the diacritics stripped (đ -> d)
  place_alias a place the file names, written in another language or spelling (Hanoi, 하노이)
  facets      a word plus lang= / year= / place= filters
  deep_page   page 5-50 of a common word (capped by how many pages it has), sort=date sometimes

`replay(queries, n, seed)` is a Zipf replay: n queries where the query ranked r in a
fixed shuffled ranking is asked with probability ~ 1/r.
"""
from __future__ import annotations

import argparse
import itertools
import json
import random
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from archive import gazetteer  # noqa: E402

LANGUAGES = ("vi", "ko", "fr", "en")
KINDS = ("common", "rare", "two_words", "three_words", "phrase", "no_marks", "place_alias", "facets",
         "deep_page")
PER_KIND = 140  # 9 kinds x 140 = 1,260 queries
WORD = re.compile(r"[^\W\d_]{2,}")  # words of letters only: no years, no numbers
SENTENCE = re.compile(r"[^.!?,;:()\n]+")  # runs without punctuation: where phrases come from
# Function words that tell the four languages apart (the text's place names do not: a
# French article may name Hà Nội).
MARKERS = {
    "vi": {"và", "của", "đã", "với", "trong", "tại", "về", "các", "hai", "bên", "nhiều"},
    "fr": {"le", "la", "les", "de", "des", "et", "du", "une", "dans", "pour", "ont"},
    "en": {"the", "and", "of", "to", "in", "for", "with", "from", "on"},
}


def strip_marks(text: str) -> str:
    """What a user types without Vietnamese diacritics: 'Bình Phước' -> 'Binh Phuoc'."""
    stripped = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", stripped).replace("đ", "d").replace("Đ", "D")


def language_of(text: str) -> str:
    sample = text[:3000]
    if sum(1 for c in sample if "\uac00" <= c <= "\ud7a3") > 0.3 * len(sample.replace(" ", "")):
        return "ko"
    words = Counter(w.lower() for w in WORD.findall(sample))
    return max(MARKERS, key=lambda lang: sum(words[w] for w in MARKERS[lang]))


class Doc:
    """One corpus file: its date, title and text (title included)."""

    def __init__(self, path: Path) -> None:
        raw = path.read_text(encoding="utf-8")
        head, _, rest = raw.partition("\n")
        self.year = head.split()[1][:4] if head.startswith("date ") else None
        self.text = rest.strip()
        self.language = language_of(self.text)

    def words(self) -> list[str]:
        return WORD.findall(self.text)

    def runs(self) -> list[list[str]]:
        """Word sequences between punctuation (phrases never cross a comma or full stop)."""
        return [WORD.findall(run) for run in SENTENCE.findall(self.text)]


def corpus_files(corpus: Path) -> list[Path]:
    return sorted(corpus.rglob("*.txt"))


def word_statistics(files: list[Path]) -> tuple[dict[str, Counter], Counter]:
    """Document frequency of each lower-cased word per language, and files per language."""
    df: dict[str, Counter] = {lang: Counter() for lang in LANGUAGES}
    per_language: Counter = Counter()
    for path in files:
        doc = Doc(path)
        per_language[doc.language] += 1
        df[doc.language].update({w.lower() for w in doc.words()})
    return df, per_language


def place_mentions(doc: Doc) -> list[gazetteer.Place]:
    """Places the text names in its own language (as corpus.py writes them)."""
    found = []
    for place in gazetteer.all_places():
        name = place.names.get(doc.language) or place.name
        if place.level == 1 and name in doc.text:
            found.append(place)
    return found


def other_spellings(place: gazetteer.Place, used: str) -> list[str]:
    """Names of the place other than the one the text uses (and not just it without marks)."""
    seen = {strip_marks(used).lower()}
    names = []
    for name in [*place.names.values(), *place.aliases]:
        key = strip_marks(name).lower()
        if key not in seen:
            seen.add(key)
            names.append(name)
    return names


class Drawer:
    def __init__(self, files: list[Path], seed: int) -> None:
        self.rng = random.Random(seed)
        self.df, self.files_per_lang = word_statistics(files)
        df = self.df
        self.docs: dict[str, list[Doc]] = {lang: [] for lang in LANGUAGES}
        sample = self.rng.sample(files, min(len(files), 4000))
        for path in sorted(sample):
            doc = Doc(path)
            self.docs[doc.language].append(doc)
        # "Common": the 150 most frequent words of each language; "middling": words in
        # 0.5%-20% of the files, which make multi-word queries with some results.
        # Sorted by (count, word): Counter's ties follow set order, which varies per process.
        self.common = {lang: sorted(df[lang], key=lambda w: (-df[lang][w], w))[:150] for lang in LANGUAGES}
        self.rare = {lang: sorted(w for w, n in df[lang].items() if n <= 3) for lang in LANGUAGES}

    def doc(self, lang: str) -> Doc:
        return self.rng.choice(self.docs[lang])

    def middling(self, doc: Doc, k: int) -> list[str]:
        top = self.files_per_lang[doc.language]
        words = sorted({w.lower() for w in doc.words() if 0.005 * top <= self.df[doc.language][w.lower()] <= 0.2 * top})
        return self.rng.sample(words, k) if len(words) >= k else []

    def phrase(self, doc: Doc) -> str:
        runs = [r for r in doc.runs() if len(r) >= 3]
        if not runs:
            return ""
        run = self.rng.choice(runs)
        length = self.rng.choice((2, 3))
        start = self.rng.randrange(len(run) - length + 1)
        return " ".join(run[start : start + length])

    def draw(self, kind: str, lang: str) -> dict | None:
        rng = self.rng
        if kind == "common":
            return {"q": rng.choice(self.common[lang])}
        if kind == "rare":
            return {"q": rng.choice(self.rare[lang])} if self.rare[lang] else None
        if kind in ("two_words", "three_words"):
            words = self.middling(self.doc(lang), 2 if kind == "two_words" else 3)
            return {"q": " ".join(words)} if words else None
        if kind == "phrase":
            phrase = self.phrase(self.doc(lang))
            return {"q": f'"{phrase}"'} if phrase else None
        if kind == "no_marks":
            doc = self.doc("vi")
            text = self.phrase(doc) if rng.random() < 0.5 else " ".join(self.middling(doc, 2))
            bare = strip_marks(text)
            if bare == text or not bare:
                return None
            return {"q": f'"{bare}"' if rng.random() < 0.3 else bare}
        if kind == "place_alias":
            doc = self.doc(lang)
            places = place_mentions(doc)
            if not places:
                return None
            place = rng.choice(places)
            used = place.names.get(lang) or place.name
            spellings = other_spellings(place, used)
            return {"q": rng.choice(spellings)} if spellings else None
        if kind == "facets":
            doc = self.doc(lang)
            words = self.middling(doc, 1) or [rng.choice(self.common[lang])]
            params = {"q": words[0]}
            places = place_mentions(doc)
            filters = {"lang": lang, "year": doc.year, "place": rng.choice(places).slug if places else None}
            chosen = [k for k in filters if filters[k]]
            for key in rng.sample(chosen, rng.randint(1, len(chosen))):
                params[key] = filters[key]
            return params
        if kind == "deep_page":
            word = rng.choice(self.common[lang][:40])
            pages = max(5, min(50, self.df[lang][word] // 20))
            params = {"q": word, "page": str(rng.randint(5, pages))}
            if rng.random() < 0.4:
                params["sort"] = "date"
            return params
        raise ValueError(kind)


def draw_queries(corpus: Path, per_kind: int = PER_KIND, seed: int = 7) -> list[dict]:
    files = corpus_files(corpus)
    if not files:
        raise SystemExit(f"no .txt files under {corpus}")
    drawer = Drawer(files, seed)
    queries: list[dict] = []
    seen: set[str] = set()
    for kind in KINDS:
        languages = ("vi",) if kind == "no_marks" else LANGUAGES
        count, attempts = 0, 0
        for lang in itertools.cycle(languages):
            if count >= per_kind or attempts > per_kind * 50:
                break
            attempts += 1
            params = drawer.draw(kind, lang)
            key = json.dumps(params, sort_keys=True, ensure_ascii=False)
            if not params or key in seen:
                continue
            seen.add(key)
            queries.append({"kind": kind, "language": lang, "params": params})
            count += 1
    return queries


def replay(queries: list[dict], n: int, seed: int = 11) -> list[dict]:
    """n queries drawn with Zipf popularity: the query ranked r (in a fixed shuffled
    order) is asked with probability proportional to 1/r."""
    rng = random.Random(seed)
    ranking = list(queries)
    rng.shuffle(ranking)
    weights = list(itertools.accumulate(1.0 / r for r in range(1, len(ranking) + 1)))
    return rng.choices(ranking, cum_weights=weights, k=n)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--per-kind", type=int, default=PER_KIND)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    queries = draw_queries(args.corpus, args.per_kind, args.seed)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(queries, ensure_ascii=False, indent=0), encoding="utf-8")
    counts = Counter((q["kind"], q["language"]) for q in queries)
    print(f"{len(queries)} distinct queries -> {args.out}")
    for kind in KINDS:
        print(f"  {kind:<12}" + "  ".join(f"{lang} {counts[(kind, lang)]:3d}" for lang in LANGUAGES))


if __name__ == "__main__":
    main()
