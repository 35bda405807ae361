"""Template helpers for the interface language: dates, place names, feed links."""
from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.http import urlencode

from archive import display

register = template.Library()


@register.simple_tag
def known_date(value, precision):
    """<time> with the date as precisely as it is known, in the interface language."""
    if not value:
        return ""
    return format_html('<time datetime="{}">{}</time>', display.iso_known_date(value, precision),
                       display.format_known_date(value, precision))


@register.filter
def place_name(place):
    return display.place_name(place) if place else ""


@register.filter
def place_parent(place):
    return display.parent_name(place) if place else ""


@register.filter
def with_hl(url):
    """A feed link that carries the page's interface language (?hl=), for the feed's title."""
    if not url:
        return url
    sep = "&" if "?" in str(url) else "?"
    return f"{url}{sep}{urlencode({'hl': display.interface_language()})}"


@register.filter
def language_label(code):
    """A language's name in the interface language: Django's name where it knows the code,
    else Babel's ('zh' -> 'Chinese', 'tl' -> 'Tagalog'), else the code itself. Django's own
    language_name_translated raises on codes it does not know, which articles can carry."""
    from django.utils.translation import gettext, get_language_info

    if not code:
        return ""
    try:
        return gettext(get_language_info(code)["name"])
    except KeyError:
        pass
    try:
        from babel import Locale

        return Locale.parse(code).get_language_name(display.interface_language()) or code
    except Exception:  # an unknown or malformed code is shown as it is
        return code
