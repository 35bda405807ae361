"""Vietnamese names in Hangul by the 외래어 표기법's Vietnamese rules (NIKL; 문화관광부 고시
제2004-11호, 제3장 제19절), as the Korean press writes most of them: 'Quy Nhơn' -> 꾸이년,
'Hòa Vang' -> 호아방, 'Cầu Giấy' -> 꺼우저이, 'Dĩ An' -> 지안, 'Đà Lạt' -> 달랏.

    hangul_forms('Xuyên Mộc') -> ['쑤옌목', '쑤엔목']

Rules applied: the consonant and vowel table; nh with the following vowel is one syllable
(냐, 녀), a final nh/ch after a is 아인/아익; an l between vowels inside a name is ㄹㄹ (달랏;
the form without the doubling, 다랏, is also given, the press writes both); qu before
a/â/e/ê is one syllable (꽝, 꿰); initial ng is 응. The press departs from the rule in
places (롱쑤엔 beside 롱쑤옌): for yê both 옌 and 엔 are given, and for an initial d (ㅈ
by the rule) ㄷ too, as an English reader says it (디안 beside 지안). Names the press takes from
English (나트랑 for Nha Trang) are not generated.
"""
from __future__ import annotations

import unicodedata

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}

# initials -> choseong index (ㄱ0 ㄲ1 ㄴ2 ㄷ3 ㄸ4 ㄹ5 ㅁ6 ㅂ7 ㅃ8 ㅅ9 ㅆ10 ㅇ11 ㅈ12 ㅉ13 ㅊ14 ㅋ15 ㅌ16 ㅍ17 ㅎ18)
_INITIALS = [
    ("ngh", 11), ("ng", 11), ("nh", 2), ("ch", 13), ("gh", 0), ("gi", 12), ("kh", 15), ("ph", 17), ("th", 16),
    ("tr", 13), ("qu", 1), ("b", 7), ("c", 1), ("d", 12), ("đ", 3), ("g", 0), ("h", 18), ("k", 1), ("l", 5),
    ("m", 6), ("n", 2), ("p", 8), ("r", 5), ("s", 9), ("t", 4), ("v", 7), ("x", 10),
]
# finals -> jongseong index (ㄱ1 ㄴ4 ㄹ8 ㅁ16 ㅂ17 ㅅ19 ㅇ21)
_FINALS = [("ng", 21), ("nh", 4), ("ch", 1), ("c", 1), ("m", 16), ("n", 4), ("p", 17), ("t", 19)]
# vowels -> jungseong indexes, one per syllable (ㅏ0 ㅐ1 ㅑ2 ㅓ4 ㅔ5 ㅕ6 ㅖ7 ㅗ8 ㅘ9 ㅙ10 ㅜ13 ㅝ14 ㅞ15 ㅟ16 ㅠ17 ㅡ18 ㅣ20 ㅛ12)
_VOWELS = [
    ("uyê", [(13,), (7, 5)]), ("iêu", [(20,), (5,), (13,)]), ("yêu", [(7, 5), (13,)]), ("uya", [(13,), (20,), (4,)]), ("ươi", [(18,), (4,), (20,)]), ("ươ", [(18,), (4,)]), ("uô", [(13,), (8,)]),
    ("iê", [(20,), (5,)]), ("yê", [(7, 5)]), ("ưa", [(18,), (4,)]), ("ưu", [(18,), (13,)]), ("ưi", [(18,), (20,)]),
    ("ia", [(20,), (4,)]), ("ua", [(13,), (4,)]), ("uâ", [(13,), (4,)]), ("uy", [(13,), (20,)]), ("uê", [(13,), (5,)]),
    ("oa", [(8,), (0,)]), ("oă", [(8,), (0,)]), ("oe", [(8,), (1,)]), ("ea", [(5,), (0,)]), ("ai", [(0,), (20,)]), ("ay", [(0,), (20,)]),
    ("ao", [(0,), (8,)]), ("au", [(0,), (13,)]), ("âu", [(4,), (13,)]), ("ây", [(4,), (20,)]), ("eo", [(1,), (8,)]),
    ("êu", [(5,), (13,)]), ("iu", [(20,), (13,)]), ("oi", [(8,), (20,)]), ("ôi", [(8,), (20,)]), ("ơi", [(4,), (20,)]),
    ("ui", [(13,), (20,)]), ("a", [(0,)]), ("ă", [(0,)]), ("â", [(4,)]), ("e", [(1,)]), ("ê", [(5,)]), ("i", [(20,)]),
    ("y", [(20,)]), ("o", [(8,)]), ("ô", [(8,)]), ("ơ", [(4,)]), ("u", [(13,)]), ("ư", [(18,)]),
]
# a palatal onset (nh, or the y of yê) glides into the vowel: ㅏ->ㅑ, ㅓ->ㅕ, ㅔ->ㅖ, ㅗ->ㅛ, ㅜ->ㅠ
_GLIDE = {0: 2, 4: 6, 5: 7, 8: 12, 13: 17}
# qu + vowel in one syllable: ㅜ+ㅏ=ㅘ, ㅜ+ㅓ=ㅝ, ㅜ+ㅔ=ㅞ, ㅜ+ㅐ=ㅙ
_WITH_U = {0: 9, 4: 14, 5: 15, 1: 10}


