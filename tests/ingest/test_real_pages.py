"""The rules for real pages (issue 13), each on cases from the tuning half of the real
dumps, read from ../shared at run time (third-party news: never copied here).

Only tuning-half items are named: the test half is measured as a whole by the bench.
"""
from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from archive.ingest import clean, extract, read
from archive.ingest.stamps import is_stamp_line, stamps_in_line

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "eval" / "real-dumps"
SPLIT = json.loads((REPO / "bench" / "real_dumps_split.json").read_text(encoding="utf-8"))


def _path(item: str) -> Path:
    if not (CORPUS / "manifest.json").exists():
        pytest.skip(f"the real dumps are not at {CORPUS}: they live beside the checkout, never in it")
    found = sorted(CORPUS.glob(f"{item}_*.txt"))
    assert found, item
    assert found[0].stem in SPLIT["tune"], f"{item} is not in the tuning half"
    return found[0]


@cache
def label(item: str) -> dict:
    return json.loads(_path(item).with_suffix(".json").read_text(encoding="utf-8"))


@cache
def run(item: str) -> tuple[clean.CleanDocument, extract.Metadata]:
    path = _path(item)
    provenance = read.Provenance()  # a bare .txt: no URL, no site
    raw = read.read_document(path.read_bytes(), path.name, provenance)
    doc = clean.clean(raw)
    return doc, extract.extract(doc, provenance)


# --- dates --------------------------------------------------------------------------

@pytest.mark.parametrize("item, words", [
    ("d012", "입력 2024-02-18"),          # 입력 … 수정 … on one line: the publication stamp
    ("d013", "기사승인 2024-02-18"),
    ("d034", "승인 2012.11.07"),          # "• 승인 YYYY.MM.DD HH:MM" under a byline bullet
    ("d035", "01/11/2018"),               # "ClockThursday, 01/11/2018 14:17": icon label glued on
    ("d036", "02/11/2017"),               # the weekday stamp, not the event's "November 1, 2017"
    ("d021", "15/10/2016"),               # a bare date line under the headline, not the event day
    ("d084", "2025.08.21"),               # a board post's date among its counters
])
def test_the_page_stamp_gives_the_publication_date(item, words):
    _, meta = run(item)
    assert (meta.published.isoformat(), meta.date_precision) == (label(item)["published"], "day")
    assert words in meta.date_basis


def test_no_tuning_dump_gets_a_wrong_or_invented_date():
    for name in SPLIT["tune"]:
        item = name.split("_")[0]
        _, meta = run(item)
        expected = label(item)["published"]
        if expected is None:
            assert meta.published is None, (item, meta.date_basis)
        elif meta.published is not None:
            ours = meta.published.isoformat()[:len(expected)]
            assert ours == expected, (item, meta.date_basis)


def test_stamp_forms_and_their_labels():
    published, updated = stamps_in_line("전국 입력 2024-02-18 12:25:37 수정 2024-02-19 10:00:00 기자")
    assert (published.kind, updated.kind) == ("published", "updated")
    assert updated.value.isoformat() == "2024-02-19"
    assert stamps_in_line("18:17, 25/07/2023")[0].value.isoformat() == "2023-07-25"
    assert stamps_in_line("4/5/2023 3:05:10 PM")[0].value.isoformat() == "2023-04-05"  # US, 12-hour clock
    assert stamps_in_line("05/04/2023 15:05")[0].value.isoformat() == "2023-04-05"  # day first
    assert stamps_in_line("Publié le 3 mai 2023")[0].kind == "published"
    assert stamps_in_line("November 2, 2017 9:00 AM GMT+7")[0].value.isoformat() == "2017-11-02"
    # The forms the issue lists, each a stamp line with its date.
    for line, iso in [("2024.02.18", "2024-02-18"), ("Thứ Hai - 12/02/2024 10:30", "2024-02-12"),
                      ("2/18/2024 9:30:15 PM", "2024-02-18"), ("10:30 | 18/02/2024 GMT+7", "2024-02-18"),
                      ("기사입력 2024-02-18 10:30:00", "2024-02-18"), ("연합뉴스 2024.02.18", "2024-02-18"),
                      ("BTV-Bình Dương News 18/02/2024", "2024-02-18"), ("18 tháng 2, 2024", "2024-02-18"),
                      ("ngày 18 tháng 2 năm 2024", "2024-02-18")]:
        assert is_stamp_line(line), line
        assert stamps_in_line(line)[0].value.isoformat() == iso, line
    # A label before a clock still labels the date after it.
    assert stamps_in_line("Cập nhật: 10:30, 18/02/2024")[0].kind == "updated"
    assert stamps_in_line("Đăng lúc 10:30 - 18/02/2024")[0].kind == "published"
    # Running text is an event the story tells of, never a stamp.
    assert not is_stamp_line("Sáng ngày 14/10/2016, tại Văn phòng UBND tỉnh, trong không khí thắm tình hữu nghị")


