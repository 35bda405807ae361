"""What the layout, accessibility and chart tests measure in a real page, shared with
`make screenshots`. Every figure comes from the rendered page (layout boxes, computed
styles, axe-core's report), never from the HTML text.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.services import REQUIRE_SERVICES

REPO = Path(__file__).resolve().parents[2]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
PHONE, DESKTOP = 360, 1280
WIDTHS = (PHONE, DESKTOP)
VIEWPORT_HEIGHT = {PHONE: 740, DESKTOP: 800}


def page_types() -> dict[str, str]:
    """One URL per page type, chosen from what the database holds."""
    from django.db.models import Count

    from archive.models import Article, PartnershipEvent, Story

    article = (
        Article.objects.published().annotate(n=Count("events")).order_by("-n", "id").first()
    )
    pair = (
        PartnershipEvent.objects.values_list("vn__slug", "kr__slug").annotate(n=Count("id")).order_by("-n").first()
    )
    story = Story.objects.order_by("id").first()
    pages = {
        "home": "/",
        "search": "/search/?q=Gyeonggi",
        "article": article.get_absolute_url(),
        "place": "/places/gyeonggi/",
        "partnerships": "/partnerships/",
        "partnership": f"/partnerships/{pair[0]}--{pair[1]}/",
        "help": "/help/search/",
        "places": "/places/",
        "articles by date": "/articles/",
        "not-found": "/no-such-page/",
    }
    if story:
        pages["story"] = f"/stories/{story.id}/"
    return pages


def axe_source() -> str | None:
    """axe-core from node_modules (installed by `make test`), or None when it is missing.

    With ARCHIVE_REQUIRE_SERVICES=1 a missing axe fails the run instead of skipping it."""
    if AXE.exists():
        return AXE.read_text(encoding="utf-8")
    if REQUIRE_SERVICES:
        pytest.fail(f"{AXE} is missing: run `npm ci` (make test does) before the browser tests")
    return None


def horizontal_overflow(page) -> int:
    """How many CSS pixels the document is wider than the viewport (0 when it fits)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def run_axe(page, source: str) -> list[dict]:
    """Serious and critical axe-core violations of the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Served from the page's own origin: the archive's Content-Security-Policy
        # (script-src 'self') refuses inline scripts, axe's included.
        origin = "/".join(page.url.split("/")[:3])
        page.route(f"{origin}/__axe.min.js", lambda route: route.fulfill(
            body=source, content_type="application/javascript; charset=utf-8"))
        page.add_script_tag(url=f"{origin}/__axe.min.js")
    report = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
        }"""
    )
    return [v for v in report if v["impact"] in ("serious", "critical")]


def smallest_chart_text(page, selector: str) -> float | None:
    """The rendered height, in CSS pixels, of the smallest text in the chart (its font
    size after the SVG is scaled to the page)."""
    return page.evaluate(
        """sel => {
            const svg = document.querySelector(sel);
            if (!svg) return null;
            let least = Infinity;
            for (const t of svg.querySelectorAll('text')) {
                const box = t.getBoundingClientRect();
                if (box.width === 0) continue;   // hidden (display:none) labels
                const scale = svg.getScreenCTM().a;
                least = Math.min(least, parseFloat(getComputedStyle(t).fontSize) * scale);
            }
            return least === Infinity ? null : least;
        }""",
        selector,
    )


def overlapping_labels(page, selector: str) -> list[tuple[str, str]]:
    """Pairs of text labels in the chart whose rendered boxes intersect."""
    return page.evaluate(
        """sel => {
            const boxes = [];
            for (const svg of document.querySelectorAll(sel))
                for (const t of svg.querySelectorAll('text')) {
                    const b = t.getBoundingClientRect();
                    if (b.width > 0) boxes.push([t.textContent, b]);
                }
            const hits = [];
            for (let i = 0; i < boxes.length; i++)
                for (let j = i + 1; j < boxes.length; j++) {
                    const [a, p] = boxes[i], [b, q] = boxes[j];
                    if (p.left < q.right - 0.5 && q.left < p.right - 0.5 &&
                        p.top < q.bottom - 0.5 && q.top < p.bottom - 0.5) hits.push([a, b]);
                }
            return hits;
        }""",
        selector,
    )
