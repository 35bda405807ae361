"""Extract, events: who signed or visited whom, and when; and which pairs of places a
text names as partners. Part of the extract stage, run in the same pass (and the same
worker process) as cleaning and extraction; it knows nothing of the database.

Rules and lexicons in Vietnamese, Korean, French and English. Precision comes before
recall: a sentence yields an event only when it names the kind of event and one
Vietnamese and one Korean local government as the parties, and does not speak of a plan,
a wish or a negation. Visits, conferences and other happenings also need a date; an
agreement may be undated ("the signing ceremony took place in Suwon").
"""
from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass
from datetime import date

from archive import gazetteer
from archive.ingest.datewords import dateline_length
from archive.ingest.event_dates import find_date_spans, find_dates
from archive.textnorm import fold

TYPES = ("mou", "letter_of_intent", "sister_city", "visit", "investment_conference", "anniversary", "other",
         "plan", "negated")
AGREEMENTS = ("mou", "letter_of_intent", "sister_city")

# Triggers, folded (lower case, no diacritics). Within a kind, longer phrases win.
TRIGGERS: dict[str, list[str]] = {
    "letter_of_intent": [
        "y dinh thu", "thu y dinh", "lettre d'intention", "lettres d'intention", "letter of intent",
        "letters of intent", "의향서",
    ],
    # A friendship agreement is a sister-city tie unless the document is named a memorandum.
    "friendship": [
        "thoa thuan hop tac va huu nghi", "thoa thuan huu nghi", "thoa thuan hop tac huu nghi",
        "thoa thuan thiet lap quan he huu nghi", "thoa thuan thiet lap quan he hop tac huu nghi",
        "thoa thuan giao luu huu nghi", "accord de cooperation et d'amitie", "accord d'amitie et de cooperation",
        "accord d'amitie", "accord de jumelage", "friendship cooperation agreement", "friendship agreement",
        # the tie itself, established (or planned) without a named document
        "relations d'amitie", "relation d'amitie", "friendly relations", "friendship relations",
        "thiet lap quan he huu nghi", "우호관계", "우호 관계",
        "friendship and cooperation agreement", "우호교류 협약", "우호협력 협약", "우호교류협약", "우호협력협약",
        "우호교류 협정", "우호협력 협정", "우호 협약", "우호 협정",
    ],
    "sister_city": [
        "ket nghia", "jumelage", "jumele", "jumelee", "jumelees", "jumeles", "sister city", "sister-city",
        "sister cities", "sister province", "sister-province", "sister relationship", "twinning", "twinned",
        "자매결연", "자매도시", "자매 결연", "자매우호",
    ],
    "mou": [
        "ban ghi nho", "bien ban ghi nho", "ghi nho hop tac", "le ky ket", "memorandum of understanding",
        "memorandum", "mou", "protocole d'accord", "protocoles d'accord", "memorandum d'entente",
        "accord de cooperation", "cooperation agreement", "thoa thuan hop tac", "업무협약", "양해각서", "협약",
        "협정",
    ],
    "investment_conference": [
        "hoi nghi xuc tien dau tu", "hoi thao xuc tien dau tu", "dien dan xuc tien dau tu",
        "conference de promotion des investissements", "conference de promotion de l'investissement",
        "forum d'investissement", "investment promotion conference", "investment promotion forum",
        "investment conference", "investment seminar", "investment forum", "투자설명회", "투자 설명회",
        "투자유치 설명회", "투자유치설명회", "투자포럼", "투자 포럼",
    ],
    "visit": [
        "tham va lam viec", "chuyen tham", "tham chinh thuc", "tiep doan", "den tham", "tham lam viec",
        "doan cong tac", "doan dai bieu", "delegation", "s'est rendue", "s'est rendu", "se sont rendus",
        "visite de travail", "en visite", "a visite", "ont visite", "visited", "visiting", "a visit", "visit to",
        "visits",
        "paid a visit", "방문", "방문단", "대표단",
    ],
    # An anniversary or commemoration: never a new agreement (issue 14).
    "anniversary": [
        "le ky niem", "ky niem", "anniversaire", "anniversary", "commemoration", "commemorating", "commemorated",
        "commemorer", "기념식", "주년", "기념했", "기념하",
    ],
    "other": [
        "trao tang", "a remis", "ont remis",
        "donated", "handed over", "online meeting", "hop truc tuyen", "visioconference", "화상회의",
        "화상 회의", "기증",
    ],
}
# Names of the document that make an agreement a memorandum whatever else it says.
MEMORANDUM_WORDS = ["ban ghi nho", "memorandum", "mou", "protocole d'accord", "양해각서", "memorandum d'entente"]
# An agreement must be said to be signed (or renewed, or concluded).
SIGN_WORDS = [
    "ky", "ky ket", "signe", "signee", "signes", "signees", "signature", "signed", "signing", "sign",
    "inked", "renewed", "renouvele", "renouvelle", "gia han", "체결", "서명", "맺", "갱신", "conclu",
    "concluded", "thiet lap", "established", "le ky ket",
]
# Sister-city words that are the act itself: "ont été jumelées", "đã kết nghĩa", "자매결연".
SELF_SIGNING = ["ket nghia", "jumele", "jumelee", "jumelees", "jumeles", "자매결연", "twinned"]
# Negations, plans and proposals are typed as such (issue 14); wishes and conditionals
# are no event at all. A negation wins over a plan in the same sentence.
NEGATION_WORDS = [
    "chua ky", "chua ky ket", "van chua", "khong ky", "n'a pas", "n'ont pas", "pas encore", "did not", "has not",
    "have not", "yet to", "not yet", "않았", "못했",
    "toujours pas", "n'a toujours", "n'ont toujours",
    # cancelled or put off: "무산됐다", "취소됐다", "연기됐다", "was postponed", "annulée"
    "무산", "취소", "연기됐", "연기되", "보류",
    "cancelled", "canceled", "postponed", "called off", "scrapped", "shelved",
    "annule", "annulee", "annules", "annulees", "reporte", "reportee", "reportes", "reportees", "ajourne", "ajournee",
]
# Vietnamese cancellations keep their tones: folded, "hủy" is "huy" as in "huy động"
# (mobilise) and "hoãn lại" is "hoàn lại" (pay back).
_VI_CANCELLED_RE = re.compile(r"(?<!\w)(?:đã|bị)\s+(?:hủy|huỷ|hoãn)|(?<!\w)(?:hủy|huỷ)\s+bỏ|(?<!\w)(?:tạm\s+)?hoãn\s+lại|tạm\s+hoãn")
# "n'ont pas seulement signé …", "not only signed …", "không chỉ ký …": no negation.
_NOT_ONLY_RE = re.compile(r"n'(?:a|ont) pas seulement|non seulement|not only|khong chi|뿐만 아니라|뿐 아니라")
# Where a sentence turns from what was done to what is planned: "…; nay …", "… 맺은 데
# 이어 …", "…, and now …", "…, et désormais …".
_THEN_PLAN_RE = re.compile(r";\s*(?:nay|hien nay|now|desormais|이제|앞으로)?|(?<=[가-힣]) 데 이어|,\s*(?:and now|et desormais|va nay)\b")
# "세 차례 연기됐던 방문이 17일 성사돼": put off before, then done; the event happened.
_DONE_AFTER_ALL_RE = re.compile(r"성사|재개돼|이뤄졌|finally|eventually|cuoi cung|finalement|enfin")
PLAN_WORDS = [
    # "kế hoạch"/"계획" alone are nouns too ("ký kế hoạch hợp tác", "실행계획에 서명했다"):
    # only their forms that speak of intent count.
    "se ky", "du kien", "xem xet", "huong toi ky", "tien toi ky", "de xuat", "co ke hoach", "len ke hoach",
    "se to chuc", "se tham",
    "prevoit", "prevoient", "envisage", "envisagent", "envisagee", "va signer", "vont signer", "a propose", "ont propose", "proposition", "will sign",
    "will visit", "will hold", "plans to", "plan to", "planned", "expected to", "aim to", "aims to", "considering",
    "proposed", "proposes", "예정", "계획이다", "계획이며", "계획이라", "계획하고", "계획을 세우", "추진하기로", "추진하고", "추진 중", "추진중", "추진할", "추진한다", "추진키로", "검토", "방침", "제안",
]
WISH_WORDS = [
    "mong muon", "co the ky", "devrait", "devraient", "pourrait", "souhait", "would", "could", "hopes to", "wish",
    "희망",
]
# "On the occasion of the 10th anniversary": the anniversary is when, not what.
OCCASION_WORDS = ["nhan dip", "a l'occasion", "on the occasion", "계기로", "맞아"]
# Parties that are not local governments: companies, agencies, ministries, and (issue 14)
# hospitals, universities and chambers, even when named after a city.
NOT_PLACE_PARTY = [
    "cong ty", "tap doan", "doanh nghiep", "societe", "entreprise", "company", "corporation", "group",
    "port authority", "authority", "agency", "ministry", "bo ", "kbiz", "기업", "그룹", "주식회사", "(주)", "㈜",
    "공사", "공단", "tnhh", "electronics", "benh vien", "hospital", "hopital", "hospitalier", "병원",
    "truong dai hoc", "dai hoc", "university", "universite", "대학교", "대학", "chamber of commerce",
    "chambre de commerce", "phong thuong mai", "상공회의소",
    # police, schools, clinics and firms named by their trade
    "cong an", "canh sat", "police", "경찰", "truong thpt", "truong thcs", "truong tieu hoc", "truong trung hoc",
    "truong mam non", "high school", "middle school", "primary school", "elementary school", "ecole", "lycee",
    "고등학교", "중학교", "초등학교", "centre medical", "medical center", "medical centre", "의료원", "shipbuilder",
    "shipbuilding", "hiep hoi", "association", "협회", "hop tac xa", "cooperative", "협동조합",
]
# Words before a place that make it a venue or a locator, not a party.
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
    return [p.strip() for p in _SENTENCE_END.split(text) if p and p.strip()]


