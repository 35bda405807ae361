"""Charts drawn on the server as SVG: no script, no CDN, readable by screen readers
(role="img" with a title and a description), every label escaped. Each page that shows
a chart also shows its data as a table.
"""
from __future__ import annotations

from datetime import date

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from archive.display import format_known_date, place_name
from archive.models import LANGUAGES

LANG_COLOURS = {"vi": "#c8102e", "ko": "#0047a0", "fr": "#6a4c93", "en": "#2a9d8f"}
EVENT_COLOURS = {"mou": "#0b5cad", "letter_of_intent": "#6a4c93", "sister_city": "#c8102e",
                 "visit": "#2a9d8f", "investment_conference": "#e76f51", "other": "#6b7280",
                 "anniversary": "#b8860b", "plan": "#9ca3af", "negated": "#9ca3af"}
LANGUAGE_NAMES = dict(LANGUAGES)
FONT = 'font-family="system-ui, Noto Sans, Noto Sans CJK KR, sans-serif"'
TEXT_SIZE = 12  # in chart units; natural-size charts draw it at 12 CSS px
YEAR_CHART_WIDTH = 300  # fits a 360-px phone at a scale of at least 1
YEAR_LABEL_ROOM = 38  # a four-digit year at 12 px and a gap


def _svg(width: int, height: int, title: str, desc: str, body: list[str], ident: str, *,
         links: bool = False, natural: bool = False) -> SafeString:
    """The outer <svg>. A chart with links is a group, not an image: an image may not hold
    focusable parts. A natural-size chart keeps its pixel size (its frame scrolls on a
    phone); the others scale to their container."""
    role = "group" if links else "img"
    size = f'width="{width}" height="{height}"' if natural else 'width="100%"'
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" {size} id="{ident}" '
        f'role="{role}" aria-labelledby="{ident}-title {ident}-desc" {FONT} font-size="{TEXT_SIZE}">'
        f'<title id="{ident}-title">{escape(title)}</title><desc id="{ident}-desc">{escape(desc)}</desc>'
        + "".join(body) + "</svg>"
    )


def articles_per_year(counts: dict[tuple[int, str], int]) -> SafeString:
    """Horizontal stacked bars, one row per year, one colour per language. Rows, not
    columns, so the chart is narrow enough for a phone at full text size however many
    years there are; the page scales it up to at most 30rem."""
    years = sorted({y for y, _ in counts})
    if not years:
        return mark_safe("")
    langs = [lang for lang in LANG_COLOURS if any(l == lang for _, l in counts)]
    totals = {y: sum(n for (yy, _), n in counts.items() if yy == y) for y in years}
    top = max(totals.values())
    width, left, row, legend = YEAR_CHART_WIDTH, 40, 20, 26
    bar_room = width - left - 34  # room for the total after the longest bar
    height = legend + row * len(years) + 6
    body = []
    for i, lang in enumerate(langs):
        body.append(f'<rect x="{left + i * 64}" y="5" width="11" height="11" fill="{LANG_COLOURS[lang]}"/>'
                    f'<text x="{left + i * 64 + 15}" y="15">{lang}</text>')  # a code: fits any language
    for i, year in enumerate(years):
        y = legend + i * row
        x = left
        body.append(f'<text x="{left - 6}" y="{y + 14}" text-anchor="end">{year}</text>')
        for lang in langs:
            n = counts.get((year, lang), 0)
            if not n:
                continue
            w = bar_room * n / top
            body.append(f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{row - 6}" fill="{LANG_COLOURS[lang]}">'
                        f'<title>{year}, {escape(LANGUAGE_NAMES.get(lang, lang))}: {n}</title></rect>')
            x += w
        body.append(f'<text x="{x + 4:.1f}" y="{y + 14}">{totals[year]}</text>')
    body.append(f'<line x1="{left}" y1="{legend}" x2="{left}" y2="{legend + row * len(years)}" stroke="#767676"/>')
    desc = "; ".join(f"{y}: {totals[y]}" for y in years)
    return _svg(width, height, _("Articles per year by language"), desc, body, "chart-years")