# --- headlines ----------------------------------------------------------------------

@pytest.mark.parametrize("item", [
    "d012",  # headline, stamp line, share bar, then a deck: the headline, not the deck
    "d059",  # headline then deck
    "d034",  # printed twice, then a byline and a "• 승인" stamp: once, not glued to itself
    "d013",  # printed twice and ending like a sentence ("알렸다")
    "d035",  # a date line above it ("ClockThursday, …"), and a bracket at its end
    "d053",  # VietnamPlus image alt text glued after it ("hinh anh 1At the …")
    "d044",  # on the scraper's "date …" marker line, a standfirst below
    "d086",  # a language switch above, a caption-like label below
    "d021",  # a bare date line under it, never glued on
])
def test_the_real_headline_is_chosen(item):
    _, meta = run(item)
    assert not meta.title_derived
    assert meta.title == label(item)["title"]


def test_no_tuning_dump_has_a_date_line_byline_or_caption_for_headline():
    from archive.ingest.headline import could_be_headline
    from archive.ingest.stamps import is_stamp_line

    for name in SPLIT["tune"]:
        _, meta = run(name.split("_")[0])
        if not meta.title_derived:
            assert could_be_headline(meta.title) and not is_stamp_line(meta.title), name


def _line(item: str, words: str) -> str:
    """The line of a tuning-half dump that holds these words."""
    return next(ln.strip() for ln in _path(item).read_text(encoding="utf-8").split("\n") if words in ln)


@pytest.mark.parametrize("item, words, start", [
    ("d037", "posing for a commemorative photo", None),   # a photo description
    ("d064", "인사말을 하고 있다.", None),                   # a Korean caption: "… 하고 있다."
    ("d081", "Quang cảnh buổi làm việc", None),            # "Quang cảnh …": the scene of the meeting
    ("d028", "(à droite) décerne", "Huynh Duc Tho"),      # who stands where (the caption after the alt text)
])
def test_a_caption_is_never_a_headline(item, words, start):
    from archive.ingest.headline import could_be_headline

    line = _line(item, words)
    caption = line[line.index(start):] if start else line
    assert not could_be_headline(caption), caption


def test_a_sentence_cut_at_either_end_is_never_a_headline():
    from archive.ingest.headline import could_be_headline

    assert not could_be_headline(_line("d085", "Chủ tịch Hiệp hội, chia sẻ:"))  # a lead-in to a quote
    lead = label("d021")["body_first_words"]             # "Sáng ngày 14/10/2016, tại Văn phòng UBND tỉnh,"
    assert not could_be_headline(lead)                  # ends on a comma
    rest = lead.split(", ", 1)[1].rstrip(",") + " trong không khí hữu nghị"
    assert rest[0].islower() and not could_be_headline(rest)  # starts mid-sentence
    assert could_be_headline(label("d021")["title"])


def test_caption_credit_forms_of_the_issue_are_never_headlines():
    from archive.ingest.headline import could_be_headline

    # The forms the issue names: "/<기관> 제공", "<agency> Photo"; a real headline beside them.
    assert not could_be_headline("김해시장이 떠이닌성 인민위원장과 협약서를 교환했다 /김해시 제공")
    assert not could_be_headline("Delegates at the signing ceremony in Da Nang city. VNA Photo")
    assert could_be_headline(label("d012")["title"])


