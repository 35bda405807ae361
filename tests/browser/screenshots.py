"""`make screenshots`: each page type at 360 and 1,280 px, into docs/screenshots/.

Imports the relevance corpus and the seeds into a throwaway data folder, serves it on a
local port and drives Debian's chromium. The first screen of each page is captured (not
the whole length), which keeps every PNG well under 300 kB.

    python -m tests.browser.screenshots [--out docs/screenshots]
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SHOWN = ("home", "search", "article", "place", "partnerships", "partnership")
LIMIT = 300_000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    args = parser.parse_args()
    chromium = os.environ.get("ARCHIVE_CHROMIUM", "/usr/bin/chromium")
    with tempfile.TemporaryDirectory(prefix="archive-screens-") as data:
        # The data folder must be chosen before Django reads its settings.
        os.environ["ARCHIVE_DATA_DIR"] = data
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
        os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        sys.path.insert(0, str(REPO))
        import django

        django.setup()
        from django.core.management import call_command
        from playwright.sync_api import sync_playwright
        from pytest_django.live_server_helper import LiveServer

        from tests.browser import survey

        quiet = open(os.devnull, "w")
        call_command("migrate", verbosity=0)
        call_command("ensure_index", stdout=quiet)
        call_command("import_articles", str(REPO / "tests" / "relevance" / "corpus"), stdout=quiet)
        call_command("import_articles", str(REPO / "seeds"), stdout=quiet)
        pages = survey.page_types()
        server = LiveServer("localhost")
        args.out.mkdir(parents=True, exist_ok=True)
        written = []
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=chromium, headless=True,
                    args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                          "--disable-component-update", "--disable-sync", "--no-first-run"])
                for width in survey.WIDTHS:
                    context = browser.new_context(viewport={"width": width, "height": survey.VIEWPORT_HEIGHT[width]})
                    page = context.new_page()
                    for name in SHOWN:
                        page.goto(server.url + pages[name])
                        path = args.out / f"{name}-{width}.png"
                        page.screenshot(path=str(path))
                        written.append(path)
                    context.close()
                browser.close()
        finally:
            server.stop()
    too_big = []
    for path in written:
        size = path.stat().st_size
        print(f"{path.relative_to(REPO) if path.is_relative_to(REPO) else path}  {size / 1000:.0f} kB")
        if size >= LIMIT:
            too_big.append(path.name)
    if too_big:
        print(f"over {LIMIT // 1000} kB: {', '.join(too_big)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
