from datetime import date

import pytest

from archive.ingest.merge import CopyFields, best_fields


def copy(**kw):
    base = dict(title="t", title_derived=True, body="a b c", language="fr", published=None,
                date_precision=None, source_slug=None, source_url=None, places=[], countries=[])
    base.update(kw)
    return CopyFields(**base)


def test_each_field_comes_from_the_copy_with_the_best_value():
    first = copy(title="Une délégation…", title_derived=True, body="Une délégation du Conseil de Gyeonggi",
                 published=date(2023, 2, 21), date_precision="day", source_slug="vna", places=["ha-nam"])
    second = copy(title="Ha Nam renforce la coopération", title_derived=False,
                  body="Ha Nam renforce. Une délégation du Conseilde Gyeonggi et plus encore ici",
                  source_url="https://example.org/a", places=["gyeonggi"])
    merged = best_fields([first, second])
    assert merged.title == "Ha Nam renforce la coopération" and not merged.title_derived
    assert merged.published == date(2023, 2, 21) and merged.date_precision == "day"
    assert merged.body.startswith("Ha Nam renforce")
    assert "Conseil de Gyeonggi" in merged.body  # repaired against the other copy
    assert merged.source_slug == "vna" and merged.source_url == "https://example.org/a"
    assert merged.places == ["gyeonggi", "ha-nam"]


def test_a_day_beats_a_month():
    month = copy(published=date(2019, 11, 1), date_precision="month")
    day = copy(published=date(2019, 11, 23), date_precision="day")
    assert best_fields([month, day]).published == date(2019, 11, 23)


def test_no_copies_is_an_error():
    with pytest.raises(ValueError):
        best_fields([])