@pytest.mark.parametrize("item", ["d074", "d014"])
def test_a_derived_title_is_marked_and_never_starts_with_a_credit(item):
    _, meta = run(item)
    assert meta.title_derived and label(item)["title"] is None
    assert not meta.title.startswith(("(", "[")), meta.title


def test_when_copies_merge_the_best_real_headline_wins():
    from archive.ingest.merge import CopyFields, best_fields

    doc, meta = run("d012")
    def copy(title, body):
        return CopyFields(title=title, title_derived=False, body=body, language="ko", published=None,
                          date_precision=None, source_slug=None, source_url=None)
    # The copy with the cleaner, longer body carries a date line as its "headline".
    worse = copy("• 승인 2024.02.18 12:25", doc.text + "\n\n" + doc.text)
    better = copy(meta.title, doc.text)
    assert best_fields([worse, better]).title == label("d012")["title"]


# --- bodies: nothing lost, boilerplate out --------------------------------------------

def _compact(text: str) -> str:
    import re
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("item", [
    "d003", "d012", "d026", "d074", "d075", "d085",  # excerpts cut mid-paragraph
    "d014",  # a lead ending on an image placeholder ("…체결했다.<사진>")
    "d044", "d028",  # a standfirst that only repeats the lead
])
def test_the_labelled_body_is_kept_from_its_first_to_its_last_words(item):
    doc, _ = run(item)
    body = _compact(doc.text)
    first, last = _compact(label(item)["body_first_words"]), _compact(label(item)["body_last_words"])
    assert body.startswith(first), doc.text[:120]
    assert body.endswith(last), doc.text[-120:]


@pytest.mark.parametrize("item, leftover", [
    ("d001", "저작권자"), ("d001", "▲"),                        # copyright line, ▲ caption
    ("d027", "Adresse :"), ("d093", "Adresse :"),             # the paper's footer address
    ("d065", "본문 보기를 권장"),                                 # Daum's reading prompt
])
def test_footers_captions_and_prompts_are_not_body(item, leftover):
    doc, _ = run(item)
    assert leftover not in doc.text


@pytest.mark.parametrize("item, gone", [
    ("d054", "(Photo: VNA)"),     # a caption glued onto the lead: the lead is kept without it
    ("d061", "(사진 :"),           # a caption glued after the last sentence
    ("d034", "이상문 기자"),        # a reporter's signature glued after the last sentence
    ("d045", "Nguyễn Thắng- Đài TT"),  # a closing "Name- Newsroom." signature line
    ("d064", "인사말을 하고 있다."),  # a caption above the Korean opening byline
    ("d066", "Croix-Rouge"),      # another article's teaser after the '-AVI' sign-off
])
def test_captions_signatures_and_teasers_go_and_the_prose_around_them_stays(item, gone):
    doc, _ = run(item)
    assert gone not in doc.text
    body = _compact(doc.text)
    # The agency's sign-off ("…May 17-18./.") is a credit, not text: the cleaner takes it off.
    last = _compact(clean.strip_credit(label(item)["body_last_words"])[0])
    first = _compact(label(item)["body_first_words"])
    assert body.startswith(first), doc.text[:160]
    assert body.endswith(last), doc.text[-160:]


@pytest.mark.parametrize("item", ["d011", "d013"])
def test_the_cut_last_line_of_a_korean_excerpt_is_kept(item):
    # '안 부시장은 "이번 베트': the excerpt stops mid-word after a subject and its particle.
    doc, _ = run(item)
    assert _compact(doc.text).endswith(_compact(label(item)["body_last_words"])), doc.text[-120:]


@pytest.mark.parametrize("item, prompt", [("d063", "댓글 0"), ("d086", "Chia sẻ bài viết")])
def test_comment_prompts_and_share_bars_are_not_body(item, prompt):
    assert _line(item, prompt)  # the prompt is in the dump
    doc, _ = run(item)
    assert prompt not in doc.text


def test_a_prose_line_that_only_mentions_sharing_stays():
    doc, _ = run("d085")
    assert "Chủ tịch Hiệp hội, chia sẻ:" in doc.text


