"""A facet's list items, and the rows of the results-per-year chart, written in one pass.

A search page lists every value of its facets (a common word's results name a hundred
places), and the template language resolves each item's five values and two conditions
node by node: a few milliseconds a page. These tags write the same markup from Python,
each value escaped and localized as the template engine does it (archive_result.value_writer),
so the page reads exactly as the template wrote it.
"""
from __future__ import annotations

from django import template
from django.utils.safestring import mark_safe

from archive.templatetags.archive_result import value_writer

register = template.Library()

_SELECTED = 'class="selected" aria-current="true"'
_CHECK = '<span aria-hidden="true">✓ </span>'


@register.simple_tag(takes_context=True)
def facet_items(context, links) -> str:
    """`<li>` items for facet links ({"url", "label", "value": FacetValue}), each on its
    own indented line."""
    write, out = value_writer(context), []
    for link in links:
        selected = link["value"].selected
        out.append(
            f'\n      <li><a href="{write(link["url"])}" '
            f'{_SELECTED if selected else ""}>{_CHECK if selected else ""}'
            f'{write(link["label"])}</a> '
            f'({write(link["value"].count)})</li>')
    return mark_safe("".join(out))


@register.simple_tag(takes_context=True)
def year_rows(context, years) -> str:
    """The chart's `<tr>` rows for years ({"year", "count", "max", "url"}), a row a year."""
    write, out = value_writer(context), []
    for row in years:
        count = write(row["count"])
        out.append(
            f'<tr><th scope="row"><a href="{write(row["url"])}">'
            f'{write(row["year"])}</a></th><td><meter min="0" '
            f'max="{write(row["max"])}" value="{count}" aria-hidden="true">{count}</meter> '
            f'{count}</td></tr>')
    return mark_safe("".join(out))