def partnership_network(pairs) -> SafeString:
    """Vietnamese places on the left, Korean on the right, an edge per partnership whose
    width grows with its evidence; every edge links to the partnership page."""
    if not pairs:
        return mark_safe("")
    vn = sorted({p.vn.slug: p.vn for p in pairs}.values(), key=lambda p: p.slug)
    kr = sorted({p.kr.slug: p.kr for p in pairs}.values(), key=lambda p: p.slug)
    # Order each column by the mean position of its partners (two barycentre sweeps):
    # fewer crossing edges, same layout for the same data.
    for _sweep in range(2):
        kr = _by_barycentre(kr, vn, pairs, lambda p: (p.kr.slug, p.vn.slug))
        vn = _by_barycentre(vn, kr, pairs, lambda p: (p.vn.slug, p.kr.slug))
    rows = max(len(vn), len(kr))
    width, height, step = 760, 60 + rows * 34, 34
    x_vn, x_kr = 230, 530
    y_of = {}
    for i, place in enumerate(vn):
        y_of[place.slug] = 40 + i * step + (rows - len(vn)) * step / 2
    for i, place in enumerate(kr):
        y_of[place.slug] = 40 + i * step + (rows - len(kr)) * step / 2
    top = max(p.articles for p in pairs)
    body = [f'<text x="{x_vn}" y="18" text-anchor="middle" font-weight="bold">{escape(_("Vietnam"))}</text>',
            f'<text x="{x_kr}" y="18" text-anchor="middle" font-weight="bold">{escape(_("South Korea"))}</text>']
    for pair in pairs:
        stroke = 1.5 + 6 * pair.articles / top
        label = ngettext("%(pair)s: %(n)d article", "%(pair)s: %(n)d articles", pair.articles) % {
            "pair": f"{place_name(pair.vn)} – {place_name(pair.kr)}", "n": pair.articles}
        body.append(f'<a href="{escape(pair.get_absolute_url())}"><line x1="{x_vn}" y1="{y_of[pair.vn.slug]:.1f}" '
                    f'x2="{x_kr}" y2="{y_of[pair.kr.slug]:.1f}" stroke="#0b5cad" stroke-opacity="0.55" '
                    f'stroke-width="{stroke:.1f}"><title>{escape(label)}</title></line></a>')
    for place, x, anchor, dx in [(p, x_vn, "end", -10) for p in vn] + [(p, x_kr, "start", 10) for p in kr]:
        y = y_of[place.slug]
        body.append(f'<a href="/places/{escape(place.slug)}/"><circle cx="{x}" cy="{y:.1f}" r="6" '
                    f'fill="{"#c8102e" if place.country == "vn" else "#0047a0"}"><title>{escape(place_name(place))}</title>'
                    f'</circle><text x="{x + dx}" y="{y + 4:.1f}" text-anchor="{anchor}">{escape(place_name(place))}</text></a>')
    desc = "; ".join(f"{place_name(p.vn)} – {place_name(p.kr)} ({p.articles})" for p in pairs)
    return _svg(width, height, _("Vietnam–Korea partnership network"), desc, body, "chart-network", links=True)


def _by_barycentre(column, other, pairs, ends):
    position = {place.slug: i for i, place in enumerate(other)}
    weights: dict[str, list[float]] = {}
    for pair in pairs:
        mine, theirs = ends(pair)
        weights.setdefault(mine, []).extend([position[theirs]] * pair.articles)
    return sorted(column, key=lambda p: (sum(weights[p.slug]) / len(weights[p.slug]), p.slug))


def year_label_step(years: int, plot_width: float) -> int:
    """Label every year, or every 2nd, 5th, 10th... so that no two labels touch."""
    per_year = plot_width / max(years, 1)
    for step in (1, 2, 5, 10, 20, 50):
        if per_year * step >= YEAR_LABEL_ROOM:
            return step
    return 100


