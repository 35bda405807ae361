"""Partnership events in a sentence: who signed or visited whom, and when.

Rules and lexicons in Vietnamese, Korean, French and English. Precision comes before
recall: a sentence yields an event only when it names the kind of event, a Vietnamese and
a Korean party, and does not speak of a plan, a wish or a negation.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from archive import gazetteer
from archive.ingest.dates import EN_MONTHS, FR_MONTHS
from archive.textnorm import fold

TYPES = ("mou", "letter_of_intent", "sister_city", "visit", "investment_conference", "other")

# Triggers, folded (lower case, no diacritics). Longer, more specific phrases first.
TRIGGERS: dict[str, list[str]] = {
    "letter_of_intent": [
        "y dinh thu", "thu y dinh", "ban ghi nho y dinh", "lettre d'intention", "lettres d'intention",
        "letter of intent", "letters of intent", "의향서", "loi",
    ],
    "sister_city": [
        "ket nghia", "thanh pho ket nghia", "tinh ket nghia", "jumelage", "jumele", "jumelee", "jumelees",
        "jumeles", "sister city", "sister-city", "sister cities", "sister province", "sister-province",
        "sisterhood", "twinning", "자매결연", "자매도시", "자매 결연", "우호교류 협정", "우호협력 협정",
        "우호교류협정", "우호협력협정", "friendship exchange agreement", "quan he huu nghi",
    ],
    "mou": [
        "ban ghi nho", "bien ban ghi nho", "ghi nho hop tac", "thoa thuan hop tac", "mou", "mou", "memorandum of understanding",
        "memorandum", "protocole d'accord", "protocoles d'accord", "memorandum d'entente", "accord de cooperation",
        "cooperation agreement", "업무협약", "양해각서", "협약", "협정", "mou를", "mou는",
    ],
    "investment_conference": [
        "hoi nghi xuc tien dau tu", "hoi thao xuc tien dau tu", "xuc tien dau tu", "conference de promotion des investissements",
        "conferences de promotion des investissements", "promotion de l'investissement", "promotion des investissements",
        "investment promotion conference", "investment promotion", "investment conference", "investment seminar",
        "투자설명회", "투자 설명회", "투자유치 설명회", "투자유치설명회", "투자포럼",
    ],
    "visit": [
        "tham va lam viec", "doan cong tac", "chuyen tham", "tham chinh thuc", "tiep doan", "den tham", "tham lam viec",
        "delegation", "s'est rendue", "s'est rendu", "visite de travail", "en visite", "a visite", "ont visite",
        "visited", "visiting", "visit to", "paid a visit", "방문", "방문단", "대표단",
    ],
}
# A sentence about an agreement must also say it was signed (or sealed).
SIGN_WORDS = [
    "ky", "ky ket", "trao", "signe", "signee", "signes", "signees", "signature", "signed", "signing", "sign",
    "inked", "체결", "서명", "맺", "conclu", "thiet lap", "established", "establishes", "etabli",
]
# Plans, wishes and negations: not (yet) events.
NOT_EVENT_WORDS = [
    "se ky", "du kien", "xem xet", "chua ky", "huong toi ky", "tien toi ky", "de xuat", "mong muon ky", "co the ky",
    "se tien hanh", "ke hoach ky", "prevoi", "envisag", "va signer", "vont signer", "devrait", "pourrait",
    "souhait", "projet de", "n'a pas", "will sign", "plans to", "plan to", "planned", "to sign", "would",
    "could", "expected to", "aim to", "aims to", "considering", "did not", "has not", "have not", "yet to",
    "예정", "계획", "추진", "검토", "논의", "않았", "못했", "할 방침", "기대",
]
# Agreements between governments, companies or schools, not between the two places.
COMPANY_WORDS = ["cong ty", "tap doan", "doanh nghiep", "societe", "entreprise", "company", "corporation",
                 "group", "기업", "그룹", "주식회사", "(주)"]

_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[\"“'(]?[A-ZÀ-ỸĐ가-힣0-9])|(?<=다\.)\s*|\n+")


@dataclass(frozen=True)
class Event:
    type: str
    vn: str
    kr: str
    date: date | None
    date_precision: str | None
    sentence: str

    def key(self) -> tuple:
        return (self.type, self.vn, self.kr, self.date, self.date_precision)


def split_sentences(text: str) -> list[str]:
    parts = [p.strip() for p in _SENTENCE_END.split(text) if p and p.strip()]
    return parts


def _word_pattern(words: list[str]) -> re.Pattern:
    escaped = sorted({re.escape(w) for w in words}, key=len, reverse=True)
    # Latin words need word boundaries; Hangul attaches particles, so only a left edge.
    return re.compile(r"(?<![\w])(" + "|".join(escaped) + r")(?![a-z])")


_TRIGGER_RES = {kind: _word_pattern(words) for kind, words in TRIGGERS.items()}
_SIGN_RE = _word_pattern(SIGN_WORDS)
_NOT_EVENT_RE = _word_pattern(NOT_EVENT_WORDS)
_COMPANY_RE = _word_pattern(COMPANY_WORDS)


# --- dates ----------------------------------------------------------------------------

_FR_MONTH = "|".join(FR_MONTHS)
_EN_MONTH = "|".join(sorted(EN_MONTHS, key=len, reverse=True))
_DATE_PATTERNS: list[tuple[re.Pattern, str]] = [
    (re.compile(r"(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})"), "dmy"),
    (re.compile(r"ngay (\d{1,2}) thang (\d{1,2}) nam (\d{4})"), "dmy"),
    (re.compile(r"(\d{4})\s*년\s*(\d{1,2})\s*월\s*(\d{1,2})\s*일"), "ymd"),
    (re.compile(r"(\d{4})[.-](\d{1,2})[.-](\d{1,2})"), "ymd"),
    (re.compile(r"(\d{1,2})(?:er)?\s+(%s)\s+(\d{4})" % _FR_MONTH), "d_frmonth_y"),
    (re.compile(r"\b(%s)\.?\s+(\d{1,2}),?\s+(\d{4})" % _EN_MONTH), "enmonth_d_y"),
    (re.compile(r"(\d{1,2})\s+(%s)\s+(\d{4})" % _EN_MONTH), "d_enmonth_y"),
    (re.compile(r"(?:ngay\s+)(\d{1,2})\s*/\s*(\d{1,2})(?!\s*/)"), "dm"),
    (re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})(?![\d/])"), "dm"),
    (re.compile(r"(\d{1,2})\s*월\s*(\d{1,2})\s*일"), "md"),
    (re.compile(r"(?:le\s+)?(\d{1,2})(?:er)?\s+(%s)(?!\s+\d{4})" % _FR_MONTH), "d_frmonth"),
    (re.compile(r"\b(%s)\.?\s+(\d{1,2})(?!\d|,?\s+\d{4})" % _EN_MONTH), "enmonth_d"),
    (re.compile(r"(?:지난|오는)?\s*(\d{1,2})\s*일"), "d"),
    (re.compile(r"thang (\d{1,2})\s*/\s*(\d{4})"), "my"),
    (re.compile(r"thang (\d{1,2}) nam (\d{4})"), "my"),
    (re.compile(r"(\d{4})\s*년\s*(\d{1,2})\s*월(?!\s*\d)"), "ym"),
    (re.compile(r"\b(?:en|in|nam|năm)\s+((?:19|20)\d{2})\b"), "y"),
    (re.compile(r"((?:19|20)\d{2})\s*년(?!\s*\d)"), "y"),
]


def _resolve(month: int, day: int, ref: date | None) -> date | None:
    """A day without a year is the latest such day on or before the article's date."""
    if ref is None:
        return None
    for year in (ref.year, ref.year - 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate <= ref + timedelta(days=1):
            return candidate
    return None


def find_dates(text: str, ref: date | None) -> list[tuple[int, date, str]]:
    """(position, date, precision) of each date in folded `text`, without overlaps."""
    found: list[tuple[int, int, date, str]] = []
    taken: list[tuple[int, int]] = []
    for pattern, kind in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            g = m.groups()
            value, precision = None, "day"
            try:
                if kind == "dmy":
                    value = date(int(g[2]), int(g[1]), int(g[0]))
                elif kind == "ymd":
                    value = date(int(g[0]), int(g[1]), int(g[2]))
                elif kind == "d_frmonth_y":
                    value = date(int(g[2]), FR_MONTHS[g[1]], int(g[0]))
                elif kind == "enmonth_d_y":
                    value = date(int(g[2]), EN_MONTHS[g[0]], int(g[1]))
                elif kind == "d_enmonth_y":
                    value = date(int(g[2]), EN_MONTHS[g[1]], int(g[0]))
                elif kind == "dm":
                    value = _resolve(int(g[1]), int(g[0]), ref)
                elif kind == "md":
                    value = _resolve(int(g[0]), int(g[1]), ref)
                elif kind == "d_frmonth":
                    value = _resolve(FR_MONTHS[g[1]], int(g[0]), ref)
                elif kind == "enmonth_d":
                    value = _resolve(EN_MONTHS[g[0]], int(g[1]), ref)
                elif kind == "d":
                    if ref is not None:
                        day = int(g[0])
                        month_ref = ref if day <= ref.day else (ref.replace(day=1) - timedelta(days=1))
                        value = date(month_ref.year, month_ref.month, day)
                elif kind in ("my", "ym"):
                    month, year = (int(g[0]), int(g[1])) if kind == "my" else (int(g[1]), int(g[0]))
                    value, precision = date(year, month, 1), "month"
                elif kind == "y":
                    value, precision = date(int(g[0]), 1, 1), "year"
            except ValueError:
                value = None
            if value is None or not 1950 <= value.year <= 2100:
                continue
            taken.append((m.start(), m.end()))
            found.append((m.start(), m.end(), value, precision))
    return [(start, value, precision) for start, _, value, precision in sorted(found)]


# --- events ---------------------------------------------------------------------------

def _parties(sentence: str, trigger_at: int, article_places: list[str]) -> tuple[str | None, str | None]:
    """The Vietnamese and Korean places nearest the trigger; the article's only place of a
    country stands in when the sentence names none of that country."""
    best: dict[str, tuple[int, str]] = {}
    for mention in gazetteer.find_places(sentence):
        place = gazetteer.get(mention.slug)
        if not place:
            continue
        distance = abs(mention.start - trigger_at)
        if place.country not in best or distance < best[place.country][0]:
            best[place.country] = (distance, mention.slug)
    result = {}
    for country in ("vn", "kr"):
        if country in best:
            result[country] = best[country][1]
        else:
            candidates = [s for s in article_places if (gazetteer.get(s) and gazetteer.get(s).country == country)]
            result[country] = candidates[0] if len(candidates) == 1 else None
    return result["vn"], result["kr"]


def _triggers(folded: str) -> list[tuple[int, str]]:
    hits: list[tuple[int, int, str]] = []
    for kind in ("letter_of_intent", "sister_city", "mou", "investment_conference", "visit"):
        for m in _TRIGGER_RES[kind].finditer(folded):
            if any(m.start() < e and s < m.end() for s, e, _ in hits):
                continue
            hits.append((m.start(), m.end(), kind))
    return [(start, kind) for start, _, kind in sorted(hits)]


def extract_events(sentence: str, article_date: date | None, article_places: list[str] | None = None) -> list[Event]:
    article_places = article_places or []
    folded = fold(sentence)
    if _NOT_EVENT_RE.search(folded):
        return []
    triggers = _triggers(folded)
    if not triggers:
        return []
    agreements = [t for t in triggers if t[1] in ("mou", "letter_of_intent", "sister_city")]
    if agreements:
        if not _SIGN_RE.search(folded) or _COMPANY_RE.search(folded):
            agreements = []
        triggers = agreements or [t for t in triggers if t[1] not in ("mou", "letter_of_intent", "sister_city")]
    # One event per kind and clause: "signed an MOU and a letter of intent" is two.
    events: list[Event] = []
    clauses = _clauses(folded)
    for clause_start, clause_end in clauses:
        in_clause = [t for t in triggers if clause_start <= t[0] < clause_end]
        kinds = []
        for pos, kind in in_clause:
            if kind not in [k for _, k in kinds]:
                kinds.append((pos, kind))
        if not kinds:
            continue
        dates = find_dates(folded[clause_start:clause_end], article_date)
        dates = [(clause_start + p, d, prec) for p, d, prec in dates]
        for index, (pos, kind) in enumerate(kinds):
            vn, kr = _parties(sentence, pos, article_places)
            if not vn or not kr:
                continue
            when = _date_for(index, pos, kinds, dates)
            events.append(Event(kind, vn, kr, when[0] if when else None, when[1] if when else None, sentence))
    unique: dict[tuple, Event] = {}
    for event in events:
        unique.setdefault(event.key(), event)
    return list(unique.values())


def _clauses(folded: str) -> list[tuple[int, int]]:
    bounds, start = [], 0
    for m in re.finditer(r";", folded):
        bounds.append((start, m.start()))
        start = m.end()
    bounds.append((start, len(folded)))
    return bounds


def _date_for(index: int, pos: int, kinds: list[tuple[int, str]], dates: list[tuple[int, date, str]]):
    if not dates:
        return None
    if len(dates) == len(kinds):
        _, value, precision = dates[index]
        return value, precision
    nearest = min(dates, key=lambda d: abs(d[0] - pos))
    return nearest[1], nearest[2]


def events_in_text(text: str, article_date: date | None, article_places: list[str]) -> list[Event]:
    """Events of a whole article; an undated mention of an event that is also found with
    its date (a headline and then the lead) is the same event."""
    from archive.ingest.extract import dateline_length

    found: dict[tuple, Event] = {}
    for paragraph in text.split("\n"):
        paragraph = paragraph[dateline_length(paragraph):]
        for sentence in split_sentences(paragraph):
            for event in extract_events(sentence, article_date, article_places):
                found.setdefault(event.key(), event)
    dated = {(e.type, e.vn, e.kr) for e in found.values() if e.date}
    return [e for e in found.values() if e.date or (e.type, e.vn, e.kr) not in dated]


# --- evidence of a partnership without a dated event ----------------------------------

COOPERATION_WORDS = [
    "hop tac", "quan he", "ket nghia", "huu nghi", "doi tac", "cooperation", "cooperer", "relations",
    "jumelage", "partenariat", "partenaire", "partnership", "partner", "ties", "relationship",
    "협력", "교류", "우호", "자매",
]
_COOPERATION_RE = _word_pattern(COOPERATION_WORDS)


def cooperation_pairs(text: str) -> dict[tuple[str, str], str]:
    """(vn, kr) -> the first sentence naming both places with cooperation words."""
    from archive.ingest.extract import dateline_length

    pairs: dict[tuple[str, str], str] = {}
    for paragraph in text.split("\n"):
        paragraph = paragraph[dateline_length(paragraph):]
        for sentence in split_sentences(paragraph):
            if not _COOPERATION_RE.search(fold(sentence)):
                continue
            places = {m.slug for m in gazetteer.find_places(sentence)}
            vn = sorted(s for s in places if gazetteer.get(s).country == "vn")
            kr = sorted(s for s in places if gazetteer.get(s).country == "kr")
            for a in vn:
                for b in kr:
                    pairs.setdefault((a, b), sentence)
    return pairs


# --- stories --------------------------------------------------------------------------

STORY_EVENT_DAYS = 3   # two reports of one event give dates this close
STORY_REPORT_DAYS = 7  # a report appears within a week of its event; later ones are background


def _when(event: Event, article_date: date | None) -> date | None:
    if event.date and event.date_precision == "day":
        return event.date
    return None


def story_keys(events: list[Event], article_date: date | None) -> list[tuple[str, str, str, date]]:
    """What an article reports as news: dated events close to the article's own date."""
    keys = []
    for event in events:
        when = _when(event, article_date)
        if when is None and event.date is None and article_date is not None and event.type == "visit":
            when = article_date  # "the delegation is visiting": the news of the day
        if when is None or article_date is None:
            continue
        if abs((article_date - when).days) > STORY_REPORT_DAYS:
            continue
        keys.append((event.type, event.vn, event.kr, when))
    return keys


def same_story(keys_a, keys_b) -> bool:
    for type_a, vn_a, kr_a, when_a in keys_a:
        for type_b, vn_b, kr_b, when_b in keys_b:
            if (type_a, vn_a, kr_a) == (type_b, vn_b, kr_b) and abs((when_a - when_b).days) <= STORY_EVENT_DAYS:
                return True
    return False
