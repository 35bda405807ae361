"""Stage 3, extract: title, date, language, source, places and countries of one document.

Each field records how it was found (`sources`), so an editor can see why the archive
believes what it shows.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from archive import gazetteer
from archive.ingest import dates, review, sites
from archive.ingest.clean import CleanDocument
from archive.ingest.datewords import dateline_length
from archive.ingest.events import EVENT_SCAN_CHARS, cooperation_pairs
from archive.ingest.headline import strip_lead_credit
from archive.ingest.language import SURE, identify
from archive.ingest.read import Provenance
from archive.textnorm import fold

DERIVED_TITLE_WORDS = 14


@dataclass
class Metadata:
    title: str
    title_derived: bool
    language: str
    published: date | None = None
    date_precision: str | None = None
    date_basis: str = ""  # how the date was found and the words that gave it
    source: sites.SourceInfo | None = None  # the credited agency, else the site
    site: sites.SourceInfo | None = None  # the site that carried this copy
    source_url: str | None = None
    author: str | None = None
    cited_urls: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)  # the parties and the places it is about
    venues: list[str] = field(default_factory=list)  # named only as a venue or a dateline
    countries: list[str] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)
    review: list[str] = field(default_factory=list)  # why an editor should look (see review.py)

    def as_json(self) -> dict:
        return {
            "title": self.title,
            "title_derived": self.title_derived,
            "language": self.language,
            "published": self.published.isoformat() if self.published else None,
            "date_precision": self.date_precision,
            "date_basis": self.date_basis,
            "source": self.source.slug if self.source else None,
            "site": self.site.slug if self.site else None,
            "source_url": self.source_url,
            "author": self.author,
            "cited_urls": self.cited_urls,
            "places": self.places,
            "venues": self.venues,
            "countries": self.countries,
            "field_sources": self.sources,
            "review": self.review,
        }


# --- language -------------------------------------------------------------------------

def detect_language(text: str) -> str:
    """The ISO 639-1 code of the text's language (see `archive.ingest.language`)."""
    return identify(text).code


# --- title ----------------------------------------------------------------------------

def derive_title(first_paragraph: str) -> str:
    """A title from the lead sentence, without its dateline, cut at a word boundary."""
    # Never a credit or byline first: "(VOV5) -", "[일요신문]", "김평석 기자 =".
    lead = strip_lead_credit(first_paragraph[dateline_length(first_paragraph):])
    sentence = re.split(r"(?<=[.!?。])\s", lead, maxsplit=1)[0].strip()
    words = sentence.split()
    if len(words) <= DERIVED_TITLE_WORDS:
        return sentence.rstrip(".")
    return " ".join(words[:DERIVED_TITLE_WORDS]).rstrip(",;:") + "…"


# --- places ---------------------------------------------------------------------------

# A place named right after one of these words is where something happened, not a party:
# 'tại Seoul', 'ở Hà Nội', 'in Seoul', 'at Suwon', 'à Séoul', 'au Gyeonggi'. A class noun
# may sit between ('tại thành phố Quy Nhơn', 'in the city of Suwon'). Korean marks it after
# the name: '서울에서'.
_VENUE_BEFORE = re.compile(
    r"(?:\b(?:tại|ở|in|at|à|au|aux|dans)\s+(?:(?:the\s+)?(?:city|province|capital|districts?)\s+of\s+"
    r"|(?:thành phố|tỉnh|thủ đô|huyện|quận|thị xã|TP\.?|la ville de|la province de|la ville sud-coréenne de"
    r"|(?:le |les )?districts? de)\s+)?)$",
    re.IGNORECASE,
)
_VENUE_AFTER = re.compile(r"^(?:시|도|성|군|구|특별시|광역시)?에서")
# The second name of a list after a venue word is a venue too ('dans les districts de Bên
# Luc et Thu Thua', 'in Seoul and Suwon'): the words before it, less one capitalised name
# and the 'and', are read again.
_AND_BEFORE = re.compile(r"\s(?:et|and|và)\s+$")
LIST_NAME_WORDS = 3
# Not the unit at all: an airport or a school named after it ('인천공항', 'sân bay Đà Lạt',
# 'Incheon airport', 'Trường THPT Tân Trụ'), or a ward, commune or quarter that shares its
# name ('khu Hòa Bình', 'xã Tân Trụ').
_FACILITY = (r"(?:(?:sân bay|cảng hàng không)(?: quốc tế)?|aéroport(?: international)? de"
             r"|trường (?:THPT|THCS|PTTH|tiểu học|trung học(?: cơ sở| phổ thông)?|mầm non))")