def _word_pattern(words: list[str], hangul_inside: bool = False) -> re.Pattern:
    escaped = sorted({re.escape(w) for w in words}, key=len, reverse=True)
    # Latin words need word boundaries; Hangul takes particles, so only the left edge.
    pattern = r"(?<![\w'])(" + "|".join(escaped) + r")(?![a-z])"
    if hangul_inside:
        # Hangul compounds carry the word inside ("충북대학교병원", "10주년", "대한정밀㈜").
        inside = sorted({re.escape(w) for w in words if not w.isascii()}, key=len, reverse=True)
        pattern = r"(?:" + "|".join(inside) + r")|" + pattern
    return re.compile(pattern)


_TRIGGER_RES = {kind: _word_pattern(words, hangul_inside=kind == "anniversary") for kind, words in TRIGGERS.items()}
# Any trigger of any kind: it matches a text exactly when one of _TRIGGER_RES does, in one
# scan where those take one each; most sentences have none and stop there.
_ANY_TRIGGER_RE = re.compile("|".join(f"(?:{pattern.pattern})" for pattern in _TRIGGER_RES.values()))
_MEMORANDUM_RE = _word_pattern(MEMORANDUM_WORDS)
_SIGN_RE = _word_pattern(SIGN_WORDS)
_SELF_SIGNING_RE = _word_pattern(SELF_SIGNING)
_NEGATION_RE = _word_pattern(NEGATION_WORDS)
_PLAN_RE = _word_pattern(PLAN_WORDS)
_WISH_RE = _word_pattern(WISH_WORDS)
_OCCASION_RE = _word_pattern(OCCASION_WORDS)
_AHEAD_RE = re.compile(r"(?:approach|ahead of|sap toi|sap den|a l'approche|앞두고|앞둔)")
_DESCRIPTOR_RE = re.compile(r"\b(?:its|their|sa|leur|son)\s+(?:\w+\s+){0,2}$")
_NOT_PLACE_RE = _word_pattern(NOT_PLACE_PARTY, hangul_inside=True)


