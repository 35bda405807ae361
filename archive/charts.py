"""Charts drawn on the server as SVG: no script, no CDN, readable by screen readers
(role="img" with a title and a description), every label escaped. Each page that shows
a chart also shows its data as a table.
"""
from __future__ import annotations

from datetime import date

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

LANG_COLOURS = {"vi": "#c8102e", "ko": "#0047a0", "fr": "#6a4c93", "en": "#2a9d8f"}
EVENT_COLOURS = {"mou": "#0b5cad", "letter_of_intent": "#6a4c93", "sister_city": "#c8102e",
                 "visit": "#2a9d8f", "investment_conference": "#e76f51", "other": "#6b7280"}
FONT = 'font-family="system-ui, Noto Sans, Noto Sans CJK KR, sans-serif"'


def _svg(width: int, height: int, title: str, desc: str, body: list[str], ident: str) -> SafeString:
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-labelledby="{ident}-title {ident}-desc" {FONT} font-size="12">'
        f'<title id="{ident}-title">{escape(title)}</title><desc id="{ident}-desc">{escape(desc)}</desc>'
        + "".join(body) + "</svg>"
    )


def articles_per_year(counts: dict[tuple[int, str], int]) -> SafeString:
    """Stacked bars: articles per year, one colour per language."""
    years = sorted({y for y, _ in counts})
    if not years:
        return mark_safe("")
    langs = [lang for lang in LANG_COLOURS if any(l == lang for _, l in counts)]
    totals = {y: sum(n for (yy, _), n in counts.items() if yy == y) for y in years}
    top = max(totals.values())
    width, height, left, bottom = max(320, 60 + 48 * len(years)), 220, 40, 30
    plot = height - bottom - 20
    body = [f'<line x1="{left}" y1="{height - bottom}" x2="{width - 10}" y2="{height - bottom}" stroke="#999"/>',
            f'<text x="{left - 6}" y="{height - bottom - plot + 4}" text-anchor="end">{top}</text>',
            f'<text x="{left - 6}" y="{height - bottom}" text-anchor="end">0</text>']
    for i, year in enumerate(years):
        x = left + 10 + i * 48
        y = height - bottom
        for lang in langs:
            n = counts.get((year, lang), 0)
            if not n:
                continue
            h = plot * n / top
            y -= h
            body.append(f'<rect x="{x}" y="{y:.1f}" width="32" height="{h:.1f}" fill="{LANG_COLOURS[lang]}">'
                        f'<title>{year}, {lang}: {n}</title></rect>')
        body.append(f'<text x="{x + 16}" y="{height - bottom + 16}" text-anchor="middle">{year}</text>')
    for i, lang in enumerate(langs):
        body.append(f'<rect x="{left + i * 60}" y="4" width="10" height="10" fill="{LANG_COLOURS[lang]}"/>'
                    f'<text x="{left + i * 60 + 14}" y="13">{lang}</text>')
    desc = "; ".join(f"{y}: {totals[y]}" for y in years)
    return _svg(width, height, "Articles per year by language", desc, body, "chart-years")