def test_a_closing_agency_credit_goes_and_the_prose_before_it_stays():
    # The issue's forms: "— <agency>" after the last sentence, a closing "(끝)".
    assert clean.strip_credit("The two sides signed the deal on Monday. — Yonhap") == (
        "The two sides signed the deal on Monday.", "— Yonhap")
    assert clean.strip_credit("양 도시는 협력을 확대하기로 했다. (끝)") == ("양 도시는 협력을 확대하기로 했다.", "(끝)")
    # Not a credit: a name inside the sentence.
    assert clean.strip_credit("No credit here - VNS staff said")[1] is None
    doc = clean.CleanDocument()
    clean.clean_lines(["Hai bên đã ký kết biên bản ghi nhớ hợp tác về giáo dục và du lịch trong năm nay.",
                       "Lãnh đạo hai địa phương cam kết thúc đẩy giao lưu nhân dân. — VOV", "(끝)", "[연합뉴스]"], doc)
    assert doc.paragraphs[-1] == "Lãnh đạo hai địa phương cam kết thúc đẩy giao lưu nhân dân."
    assert doc.credit == "— VOV"


def test_glued_korean_sentences_are_split():
    doc, _ = run("d001")  # "조인식을 가졌다.그동안 …": five sentences glued in one line
    assert "가졌다. 그동안" in doc.text and "가졌다.그동안" not in doc.text
    assert clean.repair_glued("1.5%를 기록했다.") == "1.5%를 기록했다."  # nothing to split


def test_glued_vietnamese_words_are_split_and_real_words_left_alone():
    doc, _ = run("d021")  # a page that lost spaces at its line breaks: "hỗtrợ", "dulịch", "Shikđã"
    for glued, apart in [("hỗtrợ", "hỗ trợ"), ("dulịch", "du lịch"), ("Shikđã", "Shik đã"),
                         ("tịchUBND", "tịch UBND"), ("vănhóa", "văn hóa"), ("naytrên", "nay trên")]:
        assert glued in _path("d021").read_text(encoding="utf-8")
        assert glued not in doc.text and apart in doc.text, glued
    # Measured on the tuning half: every split is in d021, none splits a real word.
    for word in ["Nguyễn", "nghiêng", "khuyến", "người", "taxi", "Chuncheon", "Daejeon", "VietnamPlus"]:
        assert clean.split_vietnamese_glue(word) == word


def test_the_issue_boilerplate_forms_are_removed_and_the_prose_kept():
    # Written for this test from the forms the issue lists: captions ("/<기관> 제공",
    # "<agency> Photo", "Foto:"), a closing "(끝)", a copyright line and a comment prompt.
    lead = ("김해시는 지난 15일 시청 대회의실에서 베트남 떠이닌성과 양 도시의 상호이해와 우의를 "
            "증진시키기 위한 우호교류 협약을 체결했다고 밝혔다.")
    last = "이날 협약식에는 떠이닌성 대표단 10명이 참석했다. 시는 앞으로 농업기술 교류를 확대할 계획이다."
    lines = ["김해시, 베트남 떠이닌성과 우호협력 강화", "",
             "허성곤 김해시장이 떠이닌성 인민위원장과 협약서를 교환하고 있다. /김해시 제공", "", lead, "",
             "Delegates at the signing ceremony. VNA Photo", "Foto: Tỉnh ủy Đồng Nai", "", last, "", "(끝)", "",
             "저작권자 © 김해뉴스 무단전재 및 재배포 금지", "댓글 0"]
    doc = clean.CleanDocument()
    clean.clean_lines(lines, doc)
    assert doc.headline == lines[0]
    assert doc.paragraphs == [lead, last]


def test_glued_caption_rules_leave_plain_lines_alone():
    line = "The mayor thanked the delegation (photo exhibition opens on Monday) and left."
    assert clean.split_glued_caption(line) == (line, None)
    assert clean.split_glued_caption("A caption only (Photo: VNA)")[1] is None


