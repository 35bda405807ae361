"""HTML pages: page metadata and the main block's text, as lines for the line cleaner."""
from __future__ import annotations

import html as html_lib
import json
import re
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, Comment, Tag

_DROP_TAGS = [
    "script", "style", "noscript", "template", "iframe", "svg", "canvas", "form", "button",
    "nav", "header", "footer", "aside", "select", "input", "textarea", "figure", "figcaption",
    "video", "audio", "object", "embed", "menu",
]
_CHROME_HINT = re.compile(
    r"(^|[\s_-])(nav|navbar|menu|breadcrumbs?|footer|header|sidebar|side-bar|widget|related|relate|"
    r"comments?|share|social|sns|advert|ads?|banner|popular|most-read|tags?|subscribe|newsletter|"
    r"cookie|modal|popup|pagination|rating|counter|login|search)($|[\s_-])",
    re.I,
)
_BLOCKS = {"p", "div", "section", "article", "main", "li", "h1", "h2", "h3", "h4", "h5", "h6",
           "blockquote", "pre", "td", "tr", "br", "dd", "dt", "ul", "ol", "table"}


@dataclass
class Page:
    headline: str | None = None
    lines: list[str] = field(default_factory=list)
    meta: dict = field(default_factory=dict)
    removed: list[str] = field(default_factory=list)
    from_blocks: bool = False  # lines are the article's own paragraphs, headings and list items
    summary: str | None = None


def _json_ld_articles(soup: BeautifulSoup) -> list[dict]:
    found: list[dict] = []
    for script in soup.find_all("script", type="application/ld+json"):
        try:
            data = json.loads(script.string or "")
        except (ValueError, TypeError):
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                if "@graph" in item and isinstance(item["@graph"], list):
                    stack.extend(item["@graph"])
                kind = item.get("@type")
                kinds = kind if isinstance(kind, list) else [kind]
                if any(k in ("NewsArticle", "Article", "ReportageNewsArticle", "BlogPosting") for k in kinds):
                    found.append(item)
    return found


def _meta(soup: BeautifulSoup, *names: str) -> str | None:
    for name in names:
        tag = soup.find("meta", attrs={"property": name}) or soup.find("meta", attrs={"name": name})
        if tag and tag.get("content"):
            return tag["content"].strip()
    return None


def page_metadata(soup: BeautifulSoup) -> dict:
    meta: dict = {}
    html_tag = soup.find("html")
    if html_tag and html_tag.get("lang"):
        meta["lang"] = html_tag["lang"].strip()
    if soup.title and soup.title.string:
        meta["title"] = soup.title.string.strip()
    og_title = _meta(soup, "og:title", "twitter:title")
    if og_title:
        meta["og_title"] = og_title
    published = _meta(soup, "article:published_time", "og:article:published_time", "pubdate",
                      "publishdate", "date", "dc.date", "DC.date.issued")
    if published:
        meta["published"] = published
    site = _meta(soup, "og:site_name")
    if site:
        meta["site_name"] = site
    author = _meta(soup, "author", "article:author")
    if author:
        meta["author"] = author
    canonical = soup.find("link", rel="canonical")
    if canonical and canonical.get("href"):
        meta["canonical"] = canonical["href"].strip()
    for item in _json_ld_articles(soup):
        if item.get("headline") and "ld_headline" not in meta:
            meta["ld_headline"] = str(item["headline"]).strip()
        if item.get("datePublished") and "ld_published" not in meta:
            meta["ld_published"] = str(item["datePublished"]).strip()
        publisher = item.get("publisher")
        if isinstance(publisher, dict) and publisher.get("name") and "publisher" not in meta:
            meta["publisher"] = str(publisher["name"]).strip()
    time_tag = soup.find("time", attrs={"datetime": True})
    if time_tag:
        meta["time"] = time_tag["datetime"].strip()
    return meta


def _text_lines(node: Tag) -> list[str]:
    """Text with a line break at every block boundary, so paragraphs stay paragraphs."""
    for br in node.find_all("br"):
        br.replace_with("\n")
    for block in node.find_all(_BLOCKS):
        block.insert_before("\n")
        block.insert_after("\n")
    return [line.strip() for line in node.get_text().split("\n")]


