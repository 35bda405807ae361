from search import querytree as qt
from search.query import parse


def test_words_phrases_exclusions_and_or():
    q = parse('MOU "protocole d\'accord" -KBIZ ghi OR nhớ')
    assert [i.label for i in q.items if not i.negated] == ["MOU", "protocole d'accord"]
    assert [i.label for i in q.items if i.negated] == ["KBIZ"]
    assert [[i.label for i in g] for g in q.any_of] == [["ghi", "nhớ"]]
    tree = q.to_query()
    # MOU is a cooperation concept: its literal form is preferred (literal first).
    assert isinstance(tree, qt.Prefer) and tree.preferred == (qt.Phrase("MOU"),)
    assert isinstance(tree.query, qt.And) and tree.query.parts[-1] == qt.Not(qt.Phrase("KBIZ"))


def test_a_concept_prefers_the_words_as_typed_and_the_banner_lists_every_alternative():
    q = parse("sister city Busan")
    tree = q.to_query()
    assert isinstance(tree, qt.Prefer) and tree.preferred == (qt.Phrase("sister city"),)
    (concept,) = [i for i in q.items if i.concept]
    # Precise: a friendship exchange is not a sister-city tie.
    assert "우호교류" not in concept.alternatives and "friendship exchange" not in concept.alternatives
    (line,) = [line for line in q.described() if "also searched as" in line]
    for alternative in concept.alternatives[1:]:
        assert alternative in line
    # Plain words are not widened, so there is nothing to prefer.
    assert not isinstance(parse("Busan port").to_query(), qt.Prefer)


def test_place_names_expand_to_their_aliases():
    q = parse("Hanoi")
    (item,) = q.items
    assert item.place == "ha-noi"
    from search.analysis import analyze

    # Aliases that fold to the same tokens are searched once: Hanoï is covered by Hanoi.
    assert {("ha", "noi"), ("hanoi",), ("하노", "노이")} <= {tuple(analyze(a)) for a in item.alternatives}
    assert any("Hanoi" in line for line in q.described())


def test_multiword_place_names_are_found_in_a_query():
    q = parse("binh phuoc jeollanam")
    assert [i.place for i in q.items] == ["binh-phuoc", "jeollanam"]


def test_an_unbalanced_quote_is_read_as_words_and_said():
    q = parse('"Gyeonggi Hanoi')
    assert not q.is_empty
    assert any("unbalanced quote" in note for note in q.notes)


def test_field_filters_in_the_box():
    q = parse("MOU lang:vi year:2024 place:gyeonggi source:vna")
    assert q.filters == {"lang": "vi", "year": "2024", "place": "gyeonggi", "source": "vna"}
    assert [i.label for i in q.items] == ["MOU"]


def test_user_text_cannot_inject_engine_syntax():
    q = parse('title:x AND (y OR z)) * ? \\ ~2 ^3 {a TO b}')
    # Every user word is a phrase to match; no operator or field reaches an engine.
    leaves = qt.positive_leaves(q.to_query())
    assert leaves and all(isinstance(leaf, qt.Phrase) for leaf in leaves)
    assert "title:x" in [leaf.text for leaf in leaves]


def test_punctuation_only_is_empty_and_said():
    q = parse("!!! ???")
    assert q.is_empty
    assert q.notes