def test_a_script_hard_wrapped_at_short_lines_is_unwrapped_into_paragraphs():
    # Written for this test: a broadcast script wrapped at about 30 columns.
    script = ("Good evening. Tonight the city\\nof Gimhae signed a friendship\\nagreement with "
              "Tay Ninh province\\nin southern Vietnam.\\nThe two sides agreed to work\\ntogether on "
              "farming, trade\\nand culture, the mayor said.\\nStudents will visit each other\\nnext "
              "spring, officials added.\\nA delegation from Tay Ninh\\nwill tour the city this week.").replace("\\\\n", "\\n")
    lines = script.replace("\\\\n", "\\n").split("\\n")
    out = clean.unwrap_short_lines(lines)
    assert out[0] == "Good evening. Tonight the city of Gimhae signed a friendship agreement with Tay Ninh province in southern Vietnam."
    assert len(out) == 4
    # A menu of short entries has no sentences to join.
    menu = ["Home", "News", "Politics", "Economy", "Culture", "Sports", "World", "Contact"]
    assert clean.unwrap_short_lines(menu) == menu


# --- forms the second tuning set showed (../shared/eval/tune2-dumps; lines written for these tests) ---

def _cleaned(text: str) -> tuple[clean.CleanDocument, extract.Metadata]:
    provenance = read.Provenance()
    doc = clean.clean(read.read_document(text.encode(), "page.txt", provenance))
    return doc, extract.extract(doc, provenance)


LEAD_VI = ("Sáng 17-8, huyện Hòa Vang và đoàn công tác của huyện Bonghwa, tỉnh Gyeongsangbuk (Hàn Quốc) "
           "đã có buổi làm việc về hợp tác lao động thời vụ trong lĩnh vực nông nghiệp.")
LEAD_KO = ("의왕시는 7일 베트남 다낭시 하이쩌우군과 국제 우호교류 협약을 체결했다고 밝혔다. "
           "두 도시는 앞으로 문화와 관광 분야의 교류를 넓혀 가기로 했다.\n\n"
           "참석자들은 두 도시의 홍보영상을 시청하며 상호 이해의 첫발을 내디뎠다.\n\n"
           "시는 내년에 대표단을 보내 농업 기술 교류를 논의할 계획이다.")
LEAD_VI += ("\n\nHai bên thống nhất tăng cường trao đổi đoàn và chia sẻ kinh nghiệm trong thời gian tới.\n\n"
            "Dịp này, lãnh đạo hai địa phương đã trao quà lưu niệm cho nhau.")


def test_a_section_label_or_breadcrumb_above_the_headline_is_not_the_headline():
    from archive.ingest.headline import section_label

    for label_line in ("Tin tức Tin tức", "Cooperation - Investment", "Vietnam - République de Corée"):
        doc, meta = _cleaned(f"{label_line}\n\nHòa Vang và Bonghwa trao đổi hợp tác nhiều lĩnh vực\n\n{LEAD_VI}\n")
        assert meta.title == "Hòa Vang và Bonghwa trao đổi hợp tác nhiều lĩnh vực", label_line
        assert section_label(label_line)
    # A headline is no section label, even one joining two names by a dash.
    assert not section_label("Hai Duong, Suwon explore deeper cooperation")
    assert not section_label("Gimhae - Tay Ninh sign friendship agreement in 2024")
    # Alone above the lead, a short line stays the headline.
    doc, meta = _cleaned(f"Cooperation - Investment\n\n{LEAD_VI}\n")
    assert meta.title == "Cooperation - Investment"


def test_a_site_greeting_is_never_a_headline():
    from archive.ingest.headline import could_be_headline

    assert not could_be_headline("Chào mừng bạn đã đến với Cổng thông tin điện tử tỉnh Quảng Nam")
    assert not could_be_headline("Welcome to the Official Website of Gyeonggi Province")
    assert not could_be_headline("경기도 누리집에 오신 것을 환영합니다")


def test_a_posting_date_glued_before_the_headline_dates_the_article_and_leaves_the_headline():
    doc, meta = _cleaned(f"[20210708]의왕시, 베트남 하이쩌우군과 우호교류 협약체결\n{LEAD_KO}\n")
    assert meta.title == "의왕시, 베트남 하이쩌우군과 우호교류 협약체결"
    assert (meta.published.isoformat(), meta.date_precision) == ("2021-07-08", "day")


