from datetime import date
from pathlib import Path

import pytest

from archive.ingest.clean import clean
from archive.ingest.extract import derive_title, detect_language, extract
from archive.ingest.read import Provenance, read_document

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def meta_of(prefix, provenance=None):
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    doc = clean(read_document(path.read_bytes(), path.name))
    return extract(doc, provenance or Provenance())


EXPECTED = {
    # prefix: language, date, precision, source, places, countries
    "000": ("fr", date(2023, 2, 1), "month", "vna", ["gyeonggi", "ha-nam"], ["vn", "kr"]),
    "001": ("fr", None, None, "vna", ["gyeonggi", "ha-nam"], ["vn", "kr"]),
    "002": ("fr", date(2019, 11, 23), "day", "vna", ["ha-noi", "seoul"], ["vn", "kr"]),  # Suwon: a visit site
    "003": ("vi", date(2024, 10, 21), "day", "yonhap",
            ["gyeonggi", "ha-noi", "ho-chi-minh", "nghe-an", "suwon"], ["vn", "kr"]),
    "004": ("vi", date(2023, 4, 17), "day", "binh-phuoc-portal", ["binh-phuoc", "jeollanam"], ["vn", "kr"]),
}


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_seed_metadata(prefix):
    language, published, precision, source, places, countries = EXPECTED[prefix]
    meta = meta_of(prefix)
    assert meta.language == language
    assert meta.published == published
    assert meta.date_precision == precision
    assert (meta.source.slug if meta.source else None) == source
    assert sorted(meta.places) == places
    assert meta.countries == countries


def test_a_visit_site_named_in_passing_is_a_venue():
    # 002: "... visité le Centre ... de la ville de Suwon, à 50km de Séoul", once, late.
    assert meta_of("002").venues == ["suwon"]


def test_a_dateline_alone_does_not_make_a_place():
    # 000 says "Hanoi (VNA) -" and nothing else about Hanoi.
    assert "ha-noi" not in meta_of("000").places


def test_titles():
    assert meta_of("001").title == "Ha Nam renforce la coopération avec la province sud-coréenne de Gyeonggi-do"
    assert not meta_of("001").title_derived
    derived = meta_of("000")
    assert derived.title_derived
    assert derived.title.startswith("Une délégation du Conseil provincial de Gyeonggi-do")
    assert "Photo" not in derived.title and "Rencontre" not in derived.title
    assert meta_of("004").title == "Bình Phước thăm và làm việc với Chính quyền tỉnh Jeollanam, Hàn Quốc"


def test_a_cited_url_is_not_the_capture_url():
    meta = meta_of("003")
    assert meta.source_url is None
    assert meta.cited_urls == ["https://www.yna.co.kr/view/AKR20241021117100061?input=1195m"]


def test_capture_url_comes_from_provenance():
    meta = meta_of("000", Provenance(source_url="https://fr.vietnamplus.vn/ha-nam.vnp"))
    assert meta.source_url == "https://fr.vietnamplus.vn/ha-nam.vnp"


def test_each_field_says_where_it_came_from():
    sources = meta_of("004").sources
    assert sources["published"].startswith("page header") and "17/04/2023" in sources["published"]
    assert sources["source"] == "site footer"
    assert meta_of("002").sources["published"] == "dateline: Séoul, 23 novembre (VNA)"
    # The scraper's marker gives the month; "le 21 février" in the lead is the visit's day.
    assert meta_of("000").sources["published"] == "date marker: date 2023-02"


@pytest.mark.parametrize(
    "text, language",
    [
        ("경기도와 하노이시는 21일 우호교류 협약을 체결했다.", "ko"),
        ("Tỉnh Gyeonggi và thành phố Hà Nội đã ký kết bản ghi nhớ.", "vi"),
        ("La province de Gyeonggi et Hanoï ont signé un protocole d'accord.", "fr"),
        ("Gyeonggi Province and Hanoi signed a memorandum of understanding on the 21st.", "en"),
        ("Le président du Comité populaire de Hanoï, Nguyen Duc Chung, a reçu le maire.", "fr"),
    ],
)
def test_language_detection(text, language):
    assert detect_language(text) == language


def test_derived_title_drops_the_dateline_and_is_cut_at_a_word():
    title = derive_title("Séoul, 23 novembre (VNA) – Le président du Comité populaire de Hanoï, Nguyen Duc Chung, "
                         "a souhaité une coopération continue entre Hanoï et Séoul dans divers domaines.")
    assert title.startswith("Le président du Comité populaire")
    assert title.endswith("…")


def test_a_language_outside_the_four_keeps_its_own_code():
    malay = ("Kerajaan negeri Selangor menandatangani memorandum persefahaman dengan wilayah Binh Duong "
             "di Vietnam untuk memperkukuh kerjasama ekonomi, pendidikan dan pelancongan antara kedua-dua pihak.")
    assert detect_language(malay) == "ms"


# --- the places an article is about vs venues and datelines (issue 14) --------------------

