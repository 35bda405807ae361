"""A deterministic corpus of realistic multilingual articles for benchmarks (issue 7).

    python bench/corpus.py --n 100000 --out bench/work/corpus

Writes N plain-text dumps that `import_articles` reads: a `date` line, a headline and
paragraphs, in Vietnamese (with diacritics), Korean, French and English, about places
from the gazetteer, with Zipf-distributed vocabulary and realistic lengths (about 400
words); 5% are near-duplicate copies of an earlier article (other chrome, a glued word,
a dropped paragraph), as the web gives them. The same N and seed always give the same
files; a file already written is not written again, so a stopped run resumes.
"""
from __future__ import annotations

import argparse
import bisect
import functools
import itertools
import random
import sys
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from archive import gazetteer  # noqa: E402

LANGUAGES = ("vi", "ko", "fr", "en")
DUPLICATE_SHARE = 0.05

# Sentence frames per language; {vn} and {kr} are places, {w} draws a Zipf word.
FRAMES = {
    "vi": ["Tỉnh {vn} và tỉnh {kr} đã ký kết bản ghi nhớ hợp tác về {w} và {w}.",
           "Đoàn công tác tỉnh {vn} đã đến thăm và làm việc với chính quyền {kr} về {w}.",
           "Hai bên thống nhất tăng cường hợp tác trong lĩnh vực {w}, {w} và {w}.",
           "Lãnh đạo {vn} đánh giá cao sự hỗ trợ của {kr} trong {w} và {w} thời gian qua.",
           "Doanh nghiệp Hàn Quốc đang đầu tư vào {w} tại {vn} với nhiều dự án {w}."],
    "ko": ["{kr}는 베트남 {vn}과 {w} 분야 업무협약을 체결했다.",
           "{kr} 대표단은 {vn}을 방문해 {w}와 {w} 협력 방안을 논의했다.",
           "양측은 {w}, {w} 등 여러 분야에서 교류를 확대하기로 했다.",
           "{vn} 인민위원회 부위원장은 {kr}의 {w} 경험을 높이 평가했다.",
           "도내 기업들은 {vn}의 {w} 산업에 관심을 보이고 있다."],
    "fr": ["La province de {vn} et {kr} ont signé un protocole d'accord sur {w} et {w}.",
           "Une délégation de {kr} s'est rendue à {vn} pour discuter de {w}.",
           "Les deux parties renforceront leur coopération dans les domaines de {w} et de {w}.",
           "Les dirigeants de {vn} ont salué le soutien de {kr} en matière de {w}.",
           "Les entreprises sud-coréennes investissent dans {w} à {vn}."],
    "en": ["{vn} and {kr} signed a memorandum of understanding on {w} and {w}.",
           "A delegation from {kr} visited {vn} to discuss {w} and {w}.",
           "The two sides agreed to expand cooperation in {w}, {w} and {w}.",
           "Leaders of {vn} praised the support of {kr} for {w} over the years.",
           "Korean companies are investing in {w} in {vn}, officials said."],
}
TOPICS = {
    "vi": "nông nghiệp giáo dục du lịch y tế đầu tư công nghiệp logistics năng lượng văn hóa thể thao "
          "đô thị thông minh lao động thời vụ khoa học công nghệ môi trường thương mại cảng biển",
    "ko": "농업 교육 관광 보건 투자 산업 물류 에너지 문화 체육 스마트시티 계절근로자 과학기술 환경 무역 항만",
    "fr": "l'agriculture l'éducation le tourisme la santé l'investissement l'industrie la logistique "
          "l'énergie la culture le sport la ville intelligente l'environnement le commerce",
    "en": "agriculture education tourism healthcare investment industry logistics energy culture sports "
          "smart cities seasonal labour technology environment trade ports",
}


VOCABULARY_SIZE = 20_000
# Syllable parts from which each language's long tail of words is made (names of firms,
# projects, villages; rarer terms), so the index has a realistic dictionary.
SYLLABLES = {
    "vi": (["b", "c", "ch", "d", "đ", "g", "h", "kh", "l", "m", "n", "ng", "nh", "ph", "qu", "s", "t", "th",
            "tr", "v", "x"],
           ["a", "á", "à", "ả", "ã", "ạ", "ă", "ắ", "ằ", "â", "ấ", "ầ", "e", "é", "ê", "ế", "ề", "i", "í", "ì",
            "o", "ó", "ò", "ô", "ố", "ồ", "ơ", "ớ", "ờ", "u", "ú", "ù", "ư", "ứ", "ừ", "y", "ươ", "uyê", "iê"],
           ["", "", "c", "m", "n", "ng", "nh", "p", "t", "ch", "i", "o", "u"]),
    "fr": (["b", "c", "d", "f", "g", "l", "m", "n", "p", "r", "s", "t", "v", "ch", "tr", "pl"],
           ["a", "e", "é", "è", "i", "o", "u", "ou", "ai", "eau", "on", "an", "in"],
           ["", "", "r", "s", "l", "n", "t"]),
    "en": (["b", "c", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "w", "st", "br", "th"],
           ["a", "e", "i", "o", "u", "ea", "oo", "ai", "ou"],
           ["", "", "n", "r", "s", "t", "ck", "ng", "ll"]),
}