_NOT_THE_UNIT_BEFORE = re.compile(rf"\b(?:{_FACILITY}|khu|phường|(?<!thị )xã|làng|thôn|ấp)\s+$", re.IGNORECASE)
_NOT_THE_UNIT_AFTER = re.compile(r"^(?:\s?(?:국제)?공항|\s+(?:International\s+)?[Aa]irport)")
# The unit such a school or airport stands in, named after it as its address, is where it
# is ('Trường THPT Tân Trụ, huyện Tân Trụ', 'sân bay Liên Khương (tỉnh Lâm Đồng)').
_FACILITY_ADDRESS = re.compile(rf"\b{_FACILITY}\s+[^\n,;()]{{1,30}}[,(]\s*[^,;()\n]{{0,15}}$", re.IGNORECASE)
# Nor is one end of an air route a party: the route is named after it ('the Hue - Seoul
# flight route', 'la ligne aérienne Busan-Dà Nang', 'đường bay Hà Nội - Busan', '부산-다낭 노선').
_ROUTE_BEFORE = re.compile(
    r"\b(?:ligne aérienne|liaison aérienne|route aérienne|vols? directs?|đường bay|tuyến bay|(?:air|flight) route"
    r"|direct flights?)\s+(?:(?:directe?|thẳng|between|entre)\s+)?"
    r"(?:[^\n.,;:()]{1,30}?(?:\s*[-–—]|\s(?:and|et|và))\s*)?$",
    re.IGNORECASE)
_ROUTE_AFTER = re.compile(
    r"^\s*(?:\([^()\n]{1,20}\)\s*)?(?:[-–—]\s*[^\n.,;:()]{1,30}?\s*(?:\([^()\n]{1,20}\)\s*)?)?"
    r"(?:(?:air|flight)\s+route|direct\s+flights?|flights?\b|(?:직항\s*)?노선|직항로)",
    re.IGNORECASE)


def _is_venue_before(before: str) -> bool:
    if _VENUE_BEFORE.search(before):
        return True
    listed = _AND_BEFORE.search(before)
    if not listed:
        return False
    words = before[:listed.start()].split()
    name = 0
    while name < LIST_NAME_WORDS and words and words[-1][:1].isupper():
        words.pop()
        name += 1
    return bool(name and words and _VENUE_BEFORE.search(" ".join(words) + " "))


def _is_venue_mention(text: str, start: int, end: int) -> bool:
    before = text[max(0, start - 80):start]
    after = text[end:end + 40]
    return bool(_is_venue_before(before[-40:]) or _VENUE_AFTER.match(after)
                or _NOT_THE_UNIT_BEFORE.search(before[-40:]) or _NOT_THE_UNIT_AFTER.match(after)
                or _FACILITY_ADDRESS.search(before) or _ROUTE_BEFORE.search(before[-60:])
                or _ROUTE_AFTER.match(after))


LEAD_PARAGRAPHS = 2  # the title is paragraph 0

# Datelines datewords.dateline_length does not read (it serves dates too): Korean agencies
# other than 연합뉴스 ('[수원=뉴시스]', '(춘천=뉴스1)', '【서울=뉴시스】') and Vietnamese ones
# other than VNA ('Da Nang (VNS) —').
_MORE_DATELINES = re.compile(
    r"^\s*[(\[【]\s*[가-힣]{1,10}\s*=\s*[^\])】\n]{1,20}[)\]】]\s*"
    r"|^[^\W\d][^()\n]{0,40}?\s*\((?:VNS|VNP|VOV(?:\.VN)?|NDO|SGGP|TTO|BNEWS|VietnamPlus|Vietnam\+|Chinhphu\.vn)\)\s*[-–—:]*\s*"
)