@lru_cache(maxsize=256)
def _folded(sentence: str) -> str:
    """`fold(sentence)`, kept: the event rules, the parties and the cooperation pairs of an
    article fold the same sentences, and folding is a good part of reading them. Safe to
    keep: `fold` is a pure function of its argument."""
    return fold(sentence)


# --- parties --------------------------------------------------------------------------

_VENUE_WORDS = {"tại", "ở", "à", "in", "at", "en", "near", "thuộc", "outside", "gần", "trên"}
_CLASS_WORDS = {"thành", "phố", "tỉnh", "huyện", "quận", "city", "ville", "province", "la", "de", "du", "the"}
_VENUE_PAIRS = {"south of", "north of", "east of", "west of", "suburb of", "près de", "gần với", "capital of", "thủ phủ",
                "capitale de"}


def _is_venue(lowered: str, start: int, end: int) -> bool:
    """'à Cheongju', 'tại Dodamso, Suwon', 'thuộc thành phố Ulsan', 'south of Seoul',
    '수원 도담소에서': a place where something happened, or one that locates another."""
    before = re.sub(r"[^\w' ]+", " ", lowered[max(0, start - 40):start]).split()
    while before and before[-1] in _CLASS_WORDS:
        before.pop()  # "thuộc thành phố Ulsan", "à la ville de Cheongju"
    if before and (before[-1] in _VENUE_WORDS or " ".join(before[-2:]) in _VENUE_PAIRS):
        return True
    if "," in lowered[max(0, start - 30):start] and any(w in ("tại", "in", "at", "à") for w in before[-3:]):
        return True
    return bool(re.match(r"^\s*(?:\S+\s+){0,2}\S*에서", lowered[end:end + 20]))