def test_place_roles_keep_venues_and_datelines_apart():
    from archive.ingest.extract import place_roles

    places, venues = place_roles(
        "Chuncheon và Đà Lạt ký kết hợp tác",
        ["HÀ NỘI (TTXVN) - Lễ ký kết giữa thành phố Chuncheon và thành phố Đà Lạt diễn ra tại Seoul.",
         "Đoàn đã đến thăm Quy Nhơn và làm việc ở Hà Nội."],
    )
    assert places == ["chuncheon", "da-lat", "quy-nhon"]
    assert venues == ["ha-noi", "seoul"]  # a dateline and two venues, in order of first mention


def test_place_roles_one_other_mention_makes_a_party():
    from archive.ingest.extract import place_roles

    places, venues = place_roles("", ["The MOU was signed in Suwon.", "Suwon and Hai Phong agreed to cooperate."])
    assert (places, venues) == (["suwon", "hai-phong"], [])
    places, venues = place_roles("", ["용인시와 꽝남성이 서울에서 협약을 맺었다.", "협약식은 서울에서 열렸다."])
    assert places == ["yongin", "quang-nam"] and venues == ["seoul"]


def test_place_roles_the_other_side_named_once_is_the_partner():
    """A cooperation has two sides: when every place the article is about is Vietnamese, a
    Korean place named once later, not as a venue, is its partner (and the other way round);
    with both sides already there, a place named once in passing stays out."""
    from archive.ingest.extract import place_roles

    lead = ["Quảng Nam đẩy mạnh hợp tác với Hàn Quốc", "Tỉnh Quảng Nam tiếp đoàn công tác Hàn Quốc.", "Hai bên trao đổi.",
            "Hai bên bàn về du lịch."]
    places, _ = place_roles("", lead + ["Ông Kim, thị trưởng thành phố Yongin, cảm ơn tỉnh."])
    assert places == ["quang-nam", "yongin"]
    places, venues = place_roles("", ["Quảng Nam tiếp đoàn thành phố Yongin", "Hai bên trao đổi.", "Hai bên bàn về du lịch.",
                                      "Ông Kim từng làm việc với Busan."])
    assert places == ["quang-nam", "yongin"] and venues == ["busan"]


def test_place_roles_an_airport_or_a_ward_is_not_the_unit():
    from archive.ingest.extract import place_roles

    places, venues = place_roles("춘천시와 달랏시 교류", ["달랏시장은 “달랏공항과 인천공항을 오가는 직항을 개설했다”고 말했다."])
    assert places == ["chuncheon", "da-lat"] and venues == ["incheon"]
    places, venues = place_roles("Đà Lạt – Chuncheon", ["Triển lãm tại Nhà triển lãm (khu Hòa Bình) và sân bay Liên Khương."])
    assert "hoa-binh" not in places and "hoa-binh" in venues
    places, _ = place_roles("Seoul và Hà Nội", ["Chuyến bay từ sân bay quốc tế Đà Nẵng."])
    assert "da-nang" not in places
    places, _ = place_roles("Seoul and Ha Noi", ["Flights from Incheon Airport."])
    assert "incheon" not in places
    # 'thị xã' is a town's own unit word, not a commune: 'thị xã Dĩ An' is the town
    places, venues = place_roles("Thị xã Dĩ An kết nghĩa với quận Seodaemun", ["Hai bên ký kết."])
    assert places == ["di-an", "seodaemun"] and venues == []
    places, venues = place_roles("Seodaemun và Dĩ An", ["Đoàn đến xã Dĩ An."])
    assert venues == [] and places == ["seodaemun", "di-an"]  # named in the title all the same


def test_place_roles_korean_agency_and_vns_datelines_are_venues():
    from archive.ingest.extract import place_roles

    for dateline in ("[서울=뉴시스] 김기자 = ", "(서울=뉴스1) 이기자 = ", "【서울=뉴시스】"):
        places, venues = place_roles("수원시-빈즈엉성 우호협력", [dateline + "수원시와 빈즈엉성이 협약을 맺었다."])
        assert (places, venues) == (["suwon", "binh-duong"], ["seoul"]), dateline
    places, venues = place_roles("Suwon and Binh Duong sign agreement",
                                 ["Da Nang (VNS) — Suwon and Binh Duong signed a friendship agreement."])
    assert (places, venues) == (["suwon", "binh-duong"], ["da-nang"])