def _dateline(text: str) -> int:
    m = _MORE_DATELINES.match(text)
    return max(dateline_length(text), m.end() if m else 0)


def place_roles(title: str, paragraphs: list[str]) -> tuple[list[str], list[str]]:
    """(places, venues): slugs of the places the article is about (its parties and what it
    is about) and of the places named only as a venue or a dateline, each in order of
    first mention.

    A dateline ("Hanoi (VNA) –") says where the reporter filed from; a place named only
    there, or only after 'tại/in/at/à' or before '에서', is a venue. A place the article is
    about is named (not as a venue) in the title or the first two paragraphs, or twice, or
    in a sentence that pairs a Vietnamese and a Korean place with cooperation words
    (events.cooperation_pairs); any other mention is in passing (a comparison, a list, a
    background place) and goes with the venues. A school, an airport or an air route named
    after a place is not the place. A one-sided article has no partner locality: its places
    only host it when Korea's embassy or a consulate is the Korean side, or when the title
    names them only as a venue and no place of the other country is named
    (_hosts_without_a_partner).
    """
    order: list[str] = []
    counts: dict[str, int] = {}
    lead: set[str] = set()
    texts, read = [], 0
    for text in [title] + paragraphs:  # the lead and body up to EVENT_SCAN_CHARS, as for events
        if read >= EVENT_SCAN_CHARS:
            break
        texts.append(text[:EVENT_SCAN_CHARS - read])
        read += len(texts[-1])
    title_venues: set[str] = set()  # named in the title as a venue ...
    title_named: set[str] = set()  # ... and not as one
    for index, text in enumerate(texts):
        skip = _dateline(text) if index >= 1 else 0
        for mention in gazetteer.find_places(text):
            if mention.slug not in order:
                order.append(mention.slug)
            venue = mention.start < skip or _is_venue_mention(text, mention.start, mention.end)
            if index == 0:
                (title_venues if venue else title_named).add(mention.slug)
            if venue:
                continue
            counts[mention.slug] = counts.get(mention.slug, 0) + 1
            if index <= LEAD_PARAGRAPHS:
                lead.add(mention.slug)
    paired = {slug for pair in cooperation_pairs("\n".join(texts)) for slug in pair}
    about = {s for s, n in counts.items() if s in lead or n >= 2 or s in paired}
    # Cooperation has two sides: when the places it is about are all of one country, the
    # other country's places named once, not as a venue, are its partner ('maire de la
    # ville de Yongin' in the fifth paragraph).
    sides = {_country(s) for s in about}
    if len(sides) <= 1:
        about |= {s for s in counts if _country(s) not in sides}
        about -= _hosts_without_a_partner(about, order, title_venues - title_named, texts)
    return [s for s in order if s in about], [s for s in order if s not in about]


# Korea's embassy or a consulate (its national representation, not a locality): 'Đại sứ
# quán Hàn Quốc', 'Tổng Lãnh sự Hàn Quốc', "l'ambassade sud-coréenne", 'the Consul General
# of South Korea', 'the RoK Embassy', '주베트남 한국대사관'. Matched on folded text.
_KOREAN_MISSION = re.compile(
    r"\b(?:dai su quan|dai su|(?:tong )?lanh su(?: quan)?)\s+(?:nuoc\s+)?(?:han quoc|dai han dan quoc)"
    r"|\b(?:ambassade|ambassadeur|consulat(?: general)?|consul(?: general)?)\s+(?:sud[- ]coreen(?:ne)?|de coree"
    r"|de la republique de coree|de la r\.? ?de coree)"
    r"|\b(?:embassy|ambassador|consulate(?: general)?|consul general)\s+of\s+(?:the\s+)?"
    r"(?:republic of korea|south korea|korea|rok)\b"
    r"|\b(?:south korean|korean|rok)\s+(?:embassy|ambassador|consulate(?: general)?|consul general)\b"
    r"|주\s?(?:베트남|하노이|호찌민|호치민|다낭)\s?(?:한국\s?)?(?:대사관|대사|총영사관|총영사|영사관)|한국\s?(?:대사관|총영사관)"
)


