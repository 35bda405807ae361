"""The interface in Vietnamese, Korean, French and English (issue 15).

The crawl renders every page type in each language and looks for English left behind:
visible text and labels that are the interface's (not inside an element carrying an
article's own `lang`) are checked against the words of the catalogs' English msgids.
"""
from __future__ import annotations

import ast
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import django
import pytest
from bs4 import BeautifulSoup, Comment
from django.conf import settings
from django.contrib.auth.models import User

from archive import gazetteer
from archive.display import format_known_date
from archive.models import Article, RawCapture, Source, Story
from archive.partnerships import pairs

LOCALE = Path(settings.BASE_DIR) / "locale"
TRANSLATED = ["vi", "ko", "fr"]
ALLOWED_SAME = LOCALE / "same-as-english.txt"
COOKIE = settings.LANGUAGE_COOKIE_NAME
_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}|<[^>]+>|&\w+;")
_WORD = re.compile(r"[A-Za-z]{3,}")
# Django 5.2's admin writes its search icon's alt text without gettext (admin/search_form.html).
DJANGO_UNTRANSLATED = {(page, "Search") for page in (
    "admin article list", "admin raw captures", "admin takedowns", "admin blocked items", "admin audit entries")}
MONTHS = ("January February March April May June July August September October November December "
          "Monday Tuesday Wednesday Thursday Friday Saturday Sunday").split()


# --- the catalogs ---------------------------------------------------------------------------