def _text_weight(node: Tag) -> int:
    return sum(len(p.get_text(" ", strip=True)) for p in node.find_all("p"))


# Limits of the layout read with a parser: past them the page's text is taken with the tags
# stripped (`plain_page`), flagged for review. News pages hold a few thousand elements
# nested a few dozen deep.
MAX_ELEMENTS = 50_000
MAX_DEPTH = 512
_TAG_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)[^>]*?(/?)>")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
         "track", "wbr", "keygen", "command", "basefont", "frame", "isindex"}
# Elements whose end tag may be left out: not counted for depth (an old page's thousand
# unclosed <p> are a thousand paragraphs, not a thousand levels).
_OPTIONAL_END = {"p", "li", "dt", "dd", "td", "th", "tr", "thead", "tbody", "tfoot", "option", "optgroup",
                 "colgroup", "caption", "rb", "rt", "rp", "rtc", "html", "head", "body"}


def layout_too_large(markup: str) -> str | None:
    """Why the page is too large to read its layout (element count, nesting depth), or
    None. One pass over the tags, linear in the page."""
    elements = depth = deepest = 0
    for match in _TAG_RE.finditer(markup):
        closing, name, self_closing = match.group(1), match.group(2).lower(), match.group(3)
        if closing:
            if name not in _VOID and name not in _OPTIONAL_END and depth:
                depth -= 1
            continue
        elements += 1
        if elements > MAX_ELEMENTS:
            return f"over {MAX_ELEMENTS} elements"
        if name in _VOID or name in _OPTIONAL_END or self_closing:
            continue
        depth += 1
        if depth > deepest:
            deepest = depth
            if deepest > MAX_DEPTH:
                return f"nested over {MAX_DEPTH} levels deep"
    return None


_INVISIBLE_RE = re.compile(r"<!--.*?-->|<(script|style|noscript|template|svg)\b[^>]*>.*?</\1\s*>", re.I | re.S)
_BLOCK_TAG_RE = re.compile(r"</?(?:%s)\b[^>]*>" % "|".join(sorted(_BLOCKS)), re.I)
_ANY_TAG_RE = re.compile(r"<[^>]*>")
_TITLE_RE = re.compile(r"<title\b[^>]*>([^<]{1,1000})", re.I)
_H1_RE = re.compile(r"<h1\b[^>]*>([^<]{1,1000})", re.I)


def plain_page(markup: str) -> Page:
    """The page's text with the tags stripped, a line per block: linear in the page, for
    pages too large or too slow to read with a parser."""
    text = _INVISIBLE_RE.sub(" ", markup)
    text = _BLOCK_TAG_RE.sub("\n", text)
    text = html_lib.unescape(_ANY_TAG_RE.sub("", text))
    title = _TITLE_RE.search(markup)
    h1 = _H1_RE.search(markup)
    meta = {"title": html_lib.unescape(title.group(1)).strip()} if title else {}
    headline = choose_headline(html_lib.unescape(h1.group(1)).strip() if h1 else "", meta)
    return Page(headline=headline, lines=[line.strip() for line in text.split("\n")], meta=meta)


def extract_main(markup: str) -> Page:
    """Metadata and headline by our rules; the main text from trafilatura, which does that
    part better than our block heuristics on every public gold set (bench/extraction.py),
    with our own extraction as the fallback when it finds nothing."""
    page = _extract_with_soup(markup)
    text = _trafilatura_text(markup)
    if text and page.summary and _key(page.summary) not in _key(text):
        # News sites print the lead paragraph ("sapo") apart from the body: it is the
        # article's first paragraph all the same.
        text = page.summary + "\n" + text
    # Old portals lay pages out in tables; the library then returns the layout as a
    # table of cells, and our block extraction reads such pages better.
    lines = [ln for ln in (text or "").split("\n") if ln.strip()]
    table_rows = sum(1 for ln in lines if ln.lstrip().startswith("|"))
    if lines and table_rows <= len(lines) / 2:
        page.lines = text.split("\n")
        page.from_blocks = True
    return page