def _in_parentheses(sentence: str, start: int) -> bool:
    return sentence.rfind("(", 0, start) > sentence.rfind(")", 0, start)


def _locates_a_unit_inside(mention, mentions) -> bool:
    """'UBND thành phố Dĩ An, tỉnh Bình Dương', '경기도 수원시': a place named right beside a
    unit inside it (at any level) locates that unit; the unit is the party. `mentions` are
    the ones that are not venues ("수원 도담소에서" leaves 경기도 the party)."""
    for other in mentions:
        if other.slug == mention.slug or abs(other.start - mention.start) > 40:
            continue
        parent = gazetteer.get(other.slug).parent if gazetteer.get(other.slug) else None
        seen = set()
        while parent and parent not in seen:
            if parent == mention.slug:
                return True
            seen.add(parent)
            entry = gazetteer.get(parent)
            parent = entry.parent if entry else None
    return False


# What may stand between an institution's word and the place that locates it ("Công an
# tỉnh Bắc Ninh", "l'école primaire Phan Chu Trinh de Hội An", "Trường THPT … (TP. Đà Nẵng)"):
# anything but a list's separator, which starts another party.
_LIST_BREAK = re.compile(r",|;|\s(?:va|voi|and|with|et|avec|및)\s|(?:와|과|및)\s")
_AFTER_PLACE_INSTITUTION = re.compile(r"^(?:-based\s+|\s+)?(?:[a-z]+\s+){0,2}$")


_VENUE_BEFORE = re.compile(r"(?:\b(?:at|in)(?: the)?|\btai(?: tru so)?|\ba la|\bau|\bdans les locaux de)\s+$")


def _institutions(folded: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _NOT_PLACE_RE.finditer(folded)]


def _owned(folded: str, mention, institutions: list[tuple[int, int]]) -> bool:
    """A place that names or locates an institution ('Công an tỉnh Bắc Ninh', 'an
    Ulsan-based shipbuilder', 'Changwon National University'): the institution, not the
    place, is the one acting."""
    for start, end in institutions:
        # Latin writing names the place after the institution; Korean glues it before.
        if end <= mention.start and mention.start - end <= 45 and folded[start:end].isascii() \
                and not _LIST_BREAK.search(folded[end:mention.start]):
            return True
        gap = folded[mention.end:start]
        if start >= mention.end and start - mention.end <= 25 and _AFTER_PLACE_INSTITUTION.match(gap) \
                and not _LIST_BREAK.search(gap):
            return True
    return False