def read_po(path: Path) -> list[dict]:
    """The entries of a .po file: msgid, msgid_plural, msgstr forms, flags."""
    entries, current, key = [], None, None

    def unquote(line: str) -> str:
        return ast.literal_eval(line)  # a .po string is written like a Python one

    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = line.strip()
        if not line:
            if current:
                entries.append(current)
            current = None
            continue
        if current is None:
            current = {"msgid": "", "msgid_plural": None, "msgstr": {}, "flags": set()}
        if line.startswith("#,"):
            current["flags"].update(f.strip() for f in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            if key[0] == "msgstr":
                current["msgstr"][key[1]] += unquote(line)
            else:
                current[key[0]] = (current[key[0]] or "") + unquote(line)
        else:
            word, _, rest = line.partition(" ")
            if word.startswith("msgstr"):
                key = ("msgstr", int(word[7:-1]) if "[" in word else 0)
                current["msgstr"][key[1]] = unquote(rest)
            else:
                key = (word, None)
                current[word] = unquote(rest)
    return [e for e in entries if e["msgid"]]  # the header has an empty msgid


def catalog(lang: str) -> list[dict]:
    return read_po(LOCALE / lang / "LC_MESSAGES" / "django.po")


def allowed_same() -> set[tuple[str, str]]:
    """(language, msgid) pairs whose translation is rightly the English: codes, names."""
    allowed = set()
    for line in ALLOWED_SAME.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            langs, _, msgid = line.partition("\t")
            allowed.update((lang, msgid) for lang in langs.split(","))
    return allowed


@pytest.mark.parametrize("lang", TRANSLATED)
def test_catalogs_are_complete_with_no_empty_fuzzy_or_english_messages(lang):
    entries = catalog(lang)
    assert len(entries) > 200
    allowed = allowed_same()
    problems = []
    for entry in entries:
        forms = list(entry["msgstr"].values())
        if "fuzzy" in entry["flags"]:
            problems.append(("fuzzy", entry["msgid"]))
        if not forms or any(not f.strip() for f in forms):
            problems.append(("empty", entry["msgid"]))
        elif any(f in (entry["msgid"], entry["msgid_plural"]) for f in forms) and (lang, entry["msgid"]) not in allowed:
            problems.append(("same as English", entry["msgid"]))
    assert problems == []


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="msgfmt (Debian's gettext) is installed by `make test`")
@pytest.mark.parametrize("lang", TRANSLATED)
def test_msgfmt_check_passes_and_the_committed_mo_is_up_to_date(lang, tmp_path):
    po = LOCALE / lang / "LC_MESSAGES" / "django.po"
    built = tmp_path / "django.mo"
    result = subprocess.run(["msgfmt", "--check", "--check-format", "-o", str(built), str(po)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert built.read_bytes() == po.with_suffix(".mo").read_bytes(), "run `make messages` and commit the .mo"


def english_vocabulary(lang: str) -> set[str]:
    """Lower-case English words of the interface that the language's own catalog does not
    also use (so 'MOU', 'Gyeonggi' or French 'article' are not counted as English)."""
    entries = catalog(lang)
    english, own = set(), set()
    for entry in entries:
        for text in (entry["msgid"], entry["msgid_plural"] or ""):
            english.update(w.lower() for w in _WORD.findall(_PLACEHOLDER.sub(" ", text)))
        for text in entry["msgstr"].values():
            own.update(w.lower() for w in _WORD.findall(_PLACEHOLDER.sub(" ", text)))
    # Django's own catalogs for the language (its admin, its forms) are its words too.
    django_locale = Path(django.__file__).parent
    for po in (django_locale / "conf" / "locale" / lang / "LC_MESSAGES" / "django.po",
               django_locale / "contrib" / "admin" / "locale" / lang / "LC_MESSAGES" / "django.po"):
        if po.exists():
            for entry in read_po(po):
                for text in entry["msgstr"].values():
                    own.update(w.lower() for w in _WORD.findall(_PLACEHOLDER.sub(" ", text)))
    english.update(m.lower() for m in MONTHS)
    return english - own


# --- the crawl ------------------------------------------------------------------------------

def data_strings() -> list[str]:
    """What the archive holds rather than what the interface says: source names and every
    name of every place. Longest first, so a longer name is removed before its parts."""
    names = set(Source.objects.values_list("name", flat=True))
    names.update(Article.objects.values_list("title", flat=True))  # the admin lists them without lang
    names.update(User.objects.values_list("username", flat=True))
    for name, media_type in RawCapture.objects.values_list("original_name", "media_type"):
        names.update((name, media_type))  # file names and media types, as captured
    for place in gazetteer.all_places():
        names.update(place.names.values())
        names.update(place.aliases)
        names.add(place.name)
    return sorted((n for n in names if n), key=len, reverse=True)


def interface_texts(html: str, page_lang: str) -> list[str]:
    """Visible text and labels outside elements that carry another language (an article's
    title, snippet or body, a language's own name in the switcher)."""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "code", "datalist"]):
        tag.decompose()
    texts = []

    def own_language(element) -> bool:
        node = element if getattr(element, "attrs", None) is not None else element.parent
        while node is not None and getattr(node, "attrs", None) is not None:
            if node.has_attr("lang"):
                return node["lang"] == page_lang
            node = node.parent
        return True

    for node in soup.find_all(string=True):
        if isinstance(node, Comment) or not node.strip() or node.parent.name in ("[document]",):
            continue
        if own_language(node.parent):
            texts.append(node.strip())
    for element in soup.find_all(True):
        for attribute in ("placeholder", "aria-label", "title", "alt", "data-label"):
            if element.has_attr(attribute) and own_language(element):
                texts.append(element[attribute])
        if element.name == "input" and element.get("type") in ("submit", "button") and own_language(element):
            texts.append(element.get("value", ""))
    return texts


def english_left(texts: list[str], vocabulary: set[str], data: list[str]) -> list[str]:
    found = []
    for text in texts:
        rest = text
        for name in data:
            if name in rest:
                rest = rest.replace(name, " ")
        words = [w for w in _WORD.findall(rest) if w.lower() in vocabulary]
        if words:
            found.append(f"{text!r} ({', '.join(words)})")
    return found


