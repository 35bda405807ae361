"""Every list of articles writes its results with {% result_item %} (archive/templatetags/
archive_result.py; templates/archive/_result.html calls it), and the search page its
results-per-year rows with {% year_rows %}: markup written from Python where a template
wrote it before. Each must give the same bytes as the template it replaced (kept here as
the definition), for any values, in every interface language."""
from datetime import date

import pytest
from django.template import engines
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from archive.models import Article, Place, Source, Story

pytestmark = pytest.mark.django_db

# templates/archive/_result.html as a template, before the tag replaced it.
RESULT_TEMPLATE = """{% load i18n archive_i18n %}<div class="result">
  <h3><a href="{{ article.get_absolute_url }}" lang="{{ article.language }}">{{ title_html|default:article.title }}</a></h3>
  <div class="meta">
    {{ article.get_language_display }}
    {% if article.published %} · {% include "archive/_date.html" %}{% endif %}
    {% if article.source %} · {{ article.source.name }}{% endif %}
    {% for place in article.places.all %} · <span class="tag">{{ place|place_name }}{% with parent=place|place_parent %}{% if parent %} <small>({% blocktranslate %}in {{ parent }}{% endblocktranslate %})</small>{% endif %}{% endwith %}{% if place.successor %} <small>({% blocktranslate with successor=place.successor|place_name %}now part of {{ successor }}{% endblocktranslate %})</small>{% endif %}</span>{% endfor %}
    {% with reports=article.also_reported_in %}{% if reports %} · {% translate "also reported in:" %} {% for lang, story in reports %}<a href="/stories/{{ story }}/">{{ lang|language_label }}</a>{% if not forloop.last %}, {% endif %}{% endfor %}{% endif %}{% endwith %}
  </div>
  {% if snippet %}<p class="snippet" lang="{{ article.language }}">{{ snippet }}</p>{% endif %}
  {% if matched_as %}<p class="meta matched-as">{% translate "Matched as:" %} {{ matched_as|join:"; " }}</p>{% endif %}
</div>
"""
INCLUDED = '{% include "archive/_result.html" %}'
TAGGED = ("{% load archive_result %}"
          "{% result_item article snippet=snippet title_html=title_html matched_as=matched_as %}")


@pytest.fixture
def articles():
    source = Source.objects.create(slug="tuoi-tre", name="Báo <Tuổi> & Trẻ")
    ninh_binh = Place.objects.create(slug="ninh-binh", name="Ninh Bình", country="vn")
    ha_nam = Place.objects.create(slug="ha-nam", name="Hà Nam", country="vn", successor=ninh_binh)
    suwon = Place.objects.create(slug="suwon", name="수원시", country="kr")
    # A place the gazetteer does not know: named by its row.
    nowhere = Place.objects.create(slug="no-such-place", name="Nơi <không> & tên", country="vn")
    ha_noi = Place.objects.create(slug="ha-noi", name="Hà Nội", country="vn")

    def article(language, title, **fields):
        return Article.objects.create(title=title, body="…", language=language, **fields)

    reported = article("vi", "Hà Nội & <Suwon> ký kết", published=date(2021, 3, 1), date_precision="day",
                       source=source)
    reported.places.set([suwon, ha_nam, nowhere, ha_noi])
    others = [article("ko", "수원시 방문", published=date(2021, 3, 2), date_precision="month"),
              article("fr", "Visite", published=date(2021, 1, 1), date_precision="year"),
              article("tl", "Pagbisita"), article("zz", "?"),
              article("en", "Hidden", status=Article.Status.HIDDEN)]
    kind = Story._meta.get_field("type").choices[0][0]
    story = Story.objects.create(type=kind, vn=ha_noi, kr=suwon)
    story.articles.set([reported, *others])
    second = Story.objects.create(type=kind, vn=ha_nam, kr=suwon)
    second.articles.set([reported, others[0]])
    others[0].places.set([ha_noi])
    undated = article("en", "", source=source, published=date(2020, 2, 29), date_precision="")
    return [reported, *others, undated]


