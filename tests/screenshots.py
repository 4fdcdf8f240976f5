"""Screenshots of one page of each type at a desktop and a phone width, for review by eye.

    .venv/bin/python tests/screenshots.py                 # the bundled records -> screenshots/
    .venv/bin/python tests/screenshots.py OUT --papers tests/data/site/papers

Builds the site over the records (papers/ by default) in a temporary folder, serves it on
127.0.0.1 and saves `OUT/<page type>-<width>.png` (whole pages) with Debian's Chromium through
Playwright. The same page types are checked for sideways scrolling and small text by
tests/test_browser.py.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
from functools import partial
from http.server import ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from browsing import CHROMIUM, CHROMIUM_ARGS, QuietHandler
from sitecheck import REPO, build_test_site

WIDTHS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
# One page of each type of the bundled site, by the name its screenshots carry.
PAGE_TYPES = {
    "home": "",
    "explorer": "explore/",
    "node": "taxonomy/acquisition/",
    "paper": "papers/liu2023visual/",
    "tables": "tables/",
    "table": "tables/data4model-model4data/",
    "cell": "tables/data4model-model4data/acquisition--creator/",
    "outline": "outline/",
    "gaps": "gaps/",
    "charts": "charts/",
    "contribute": "contribute/",
    "hand-written": "about/",
}


def save_screenshots(site: Path, target: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    target.mkdir(parents=True, exist_ok=True)
    saved = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            for width_name, viewport in WIDTHS.items():
                context = browser.new_context(
                    viewport=viewport, is_mobile=width_name == "phone", has_touch=width_name == "phone"
                )
                page = context.new_page()
                for name, url in PAGE_TYPES.items():
                    page.goto(base + url, wait_until="networkidle")
                    path = target / f"{name}-{viewport['width']}.png"
                    page.screenshot(path=str(path), full_page=True)
                    saved.append(path)
                context.close()
            browser.close()
    finally:
        server.shutdown()
    return saved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", type=Path, nargs="?", default=Path("screenshots"))
    parser.add_argument("--papers", type=Path, default=REPO / "papers")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        site = build_test_site(Path(work), arguments.papers.resolve())
        for path in save_screenshots(site, arguments.target):
            print(path)


if __name__ == "__main__":
    main()