def event_timeline(events, ident: str = "chart-timeline") -> SafeString:
    """Dated events on a line of years, one row per day: events of the same day stack as
    markers in that row. Drawn at its natural size; on a phone its frame scrolls."""
    dated = sorted((e for e in events if e.date), key=lambda e: (e.date, e.id))
    if not dated:
        return mark_safe("")
    days: dict[date, list] = {}
    for event in dated:
        days.setdefault(event.date, []).append(event)
    first, last = dated[0].date.year, dated[-1].date.year + 1
    left, right, marker_step = 40, 720, 10
    heights = [max(22, marker_step * len(group) + 8) for group in days.values()]
    width, height = 760, 56 + sum(heights) + 8
    span = (date(last, 1, 1) - date(first, 1, 1)).days or 1

    def x_of(d: date) -> float:
        return left + (right - left) * (d - date(first, 1, 1)).days / span

    step = year_label_step(last - first, right - left)
    body = [f'<line x1="{left}" y1="40" x2="{right}" y2="40" stroke="#767676"/>']
    for year in range(first, last + 1):
        x = x_of(date(year, 1, 1))
        body.append(f'<line x1="{x:.1f}" y1="36" x2="{x:.1f}" y2="44" stroke="#767676"/>')
        if year % step == 0 or step == 1:
            body.append(f'<text x="{x:.1f}" y="28" text-anchor="middle">{year}</text>')
    top = 56
    for (day, group), row_height in zip(days.items(), heights):
        x = x_of(day)
        mid = top + row_height / 2
        kinds: dict[str, int] = {}
        for event in group:
            kinds[_event_label(event)] = kinds.get(_event_label(event), 0) + 1
        label = f"{_event_date(group[0])} " + ", ".join(k if n == 1 else f"{k} ×{n}" for k, n in kinds.items())
        body.append(f'<line x1="{x:.1f}" y1="40" x2="{x:.1f}" y2="{mid:.1f}" stroke="#c4c9d4"/>')
        for j, event in enumerate(group):
            cy = mid + (j - (len(group) - 1) / 2) * marker_step
            title = f"{_event_date(event)} {_event_label(event)}"
            count = getattr(event, "report_count", 1)
            if count > 1:
                title += " · " + ngettext("%(counter)s report", "%(counter)s reports", count) % {"counter": count}
            body.append(f'<a href="/articles/{event.article_id}/#event-{event.id}"><circle cx="{x:.1f}" cy="{cy:.1f}" '
                        f'r="{4.5 if len(group) > 1 else 5}" fill="{EVENT_COLOURS.get(event.type, "#666")}" '
                        f'stroke="#fff"><title>{escape(title)}</title></circle></a>')
        # The label goes on the side with more room, so none runs off the chart.
        text_x, anchor = (x + 9, "start") if x < (left + right) / 2 else (x - 9, "end")
        body.append(f'<a href="/articles/{group[0].article_id}/#event-{group[0].id}"><text x="{text_x:.1f}" '
                    f'y="{mid + 4:.1f}" text-anchor="{anchor}">{escape(label)}</text></a>')
        top += row_height
    desc = "; ".join(f"{_event_date(e)}: {_event_label(e)}" for e in dated)
    return _svg(width, height, _("Timeline of agreements and visits"), desc, body, ident, links=True, natural=True)


def _event_label(event) -> str:
    """'MOU with Hà Nội' where the page names the partner (a place's own page), else the type."""
    partner = getattr(event, "partner", None)
    if partner is None:
        return event.get_type_display()
    return _("%(type)s with %(partner)s") % {"type": event.get_type_display(), "partner": place_name(partner)}


def _event_date(event) -> str:
    """The same date format as the event tables: the interface language's, as precise as known."""
    return format_known_date(event.date, event.date_precision)
