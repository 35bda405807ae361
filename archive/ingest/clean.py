"""Stage 2, clean: the article text alone, NFC, with the site around it removed.

Plain-text dumps lose their markup, so boilerplate is recognised by what it says: the
"Voir plus" or "Bình luận 0" line where the article ends and the related list begins,
visitor counters, rating prompts, photo captions ("… Photo: VNA", "ảnh 1"), menus of
short lines. HTML pages are reduced to their main block first (see `html.py`) and then
go through the same line rules.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from archive.ingest import html as html_stage
from archive.ingest.datewords import dateline_length
from archive.ingest.headline import could_be_headline, pick_headline, repeated_line, section_label, split_glued_image
from archive.ingest.stamps import GLUED_DATE_TAG_RE, is_stamp_line, labelled_stamp
from archive.ingest import review
from archive.ingest.read import IngestError, RawDocument
from archive.textnorm import is_hangul

# A line that starts what follows an article on the page: related lists, comments,
# ratings, "more news". Everything from it on is chrome. Whole-line, case-insensitive.
END_MARKERS = [
    # French
    r"voir plus", r"source", r"lire (aussi|plus)", r"à lire aussi", r"articles? (liés|similaires|connexes)",
    r"sur le même (sujet|thème)", r"dans la même rubrique",
    # Vietnamese
    r"bình luận(\s*\(?\d+\)?)?", r"tin (tức|liên quan|cùng chuyên mục|khác|mới|đọc nhiều|nổi bật)",
    r"những tin (mới hơn|cũ hơn|khác)", r"các tin (khác|đã đưa)", r"xem thêm", r"bài viết liên quan",
    r"tổng số điểm của bài viết.*", r"click để đánh giá bài viết", r"thống kê truy cập",
    r"ý kiến bạn đọc", r"gửi bình luận", r"chia sẻ",
    # Korean
    r"관련\s?기사", r"댓글(\s*\d+)?", r"많이 본 (뉴스|기사)", r"다른 기사", r"이 기사를 공유합니다",
    r"주요 뉴스", r"최신 뉴스", r"기사 목록",
    # English
    r"related (articles|stories|news|posts)", r"read (more|also|next)", r"more (from|stories|news).*",
    r"comments?(\s*\(?\d+\)?)?", r"share (this|on).*", r"you (may|might) also like", r"recommended( for you)?",
    r"most (read|popular)", r"leave a (comment|reply)",
]
_END_RE = re.compile(r"^(?:%s)\s*:?$" % "|".join(END_MARKERS), re.I)

# A byline or source credit that closes the article on Vietnamese portals.
_BYLINE_RE = re.compile(r"^(nguồn tin|tác giả|người viết|theo|출처)\s*:\s*(?P<who>.+)$", re.I)
# "* Nguồn tham khảo : https://…": a source the article cites, not where it was captured.
_CITED_RE = re.compile(
    r"^[*•\-\s]*(nguồn( tham khảo)?|source|출처|references?)\s*:\s*(?P<url>https?://\S+)\s*$", re.I
)
_URL_RE = re.compile(r"https?://[^\s<>\"')]+")

# Template code that leaked into the text: {{ article.title }}, <%= … %>, $(document).ready.
_TEMPLATE_LEAK_RE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|<%.*?%>|\$\(document\)|\$\(function|document\.write\(|"
                               r"function\s*\([^)]*\)\s*\{|\bvar \w+\s*=|<\?php")

# "Read more" under a teaser: the page is a list of other articles.
_READ_MORE_RE = re.compile(r"^(xem tiếp|xem thêm|đọc tiếp|chi tiết|read more|continue reading|lire la suite|"
                           r"더보기|자세히 보기|전체보기)\s*(»|›|>>)?$", re.I)

# Counters, like buttons, timestamps of list items: chrome wherever it stands.
_COUNTER_RE = re.compile(
    r"^(lượt xem|lượt thích|thích|đang truy cập|hôm nay|hôm qua|tháng hiện tại|năm hiện tại|"
    r"tổng lượt truy cập|truy cập|조회(수)?|추천(수)?|공감|views?|likes?|vues?)\s*:?\s*[\d.,\s]*$",
    re.I,
)
_NUMBER_ONLY_RE = re.compile(r"^[+\-]?[\d.,:\s/]+$")
_TIMESTAMP_RE = re.compile(r"^\d{4}[./-]\d{1,2}[./-]\d{1,2}(\s+\d{1,2}:\d{2}(:\d{2})?)?$")

# Page-header lines that carry the publication time ("Thứ hai - 17/04/2023 15:13").
_HEADER_DATE_RE = re.compile(
    r"^((thứ\s+(hai|ba|tư|năm|sáu|bảy|2|3|4|5|6|7)|chủ nhật)\s*[-,–]?\s*)?"
    r"\d{1,2}/\d{1,2}/\d{4}(\s*[-,]?\s*\d{1,2}:\d{2}(\s*(gmt|utc)?\s*[+-]\d{1,2})?)?$"
    r"|^(입력|기사입력|등록|수정|published|updated|publié le|mis à jour le)\s*:?\s*.{4,40}$",
    re.I,
)
# The "date 2023-02" marker that some scrapers put at the head of a dump.
_DATE_MARKER_RE = re.compile(r"^date\s+(?P<value>\d{4}(?:-\d{2}(?:-\d{2})?)?)\b\s*(?P<rest>.*)$", re.I)

# Photo captions: "… Photo: VNA", "Ảnh: TTXVN", "(사진=연합뉴스)", "… ảnh 1Rencontre …".
_CAPTION_RE = re.compile(
    r"(\bphotos?\s*:\s*\S|\bfotos?\s*:\s*\S|\b(?:VNA|TTXVN|VNS|Yonhap|AFP|Reuters|AP|EPA|Xinhua)\s+(?:file\s+)?photo\b|"
    r"/\s?(?:사진\s?)?[^\s/]{1,20}\s?제공\s*$|\bảnh\s*:\s*\S|\bảnh\s+\d+|\(ảnh\s*[:：]|사진\s*=|\[사진|\(photo\b|© ?\w+ ?photo|"
    r"\((?:source|nguồn|photo)\s*:\s*[^)]{1,30}\)\s*$|"
    r"재판매 및 DB 금지|\[[^\]]{0,30}제공[^\]]{0,30}\]|\((?:오른쪽|왼쪽|가운데)[^)]{0,12}\))",
    re.I,
)
# A wire photo's caption naming who stands where, however long: "Seong Ghi-hong (L), …,
# Vu Viet Trang (C), … pose for a photo during a ceremony … (Yonhap)".
_POSED_RE = re.compile(
    r"\((?:L|C|R|2nd from [LR]|3rd from [LR])\).{0,300}\bpose[sd]? for (?:a )?(?:group |commemorative )?photos?\b")
# Leading chrome: a short lower-case site code such as "sct" or "vi", or a language switch.
_LEADING_JUNK_RE = re.compile(r"^([a-z]{1,5}|[A-Z]{2}\s*\|.*|menu|home|trang chủ|홈)$", re.I)
# A wire's note to editors above a story: "(ATTN: CHANGES photo; ADDS more info in last para)".
_EDITOR_NOTE_RE = re.compile(r"^\s*\((?:ATTN|EDS?|EDITORS?)\s*:[^()]*\)\s*$")

# Fewer words of running text than this is a list or a menu, not an article.
MIN_ARTICLE_WORDS = 30
_TERMINAL = tuple('.!?…"”»\')];:。！？」）') + ("-VNA", "–VNA", "(VNA)", "다")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@dataclass
class CleanDocument:
    headline: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    header_lines: list[str] = field(default_factory=list)
    footer_lines: list[str] = field(default_factory=list)  # stamp lines under the article
    date_marker: str | None = None
    byline: str | None = None
    cited_urls: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    page_meta: dict = field(default_factory=dict)
    teasers: list[str] = field(default_factory=list)  # "…" + "Xem tiếp": a list of other articles
    credit: str | None = None  # the agency's sign-off ("-VNA", "(TTXVN/Vietnam+)")
    # Why an editor should look at this text (the article is published all the same).
    review: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


# Residue of images and ads inside a line: "<사진>", "[광고_2]", "[사진]".
_INLINE_RESIDUE_RE = re.compile(r"<사진[^>]{0,40}>|\[광고_?\d*\]|\[사진\]")
# A line that is only a copyright notice, a footer address or a reading prompt.
_FOOTER_RE = re.compile(
    r"저작권자|무단\s?전재|재배포\s?금지|©|\(c\)\s?\d{4}|copyright|all rights reserved|bản quyền|"
    r"^adresse\s*:|^address\s*:|^địa chỉ\s*:|본문 보기를 권장|글자크기로 변경|가장 빠른 뉴스가 있고|"
    r"^(?:▲|△|▶)\s?|ⓒ|"
    # comment prompts and share bars, and a closing "(끝)" or "[<agency>]" alone on its line
    r"^(?:ý kiến của bạn|gửi bình luận|viết bình luận|bình luận|chia sẻ bài viết|"
    r"댓글(?:\s?쓰기|\s?달기)?|commentaires?|laisser un commentaire|réagir|leave a (?:comment|reply)|"
    r"comments?|share this(?: article)?)\b.{0,40}(?<![.!?])$|^\((?:끝|END)\)$|^\[[^\]\s]{2,12}\]$|"
    # a print view's footer, an agency's embargo notice to its clients, a comment box's
    # warning, a form's captcha notice, a wire's note to editors
    r"^이 기사는 .{1,40}(?:에서 프린트|부터 사용할 수 있습니다)|미리 송고하는 것으로|^<?이 기사는 \d{4}년|"
    r"삭제한 댓글은 다시 복구할 수 없습니다|^this site is protected by recaptcha|" + _EDITOR_NOTE_RE.pattern,
    re.I,
)


_GLUED_COPYRIGHT_RE = re.compile(r"(?<=[.!?”\"])\s+(?:[가-힣]{2,4}\s+)?(?:저작권자\s*[©ⓒ]|[©ⓒ]\s*\S|copyright\b).*$", re.I)


def normalize_text(text: str) -> str:
    """NFC, Unix newlines, no invisible or control characters, single spaces."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.translate(_INVISIBLE)
    text = _CONTROL_RE.sub(" ", text)
    text = _INLINE_RESIDUE_RE.sub(" ", text)
    text = re.sub(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+", " ", text)
    return "\n".join(line.strip() for line in text.split("\n"))


# Repairs that are certain without any other evidence. Other glued words ("Conseilde")
# are only split against the vocabulary of another copy, in `repair_with_evidence`.
_FUNCTION_WORDS = (
    "de|du|des|la|le|les|et|à|au|aux|en|un|une|sur|par|pour|avec|dans|of|the|and|in|on|to|for|"
    "và|của|tại|ở|với|cho|các|những|tỉnh|thành"
)
_CAMEL_GLUE = re.compile(r"(?<![\w'’])(%s)(?=[A-ZÀ-ÝĐ][a-zà-ỹđ])" % _FUNCTION_WORDS)
_SENTENCE_GLUE = re.compile(r"(?:(?<=[a-zà-ỹđ]{2})|(?<=\)))([.!?])(?=[A-ZÀ-ÝĐ][a-zà-ỹđ])")
_COMMA_GLUE = re.compile(r"(?<=[^\W\d_]),(?=[^\W\d_])")


_TRAILING_CREDIT = re.compile(
    r"\s*(?:[-–—]\s?(?:VNA|TTXVN|AVI)|\((?:TTXVN|VNA)(?:/Vietnam\+)?\)|\(Vietnam\+\)|/\."
    # "…said. — Yonhap", "…말했다. (끝)": other agencies sign off after a full sentence.
    r"|(?<=[.!?\"”’])\s*(?:[-–—]\s?(?:VNS|VOV|Yonhap|Newsis|News1|KBS|AFP|Reuters|AP|연합뉴스|뉴시스|뉴스1)"
    r"|\((?:끝|END)\)|\[(?:끝|END)\]))\s*$")


def strip_credit(paragraph: str) -> tuple[str, str | None]:
    """'… en général. -VNA' -> ('… en général.', '-VNA'): the agency's sign-off ends the
    article; it is a credit, not text."""
    m = _TRAILING_CREDIT.search(paragraph)
    if not m or m.start() == 0:
        return paragraph, (paragraph.strip() if m else None)
    return paragraph[: m.start()].rstrip(), m.group(0).strip()


# Korean sentences glued by a lost space: "조인식을 가졌다.그동안 …" (a sentence ends on 다/요).
_KO_SENTENCE_GLUE = re.compile(r"(?<=[가-힣][다요])([.!?])(?=[가-힣“‘])")


def repair_glued(text: str) -> str:
    text = _KO_SENTENCE_GLUE.sub(r"\1 ", text)
    text = _SENTENCE_GLUE.sub(r"\1 ", text)
    text = _CAMEL_GLUE.sub(r"\1 ", text)
    return _COMMA_GLUE.sub(", ", text)


_WORD_RE = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")


def repair_with_evidence(text: str, evidence: str) -> str:
    """Split words glued by a lost line break where another copy shows them apart.

    "Conseilde" becomes "Conseil de" only if the other copy has the word pair
    "Conseil de" and never the word "Conseilde".
    """
    ev_words = _WORD_RE.findall(evidence)
    vocabulary = {w.lower() for w in ev_words}
    pairs: dict[str, tuple[str, str]] = {}
    for left, right in zip(ev_words, ev_words[1:]):
        pairs.setdefault((left + right).lower(), (left, right))

    def fix(match: re.Match) -> str:
        word = match.group(0)
        key = word.lower()
        if key in vocabulary or key not in pairs:
            return word
        left, _right = pairs[key]
        return word[: len(left)] + " " + word[len(left):]

    return _WORD_RE.sub(fix, text)


# Vietnamese is written a syllable a word: onset, one to three vowels, coda. A word that is
# no syllable but splits into exactly two ("hỗtrợ", "dulịch", "hiện naytrên") is two words
# glued by a lost space. "đ" only ever starts a syllable ("Shikđã"), and a capital after a
# Vietnamese syllable starts a new word ("Chủ tịchUBND").
_VI_VOWELS = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵ"
_VI_SYLLABLE = re.compile(r"(?:ngh|ng|gh|gi|kh|nh|ph|qu|th|tr|ch|[bcdđghklmnprstvx])?[%s]{1,3}(?:ng|nh|ch|[cmnpt])?"
                          % _VI_VOWELS)
# Letters only Vietnamese uses (not French): a paragraph with a few of them is Vietnamese.
_VI_ONLY = re.compile(r"[đơưăảãạẻẽẹỉĩịỏõọủũụỷỹỵằắẳẵặầấẩẫậềếểễệồốổỗộờớởỡợừứửữựìíòóúỳý]", re.I)
_VI_WORD = re.compile(r"[a-zA-Z%s%s]+" % (_VI_VOWELS, _VI_VOWELS.upper() + "đĐ"))


_VI_DIGRAPH_ONSET = re.compile(r"ngh|ng|gh|gi|kh|nh|ph|qu|th|tr|ch")


def _is_vi_syllable(word: str) -> bool:
    # ă and â never end a syllable ("văn", never "vă").
    return bool(_VI_SYLLABLE.fullmatch(word.lower())) and not re.search("[ăằắẳẵặâầấẩẫậ]$", word.lower())


def split_vietnamese_glue(word: str) -> str:
    """'hỗtrợ' -> 'hỗ trợ', 'Shikđã' -> 'Shik đã', 'tịchUBND' -> 'tịch UBND'; a real
    syllable, a name or an ambiguous split is left alone."""
    if len(word) < 4 or _is_vi_syllable(word):
        return word
    for cut in range(1, len(word)):
        left, right = word[:cut], word[cut:]
        if right[0] in "đĐ" and left[-1].isalpha() and left[-1].islower():
            return left + " " + split_vietnamese_glue(right)
        if left[-1].islower() and right[0].isupper() and _VI_ONLY.search(left) and _is_vi_syllable(left.split()[-1]):
            return left + " " + right
    if word.isascii() or not word.islower():
        return word  # "taxi", "Chuncheon": loanwords and names
    cuts = [c for c in range(1, len(word)) if _is_vi_syllable(word[:c]) and _is_vi_syllable(word[c:])]
    if len(cuts) > 1:
        # "vănh|óa" or "văn|hóa": the second syllable of a glued pair starts with a consonant;
        # "hỗt|rợ" or "hỗ|trợ": a consonant pair starts a syllable more often than it ends one.
        cuts = [c for c in cuts if word[c].lower() not in _VI_VOWELS] or cuts
        if len(cuts) > 1:
            cuts = [c for c in cuts if _VI_DIGRAPH_ONSET.match(word[c:].lower())]
    return word[:cuts[0]] + " " + word[cuts[0]:] if len(cuts) == 1 else word


def repair_vietnamese(paragraphs: list[str]) -> list[str]:
    """Glued syllables split in the paragraphs written in Vietnamese."""
    return [_VI_WORD.sub(lambda m: split_vietnamese_glue(m.group(0)), p) if len(_VI_ONLY.findall(p)) >= 5 else p
            for p in paragraphs]


def repair_with_own_vocabulary(paragraphs: list[str]) -> list[str]:
    """Split a word glued by a lost line break ("vớiđoàn", "desstagiaires", "le11") when
    both halves stand alone elsewhere in the same text, at least twice each, and the glued
    form never does: the text itself is the evidence. Hangul is left alone (particles
    attach to words there)."""
    words = Counter(w.lower() for p in paragraphs for w in _WORD_RE.findall(p))

    def split(match: re.Match) -> str:
        word = match.group(0)
        lower = word.lower()
        if words[lower] > 1 or len(word) < 4 or any(is_hangul(ch) for ch in word) or "-" in word:
            return word
        for cut in range(1, len(word)):
            left, right = lower[:cut], lower[cut:]
            if len(left) < 2 and not left.isdigit() or len(right) < 2 and not right.isdigit():
                continue
            if words[left] >= 2 and words[right] >= 2:
                return word[:cut] + " " + word[cut:]
        return word

    return [_WORD_RE.sub(split, p) for p in paragraphs]


_SIGN_OFF_END = re.compile(r"[.!?…][\s\-–—]*[A-Z]{2,6}$")  # "…badminton...-AVI"


def _ends_like_sentence(line: str) -> bool:
    return line.endswith(_TERMINAL) or bool(_SIGN_OFF_END.search(line))


_WIDE = re.compile(r"[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u4e00-\u9fff\uac00-\ud7a3]")


def _width(line: str) -> int:
    """Display width: Hangul and CJK characters count twice, as they take two columns
    and carry a word's worth of meaning in fewer characters."""
    return len(line) + len(_WIDE.findall(line))


_CONTINUES_LATIN = re.compile(r"^[a-zà-ỹđ(\"“'«0-9]")


def unwrap_short_lines(lines: list[str]) -> list[str]:
    """A script hard-wrapped at 13–40 columns (broadcast scripts, some board posts): most
    lines short, sentences running over several of them. Consecutive lines are joined
    into paragraphs until a sentence ends; a page of menu entries has no sentences to
    join and stays as it is."""
    filled = [ln for ln in lines if ln]
    if len(filled) < 8:
        return lines
    short = [ln for ln in filled if _width(ln) < 45]
    ends = sum(1 for ln in filled if _ends_like_sentence(ln))
    runs_on = sum(1 for a, b in zip(filled, filled[1:]) if not _ends_like_sentence(a) and _CONTINUES_LATIN.match(b)
                  or (_HANGUL_END.search(a) and _HANGUL_START.match(b)))
    widths = sorted(_width(ln) for ln in filled)
    if (len(short) < 0.85 * len(filled) or not 13 <= widths[len(widths) // 2] <= 40
            or ends < 0.1 * len(filled) or runs_on < 0.5 * len(filled)):
        return lines
    out: list[str] = []
    for line in lines:
        if out and out[-1] and line and not _ends_like_sentence(out[-1]) and not is_stamp_line(line, 2):
            out[-1] = out[-1] + " " + line
        else:
            out.append(line)
    return out


def unwrap_lines(lines: list[str]) -> list[str]:
    """Join a paragraph that a text dump hard-wrapped at a fixed width: a long line with
    no sentence end, followed by a line that continues it (lower case, or Hangul after
    Hangul). Short lines (menus, names, counters) are never joined."""
    long_lines = [ln for ln in lines if _width(ln) >= 40]
    widths = sorted(_width(ln) for ln in long_lines)
    # A dump wrapped at a fixed width: most long lines stop short of a sentence end, at
    # about the same width. Only then may a line that starts with a capital continue one.
    wrapped = bool(widths) and widths[len(widths) // 2] <= 100 and sum(
        1 for ln in long_lines if not _ends_like_sentence(ln)) >= 0.4 * len(long_lines)
    out: list[str] = []
    for line in lines:
        if out and out[-1] and line and _width(out[-1]) >= 40 and not _ends_like_sentence(out[-1]):
            previous = out[-1]
            # A Korean headline or deck is short: only a long line is a wrapped one.
            hangul = _HANGUL_START.match(line) and _HANGUL_END.search(previous) and _width(previous) >= 70
            mid_sentence = wrapped and _MID_SENTENCE_END.search(previous) and (
                len(line) >= 25 or _ends_like_sentence(line))
            if (_CONTINUES_LATIN.match(line) or hangul or mid_sentence) and line != previous \
                    and not is_stamp_line(line, 2) and not labelled_stamp(line):
                out[-1] = previous + " " + line
                continue
        out.append(line)
    return out


_HANGUL_START = re.compile(r"^[가-힣]")
_MID_SENTENCE_END = re.compile(r"[^\W\d_,;]$|[,;]$")
_HANGUL_END = re.compile(r"[가-힣]$")


def _word_count(text: str) -> int:
    """Words, or for scripts written without spaces (Japanese, Chinese) about a third of
    the characters."""
    words = len(text.split())
    return max(words, len(text) // 3) if words < len(text) / 15 else words


def is_prose(line: str) -> bool:
    """A line of running text: a sentence end, and long enough to be more than a label."""
    return _ends_like_sentence(line) and (len(line.split()) >= 8 or _width(line) >= 40)


_BYLINE_LINE_RE = re.compile(r"^(by|par|theo|bài và ảnh|bài,? ảnh)\s+\S|기자|특파원|프로필|@\w+\.\w+", re.I)


def _is_cut_paragraph(line: str, rest: list[str]) -> bool:
    """A long line without a sentence end after which no running text follows: the last
    paragraph of an excerpt cut short, or a lead cut by the dump."""
    last_line = not any(rest)
    if (_width(line) < 60 or len(line.split()) < 8 and _width(line) < 90) and not (last_line and len(line.split()) >= 5):
        return False
    if _CAPTION_RE.search(line) or _BYLINE_LINE_RE.search(line) or _READ_MORE_RE.match(line):
        return False
    return not any(ln and is_prose(ln) for ln in rest)


def _repeats_lead(first: str, second: str) -> bool:
    a = re.sub(r"\W+", "", first)
    b = re.sub(r"\W+", "", second[dateline_length(second):])
    return len(a) >= 40 and len(b) >= 40 and (a[2:] in b or b[2:] in a)


def _is_chrome(line: str) -> bool:
    return bool(_BYLINE_LINE_RE.search(line) or _END_RE.match(line) or _COUNTER_RE.match(line) or _NUMBER_ONLY_RE.match(line)
                or _TIMESTAMP_RE.match(line) or _CAPTION_RE.search(line) or _LEADING_JUNK_RE.match(line)
                or _EDITOR_NOTE_RE.match(line))


# A weather bar: a temperature reading ("흐림서울 25.7℃", "Hà Nội 31°C").
_WEATHER_RE = re.compile(r"\d\s?(?:℃|°\s?C\b)")


def _beside_weather(header: list[str], index: int) -> bool:
    """A date line over a weather bar is the site's clock of today, not the article's date."""
    following = [ln for ln in header[index + 1:] if ln][:3]
    return any(_WEATHER_RE.search(ln) for ln in following)


def _skip_page_header(lines: list[str], doc: CleanDocument, headline: str | None) -> tuple[list[str], str | None]:
    """A dump starts with whatever the page had above the article: site name, menus, the
    author, counters. The article starts at the first line of running text; the headline
    is the nearest substantial line above it."""
    start = next((i for i, line in enumerate(lines) if line and is_prose(line)), None)
    twice = repeated_line(lines[: (start or 0) + 6]) if headline is None else None
    if twice is not None:
        # The page printed its headline twice: the article starts after the second copy.
        last = max(i for i, line in enumerate(lines) if line == twice)
        if start is None or last >= start:
            start = next((i for i, line in enumerate(lines) if i > last and line and is_prose(line)), None)
        headline = twice
    first = split_glued_image(lines[start]) if start is not None else ""
    if start is not None and headline is None and not first.endswith((".", "。", "…", ":", ";")) \
            and len(first.split()) <= 25 and could_be_headline(first) \
            and not any(could_be_headline(split_glued_image(ln)) and not _is_chrome(split_glued_image(ln))
                        for ln in lines[:start] if ln and not is_stamp_line(ln)):
        # "Hue city strengthens … with Namyanyiu city (Korea)": a headline that ends on a
        # bracket or a Korean verb looks like a sentence; with no headline above it and the
        # lead below, it is the headline.
        following = next((i for i in range(start + 1, len(lines)) if lines[i] and is_prose(lines[i])), None)
        if following is not None:
            if first != lines[start]:
                doc.removed.append(lines[start])
            headline, start = first, following
    if not start:
        return lines, headline
    header = lines[:start]
    for i, line in enumerate(header):
        if line and (_HEADER_DATE_RE.match(line) or is_stamp_line(line)) and not _beside_weather(header, i):
            doc.header_lines.append(line)
        elif line and _CITED_RE.match(line):
            doc.cited_urls.append(_CITED_RE.match(line).group("url"))
    if headline is None:
        skip = {line for line in header if line and (
            _is_chrome(split_glued_image(line)) or line in doc.header_lines or line.endswith((".", "。", ":")))}
        headline = pick_headline(header, skip)
    doc.removed.extend(line for line in header if line and line != headline and line not in doc.header_lines)
    if headline and headline not in header:
        doc.removed.extend(line for line in header if line and line.startswith(headline))
    return lines[start:], headline


# A photo caption glued onto the lead ("At the signing ceremony (Photo: VNA)Kien Giang (VNA) -
# …") or after the last sentence ("…했다..(사진 : … 김춘호)"): the caption goes, the prose stays.
_CAPTION_TAG = r"\((?:photos?|ảnh|사진|foto)\s*[:=：][^()]{1,120}\)"
_LEADING_CAPTION_RE = re.compile(r"^(?P<cap>[^()]{0,160}%s)\s*(?P<rest>\S.*)$" % _CAPTION_TAG, re.I)
_TRAILING_CAPTION_RE = re.compile(r"(?<=[.!?”\"다])\s*%s\s*$" % _CAPTION_TAG, re.I)
# A reporter's signature after the last sentence: "…성도이다. 이상문 기자 iou@".
_GLUED_SIGNATURE_RE = re.compile(r"(?<=[.!?”\"])\s+[가-힣]{2,4}\s?(?:기자|특파원)(?:\s+[\w.\-]*@[\w.\-]*)?\s*$")
# A closing signature line: "Nguyễn Thắng- Đài TT huyện Xuyên Mộc." (name, dash, newsroom).
_SIGNATURE_LINE_RE = re.compile(r"^(?:[A-ZÀ-ỸĐ][^\W\d_]*\s){1,3}[A-ZÀ-ỸĐ][^\W\d_]*\s?[-–]\s?[A-ZÀ-ỸĐ][^.!?]{2,60}\.?$")
# A Korean opening byline: "[시정일보 문명혜 기자] …"; what stands above it is a caption or deck.
_OPENING_BYLINE_RE = re.compile(r"^\[[^\]]{2,40}(?:기자|특파원)\]")
# The last line of a cut Korean excerpt: a subject with its particle, then words cut short
# ('안 부시장은 "이번 베트', '시는 이번 베트').
_CUT_KOREAN_RE = re.compile(r"^[가-힣\s]{0,12}[가-힣](?:은|는|이|가)\s+\S")


def split_glued_caption(line: str) -> tuple[str, str | None]:
    """(the prose, the caption taken off it) for a line with a caption glued to its text."""
    m = _LEADING_CAPTION_RE.match(line)
    if m and is_prose(m.group("rest")):
        return m.group("rest"), m.group("cap")
    m = _TRAILING_CAPTION_RE.search(line)
    if m and is_prose(line[: m.start()]):
        return line[: m.start()].rstrip(), m.group(0).strip()
    return line, None


def _is_cut_korean_end(line: str, rest: list[str], body: list[str]) -> bool:
    return (not any(rest) and bool(body) and _ends_like_sentence(body[-1]) and len(line.split()) >= 3
            and bool(_CUT_KOREAN_RE.match(line)) and not _BYLINE_LINE_RE.search(line))


def clean_lines(lines: list[str], doc: CleanDocument, headline: str | None = None,
                blocks_known: bool = False) -> CleanDocument:
    """The line rules shared by dumps and HTML pages. When the lines come from a page's
    own blocks (`blocks_known`), a short line without a full stop is a subheading or a
    list item of the article, not a stray caption or menu entry, and is kept."""
    lines = [ln for ln in lines]
    # Leading chrome before anything substantial.
    while lines and (not lines[0] or _LEADING_JUNK_RE.match(lines[0])):
        if lines[0]:
            doc.removed.append(lines[0])
        lines.pop(0)

    if lines:
        marker = _DATE_MARKER_RE.match(lines[0])
        if marker:
            doc.date_marker = marker.group("value")
            lines[0] = marker.group("rest").strip()
            if (headline is None and not blocks_known and could_be_headline(lines[0])
                    and not _is_chrome(lines[0]) and not _ends_like_sentence(lines[0])
                    and not section_label(lines[0])):
                # "date 2019-11-15 <headline>": the scraper put its marker on the headline.
                headline, lines[0] = lines[0], ""

    if not blocks_known:
        lines = unwrap_lines(unwrap_short_lines(lines))
        lines, headline = _skip_page_header(lines, doc, headline)

    body: list[str] = []
    truncated_kept = False
    for index, line in enumerate(lines):
        if not line:
            continue
        line, caption = split_glued_caption(line)
        if caption:
            doc.removed.append(caption)
        signed = _GLUED_SIGNATURE_RE.search(line)
        if signed and is_prose(line[: signed.start()]):
            doc.removed.append(signed.group(0).strip())
            line = line[: signed.start()]
        if _TEMPLATE_LEAK_RE.search(line) and not is_prose(_TEMPLATE_LEAK_RE.sub("", line)):
            doc.removed.append(line)
            continue
        if _READ_MORE_RE.match(line):
            if body:
                doc.teasers.append(body[-1])
            doc.removed.append(line)
            continue
        if body and _END_RE.match(line):
            doc.removed.extend(ln for ln in lines[index:] if ln)
            doc.footer_lines.extend(ln for ln in lines[index:index + 4] if ln and is_stamp_line(ln, 3))
            break
        byline = _BYLINE_RE.match(line)
        if byline and body:
            doc.byline = byline.group("who").strip()
            doc.removed.extend(ln for ln in lines[index + 1:] if ln)
            break
        cited = _CITED_RE.match(line)
        if cited:
            doc.cited_urls.append(cited.group("url"))
            continue
        if _HEADER_DATE_RE.match(line) or (not blocks_known and is_stamp_line(line)):
            # Near the top a stamp is the page's own; further down, only a labelled or
            # agency stamp is (dates.from_stamps decides), and never body text.
            (doc.header_lines if len(body) <= 1 else doc.footer_lines).append(line)
            continue
        if _COUNTER_RE.match(line) or _NUMBER_ONLY_RE.match(line) or _TIMESTAMP_RE.match(line):
            doc.removed.append(line)
            continue
        if _CAPTION_RE.search(line) and len(line.split()) < 60 or _POSED_RE.search(line) and len(line.split()) < 120:
            doc.removed.append(line)
            continue
        if headline is None and not body and not _ends_like_sentence(line) and could_be_headline(line):
            headline = line
            continue
        if headline and line == headline:
            continue  # the headline repeated above the body
        if not blocks_known and _FOOTER_RE.search(line) and len(line.split()) < 40:
            doc.removed.append(line)
            continue
        if not blocks_known and not _ends_like_sentence(line) and len(line.split()) <= 40:
            if body and not truncated_kept and (_is_cut_paragraph(line, lines[index + 1:])
                                                or _is_cut_korean_end(line, lines[index + 1:], body)):
                # The excerpt stops mid-paragraph: its last paragraph is text, not a caption.
                truncated_kept = True
                body.append(line)
                continue
            # An isolated line with no sentence end inside the body: a caption, a
            # menu entry or a list item of the site.
            doc.removed.append(line)
            continue
        body.append(line)

    if not blocks_known:
        opening = next((i for i, p in enumerate(body[:3]) if _OPENING_BYLINE_RE.match(p)), 0)
        if opening:
            # "[<매체> <이름> 기자] …" opens the article: the lines above it are captions.
            doc.removed.extend(body[:opening])
            body = body[opening:]
        if len(body) >= 2 and len(body[-1].split()) <= 12 and _SIGNATURE_LINE_RE.match(body[-1]):
            doc.removed.append(body.pop())
    # The agency's sign-off closes the article: what follows it is the site's.
    for index, paragraph in enumerate(body):
        stripped, credit = strip_credit(paragraph)
        if credit:
            doc.credit = credit
            doc.removed.extend(body[index + 1:])
            body = body[:index] + ([stripped] if stripped and stripped != credit else [])
            break
    if body:
        # A copyright notice glued after the last sentence: "…말했다. 오세현 저작권자 © …".
        body[-1] = _GLUED_COPYRIGHT_RE.sub("", body[-1]).rstrip() or body[-1]
    if len(body) >= 2 and not blocks_known and _repeats_lead(body[0], body[1]):
        # A standfirst that only repeats the lead: the body starts at the lead.
        doc.removed.append(body.pop(0))
    if headline and (tag := GLUED_DATE_TAG_RE.match(headline)):
        # "[20210708]의왕시, …": the portal's posting date glued before the headline.
        doc.header_lines.append(tag.group("tag"))
        headline = headline[tag.end():]
    doc.headline = headline
    teasers = set(doc.teasers)
    doc.teasers = [repair_glued(p) for p in body if p in teasers]
    doc.paragraphs = [repair_glued(p) for p in body]
    if not blocks_known:
        # Glue comes from dumps that lost their line breaks; a page's own blocks have none.
        doc.paragraphs = repair_vietnamese(repair_with_own_vocabulary(doc.paragraphs))
    for paragraph in doc.paragraphs:
        doc.cited_urls.extend(u for u in _URL_RE.findall(paragraph) if u not in doc.cited_urls)
    return doc


def clean(raw: RawDocument, plain: bool = False) -> CleanDocument:
    """`plain`: read an HTML page's text with the tags stripped, not its layout (the
    fallback for a page over the time budget); pages over the layout limits are read so
    anyway. Either way the article is flagged for review."""
    doc = CleanDocument()
    doc.review.extend(raw.review)
    if raw.media_type == "text/html":
        if plain or html_stage.layout_too_large(raw.text):
            page = html_stage.plain_page(raw.text)
            doc.review.append(review.PLAIN_TEXT)
        else:
            page = html_stage.extract_main(raw.text)
        doc.page_meta = page.meta
        doc.removed.extend(page.removed)
        lines = normalize_text("\n".join(page.lines)).split("\n")
        clean_lines(lines, doc, headline=page.headline, blocks_known=page.from_blocks)
        input_lines = lines
    else:
        input_lines = normalize_text(raw.text).split("\n")
        clean_lines(list(input_lines), doc)
    prose_words = sum(_word_count(p) for p in doc.paragraphs if is_prose(p) and p not in doc.teasers)
    if not doc.paragraphs or prose_words < MIN_ARTICLE_WORDS:
        # Too little left by the line rules: the input's own prose is kept and flagged,
        # never lost. Only a page with no prose at all is refused.
        blocks = prose_blocks(input_lines, set(doc.teasers), doc.headline)
        if not blocks:
            raise IngestError("no article found: nothing but navigation, captions or lists")
        if doc.paragraphs and prose_words >= sum(_word_count(b) for b in blocks):
            doc.review.append(review.SHORT_BODY)
        else:
            doc.paragraphs = repair_with_own_vocabulary([repair_glued(b) for b in blocks])
            doc.review.append(review.BODY_FALLBACK)
    return doc


# --- the prose of an input, for when the line rules leave too little -------------------

# A sentence end: a letter or digit then . ! ? or 。, before a space, the end or a glued capital.
_SENTENCE_SPLIT_RE = re.compile(r"(?<=[^\W_][.!?。])[\"”’»)]?(?:\s+|$|(?=[A-ZÀ-Ỹ가-힣]))")
_TERMINATED_RE = re.compile(r"[^\W_][.!?。][\"”’»)]?$")
_SEPARATOR_RE = re.compile(r"[|·•»›/>]")
# Words a text needs in whole sentences before it is called an article at all.
MIN_PROSE_WORDS = 20


def _joined_blocks(lines: list[str]) -> list[str]:
    """Non-empty lines, a hard-wrapped line joined to the one before it when that one has
    at least three words and no sentence end (menu entries have fewer)."""
    blocks: list[str] = []
    previous = ""
    for line in (ln.strip() for ln in lines):
        if not line:
            previous = ""
            continue
        if (previous and blocks and len(previous.split()) >= 3 and not _ends_like_sentence(previous)
                and _width(previous) <= 60):
            blocks[-1] += " " + line
        else:
            blocks.append(line)
        previous = line
    return blocks


def prose_words(block: str) -> tuple[int, int]:
    """(words in whole sentences of at least four words, words of a cut last sentence)."""
    parts = [p.strip() for p in _SENTENCE_SPLIT_RE.split(block) if p and p.strip()]
    whole = sum(_word_count(p) for p in parts if _TERMINATED_RE.search(p) and _word_count(p) >= 4)
    tail = parts[-1] if parts and not _TERMINATED_RE.search(parts[-1]) else ""
    return whole, (_word_count(tail) if whole and _word_count(tail) >= 8 else 0)


def prose_blocks(lines: list[str], teasers: set[str], headline: str | None = None) -> list[str]:
    """The blocks of the input that hold running text (whole sentences, or the cut end of
    a block that has some), in order; teasers of other articles, chrome and the headline
    are left out. Empty when the input has fewer than MIN_PROSE_WORDS words of sentences
    or no sentence of six words: a menu, a list of links or teasers is no article."""
    kept: list[str] = []
    total = 0
    for block in _joined_blocks([ln for ln in lines if ln.strip() not in teasers]):
        if block in teasers or block == headline or _READ_MORE_RE.match(block) or _COUNTER_RE.match(block):
            continue
        whole, tail = prose_words(block)
        if not whole and _is_cut_running_text(block):
            whole = _word_count(block)  # an excerpt cut inside its first sentence
        if whole:
            kept.append(block)
            total += whole + tail
    if total < MIN_PROSE_WORDS or not any(_is_cut_running_text(b) or any(
            _word_count(s) >= 6 for s in _SENTENCE_SPLIT_RE.split(b) if s and _TERMINATED_RE.search(s.strip()))
            for b in kept):
        return []
    return kept


def _is_cut_running_text(block: str) -> bool:
    """One long line of running text without a sentence end: a sentence cut by the dump.
    A menu on one line is told apart by its separators, and in cased scripts by its
    capitalised entries; in Hangul, running text has commas or quotes."""
    words = block.split()
    if len(words) < 30 or len(_SEPARATOR_RE.findall(block)) > 2:
        return False
    cased = [w for w in words if w[:1].isalpha() and w[:1].lower() != w[:1].upper()]
    if len(cased) >= len(words) / 2:
        return sum(w[0].islower() for w in cased) >= len(cased) / 2
    return bool(re.search(r"[,“”\"'’]", block))