def _named_after_a_place(folded: str, start: int) -> bool:
    """'김포상공회의소': a Hangul compound whose first syllables name a place."""
    word_start = start
    while word_start and folded[word_start - 1].isalpha() and not folded[word_start - 1].isascii():
        word_start -= 1
    prefix = folded[word_start:start]
    return any(gazetteer.lookup(prefix[:n]) for n in range(2, min(len(prefix), 5) + 1))


def _unplaced_institution(folded: str, mentions, institutions: list[tuple[int, int]]) -> bool:
    """An institution no place names or locates ('Công ty ABC', 'a university'): an actor
    the sentence does not tie to a place; a Hangul compound ('김포상공회의소') carries its
    place in its name ('대한정밀㈜' does not)."""
    for start, end in institutions:
        if _named_after_a_place(folded, start):
            continue
        if _VENUE_BEFORE.search(folded[max(0, start - 12):start]):
            continue  # "at the Ministry of Labour": where, not who
        if not any(_owned(folded, m, [(start, end)]) for m in mentions):
            return True
    return False


def _parties(sentence: str, trigger_at: int, hosts_only: bool = False) -> tuple[str | None, str | None]:
    """The Vietnamese and the Korean party: mentions that are venues, locators or inside
    parentheses give way to other mentions of the same country; then the one nearest the
    trigger wins. A place that names or locates an institution is no party. `hosts_only`
    (a conference): a place named only as the venue is no party either ('Thái Bình tổ chức
    Hội nghị xúc tiến đầu tư tại thành phố Busan': Thái Bình holds it; Busan hosts nothing)."""
    lowered = sentence.lower()
    by_country: dict[str, list[tuple[int, int, str]]] = {"vn": [], "kr": []}
    folded = _folded(sentence)
    institutions = _institutions(folded)
    mentions = tuple(m for m in _mentions(sentence) if not _owned(folded, m, institutions))
    venue = {id(m): _is_venue(lowered, m.start, m.end) or _in_parentheses(sentence, m.start) for m in mentions}
    parties_named = [m for m in mentions if not venue[id(m)]]
    for mention in mentions:
        place = gazetteer.get(mention.slug)
        if place and place.country in by_country:
            if hosts_only and venue[id(mention)]:
                continue
            secondary = venue[id(mention)] or _locates_a_unit_inside(mention, parties_named)
            by_country[place.country].append((int(secondary), abs(mention.start - trigger_at), mention.slug))
    chosen = {}
    for country, mentions in by_country.items():
        chosen[country] = min(mentions)[2] if mentions else None
    return chosen["vn"], chosen["kr"]


# --- events ---------------------------------------------------------------------------

def _triggers(folded: str) -> list[tuple[int, str]]:
    if not _ANY_TRIGGER_RE.search(folded):
        return []
    hits: list[tuple[int, int, str]] = []
    for kind in ("letter_of_intent", "friendship", "sister_city", "mou", "investment_conference", "anniversary",
                 "visit", "other"):
        for m in _TRIGGER_RES[kind].finditer(folded):
            if any(m.start() < e and s < m.end() for s, e, _ in hits):
                continue
            hits.append((m.start(), m.end(), kind))
    return [(start, kind) for start, _, kind in sorted(hits)]


def _friendship_names_memorandum(near: str) -> bool:
    """True when the friendship words qualify a memorandum ("우호협력 양해각서", "MOU on
    friendship"), not when a sentence lists a friendship agreement and a memorandum."""
    return not re.search(r"(협정|협약|agreement|accord|thoa thuan)\s*(을|를|,|và|va|and|et|와|과)", near)


