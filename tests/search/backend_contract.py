"""The contract every search backend keeps (search.engine.SearchEngine).

`BackendTests` is a mixin: each backend's test module subclasses it in a few lines, naming
its haystack engine (and, if it needs one, its connection), and the same tests run on it.
The corpus is small and written here, so each expectation can be read off it.
"""
from __future__ import annotations

import datetime
import multiprocessing
import threading
from dataclasses import dataclass

import pytest
from django.db.models import Count

from archive.models import Article, Place, Source
from search import indexing
from search import querytree as qt
from search.engine import MAX_RESULT_WINDOW, ResultWindowExceeded, SearchRequest, engine
from search.query import parse

FILLERS = 24  # dated reports, enough for several pages


@dataclass(frozen=True)
class Doc:
    key: str
    title: str
    body: str
    language: str
    published: datetime.date | None
    source: str | None
    places: tuple[str, ...]
    countries: tuple[str, ...]


CORPUS = [
    Doc("danang", "Đà Nẵng ký kết hợp tác với Daegu", "Thành phố Đà Nẵng và Daegu ký bản ghi nhớ.", "vi",
        datetime.date(2023, 5, 10), "vna", ("da-nang", "daegu"), ("vn", "kr")),
    Doc("gyeonggi_ko", "경기도와 하노이 협력", "경기도와 하노이시는 자매결연 30주년을 기념했다.", "ko",
        datetime.date(2024, 2, 1), "yonhap", ("gyeonggi", "ha-noi"), ("kr", "vn")),
    Doc("gyeonggi_en", "Gyeonggi delegation visits Hanoi",
        "A delegation from Gyeonggi Province visited Hanoi to discuss smart city projects.", "en",
        datetime.date(2022, 11, 20), "vna", ("gyeonggi", "ha-noi"), ("kr", "vn")),
    Doc("busan", "Jumelage entre Busan et Hô Chi Minh-Ville",
        "Busan et Hô Chi Minh-Ville célèbrent leur jumelage. <script>alert(1)</script> & co", "fr",
        None, None, ("busan", "ho-chi-minh"), ("kr", "vn")),
    Doc("hanam_vi", "Hà Nam thu hút đầu tư Hàn Quốc", "Tỉnh Hà Nam đón đoàn doanh nghiệp Hàn Quốc.", "vi",
        datetime.date(2021, 3, 3), "baohanam", ("ha-nam",), ("vn", "kr")),
    Doc("hanam_en", "Ha Nam investment news", "Ha Nam province hosted investors. The city smart plan.", "en",
        datetime.date(2021, 6, 1), None, ("ha-nam",), ("vn",)),
    Doc("prayer", "기도 모임", "교회에서 함께 기도했다.", "ko", datetime.date(2020, 1, 5), None, (), ()),
] + [
    Doc(f"filler{n}", f"Báo cáo số {n}", f"Báo cáo định kỳ số {n} về trao đổi lao động.", "vi",
        datetime.date(2010, 1, 1) + datetime.timedelta(days=n), None, (), ("vn",))
    for n in range(FILLERS)
]