def _syllable(initial: int, medial: int, final: int = 0) -> str:
    return chr(0xAC00 + (initial * 21 + medial) * 28 + final)


def _strip_tones(text: str) -> str:
    return unicodedata.normalize("NFC", "".join(c for c in unicodedata.normalize("NFD", text) if c not in _TONES))


def _word(word: str) -> list[list[tuple[int, int, int]]] | None:
    """One Vietnamese syllable as Hangul (initial, medial, final) triples, or None."""
    w = _strip_tones(word).lower()
    initial, rest = 11, w
    for spelling, index in _INITIALS:
        if w.startswith(spelling):
            initial, rest = index, w[len(spelling):]
            if spelling == "gi" and (not rest or rest[0] not in "aăâeêoôơuưy"):
                rest = "i" + rest  # 'gì' is gi + i
            break
    qu = w.startswith("qu")
    for spelling, parts in _VOWELS:
        if rest.startswith(spelling):
            nucleus, final_text = parts, rest[len(spelling):]
            break
    else:
        return None
    final = 0
    for spelling, index in _FINALS:
        if final_text == spelling:
            final = index
            break
    else:
        if final_text:
            return None
    out: list[tuple[int, int, int]] = []
    medials = [list(p) for p in nucleus]
    if qu and medials[0][0] in _WITH_U:
        medials[0][0] = _WITH_U[medials[0][0]]  # 'Quang' -> 꽝
    elif qu:
        medials.insert(0, [13])  # 'Quy' -> 꾸이, 'Quốc' -> 꾸옥
    if initial == 11 and w.startswith("ng"):
        out.append((11, 18, 0))  # 'Ngãi' -> 응아이: ng is 응
        initial = 11
    palatal = w.startswith("nh")
    if final in (4, 1) and final_text in ("nh", "ch") and medials[-1] == [0]:
        medials.append([20])  # 'Thanh' -> 타인, 'Thạch' -> 타익
    for n, parts in enumerate(medials):
        medial = parts[0]
        if n == 0 and palatal and medial in _GLIDE:
            medial = _GLIDE[medial]
        if n == 0 and palatal and medial == 20:
            medial = 20  # 'Ninh' -> 닌
        syl_initial = initial if n == 0 else 11
        out.append((syl_initial, medial, final if n == len(medials) - 1 else 0))
    if out and out[0] == (11, 18, 0) and len(out) > 1:
        out[0] = (11, 18, 21)  # 응 carries ㅇ as its final
        out = [out[0]] + out[1:]
    variants = [out]
    if w.startswith("d") and not w.startswith("đ"):
        # The press also reads a Vietnamese d as an English one: 디안 beside the rule's 지안.
        variants.append([(3 if k == 0 else t[0], t[1], t[2]) for k, t in enumerate(out)])
    for n, parts in enumerate(medials):
        if len(parts) > 1:  # yê: 옌 or 엔
            alt = list(out)
            offset = len(out) - len(medials)
            s_init, _, s_final = alt[n + offset]
            alt[n + offset] = (s_init, parts[1], s_final)
            variants.append(alt)
    return variants


def hangul_forms(name: str) -> list[str]:
    """The rule's Hangul forms of a Vietnamese name, most likely first; [] if a syllable is
    not Vietnamese ('Ea' in 'Ea Súp' is: 에아)."""
    words = name.replace("-", " ").split()
    per_word = [_word(w) for w in words]
    if not words or any(v is None for v in per_word):
        return []
    forms: list[list[tuple[int, int, int]]] = [[]]
    for variants in per_word:
        forms = [f + v for f in forms for v in variants]
    out: list[str] = []
    for syllables in forms:
        doubled = list(syllables)
        for i in range(1, len(doubled)):
            init, med, fin = doubled[i]
            p_init, p_med, p_fin = doubled[i - 1]
            if init == 5 and p_fin == 0:  # an l between vowels: ㄹㄹ ('Đà Lạt' -> 달랏)
                doubled[i - 1] = (p_init, p_med, 8)
        for s in (doubled, syllables):
            text = "".join(_syllable(*t) for t in s)
            if text not in out:
                out.append(text)
    return out
