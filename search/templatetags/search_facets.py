"""A facet's list items, and the rows of the results-per-year chart, written in one pass.

A search page lists every value of its facets (a common word's results name a hundred
places), and the template language resolves each item's five values and two conditions
node by node: a few milliseconds a page. These tags write the same markup from Python,
each value escaped and localized by the template engine's own function
(render_value_in_context), so the page reads exactly as the template wrote it.
"""
from __future__ import annotations

from django import template
from django.template.base import render_value_in_context
from django.utils.safestring import mark_safe

register = template.Library()

_SELECTED = 'class="selected" aria-current="true"'
_CHECK = '<span aria-hidden="true">✓ </span>'


@register.simple_tag(takes_context=True)
def facet_items(context, links) -> str:
    """`<li>` items for facet links ({"url", "label", "value": FacetValue}), each on its
    own indented line."""
    out = []
    for link in links:
        selected = link["value"].selected
        out.append(
            f'\n      <li><a href="{render_value_in_context(link["url"], context)}" '
            f'{_SELECTED if selected else ""}>{_CHECK if selected else ""}'
            f'{render_value_in_context(link["label"], context)}</a> '
            f'({render_value_in_context(link["value"].count, context)})</li>')
    return mark_safe("".join(out))


@register.simple_tag(takes_context=True)
def year_rows(context, years) -> str:
    """The chart's `<tr>` rows for years ({"year", "count", "max", "url"}), a row a year."""
    out = []
    for row in years:
        count = render_value_in_context(row["count"], context)
        out.append(
            f'<tr><th scope="row"><a href="{render_value_in_context(row["url"], context)}">'
            f'{render_value_in_context(row["year"], context)}</a></th><td><meter min="0" '
            f'max="{render_value_in_context(row["max"], context)}" value="{count}" aria-hidden="true">{count}</meter> '
            f'{count}</td></tr>')
    return mark_safe("".join(out))