class BackendTests:
    """Subclass with `engine_path` set (and `connection()` overridden if the engine needs
    more than a folder)."""

    engine_path: str = ""

    def connection(self, tmp_path) -> dict:
        return {"ENGINE": self.engine_path, "PATH": str(tmp_path / "index")}

    # --- fixtures -----------------------------------------------------------------

    @pytest.fixture
    def backend(self, transactional_db, tmp_path, settings):
        from haystack import connections

        settings.ARCHIVE_SEARCH_CACHE = False  # a fresh index per test could repeat a state token
        default = settings.HAYSTACK_CONNECTIONS["default"]
        saved = dict(default)
        default.clear()
        default.update(self.connection(tmp_path))
        connections.reload("default")
        indexing.rebuild_index()
        try:
            yield engine()
        finally:
            default.clear()
            default.update(saved)
            connections.reload("default")

    @pytest.fixture
    def docs(self, backend) -> dict[str, int]:
        """The corpus, written without signals and indexed in one write: key -> id."""
        places = {slug: Place.objects.get_or_create(slug=slug, defaults={"name": slug, "country": "vn"})[0]
                  for d in CORPUS for slug in d.places}
        sources = {slug: Source.objects.create(slug=slug, name=slug.upper()) for slug in {d.source for d in CORPUS} if slug}
        articles = Article.objects.bulk_create([
            Article(title=d.title, body=d.body, language=d.language, published=d.published,
                    date_precision="day" if d.published else "", source=sources.get(d.source),
                    countries=list(d.countries))
            for d in CORPUS
        ])
        Article.places.through.objects.bulk_create([
            Article.places.through(article_id=a.id, place_id=places[slug].id)
            for a, d in zip(articles, CORPUS) for slug in d.places
        ])
        backend.index_ids([a.id for a in articles])
        return {d.key: a.id for a, d in zip(articles, CORPUS)}

    # --- helpers ------------------------------------------------------------------

    def ids(self, backend, query, **request) -> list[int]:
        if isinstance(query, str):
            query = parse(query).to_query()
        return backend.execute(SearchRequest(query, size=100, **request)).ids

    def found(self, backend, docs, query, **request) -> set[str]:
        keys = {v: k for k, v in docs.items()}
        return {keys[i] for i in self.ids(backend, query, **request)}

    # --- analysis -----------------------------------------------------------------

    def test_folding_finds_every_spelling_d_with_stroke_included(self, backend, docs):
        for spelling in ("da nang", "Đà Nẵng", "DA NANG", "đà nẵng"):
            assert self.found(backend, docs, qt.Phrase(spelling)) == {"danang"}, spelling

    def test_hangul_is_found_inside_longer_words_but_not_in_its_parts(self, backend, docs):
        assert self.found(backend, docs, qt.Phrase("경기도")) == {"gyeonggi_ko"}  # in 경기도와
        assert "prayer" not in self.found(backend, docs, qt.Phrase("경기도"))  # 기도 alone

    def test_diacritics_typed_rank_the_exact_spelling_first(self, backend, docs):
        ranked = self.ids(backend, "Hà Nam")
        assert ranked[:2] == [docs["hanam_vi"], docs["hanam_en"]]

    # --- the query language ---------------------------------------------------------

    def test_place_alternatives_find_every_language(self, backend, docs):
        assert self.found(backend, docs, "Hanoi") == {"gyeonggi_ko", "gyeonggi_en"}
        assert self.found(backend, docs, "하노이") == {"gyeonggi_ko", "gyeonggi_en"}

    def test_concept_alternatives_find_the_translations(self, backend, docs):
        assert self.found(backend, docs, "jumelage") == {"busan", "gyeonggi_ko"}  # 자매결연

    def test_phrases_keep_their_order(self, backend, docs):
        assert self.found(backend, docs, '"smart city"') == {"gyeonggi_en"}  # not "city smart"
        assert self.found(backend, docs, "city smart") == {"gyeonggi_en", "hanam_en"}  # words, any order

    def test_exclusion_and_or(self, backend, docs):
        assert self.found(backend, docs, "Gyeonggi -delegation") == {"gyeonggi_ko"}
        assert self.found(backend, docs, "delegation OR jumelage") == {"gyeonggi_en", "busan", "gyeonggi_ko"}
        everything_but_busan = self.found(backend, docs, "-busan")
        assert everything_but_busan == set(docs) - {"busan"}

    def test_match_all(self, backend, docs):
        assert self.found(backend, docs, qt.MatchAll()) == set(docs)

    # --- filters ------------------------------------------------------------------

    @pytest.mark.parametrize("condition, expected", [
        (qt.FieldIn("language", ("vi",)), {"danang", "hanam_vi"} | {f"filler{n}" for n in range(FILLERS)}),
        (qt.FieldIn("language", ("fr", "ko")), {"busan", "gyeonggi_ko", "prayer"}),
        (qt.FieldIn("source", ("vna",)), {"danang", "gyeonggi_en"}),
        (qt.FieldIn("year", ("2021",)), {"hanam_vi", "hanam_en"}),
        (qt.FieldIn("places", ("ha-noi", "busan")), {"gyeonggi_ko", "gyeonggi_en", "busan"}),
        (qt.FieldIn("countries", ("kr",)), {"danang", "gyeonggi_ko", "gyeonggi_en", "busan", "hanam_vi"}),
        (qt.DateRange(20220101, 20231231), {"danang", "gyeonggi_en"}),
        (qt.DateRange(20210601, None), {"hanam_en", "gyeonggi_en", "danang", "gyeonggi_ko"}),
        (qt.DateRange(20200101, 20210601), {"prayer", "hanam_vi", "hanam_en"}),  # bounds inclusive, no unknowns
    ])
    def test_each_filter(self, backend, docs, condition, expected):
        assert self.found(backend, docs, qt.MatchAll(), filters=(condition,)) == expected

    def test_filters_combine_with_a_query_and_with_each_other(self, backend, docs):
        filters = (qt.FieldIn("places", ("ha-nam",)), qt.FieldIn("language", ("en",)))
        assert self.found(backend, docs, "Ha Nam", filters=filters) == {"hanam_en"}

    # --- facets -------------------------------------------------------------------

    def test_facets_count_the_whole_result_set_as_the_database_does(self, backend, docs):
        for filters, articles in [
            ((), Article.objects.published()),
            ((qt.FieldIn("language", ("vi", "ko")),), Article.objects.published().filter(language__in=["vi", "ko"])),
        ]:
            response = backend.execute(SearchRequest(qt.MatchAll(), filters=filters, size=1,
                                                     facets=qt.FACET_FIELDS))
            assert len(response.ids) == 1 and response.total == articles.count()
            by_language = dict(articles.values_list("language").annotate(n=Count("id")).order_by())
            assert dict(response.facets["language"]) == by_language
            by_year: dict[str, int] = {}
            for published in articles.exclude(published=None).values_list("published", flat=True):
                by_year[str(published.year)] = by_year.get(str(published.year), 0) + 1
            assert dict(response.facets["year"]) == by_year
            by_place = dict(articles.values_list("places__slug").exclude(places=None)
                            .annotate(n=Count("id")).order_by())
            assert dict(response.facets["places"]) == by_place
            by_source = dict(articles.exclude(source=None).values_list("source__slug")
                             .annotate(n=Count("id")).order_by())
            assert dict(response.facets["source"]) == by_source
            counts = [n for _, n in response.facets["language"]]
            assert counts == sorted(counts, reverse=True)  # most frequent first

    def test_a_multi_select_facet_is_counted_without_its_own_filter(self, backend, docs):
        """SearchRequest.own_filters: a facet named there counts what the same search without
        its own filter counts (the other filters kept); the ids, the total and the other
        facets are those of the search with every filter."""
        lang = qt.FieldIn("language", ("fr", "ko"))
        place = qt.FieldIn("places", ("ha-noi", "busan", "gyeonggi"))
        filters = (lang, place)
        plain = backend.execute(SearchRequest(qt.MatchAll(), filters=filters, size=100, facets=qt.FACET_FIELDS))
        assert plain.total >= 1
        for own in [(("language", lang),), (("language", lang), ("places", place))]:
            response = backend.execute(SearchRequest(qt.MatchAll(), filters=filters, size=100,
                                                     facets=qt.FACET_FIELDS, own_filters=own))
            assert (response.ids, response.total) == (plain.ids, plain.total)
            for name in qt.FACET_FIELDS:
                owned = [condition for facet, condition in own if facet == name]
                expected = backend.execute(SearchRequest(
                    qt.MatchAll(), filters=tuple(f for f in filters if f not in owned), size=0,
                    facets=(name,))).facets[name] if owned else plain.facets[name]
                assert response.facets[name] == expected, (own, name)
            # Not the same as with every filter: other languages stay listed, to be added.
            assert set(dict(response.facets["language"])) - {"fr", "ko"}
        with pytest.raises(ValueError):
            SearchRequest(qt.MatchAll(), filters=(lang,), facets=("language",), own_filters=(("places", place),))

    # --- sort and paging ------------------------------------------------------------

    def test_sort_by_date_is_newest_first_with_unknown_dates_last(self, backend, docs):
        ranked = self.ids(backend, qt.MatchAll(), sort="date")
        dates = dict(Article.objects.values_list("id", "published"))
        known = [dates[i] for i in ranked if dates[i]]
        assert known == sorted(known, reverse=True)
        assert ranked[-1] == docs["busan"]

    @pytest.mark.parametrize("sort", ["date", "relevance"])
    def test_pages_join_into_the_whole_list(self, backend, docs, sort):
        query = parse("Báo cáo").to_query()
        whole = backend.execute(SearchRequest(query, sort=sort, size=100))
        pages = [backend.execute(SearchRequest(query, sort=sort, start=start, size=7))
                 for start in range(0, whole.total + 7, 7)]
        assert [i for page in pages for i in page.ids] == whole.ids
        assert {page.total for page in pages} == {whole.total} and whole.total >= FILLERS
        assert pages[-1].ids == []  # past the end: empty, no error

    def test_the_deepest_result_is_served_and_past_it_refused(self, backend, docs):
        deepest = backend.execute(SearchRequest(qt.MatchAll(), start=MAX_RESULT_WINDOW - 10, size=10))
        assert deepest.ids == [] and deepest.total == len(docs)
        with pytest.raises(ResultWindowExceeded):
            backend.execute(SearchRequest(qt.MatchAll(), start=MAX_RESULT_WINDOW - 9, size=10))

    def test_past_the_deepest_result_the_page_and_the_api_say_so(self, backend, docs, client):
        last = MAX_RESULT_WINDOW // 100
        assert client.get("/api/search/", {"page": last, "page_size": 100}).json()["results"] == []
        for params in [{"page": last + 1, "page_size": 100}, {"page": MAX_RESULT_WINDOW // 20 + 1}]:
            response = client.get("/api/search/", params)
            assert response.status_code == 400 and "10,000" in response.json()["error"]
        page = client.get("/search/", {"q": "Hanoi", "page": MAX_RESULT_WINDOW // 20 + 1})
        assert page.status_code == 400 and "10,000" in page.content.decode()

    # --- highlighting ---------------------------------------------------------------

    def test_highlighting_marks_what_matched_folded_or_not(self, backend, docs, client):
        response = backend.execute(SearchRequest(parse("da nang").to_query(), highlight=True))
        assert ("da", "nang") in response.highlight_terms
        result = client.get("/api/search/", {"q": "da nang"}).json()["results"][0]
        assert "<mark>Đà Nẵng</mark>" in result["snippet"]

    def test_excluded_words_are_not_marked(self, backend, docs):
        response = backend.execute(SearchRequest(parse("Gyeonggi -delegation").to_query(), highlight=True))
        assert ("delegation",) not in response.highlight_terms and ("gyeonggi",) in response.highlight_terms

    def test_snippets_are_escaped(self, backend, docs, client):
        (result,) = client.get("/api/search/", {"q": "Busan jumelage"}).json()["results"]
        assert "&lt;script&gt;" in result["snippet"] and "<script>" not in result["snippet"]
        assert "&amp; co" in result["snippet"]

    # --- spelling -----------------------------------------------------------------

    def test_spelling_suggestions_come_from_the_index(self, backend, docs):
        assert backend.spelling_suggestions(["delegaton", "gyeonggi"]) == {"delegaton": "delegation"}

    # --- writes -------------------------------------------------------------------

    def test_the_state_token_changes_on_every_write(self, backend, docs):
        article = Article.objects.get(pk=docs["danang"])
        writes = [
            lambda: backend.remove_ids([article.pk]),
            lambda: backend.index_ids([article.pk]),
            lambda: backend.index_ids([article.pk]),  # the same again is still a write
            lambda: article.save(),  # through the signals
            lambda: backend.optimize(),
            lambda: backend.clear(),
            lambda: indexing.rebuild_index(),
        ]
        seen = [backend.state_token()]
        for write in writes:
            write()
            seen.append(backend.state_token())
            assert seen[-1] != seen[-2], write
        assert len(set(seen)) == len(seen)

    def test_no_write_is_lost_when_writers_meet(self, backend, docs):
        """Another process holds the write lock while two threads here write; neither
        write lands while it is held, and both land once it is released."""
        late = Article.objects.create(title="Late arrival zebrafinch", body="Zebrafinch.", language="en")
        backend.remove_ids([late.pk])  # created through the signals: out of the index again
        context = multiprocessing.get_context("fork")
        held, release = context.Event(), context.Event()
        holder = context.Process(target=_hold_write_lock, args=(held, release))
        holder.start()
        try:
            assert held.wait(timeout=60)
            start = threading.Barrier(3)
            errors: list[BaseException] = []

            def write(action) -> None:
                start.wait()
                try:
                    action()
                except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
                    errors.append(exc)

            writers = [threading.Thread(target=write, args=(lambda: backend.remove_ids([docs["busan"]]),)),
                       threading.Thread(target=write, args=(lambda: backend.index_ids([late.pk]),))]
            for thread in writers:
                thread.start()
            start.wait()
            assert docs["busan"] in self.ids(backend, qt.MatchAll())  # held: nothing landed
            assert late.pk not in self.ids(backend, qt.MatchAll())
        finally:
            release.set()
            holder.join(timeout=60)
        for thread in writers:
            thread.join(timeout=60)
        assert not errors
        found = self.ids(backend, qt.MatchAll())
        assert docs["busan"] not in found and late.pk in found

    def test_check_index_lists_what_differs_from_the_database(self, backend, docs):
        assert not any(indexing.compare_with_database().values())
        Article.objects.filter(pk=docs["prayer"]).update(status="hidden")  # bypassing the signals
        Article.objects.filter(pk=docs["hanam_en"]).update(updated=datetime.datetime.now(datetime.timezone.utc))
        backend.remove_ids([docs["danang"]])
        differences = indexing.compare_with_database()
        assert differences == {"missing": [docs["danang"]], "extra": [docs["prayer"]], "stale": [docs["hanam_en"]]}
        indexing.repair(differences)
        assert not any(indexing.compare_with_database().values())
        assert backend.document_count() == len(docs) - 1


def _hold_write_lock(held, release) -> None:
    """In another process: hold the engine's write lock until told to let go."""
    with engine().write_lock():
        held.set()
        release.wait(timeout=120)
