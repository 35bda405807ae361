"""A result in a list of articles, written in one pass.

The search page lists twenty results, and the template language resolved each one's
dozen values, conditions and loops node by node: about a quarter of a millisecond a
result. This tag is the one home of a result's markup (templates/archive/_result.html,
which every other list includes, calls it), written from Python: each value escaped and
localized by the template engine's own function (render_value_in_context), the
translations by the same messages and the same filters (archive_i18n); value_writer
escapes a plain str directly, as that function would. It gives what the
template gave, byte for byte (tests/search/test_markup_tags.py keeps that template as its
definition and renders both, on varied articles, in every interface language).
"""
from __future__ import annotations

from html import escape

from django import template
from django.conf import settings
from django.template.base import render_value_in_context
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from archive.templatetags.archive_i18n import known_date, language_label, place_name, place_parent

register = template.Library()


def value_writer(context):
    """render_value_in_context(value, context) as a one-argument function, quicker for a
    plain str or int (most of a page's values: texts, and a facet's counts): localizing
    leaves a str as it is, so with autoescaping on only escaping is left, which is
    html.escape (django.utils.html.escape is that, marked safe). Anything else (a float, a
    date, a lazy or safe string) goes through render_value_in_context itself."""
    if not context.autoescape:
        return lambda value: render_value_in_context(value, context)
    # Without thousand separators an int localizes as str() does (numberformat's fast case).
    plain_ints = not settings.USE_THOUSAND_SEPARATOR

    def out(value) -> str:
        kind = type(value)
        if kind is str:
            return escape(value)
        if kind is int and plain_ints:
            return str(value)
        return render_value_in_context(value, context)

    return out


@register.simple_tag(takes_context=True)
def result_item(context, article, snippet=None, title_html=None, matched_as=None) -> str:
    """archive/_result.html for `article`, as {% include %} with these values renders it."""
    out = value_writer(context)

    meta = [out(article.get_language_display())]
    meta.append(" · " + out(known_date(article.published, article.date_precision)) if article.published else "")
    meta.append(" · " + out(article.source.name) if article.source else "")
    tags = []
    for place in article.listed_places():
        tags.append(' · <span class="tag">' + out(place_name(place)))
        parent = place_parent(place)
        if parent:
            tags.append(" <small>(" + gettext("in %(parent)s") % {"parent": out(parent)} + ")</small>")
        if place.successor:
            successor = out(place_name(place.successor))
            tags.append(" <small>(" + gettext("now part of %(successor)s") % {"successor": successor} + ")</small>")
        tags.append("</span>")
    meta.append("".join(tags))
    reports = article.also_reported_in()
    meta.append(" · " + gettext("also reported in:") + " " + ", ".join(
        f'<a href="/stories/{out(story)}/">{out(language_label(lang))}</a>' for lang, story in reports)
        if reports else "")
    language = out(article.language)
    parts = [
        '<div class="result">\n  <h3><a href="', out(article.get_absolute_url()), '" lang="', language, '">',
        out(title_html or article.title), '</a></h3>\n  <div class="meta">\n    ', "\n    ".join(meta),
        "\n  </div>\n  ",
        f'<p class="snippet" lang="{language}">{out(snippet)}</p>' if snippet else "",
        "\n  ",
        f'<p class="meta matched-as">{gettext("Matched as:")} {"; ".join(out(m) for m in matched_as)}</p>'
        if matched_as else "",
        "\n</div>\n",
    ]
    return mark_safe("".join(parts))