@pytest.fixture
def page_urls(seeded):
    article = seeded["004"]
    pair = pairs()[0]
    story = Story.objects.first()
    if story is None:  # the seeds may report no event twice: make a story of two reports
        story = Story.objects.create(type="mou", vn=pair.vn, kr=pair.kr, date=date(2023, 2, 21))
        story.articles.add(seeded["003"], seeded["004"])
    return {
        "home": "/",
        "search with results": "/search/?q=Gyeonggi",
        "search with none": "/search/?q=zzqxv",
        "article": article.get_absolute_url(),
        "place": "/places/gyeonggi/",
        "partnerships": "/partnerships/",
        "partnership": pair.get_absolute_url(),
        "story": f"/stories/{story.pk}/",
        "help": "/help/search/",
        "places": "/places/",
        "sources": "/sources/",
        "stories": "/stories/",
        "articles by date": "/articles/?year=2023",
        "404": "/no/such/page/",
        "admin index": "/admin/",
        "admin article list": "/admin/archive/article/",
        "admin upload": "/admin/archive/article/upload/",
        "admin raw captures": "/admin/archive/rawcapture/",
        "admin takedowns": "/admin/archive/takedown/",
        "admin blocked items": "/admin/archive/blockeditem/",
        "admin audit entries": "/admin/archive/auditentry/",
    }


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_page_type_is_in_the_interface_language_with_no_english_left(seeded, page_urls, client, lang):
    User.objects.create_superuser("editor", "editor@example.org", "a-long-password-123")
    client.login(username="editor", password="a-long-password-123")
    client.cookies[COOKIE] = lang
    vocabulary, data = english_vocabulary(lang), data_strings()
    leftovers = {}
    for name, url in page_urls.items():
        response = client.get(url)
        assert response.status_code == (404 if name == "404" else 200), (name, url)
        html = response.content.decode()
        assert f'<html lang="{lang}"' in html, name
        assert "Accept-Language" in response["Vary"] and "Cookie" in response["Vary"], name
        texts = [t for t in interface_texts(html, lang) if (name, t) not in DJANGO_UNTRANSLATED]
        found = english_left(texts, vocabulary, data)
        if found:
            leftovers[name] = found
    assert leftovers == {}, "English left:\n" + "\n".join(f"{k}: {v}" for k, v in leftovers.items())


@pytest.mark.parametrize("lang", TRANSLATED)
def test_feeds_titles_follow_hl_or_the_cookie_and_entries_keep_their_language(seeded, client, lang):
    vocabulary, data = english_vocabulary(lang), data_strings()
    place = "/feeds/place/gyeonggi/"
    for url, cookie in ((f"/feeds/latest/?hl={lang}", None), ("/feeds/latest/atom/", lang),
                        (f"{place}?hl={lang}", "en"), (f"/feeds/search/?q=Gyeonggi&hl={lang}", None)):
        client.cookies.clear()
        if cookie:
            client.cookies[COOKIE] = cookie
        root = ET.fromstring(client.get(url).content)
        atom = "{http://www.w3.org/2005/Atom}"
        channel = root.find("channel")
        if channel is not None:
            texts = [channel.findtext("title"), channel.findtext("description")]
            entries = channel.findall("item")
        else:
            texts = [root.findtext(f"{atom}title"), root.findtext(f"{atom}subtitle") or ""]
            entries = root.findall(f"{atom}entry")
            assert entries and all(e.get("{http://www.w3.org/XML/1998/namespace}lang") for e in entries)
        assert entries, url
        assert english_left([t for t in texts if t], vocabulary, data) == [], url


def test_the_interface_language_comes_from_the_cookie_else_accept_language_never_from_lang(seeded, client):
    page = client.get("/", headers={"accept-language": "ko-KR,ko;q=0.9,en;q=0.5"})
    assert '<html lang="ko"' in page.content.decode() and page["Content-Language"] == "ko"
    # lang= filters articles; the interface stays in the reader's language.
    page = client.get("/search/", {"lang": "fr"}, headers={"accept-language": "vi"})
    assert '<html lang="vi"' in page.content.decode()
    # The switcher posts to set_language, which keeps the choice in a cookie.
    answer = client.post("/i18n/setlang/", {"language": "fr", "next": "/help/search/"},
                         headers={"accept-language": "vi"})
    assert answer.status_code == 302 and answer["Location"] == "/help/search/"
    assert client.cookies[COOKIE].value == "fr"
    page = client.get("/help/search/", headers={"accept-language": "vi"}).content.decode()
    assert '<html lang="fr"' in page and "Comment chercher" in page
    home = client.get("/").content.decode()
    assert 'action="/i18n/setlang/"' in home and 'name="language" value="ko" lang="ko"' in home