_TITLE_SEPARATORS = re.compile(r"\s+[|–—-]\s+|\s+::\s+")


def choose_headline(h1: str, meta: dict) -> str | None:
    """The article's headline: the JSON-LD headline, then OpenGraph, then the <h1> unless
    it is the site's name (a logo in an <h1> is common), then <title> without the site."""
    site = (meta.get("site_name") or meta.get("publisher") or "").strip().lower()
    title = meta.get("title") or ""
    title_parts = [p.strip() for p in _TITLE_SEPARATORS.split(title) if p.strip()]
    for candidate in (meta.get("ld_headline"), meta.get("og_title"), h1, title_parts[0] if title_parts else None):
        if not candidate:
            continue
        candidate = _TITLE_SEPARATORS.split(candidate)[0].strip() if site and site in candidate.lower() else candidate
        if candidate and candidate.strip().lower() != site and len(candidate) >= 8:
            return candidate.strip()
    return h1 or None


def _key(text: str) -> str:
    return re.sub(r"\W+", "", text.lower())[:60]


_SUMMARY_HINT = re.compile(r"(^|[\s_-])(sapo|summary|chapeau|lead|desc|description|txt-desc)($|[\s_-])", re.I)


_NOT_SUMMARY = re.compile(r"modal|dialog|newsletter|footer|header|cookie|vjs|site-desc|promo|subscribe|teaser|related", re.I)


def _summary(soup: BeautifulSoup) -> str | None:
    """The lead paragraph a news page sets apart under its headline."""
    for tag in soup.find_all(["p", "h2", "div", "span"], class_=True):
        classes = " ".join(tag.get("class", []))
        hint = _SUMMARY_HINT.search(classes)
        if not hint or _NOT_SUMMARY.search(classes):
            continue
        if hint.group(2).lower() in ("desc", "description") and tag.name not in ("p", "h2"):
            continue
        if any(_NOT_SUMMARY.search(" ".join(parent.get("class", [])) + " " + (parent.get("id") or ""))
               for parent in tag.parents if parent.name not in (None, "[document]")):
            continue
        text = tag.get_text(" ", strip=True)
        if 60 <= len(text) <= 1200 and text[-1] in ".!?…\"”»다":
            return text
    return None


def _trafilatura_text(markup: str) -> str | None:
    import trafilatura

    try:
        return trafilatura.extract(markup, include_comments=False, include_tables=True,
                                   favor_precision=False, deduplicate=False)
    except Exception:  # a page that breaks the library still gets our own extraction
        return None


def _extract_with_soup(markup: str) -> Page:
    soup = BeautifulSoup(markup, "html.parser")
    page = Page(meta=page_metadata(soup))
    page.summary = _summary(soup)
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()

    headline_tag = soup.find("h1")
    headline_text = headline_tag.get_text(" ", strip=True) if headline_tag else ""
    for tag in soup.find_all(_DROP_TAGS):
        text = tag.get_text(" ", strip=True)
        if text:
            page.removed.append(text)
        tag.decompose()
    for tag in soup.find_all(True):
        if tag.decomposed or tag.name in ("html", "body", "article", "main"):
            continue
        hints = " ".join(tag.get("class", [])) + " " + (tag.get("id") or "")
        if hints.strip() and _CHROME_HINT.search(hints):
            text = tag.get_text(" ", strip=True)
            if text:
                page.removed.append(text)
            tag.decompose()

    candidates = soup.find_all("article") or soup.find_all("main")
    if candidates:
        container = max(candidates, key=_text_weight)
    else:
        blocks = [p.parent for p in soup.find_all("p") if p.parent is not None]
        container = max(blocks, key=_text_weight) if blocks else (soup.body or soup)

    page.headline = choose_headline(headline_text, page.meta)
    if headline_tag is not None and not headline_tag.decomposed:
        headline_tag.decompose()
    page.lines = _text_lines(container)
    return page