def _hosts_without_a_partner(about: set[str], order: list[str], title_venues: set[str], texts: list[str]) -> set[str]:
    """The places of a one-sided article (all of one country) that only host it: with no
    partner locality, Vietnamese places whose Korean side is Korea's embassy or a consulate
    host a national visit or event; and when no place of the other country is named at
    all, a place the title names only as a venue ('… tại Muan', '… à Quang Nam') is where
    an event was held. `order` holds every place named, `title_venues` the title's venues."""
    sides = {_country(s) for s in about}
    if len(sides) != 1:
        return set()
    if sides == {"vn"} and _KOREAN_MISSION.search(fold("\n".join(texts))):
        return set(about)
    if any(_country(s) not in sides for s in order):
        return set()
    return about & title_venues


def _country(slug: str) -> str | None:
    place = gazetteer.get(slug)
    return place.country if place else None


def find_places(title: str, paragraphs: list[str]) -> list[str]:
    """Slugs of the places the article is about, in order of first mention (see place_roles)."""
    return place_roles(title, paragraphs)[0]


def find_countries(text: str, place_slugs: list[str]) -> list[str]:
    found = set(gazetteer.find_countries(text))
    for slug in place_slugs:
        place = gazetteer.get(slug)
        if place:
            found.add(place.country)
    return sorted(found & {"vn", "kr"}, key=["vn", "kr"].index)


# --- all fields -----------------------------------------------------------------------

def extract(doc: CleanDocument, provenance: Provenance) -> Metadata:
    body = doc.text
    sources: dict[str, str] = {}
    if doc.headline:
        title, derived = doc.headline, False
        sources["title"] = "page headline" if doc.page_meta else "headline line"
    else:
        title, derived = derive_title(doc.paragraphs[0]), True
        sources["title"] = "derived from the lead sentence"

    found = dates.publication_date(
        page_meta=doc.page_meta,
        header_lines=doc.header_lines,
        date_marker=doc.date_marker,
        paragraphs=doc.paragraphs,
        cited_urls=doc.cited_urls,
        footer_lines=doc.footer_lines,
    )
    if found:
        sources["published"] = found.basis

    page_lang = (doc.page_meta.get("lang") or "")[:2].lower()
    identified = identify(title + "\n" + body)
    language = identified.code
    sources["language"] = f"identified from the text (py3langid, p={identified.probability:.2f})"
    unsure = [review.UNSURE_LANGUAGE] if identified.probability < SURE else []
    if page_lang in ("vi", "ko", "fr", "en") and page_lang != language:
        # The text decides; a template's lang attribute is often the site default.
        sources["language"] += f" (page said {page_lang})"

    source, how = sites.detect_source(
        body + "\n" + (doc.credit or ""), "\n".join(doc.removed + doc.header_lines + doc.footer_lines),
        provenance.source_url, doc.cited_urls,
        provenance.site or doc.page_meta.get("site_name") or doc.page_meta.get("publisher"),
    )
    if how:
        sources["source"] = how

    places, venues = place_roles(title, doc.paragraphs)
    countries = find_countries(title + "\n" + body, places)
    return Metadata(
        title=title,
        title_derived=derived,
        language=language,
        published=found.value if found else None,
        date_precision=found.precision if found else None,
        date_basis=found.basis if found else "",
        source=source,
        site=sites.detect_site(provenance.source_url, provenance.site or doc.page_meta.get("site_name")),
        source_url=provenance.source_url,  # never the canonical link or a cited URL
        author=doc.byline or doc.page_meta.get("author"),
        cited_urls=list(doc.cited_urls),
        places=places,
        venues=venues,
        countries=countries,
        sources=sources,
        review=list(doc.review) + unsure + review.field_reasons(found.value if found else None, derived),
    )
