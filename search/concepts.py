"""Cooperation vocabulary across the four languages, for query expansion.

A researcher who types 업무협약, "protocole d'accord" or "bản ghi nhớ" means the same
thing; so does one who types jumelage, kết nghĩa, 자매결연 or "sister city". Each concept
below lists the ways the news writes it; a query that names one form searches them all,
as place names do with the gazetteer. A concept lists only forms that mean it: a friendship
exchange (우호교류) is not a sister-city tie, so it is not among the sister city's forms. Our own domain lexicon: the same words the event
rules in archive/ingest/events.py read.
"""
from __future__ import annotations

from functools import lru_cache

from search.analysis import analyze

CONCEPTS: dict[str, list[str]] = {
    "mou": ["bản ghi nhớ", "biên bản ghi nhớ", "ghi nhớ hợp tác", "thỏa thuận hợp tác", "MOU", "MoU",
            "memorandum of understanding", "protocole d'accord", "mémorandum d'entente", "업무협약",
            "양해각서", "협약", "cooperation agreement", "accord de coopération"],
    "letter_of_intent": ["ý định thư", "thư ý định", "lettre d'intention", "letter of intent", "의향서"],
    "sister_city": ["kết nghĩa", "thành phố kết nghĩa", "jumelage", "jumelée", "jumelées", "sister city",
                    "sister cities", "sister-city", "twinning", "자매결연", "자매도시"],
    "investment_conference": ["xúc tiến đầu tư", "hội nghị xúc tiến đầu tư", "promotion de l'investissement",
                              "promotion des investissements", "conférence de promotion des investissements",
                              "investment promotion", "investment conference", "investment promotion conference",
                              "투자설명회", "투자 설명회", "투자유치"],
    "seasonal_workers": ["lao động thời vụ", "travailleurs saisonniers", "travailleur saisonnier",
                         "seasonal workers", "seasonal worker", "계절근로자", "계절 근로자"],
    "smart_city": ["đô thị thông minh", "thành phố thông minh", "ville intelligente", "smart city",
                   "스마트시티", "스마트 시티"],
    "health": ["y tế", "bệnh viện", "santé", "hôpital", "hôpitaux", "hospital", "hospitals", "healthcare",
               "medical", "의료", "병원", "보건"],
    "delegation": ["đoàn công tác", "đoàn đại biểu", "délégation", "delegation", "대표단", "방문단"],
    "agriculture": ["nông nghiệp", "agriculture", "agricole", "agricultural", "농업", "스마트농업"],
    "tourism": ["du lịch", "tourisme", "tourism", "관광"],
    "education": ["giáo dục", "éducation", "education", "교육", "du học sinh", "étudiants", "students", "유학생"],
}


@lru_cache(maxsize=1)
def _index() -> dict[tuple[str, ...], str]:
    found: dict[tuple[str, ...], str] = {}
    for concept, forms in CONCEPTS.items():
        for form in forms:
            tokens = tuple(analyze(form))
            if tokens:
                found.setdefault(tokens, concept)
    return found


def lookup(phrase: str) -> str | None:
    """The concept a query phrase names, if any: 'Jumelage' -> 'sister_city'."""
    return _index().get(tuple(analyze(phrase)))


def forms(concept: str) -> list[str]:
    return list(CONCEPTS.get(concept, ()))