def test_feed_etags_and_links_carry_the_interface_language(seeded, client):
    english = client.get("/feeds/latest/", {"hl": "en"})
    korean = client.get("/feeds/latest/", {"hl": "ko"})
    assert english["ETag"] != korean["ETag"]
    assert "최신 기사" in korean.content.decode()
    # A 304 only for the same language.
    assert client.get("/feeds/latest/", {"hl": "ko"}, headers={"if-none-match": korean["ETag"]}).status_code == 304
    assert client.get("/feeds/latest/", {"hl": "en"}, headers={"if-none-match": korean["ETag"]}).status_code == 200
    client.cookies[COOKIE] = "vi"
    page = client.get("/places/gyeonggi/").content.decode()
    assert 'href="/feeds/place/gyeonggi/?hl=vi"' in page and 'href="/feeds/latest/?hl=vi"' in page


def test_titles_and_snippets_keep_their_own_language(seeded, client):
    client.cookies[COOKIE] = "ko"
    html = client.get("/search/", {"q": "Gyeonggi"}).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    assert soup.html["lang"] == "ko"
    titles = soup.select(".result h3 a")
    assert titles and all(a["lang"] in ("vi", "fr", "ko", "en") for a in titles)
    assert {a["lang"] for a in titles} - {"ko"}  # the seeds are French and Vietnamese


@pytest.mark.parametrize("lang, day, month, year", [
    ("vi", "ngày 5 tháng 11 năm 2019", "tháng 11 năm 2019", "2019"),
    ("ko", "2019년 11월 5일", "2019년 11월", "2019년"),
    ("fr", "5 novembre 2019", "novembre 2019", "2019"),
    ("en", "5 November 2019", "November 2019", "2019"),
])
def test_dates_keep_their_precision_in_each_language(lang, day, month, year):
    value = date(2019, 11, 5)
    assert format_known_date(value, "day", lang) == day
    assert format_known_date(value, "month", lang) == month
    assert format_known_date(value, "year", lang) == year
    assert format_known_date(date(2019, 11, 1), "day", "fr") == "1er novembre 2019"


def test_pages_show_dates_and_places_in_the_interface_language(seeded, client):
    article = seeded["004"]
    assert article.date_precision == "day"
    client.cookies[COOKIE] = "ko"
    html = client.get(article.get_absolute_url()).content.decode()
    assert re.search(r"<time datetime=\"\d{4}-\d\d-\d\d\">\d{4}년 \d{1,2}월 \d{1,2}일</time>", html)
    assert "전라남도" in html and "빈프억성" in html  # Jeollanam and Bình Phước, in Korean
    client.cookies[COOKIE] = "vi"
    html = client.get("/places/jeollanam/").content.decode()
    assert "<h1>Jeollanam (전라남도)</h1>" in html and re.search(r"ngày \d{1,2} tháng \d{1,2} năm \d{4}", html)


def test_the_admin_speaks_the_editors_language(seeded, client):
    User.objects.create_superuser("editor", "editor@example.org", "a-long-password-123")
    client.login(username="editor", password="a-long-password-123")
    client.cookies[COOKIE] = "ko"
    html = client.get("/admin/archive/article/").content.decode()
    assert "선택한 기사 게시" in html  # the archive's own action
    assert "파일 가져오기" in html
    client.cookies[COOKIE] = "vi"
    html = client.get(f"/admin/archive/article/{seeded['004'].pk}/change/").content.decode()
    assert "Siêu dữ liệu" in html and "Độ chính xác của ngày" in html


def test_search_errors_are_in_the_interface_language_on_the_page_and_english_in_the_api(seeded, client):
    client.cookies[COOKIE] = "ko"
    page = client.get("/search/", {"q": "Hanoi", "page": "abc"})
    assert page.status_code == 400 and "정수여야 합니다" in page.content.decode()
    api = client.get("/api/search/", {"q": "Hanoi", "page": "abc"})
    assert api.status_code == 400 and api.json()["error"] == "page must be a whole number, not 'abc'"


def test_a_korean_place_is_not_named_twice_when_its_korean_name_is_its_own(seeded, client):
    client.cookies[COOKIE] = "ko"
    html = client.get("/search/", {"q": "Gyeonggi"}).content.decode()
    assert "경기도(경기도)" not in html and "지명 경기도(으)로 읽었습니다" in html