def test_a_posting_line_with_its_poster_and_counter_dates_the_article():
    page = ("Hòa Vang và Bonghwa trao đổi hợp tác nhiều lĩnh vực\n"
            "Người đăng tin: Trần Thị Lan Ngày đăng tin: 19/08/2024 Lượt xem: 5\n\n" + LEAD_VI + "\n")
    doc, meta = _cleaned(page)
    assert (meta.published.isoformat(), meta.date_precision) == ("2024-08-19", "day")
    assert "Lượt xem" not in " ".join(doc.paragraphs)


def test_the_sites_last_edit_and_todays_date_over_a_weather_bar_are_not_the_articles_date():
    assert stamps_in_line("최종편집 : 2025-08-25 19:35:35")[0].kind == "site"
    doc, meta = _cleaned(f"최종편집 : 2025-08-25 19:35:35\n\n의왕시, 하이쩌우군과 우호교류 협약 체결\n\n{LEAD_KO}\n")
    assert meta.published is None
    weather = "\n".join(f"  • 흐림{city} 25.{n}℃" for n, city in enumerate(["서울", "대전", "부산"]))
    doc, meta = _cleaned(f"2024.09.05 (목)\n\n{weather}\n기상청 제공\n\n의왕시, 하이쩌우군과 우호교류 협약 체결\n\n{LEAD_KO}\n")
    assert meta.published is None
    # The same date line with no weather beside it is the page's date.
    doc, meta = _cleaned(f"2024.09.05 (목)\n\n의왕시, 하이쩌우군과 우호교류 협약 체결\n\n{LEAD_KO}\n")
    assert meta.published.isoformat() == "2024-09-05"


def test_a_derived_title_starts_after_a_one_word_credit_or_place_and_its_dash():
    from archive.ingest.headline import could_be_headline, strip_lead_credit

    lead = "Kinhtedothi - Trong khuôn khổ Ngày Văn hóa Việt Nam - Hàn Quốc, hai thành phố đã ký kết."
    assert strip_lead_credit(lead).startswith("Trong khuôn khổ")
    # A headline may open so: it stays a headline.
    assert could_be_headline("Gimhae - Tay Ninh sign a friendship agreement on farming and culture and trade this week")


def test_print_footers_embargo_notices_comment_warnings_captcha_and_posed_captions_are_not_body():
    closing = "시는 내년에 대표단을 보내 농업 기술 교류를 논의할 계획이다."
    for chrome in ("이 기사는 금강일보 홈페이지(www.example.kr)에서 프린트 되었습니다.",
                   "삭제한 댓글은 다시 복구할 수 없습니다",
                   "This site is protected by reCAPTCHA and the Google Privacy Policy and Terms of Service apply."):
        doc, meta = _cleaned(f"의왕시, 하이쩌우군과 우호교류 협약 체결\n\n{LEAD_KO}\n\n{chrome}\n")
        assert chrome not in doc.text and doc.paragraphs[-1].endswith(closing), chrome
    embargo = ("<이 기사는 2017년 05월 18일 14시 23분부터 사용할 수 있습니다.\n"
               "고객사의 제작 편의를 위해 미리 송고하는 것으로, 그 이전에는 절대로 사용해서는 안됩니다.")
    doc, meta = _cleaned(f"의왕시, 하이쩌우군과 우호교류 협약 체결\n\n{embargo}\n\n{LEAD_KO}\n")
    assert doc.paragraphs[0].startswith("의왕시는 7일")
    posed = ("Kim Min-su (L), mayor of the city, Tran Van An (C), chairman of the provincial People's Committee, "
             "and Park Ji-won (R), head of the city council's committee on international exchange and tourism, "
             "pose for a photo during a ceremony at the city hall on Nov. 8, 2023, to sign a memorandum of "
             "understanding on cooperation in agriculture, tourism, culture and the exchange of officials and "
             "students between the two localities over the next five years. (Yonhap)")
    assert len(posed.split()) > 60
    text = ("SEOUL, Nov. 8 (Yonhap) -- The city signed a memorandum of understanding with the province on Wednesday, "
            "officials said.\n\nThe two sides agreed to exchange officials and students from next year.\n\n"
            f"{posed}\n\nThe province will send a delegation in the spring, the city said.\n")
    doc, meta = _cleaned(f"(ATTN: ADDS photo)\n\n{text}")
    assert posed not in doc.text and "ATTN" not in doc.text and len(doc.paragraphs) == 3
