"""Revised Romanization of Korean place names, by rule (Ministry of Culture notice 2000-8).

Only what place names need: syllable-final consonants before the next initial, the
liquid and nasal assimilations that official names follow ('종로' -> 'Jongno', '신라' ->
'Silla', '강릉' -> 'Gangneung', '백령' -> 'Baengnyeong'), and no tensing (not written in
RR). Forms produced here are marked `rule` in places.json unless a source attests them.
"""
from __future__ import annotations

_INITIAL = ["g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h"]
_VOWEL = ["a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi",
          "yu", "eu", "ui", "i"]
# Final consonant index -> its representative sound: k, n, t, l, m, p, ng or none.
_FINAL = ["", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p", "t", "t",
          "ng", "t", "t", "k", "t", "p", "t"]
_FINAL_ROMAN = {"": "", "k": "k", "n": "n", "t": "t", "l": "l", "m": "m", "p": "p", "ng": "ng"}
# Final consonants carried over to a following vowel-initial syllable (ㅇ).
_LINK = {1: "g", 4: "n", 7: "d", 8: "r", 16: "m", 17: "b", 19: "s", 22: "j", 23: "ch", 24: "k", 25: "t",
         26: "p", 27: "h", 2: "kk", 20: "ss"}


def _split(ch: str) -> tuple[int, int, int] | None:
    code = ord(ch) - 0xAC00
    if not 0 <= code < 11172:
        return None
    return code // 588, (code % 588) // 28, code % 28


def romanize(hangul: str) -> str:
    """'종로' -> 'Jongno'; non-Hangul characters are kept."""
    parts = [_split(ch) for ch in hangul]
    out = []
    for i, part in enumerate(parts):
        if part is None:
            out.append(hangul[i])
            continue
        ini, vow, fin = part
        initial = _INITIAL[ini]
        prev = parts[i - 1] if i else None
        if prev is not None:
            pfin = _FINAL[prev[2]]
            if ini == 5:  # ㄹ after n or l -> l; after other finals -> n
                initial = "l" if pfin in ("n", "l") else ("n" if pfin else "r")
            elif ini == 2 and pfin == "l":  # 별내 -> Byeollae
                initial = "l"
            elif ini == 11 and prev[2] in _LINK:  # carried-over final
                initial = _LINK[prev[2]]
            elif ini == 18 and pfin in ("k", "t", "p"):  # aspiration: 북한 -> Bukhan stays (RR keeps h in names)
                initial = "h"
        final = ""
        nxt = parts[i + 1] if i + 1 < len(parts) else None
        fsound = _FINAL[fin]
        if nxt is not None and fin:
            nini = nxt[0]
            if nini == 11 and fin in _LINK:
                fsound = ""  # moved to the next syllable
            elif nini in (2, 6) or nini == 5 and fsound not in ("n", "l"):  # before ㄴ, ㅁ (or ㄹ read n)
                fsound = {"k": "ng", "t": "n", "p": "m"}.get(fsound, fsound)
            elif nini == 5 and fsound == "n":
                fsound = "l"  # 신라 -> Silla
        final = _FINAL_ROMAN[fsound]
        out.append(initial + _VOWEL[vow] + final)
    text = "".join(out)
    return text[:1].upper() + text[1:]