# Words that name the document generically: right after "자매결연" or "thỏa thuận hữu nghị"
# they are the same document ("자매결연 협정서"), not a second agreement.
_GENERIC_DOCUMENT = re.compile(r"^\W{0,3}(협정|협약|agreement|accord|thoa thuan)")
_SIGNING_CEREMONY = ("le ky ket", "signing ceremony", "ceremonie de signature", "협약식", "체결식")
_MEANS = ("online meeting", "hop truc tuyen", "visioconference", "화상회의", "화상 회의")


def _one_type_per_document(folded: str, kinds: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """One occurrence, one type (issue 14): a generic word naming the sister-city document
    again, a signing ceremony whose document is named, and an online meeting that was only
    the means of a signing are not events of their own."""
    agreements = [(p, k) for p, k in kinds if k in AGREEMENTS]
    kept = []
    for pos, kind in kinds:
        word = folded[pos:pos + 20]
        if kind == "mou" and any(
                k == "sister_city" and p < pos <= p + 14 and _GENERIC_DOCUMENT.match(word)
                for p, k in agreements):
            continue
        if kind == "mou" and word.startswith(_SIGNING_CEREMONY) and any(
                p != pos for p, k in agreements):
            continue
        if kind == "other" and word.startswith(_MEANS) and agreements:
            continue
        kept.append((pos, kind))
    return kept


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
    if len(dates) == len(kinds) and len(kinds) > 1:
        _, value, precision = dates[index]
        return value, precision
    # The most precise date wins ("Hội nghị ... năm 2023" held "sáng nay"), then the nearest.
    rank = {"day": 0, "month": 1, "year": 2}
    best = min(dates, key=lambda d: (rank[d[2]], abs(d[0] - pos)))
    return best[1], best[2]


def extract_events(sentence: str, article_date: date | None, article_places: list[str] | None = None) -> list[Event]:
    """Events stated in one sentence. `article_date` resolves "le 20 novembre", "지난 3일"."""
    sentence = sentence[dateline_length(sentence):].strip()
    # Folding keeps positions for Vietnamese, Korean, French and English text (only rare
    # ligatures such as œ change length), so trigger positions index the sentence too.
    folded = _folded(sentence)
    triggers = _triggers(folded)
    if not triggers:
        return []
    # An institution blocks the sentence unless every one is tied to a place that then is
    # no party (the two governments still named beside it sign: "UBND thành phố Biên Hòa,
    # Hiệp hội Doanh nghiệp tỉnh Đồng Nai và thành phố Yangsan").
    institutions = _institutions(folded)
    not_place_party = bool(institutions) and _unplaced_institution(folded, _mentions(sentence), institutions)
    plain = _NOT_ONLY_RE.sub(lambda m: " " * len(m.group()), folded)
    negation = _NEGATION_RE.search(plain) or _VI_CANCELLED_RE.search(sentence.lower())
    if negation and _DONE_AFTER_ALL_RE.search(folded, negation.end()):
        negation = None
    stance = "negated" if negation else "plan" if _PLAN_RE.search(folded) else None
    if stance is None and _WISH_RE.search(folded):
        return []
    if stance is not None:
        # One event of the stance's type, never the agreement it speaks of.
        if not_place_party:
            return []
        done: list[Event] = []
        plan = _PLAN_RE.search(folded) if stance == "plan" else None
        turn = _THEN_PLAN_RE.search(folded, 0, plan.start()) if plan else None
        if turn:
            # "… đã ký biên bản ghi nhớ năm 2019; nay … dự kiến …", "… 협약을 맺은 데 이어 …
            # 추진한다": what was done before the turn, then the plan after it.
            done = [e for e in extract_events(sentence[:turn.start()], article_date, article_places)
                    if e.type not in ("plan", "negated")]
            vn, kr = _parties(sentence[turn.end():], 0)
            whole = _parties(sentence, triggers[0][0])
            vn, kr = vn or whole[0], kr or whole[1]
        else:
            vn, kr = _parties(sentence, triggers[0][0])
        return done + ([Event(stance, vn, kr, None, None, sentence)] if vn and kr else [])
    signed = bool(_SIGN_RE.search(folded))
    anniversaries = [pos for pos, kind in triggers if kind == "anniversary"]
    kinds: list[tuple[int, str]] = []
    for pos, kind in triggers:
        if kind == "anniversary" and _OCCASION_RE.search(folded[max(0, pos - 20):pos]):
            continue  # "nhân dịp kỷ niệm 10 năm": the occasion of something else
        if kind == "anniversary" and _AHEAD_RE.search(folded[max(0, pos - 30):pos + 25]):
            continue  # "approaches its 20th anniversary", "30주년을 앞두고": not yet
        if kind == "sister_city" and _DESCRIPTOR_RE.search(folded[max(0, pos - 30):pos]):
            continue  # "its Vietnamese sister province": what a party is, not what it signed
        if kind in ("friendship", "sister_city", "mou", "letter_of_intent", "other") and any(
                abs(pos - a) <= 40 for a in anniversaries):
            continue  # "자매결연 30주년 기념식": what is commemorated, not a new agreement
        if kind == "anniversary" and not_place_party:
            continue
        if kind == "friendship":
            # "우호협력 양해각서", "MOU on friendship": a memorandum named right there wins.
            near = folded[max(0, pos - 25):pos + 40]
            kind = "mou" if _MEMORANDUM_RE.search(near) and _friendship_names_memorandum(near) else "sister_city"
        if kind in AGREEMENTS:
            self_signing = kind == "sister_city" and _SELF_SIGNING_RE.search(folded)
            if not (signed or self_signing) or not_place_party:
                continue
        kinds.append((pos, kind))
    kinds = _one_type_per_document(folded, kinds)

    events: list[Event] = []
    for clause_start, clause_end in _clauses(folded):
        in_clause: list[tuple[int, str]] = []
        for pos, kind in kinds:
            if clause_start <= pos < clause_end and kind not in [k for _, k in in_clause]:
                in_clause.append((pos, kind))
        if not in_clause:
            continue
        dates = [(clause_start + p, d, prec) for p, d, prec in find_dates(folded[clause_start:clause_end], article_date)]
        if not dates and clause_start:
            # "Sáng 30/9, đoàn … đã làm việc …; tại buổi làm việc, hai bên đã ký kết …": a
            # clause without a date of its own goes on from the day the sentence set.
            dates = find_dates(folded[:clause_start], article_date)
        agreements = [(p, k) for p, k in in_clause if k in AGREEMENTS]
        for pos, kind in in_clause:
            vn, kr = _parties(sentence, pos, hosts_only=kind == "investment_conference")
            if not vn or not kr:
                continue
            group = agreements if kind in AGREEMENTS else in_clause
            index = group.index((pos, kind)) if (pos, kind) in group else 0
            when = _date_for(index, pos, group, dates)
            if kind not in AGREEMENTS and (when is None or when[1] == "year"):
                continue  # an undated visit or conference is a summary, not an event
            events.append(Event(kind, vn, kr, when[0] if when else None, when[1] if when else None, sentence))
    unique: dict[tuple, Event] = {}
    for event in events:
        unique.setdefault(event.key(), event)
    return list(unique.values())


def evidence_excerpt(sentence: str, limit: int) -> str:
    """The sentence, cut near `limit` characters only after the last words that carry an
    event's date or type (issue 14: quoted evidence is never cut before them)."""
    if len(sentence) <= limit:
        return sentence
    folded = fold(sentence)
    ends = [m.end() for kind in TRIGGERS for m in _TRIGGER_RES[kind].finditer(folded)]
    ends += [end for _, end, _, _ in find_date_spans(folded, None)]
    keep = max([limit, *ends]) if len(folded) == len(sentence) else len(sentence)
    if keep >= len(sentence):
        return sentence
    cut = sentence.find(" ", keep)
    return sentence if cut == -1 else sentence[:cut].rstrip(",;:") + " …"


def events_in_text(text: str, article_date: date | None, article_places: list[str]) -> list[Event]:
    """Events of a whole article; an undated mention of an event that is also found with
    its date (a headline and then the lead) is the same event."""
    found: dict[tuple, Event] = {}
    for paragraph in text.split("\n"):
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


# Events and cooperating pairs are read from an article's first this-many characters: a
# news article states them in its lead, and a document of megabytes (a repeated text, a
# whole report) would otherwise cost seconds per megabyte in place matching and be refused
# by the document budget (archive/ingest/budget.py). Its whole text is still indexed.
EVENT_SCAN_CHARS = 100_000


@lru_cache(maxsize=4096)
def _mentions(sentence: str) -> tuple:
    """The place mentions of a sentence; a text that repeats its sentences (a page printed
    twice, a mirror) is matched once per distinct sentence."""
    return tuple(gazetteer.find_places(sentence))


def _places_in(sentence: str) -> set[str]:
    return {m.slug for m in _mentions(sentence)}


def cooperation_pairs(text: str) -> dict[tuple[str, str], str]:
    """(vn, kr) -> the first sentence naming both places with cooperation words."""
    pairs: dict[tuple[str, str], str] = {}
    for paragraph in text[:EVENT_SCAN_CHARS].split("\n"):
        for pair, sentence in _paragraph_pairs(paragraph):
            pairs.setdefault(pair, sentence)
    return pairs


@lru_cache(maxsize=256)
def _paragraph_pairs(paragraph: str) -> tuple[tuple[tuple[str, str], str], ...]:
    """The pairs of one paragraph (line) for `cooperation_pairs`, each with its first
    sentence, in order. Kept: an article's lines are read twice, for its places
    (extract.place_roles) and for its evidence (read_events). Safe to keep: a pure function
    of the paragraph (the gazetteer and the rules do not change in a process). The reuse is
    within one article, so a few hundred lines are enough, and a worker that reads long
    lines does not keep many of them."""
    pairs: dict[tuple[str, str], str] = {}
    paragraph = paragraph[dateline_length(paragraph):]
    for sentence in split_sentences(paragraph):
        if not _COOPERATION_RE.search(_folded(sentence)):
            continue
        places = _places_in(sentence)
        vn = sorted(s for s in places if gazetteer.get(s).country == "vn")
        kr = sorted(s for s in places if gazetteer.get(s).country == "kr")
        for a in vn:
            for b in kr:
                pairs.setdefault((a, b), sentence)
    return tuple(pairs.items())


# --- stories --------------------------------------------------------------------------

STORY_EVENT_DAYS = 3   # two reports of one event give dates this close
STORY_REPORT_DAYS = 7  # a report appears within a week of its event; later ones are background


def story_keys(events: list[Event], article_date: date | None) -> list[tuple[str, str, str, date]]:
    """What an article reports as news: events dated to the day, close to its own date."""
    keys = []
    for event in events:
        if article_date is None or event.date is None or event.date_precision != "day":
            continue
        if event.type in ("plan", "negated"):
            continue  # not something that happened
        if abs((article_date - event.date).days) > STORY_REPORT_DAYS:
            continue
        keys.append((event.type, event.vn, event.kr, event.date))
    return keys


def same_story(keys_a, keys_b) -> bool:
    for type_a, vn_a, kr_a, when_a in keys_a:
        for type_b, vn_b, kr_b, when_b in keys_b:
            if (type_a, vn_a, kr_a) == (type_b, vn_b, kr_b) and abs((when_a - when_b).days) <= STORY_EVENT_DAYS:
                return True
    return False


# --- all of one text ------------------------------------------------------------------

@dataclass(frozen=True)
class TextEvents:
    """What the rules read in one text with one date and places: computed in the
    extract pass (by an import worker where there is one), and used by the store only for
    that same input."""

    text: str
    published: date | None
    places: tuple[str, ...]
    events: list
    evidence: dict


def read_events(text: str, published: date | None, slugs) -> TextEvents:
    slugs = tuple(slugs)
    text = text[:EVENT_SCAN_CHARS]
    return TextEvents(text, published, slugs, events_in_text(text, published, list(slugs)),
                      cooperation_pairs(text))