@functools.lru_cache(maxsize=None)
def vocabulary(language: str) -> tuple[list[str], list[float]]:
    """The language's words, most frequent first, and their cumulative Zipf weights
    (P(rank r) ~ 1/r): the topic words at the head, made-up words in the long tail."""
    rng = random.Random(f"vocabulary-{language}")
    words = list(dict.fromkeys(TOPICS[language].split()))
    seen = set(words)
    while len(words) < VOCABULARY_SIZE:
        if language == "ko":
            word = "".join(chr(0xAC00 + rng.randrange(11172)) for _ in range(rng.randint(2, 3)))
        else:
            onsets, vowels, codas = SYLLABLES[language]
            # Vietnamese is written a syllable at a time: its words are one or two syllables.
            count, glue = (rng.randint(1, 2), " ") if language == "vi" else (rng.randint(2, 3), "")
            word = glue.join(rng.choice(onsets) + rng.choice(vowels) + rng.choice(codas) for _ in range(count))
        if word not in seen:
            seen.add(word)
            words.append(word)
    weights = list(itertools.accumulate(1.0 / rank for rank in range(1, len(words) + 1)))
    return words, weights


def pick(language: str, rng: random.Random) -> str:
    words, cumulative = vocabulary(language)
    return words[bisect.bisect_left(cumulative, rng.random() * cumulative[-1])]


@functools.lru_cache(maxsize=None)
def place_names(language: str) -> tuple[list[str], list[str]]:
    vn, kr = [], []
    for place in gazetteer.all_places():
        if place.level != 1:
            continue
        name = place.names.get(language) or place.name
        (vn if place.country == "vn" else kr).append(name)
    return vn, kr


def article(i: int, seed: int) -> tuple[str, str]:
    rng = random.Random(seed * 1_000_003 + i)
    language = LANGUAGES[i % len(LANGUAGES)]
    vn_names, kr_names = place_names(language)
    vn, kr = rng.choice(vn_names), rng.choice(kr_names)
    published = date(2015, 1, 1) + timedelta(days=rng.randrange(365 * 11))

    def sentence() -> str:
        frame = rng.choice(FRAMES[language])
        while "{w}" in frame:
            frame = frame.replace("{w}", pick(language, rng), 1)
        return frame.format(vn=vn, kr=kr)

    title = sentence().rstrip(".")
    paragraphs = [" ".join(sentence() for _ in range(rng.randint(3, 6))) for _ in range(rng.randint(4, 8))]
    return language, f"date {published.isoformat()}\n\n{title}\n\n" + "\n\n".join(paragraphs) + "\n"


def near_copy(text: str, rng: random.Random) -> str:
    """Another site's copy: chrome around it, one glued word, maybe a dropped paragraph."""
    head, _, body = text.partition("\n\n")
    title, _, rest = body.partition("\n\n")
    paragraphs = rest.split("\n\n")
    if len(paragraphs) > 3 and rng.random() < 0.5:
        paragraphs = paragraphs[:-1]
    glued = paragraphs[0].replace(" ", "", 1)
    chrome = "Trang chủ\nTin tức\n"
    return f"{head}\n\n{chrome}\n{title}\n\n" + "\n\n".join([glued, *paragraphs[1:]]) + "\n\nBình luận 0\nTin liên quan\n"


def write(n: int, out: Path, seed: int = 1) -> int:
    out.mkdir(parents=True, exist_ok=True)
    written = 0
    rng = random.Random(seed)
    for i in range(n):
        path = out / f"{i // 1000:03d}" / f"a{i:06d}.txt"
        # Drawn before the resume check, so a resumed run makes the same choices.
        copy_of = rng.randrange(i) if i > 20 and rng.random() < DUPLICATE_SHARE else None
        if path.exists():
            continue
        path.parent.mkdir(exist_ok=True)
        if copy_of is not None:
            _, original = article(copy_of, seed)
            text = near_copy(original, random.Random(i))
        else:
            _, text = article(i, seed)
        path.write_text(text, encoding="utf-8")
        written += 1
    return written


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "work" / "corpus")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(f"wrote {write(args.n, args.out, args.seed)} new files under {args.out}")


if __name__ == "__main__":
    main()