def partnership_network(pairs) -> SafeString:
    """Vietnamese places on the left, Korean on the right, an edge per partnership whose
    width grows with its evidence; every edge links to the partnership page."""
    if not pairs:
        return mark_safe("")
    vn = sorted({p.vn.slug: p.vn for p in pairs}.values(), key=lambda p: p.slug)
    kr = sorted({p.kr.slug: p.kr for p in pairs}.values(), key=lambda p: p.slug)
    # Order each column by the mean position of its partners (two barycentre sweeps):
    # fewer crossing edges, same layout for the same data.
    for _ in range(2):
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
    body = [f'<text x="{x_vn}" y="18" text-anchor="middle" font-weight="bold">Vietnam</text>',
            f'<text x="{x_kr}" y="18" text-anchor="middle" font-weight="bold">South Korea</text>']
    for pair in pairs:
        stroke = 1.5 + 6 * pair.articles / top
        label = f"{pair.vn.label} – {pair.kr.label}: {pair.articles} article(s)"
        body.append(f'<a href="{escape(pair.get_absolute_url())}"><line x1="{x_vn}" y1="{y_of[pair.vn.slug]:.1f}" '
                    f'x2="{x_kr}" y2="{y_of[pair.kr.slug]:.1f}" stroke="#0b5cad" stroke-opacity="0.55" '
                    f'stroke-width="{stroke:.1f}"><title>{escape(label)}</title></line></a>')
    for place, x, anchor, dx in [(p, x_vn, "end", -10) for p in vn] + [(p, x_kr, "start", 10) for p in kr]:
        y = y_of[place.slug]
        body.append(f'<a href="/places/{escape(place.slug)}/"><circle cx="{x}" cy="{y:.1f}" r="6" '
                    f'fill="{"#c8102e" if place.country == "vn" else "#0047a0"}"><title>{escape(place.label)}</title>'
                    f'</circle><text x="{x + dx}" y="{y + 4:.1f}" text-anchor="{anchor}">{escape(place.label)}</text></a>')
    desc = "; ".join(f"{p.vn.label} – {p.kr.label} ({p.articles})" for p in pairs)
    return _svg(width, height, "Vietnam–Korea partnership network", desc, body, "chart-network")


def _by_barycentre(column, other, pairs, ends):
    position = {place.slug: i for i, place in enumerate(other)}
    weights: dict[str, list[float]] = {}
    for pair in pairs:
        mine, theirs = ends(pair)
        weights.setdefault(mine, []).extend([position[theirs]] * pair.articles)
    return sorted(column, key=lambda p: (sum(weights[p.slug]) / len(weights[p.slug]), p.slug))


def event_timeline(events, ident: str = "chart-timeline") -> SafeString:
    """Dated events on a line of years; each marker links to the article it came from."""
    dated = [e for e in events if e.date]
    if not dated:
        return mark_safe("")
    first, last = min(e.date for e in dated).year, max(e.date for e in dated).year + 1
    width, height, left, right = 760, 80 + 22 * len(dated), 40, 720
    span = (date(last, 1, 1) - date(first, 1, 1)).days or 1

    def x_of(d: date) -> float:
        return left + (right - left) * (d - date(first, 1, 1)).days / span

    body = [f'<line x1="{left}" y1="40" x2="{right}" y2="40" stroke="#999"/>']
    for year in range(first, last + 1):
        x = x_of(date(year, 1, 1))
        body.append(f'<line x1="{x:.1f}" y1="36" x2="{x:.1f}" y2="44" stroke="#999"/>'
                    f'<text x="{x:.1f}" y="28" text-anchor="middle">{year}</text>')
    for i, event in enumerate(sorted(dated, key=lambda e: e.date)):
        x, y = x_of(event.date), 64 + i * 22
        label = f"{event.date_display} {event.get_type_display()}"
        # Labels right of the marker, or left of it in the right half, so none runs off the chart.
        text_x, anchor = (x + 8, "start") if x < (left + right) / 2 else (x - 8, "end")
        body.append(f'<a href="/articles/{event.article_id}/#event-{event.id}"><line x1="{x:.1f}" y1="40" x2="{x:.1f}" '
                    f'y2="{y - 4}" stroke="#ccc"/><circle cx="{x:.1f}" cy="{y - 4}" r="5" '
                    f'fill="{EVENT_COLOURS.get(event.type, "#666")}"><title>{escape(label)}</title></circle>'
                    f'<text x="{text_x:.1f}" y="{y}" text-anchor="{anchor}">{escape(label)}</text></a>')
    desc = "; ".join(f"{e.date_display}: {e.get_type_display()}" for e in sorted(dated, key=lambda e: e.date))
    return _svg(width, height, "Timeline of agreements and visits", desc, body, ident)
