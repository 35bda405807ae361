from pathlib import Path

import pytest

from archive.ingest.clean import clean, repair_glued, repair_with_evidence
from archive.ingest.read import IngestError, read_document

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def cleaned(prefix):
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    return clean(read_document(path.read_bytes(), path.name))


# Boilerplate that follows the article on each seed's site: none of it may remain.
BOILERPLATE = {
    "001": ["Voir plus", "Le chef du Parti reçoit l'ambassadeur américain", "Marc Knapper",
            "Campagne Quang Trung", "source", "ảnh 1"],
    "003": ["Bình luận", "Lượt xem", "Thích 1", "theannieverse2704", "Lotte Shopping", "Gunpo",
            "2025.09.16", "Nguồn tham khảo", "Jeonju"],
    "004": ["sct", "Nguồn tin", "Tổng số điểm", "Click để đánh giá", "Những tin mới hơn",
            "Thống kê truy cập", "Đang truy cập", "452,714,435", "Ecom Binh Phuoc", "ioffice",
            "Portal_Ispeed", "KQ TTHC", "Thời gian chờ", "Thứ hai - 17/04/2023"],
    "000": ["Photo: VNA", "date 2023-02"],
    "002": ["Photo: VNA", "date 2019-11"],
}


@pytest.mark.parametrize("prefix", sorted(BOILERPLATE))
def test_seed_boilerplate_is_removed(prefix):
    doc = cleaned(prefix)
    text = doc.text + "\n" + (doc.headline or "")
    for phrase in BOILERPLATE[prefix]:
        if phrase == "source":
            assert "\nsource\n" not in f"\n{text}\n"
        elif phrase == "sct":
            assert not text.startswith("sct")
        else:
            assert phrase not in text, phrase


def test_seed_article_text_is_kept():
    assert "Le Conseil provincial du Gyeonggi-do continuera" in cleaned("000").text
    assert cleaned("003").text.startswith("Vào ngày 21/10 vừa qua")
    assert cleaned("003").text.endswith("chuỗi cung ứng toàn cầu.")
    doc4 = cleaned("004")
    assert doc4.text.startswith("Trong khuôn khổ chương trình")
    assert "Bản ghi nhớ giữa UBND tỉnh Bình Phước và Hội đồng tỉnh Jeollanam ký ngày 25/12/2019" in doc4.text
    assert doc4.text.endswith("chúng tôi và ngược lại.")


def test_headlines_header_dates_bylines_and_cited_sources_are_separated():
    assert cleaned("001").headline == "Ha Nam renforce la coopération avec la province sud-coréenne de Gyeonggi-do"
    assert cleaned("000").headline is None  # a caption is never a headline
    assert cleaned("000").date_marker == "2023-02"
    doc3 = cleaned("003")
    assert doc3.headline.startswith("Ký Kết Hợp Tác Hữu Nghị")
    assert doc3.cited_urls == ["https://www.yna.co.kr/view/AKR20241021117100061?input=1195m"]
    doc4 = cleaned("004")
    assert doc4.header_lines == ["Thứ hai - 17/04/2023 15:13"]
    assert doc4.byline == "NGUYỄN THỊ HẰNG"
    assert doc4.text.count("Bình Phước thăm và làm việc với Chính quyền tỉnh Jeollanam") == 0


def test_photo_captions_inside_the_body_are_removed():
    doc = cleaned("004")
    assert "chụp ảnh lưu niệm cùng đoàn công tác 2 tỉnh" not in doc.text
    assert "phát biểu tại buổi làm việc\n" not in doc.text + "\n"


def test_text_is_nfc_with_single_spaces():
    import unicodedata

    for prefix in BOILERPLATE:
        text = cleaned(prefix).text
        assert unicodedata.is_normalized("NFC", text)
        assert "  " not in text and "\u00a0" not in text


def test_certain_glue_is_repaired_without_evidence():
    assert repair_glued("province deGyeonggi-do (Corée") == "province de Gyeonggi-do (Corée"
    assert repair_glued("de Ha Nam.Selon la") == "de Ha Nam. Selon la"
    assert repair_glued("Gyeonggi-do,a souligné") == "Gyeonggi-do, a souligné"
    # Not glue: abbreviations, numbers, names with inner capitals.
    assert repair_glued("TP.HCM et 1,7 milliard, WeGo, iPhone") == "TP.HCM et 1,7 milliard, WeGo, iPhone"


def test_glue_is_repaired_against_another_copy_only_where_it_shows_the_split():
    glued = "membre du Conseilde l'éducation, organiséavec succès, partout"
    evidence = "membre du Conseil de l'éducation, organisé avec succès, par tout le pays, partout"
    assert repair_with_evidence(glued, evidence) == (
        "membre du Conseil de l'éducation, organisé avec succès, partout"
    )


def test_html_page_main_text_and_metadata():
    page = """<html lang="fr"><head><title>Coopération | VNA</title>
    <meta property="article:published_time" content="2024-10-21T09:00:00+07:00">
    <script>alert('x')</script></head><body>
    <nav><a href="/">Accueil</a><a href="/monde">Monde</a></nav>
    <article><h1>Gyeonggi et Hanoï signent un protocole d'accord</h1>
    <p>Hanoï (VNA) – La province sud-coréenne de Gyeonggi et Hanoï ont signé le 21 octobre un protocole d'accord
    de coopération dans les domaines de l'économie, de la culture, de l'éducation et de la ville intelligente.</p>
    <p>Les deux parties coopéreront dans l'économie et la culture, et organiseront chaque année des échanges
    de fonctionnaires, d'étudiants et d'entreprises entre les deux localités, a indiqué le comité populaire.</p>
    <div class="related"><p>Voir aussi : un autre article.</p></div></article>
    <footer>© VNA</footer></body></html>"""
    doc = clean(read_document(page.encode(), "p.html"))
    assert doc.headline == "Gyeonggi et Hanoï signent un protocole d'accord"
    assert doc.paragraphs[0].startswith("Hanoï (VNA) – La province")
    assert "alert" not in doc.text and "Accueil" not in doc.text and "un autre article" not in doc.text
    assert doc.page_meta["published"] == "2024-10-21T09:00:00+07:00"
    assert doc.page_meta["lang"] == "fr"


def test_a_page_of_navigation_only_is_rejected():
    page = "<html><body><nav><a href='/'>Home</a></nav><ul><li>Menu</li><li>News</li></ul></body></html>"
    with pytest.raises(IngestError, match="no article found"):
        clean(read_document(page.encode(), "nav.html"))