def test_result_item_writes_what_the_result_template_renders(articles):
    shown = [
        {"snippet": None, "title_html": None, "matched_as": None},
        {"snippet": "", "title_html": "", "matched_as": []},
        {"snippet": mark_safe("…a <mark>Suwon</mark> &amp; b…"),
         "title_html": mark_safe("<mark>Hà Nội</mark> &amp; x"),
         "matched_as": [format_lazy(gettext_lazy("{found} (for “{typed}”)"), found="Hà <Nội>", typed="Hanoi & co"),
                        "plain <text>"]},
        {"snippet": "not marked safe <b>", "title_html": "not safe either <i>", "matched_as": ["x"]},
    ]
    defined, tagged = engines["django"].from_string(RESULT_TEMPLATE), engines["django"].from_string(TAGGED)
    included = engines["django"].from_string(INCLUDED)
    compared = 0
    for language in ("en", "vi", "ko", "fr"):
        with translation.override(language):
            for article in Article.objects.filter(pk__in=[a.pk for a in articles]).select_related("source"):
                for values in shown:
                    context = {"article": article, **values}
                    assert tagged.render(context) == defined.render(context), (language, article.title, values)
                    assert included.render(context) == defined.render(context)
                    compared += 1
    assert compared == 4 * len(articles) * len(shown)
    # The cases above reach every part of the markup.
    with translation.override("en"):
        html = tagged.render({"article": articles[0], **shown[2]}) + tagged.render({"article": articles[0], **shown[0]})
    for part in ("(in Gyeonggi", "(now part of Ninh Binh)", "also reported in:", "/stories/", 'class="snippet"',
                 "Matched as: Hà &lt;Nội&gt; (for “Hanoi &amp; co”); plain &lt;text&gt;", "&lt;Suwon&gt;",
                 "Báo &lt;Tuổi&gt; &amp; Trẻ", '<time datetime="2021-03-01">', "Nơi &lt;không&gt; &amp; tên"):
        assert part in html, part


def test_month_names_are_read_once_the_same_as_under_the_language():
    """archive.display keeps each language's month names after the first look-up: the same
    names as switching to the language each time, whichever language is active."""
    from django.utils.dates import MONTHS

    from archive import display

    for active in ("en", "vi", "ko", "fr"):
        with translation.override(active):
            for language in ("en", "fr", "vi", "ko", "de"):
                for month in range(1, 13):
                    with translation.override(language):
                        expected = str(MONTHS[month])
                    assert display._month_name(language, month) == expected
            assert display.format_known_date(date(2019, 11, 1), "day", "fr") == "1er novembre 2019"
            assert display.format_known_date(date(2019, 11, 5), "month", "en") == "November 2019"


YEAR_ROWS_TEMPLATE = (
    '{% for row in years %}<tr><th scope="row"><a href="{{ row.url }}">{{ row.year }}</a></th><td><meter min="0" '
    'max="{{ row.max }}" value="{{ row.count }}" aria-hidden="true">{{ row.count }}</meter> {{ row.count }}</td></tr>'
    '{% endfor %}')


def test_year_rows_write_what_the_chart_template_rendered(settings):
    years = [{"year": "2024", "count": 12345, "max": 12345, "url": "/search/?q=a&b=<c>&year=2024"},
             {"year": "2023", "count": 7, "max": 12345, "url": "/search/?year=2023"},
             {"year": "2022", "count": 0, "max": 12345, "url": ""}]
    tagged = engines["django"].from_string("{% load search_facets %}{% year_rows years %}")
    templated = engines["django"].from_string(YEAR_ROWS_TEMPLATE)
    for grouping in (False, True):  # counts as the template writes them, thousands grouped or not
        settings.USE_THOUSAND_SEPARATOR = grouping
        for language in ("en", "vi", "ko", "fr"):
            with translation.override(language):
                assert tagged.render({"years": years}) == templated.render({"years": years})
                assert tagged.render({"years": []}) == ""
    assert "&amp;b=&lt;c&gt;" in tagged.render({"years": years})


@pytest.mark.parametrize("thousands", [False, True])
def test_the_tags_value_writer_writes_what_the_template_engine_writes(settings, thousands):
    """archive_result.value_writer takes a quicker way for a plain str or int: it must give
    render_value_in_context's bytes for every kind of value, language and escaping, and
    with thousand separators on, where an int is localized (12 345 in French)."""
    from decimal import Decimal

    from django.template import Context
    from django.template.base import render_value_in_context

    from archive.templatetags.archive_result import value_writer

    settings.USE_THOUSAND_SEPARATOR = thousands
    values = ["", "Hà Nội <b>&</b> \"Busan\" 'x'", "경기도", 0, 7, 12345, -1234567, True, 2.5, 12345.75,
              Decimal("1234.50"), date(2024, 1, 2), None, mark_safe("<mark>x</mark> &amp;"),
              gettext_lazy("Language"), format_lazy("{} & {}", "a", "<b>")]
    for lang in ("en", "vi", "ko", "fr"):
        with translation.override(lang):
            for autoescape in (True, False):
                context = Context(autoescape=autoescape)
                write = value_writer(context)
                for value in values:
                    assert write(value) == render_value_in_context(value, context), (lang, autoescape, value)