def test_place_roles_the_ends_of_an_air_route_are_not_parties():
    """A route is named after its two ends ('the Seoul - Da Nang flight route', 'la ligne
    aérienne Busan-Dà Nang', 'đường bay … - Incheon', '부산-다낭 노선'): neither end is a party."""
    from archive.ingest.extract import place_roles

    places, venues = place_roles("Daegu and Da Nang sign friendship deal",
                                 ["Daegu and Da Nang signed a friendship agreement.",
                                  "The mayor welcomed the new Seoul - Da Nang flight route."])
    assert (places, venues) == (["daegu", "da-nang"], ["seoul"])  # Da Nang is a party all the same
    places, venues = place_roles("Gyeonggi et Hanoï signent un accord",
                                 ["La province de Gyeonggi et Hanoï ont signé un accord.",
                                  "La ligne aérienne Busan-Dà Nang facilite aussi les échanges."])
    assert (places, venues) == (["gyeonggi", "ha-noi"], ["busan", "da-nang"])
    places, venues = place_roles("Cần Thơ và Gyeonggi hợp tác", ["Thành phố Cần Thơ và tỉnh Gyeonggi ký kết hợp tác.",
                                                                 "Hai bên mong sớm mở đường bay Cần Thơ - Incheon."])
    assert (places, venues) == (["can-tho", "gyeonggi"], ["incheon"])
    places, venues = place_roles("경기도-하노이 협력", ["경기도와 하노이시가 협약을 맺었다.", "부산-다낭 노선도 늘어난다."])
    assert (places, venues) == (["gyeonggi", "ha-noi"], ["busan", "da-nang"])


def test_place_roles_every_name_of_a_list_after_a_venue_word_is_a_venue():
    from archive.ingest.extract import place_roles

    places, venues = place_roles("Da Nang et Daegu renforcent leurs échanges",
                                 ["Les jeunes de Da Nang et de Daegu ont mené des activités dans les districts "
                                  "de Hoa Vang et Hai Chau, ville de Da Nang."])
    assert (places, venues) == (["da-nang", "daegu"], ["hoa-vang", "hai-chau"])
    places, venues = place_roles("Binh Duong and Gyeonggi deepen ties",
                                 ["Binh Duong and Gyeonggi signed a memorandum.",
                                  "The exchange took place in Suwon and Yongin."])
    assert (places, venues) == (["binh-duong", "gyeonggi"], ["suwon", "yongin"])
    # without a venue word, 'and' joins parties
    places, _ = place_roles("Binh Duong and Gyeonggi deepen ties",
                            ["Binh Duong and Gyeonggi signed a memorandum.", "Hai Chau and Suwon also met."])
    assert "suwon" in places


def test_place_roles_a_school_named_after_a_unit_and_its_address_are_not_the_unit():
    from archive.ingest.extract import place_roles

    places, venues = place_roles("Thanh niên Long An và Chungcheongnam giao lưu",
                                 ["Đoàn thanh niên tỉnh Chungcheongnam đã đến Trường THPT Tân Trụ, huyện Tân Trụ "
                                  "để giao lưu với thanh niên tỉnh Long An."])
    assert (places, venues) == (["long-an", "chungcheongnam"], ["tan-tru"])


def test_place_roles_a_vietnamese_host_of_korea_s_embassy_or_consulate_is_no_party():
    """A cooperation needs a Korean locality: when the Korean side is Korea's embassy or a
    consulate, the Vietnamese places only host the visit or the event."""
    from archive.ingest.extract import place_roles

    places, venues = place_roles("Đại sứ quán Hàn Quốc tổ chức ngày hội văn hóa tại Bình Định",
                                 ["Tỉnh Bình Định phối hợp với Đại sứ quán Hàn Quốc tổ chức chương trình.",
                                  "Bình Định có nhiều bãi biển đẹp."])
    assert (places, venues) == ([], ["binh-dinh"])
    places, venues = place_roles("Hue leaders receive new Korean consul",
                                 ["Leaders of Thua Thien Hue received the Consul General of South Korea in Da Nang.",
                                  "Hue hopes to attract more Korean investors."])
    assert (places, venues) == ([], ["hue", "da-nang"])
    # with a Korean locality the ambassador is a guest and both sides are parties
    places, _ = place_roles("Bình Định và Yongsan thắt chặt quan hệ",
                            ["Tỉnh Bình Định và quận Yongsan ký kết hợp tác trước sự chứng kiến của Đại sứ Hàn Quốc."])
    assert places == ["binh-dinh", "yongsan"]
    # a Korean place working with Vietnam's embassy stays a party
    places, _ = place_roles("Gangwon seeks Vietnamese seasonal workers",
                            ["Gangwon province met officials of the Vietnamese Embassy.",
                             "Gangwon needs 5,000 workers."])
    assert places == ["gangwon"]


def test_place_roles_a_one_sided_title_venue_is_where_an_event_was_held():
    """No place of the other country at all, and the title sets the article at its place
    ('… tại Muan'): the place is the event's venue, not a party."""
    from archive.ingest.extract import place_roles

    body = ["Huyện Muan tổ chức ngày hội cho lao động thời vụ nước ngoài.", "Huyện Muan có nhiều nông dân."]
    assert place_roles("Ngày hội lao động thời vụ tại Muan", body) == ([], ["muan"])
    assert place_roles("Huyện Muan tổ chức ngày hội lao động thời vụ", body) == (["muan"], [])  # the title's actor
    places, _ = place_roles("Ngày hội hữu nghị tại Muan", ["Huyện Muan và tỉnh Bến Tre ký kết hợp tác nông nghiệp."])
    assert places == ["muan", "ben-tre"]  # two sides: a party
