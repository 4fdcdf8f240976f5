"""What a reader's first site search costs at N synthetic papers, in headless Chromium.

    .venv/bin/python bench/bench_search.py          # 10,000 papers
    .venv/bin/python bench/bench_search.py 1000

Builds the site of N synthetic records (bench/synthetic.py) with `surveykb build`, serves it on
127.0.0.1, opens a taxonomy page, types queries into the search box and prints: the bytes fetched
from the page load's end through the first answered query (uncompressed, as the local server sends
them, and gzipped, as static hosts serve JSON), the size of Material's index and of the paper
index, and the time from the keystroke to the shown results for the first and later queries.
Needs Debian's Chromium at /usr/bin/chromium and the playwright package (the test extra).
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # the browser tests' Chromium and server
from browsing import CHROMIUM, CHROMIUM_ARGS, serve
from playwright.sync_api import sync_playwright
from synthetic import make_knowledge_base

from surveykb.commands.build import build_site

TIME_QUERY = """async (query) => {
    const input = document.querySelector('input.md-search__input');
    const start = performance.now();
    input.value = query;
    input.dispatchEvent(new Event('input', { bubbles: true }));
    while (document.querySelector('.kb-search-papers')?.dataset.query !== query) await new Promise(requestAnimationFrame);
    return performance.now() - start;
}"""


def measure(site: Path) -> dict[str, float]:
    served = serve(site)
    base = next(served)
    fetched: list[str] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(base + "taxonomy/acquisition/", wait_until="networkidle")
            page.on("requestfinished", lambda request: fetched.append(request.url))
            first = page.evaluate(TIME_QUERY, "2304.00042")
            page.wait_for_load_state("networkidle")
            later = [
                page.evaluate(TIME_QUERY, query)
                for query in ("visual instruction", "Author12 Surname34", "caption alignment 7", "chart", "paper 4321")
            ]
            browser.close()
    finally:
        served.close()
    files = [site / url.removeprefix(base).split("?")[0] for url in fetched if url.startswith(base)]
    raw = sum(path.stat().st_size for path in files if path.is_file())
    packed = sum(len(gzip.compress(path.read_bytes())) for path in files if path.is_file())
    return {
        "first query transfer, MB": raw / 1e6,
        "first query transfer gzipped, MB": packed / 1e6,
        "Material index (loaded with the page), MB": (site / "search" / "search_index.json").stat().st_size / 1e6,
        "paper index, MB": (site / "search" / "papers.json").stat().st_size / 1e6,
        "first query, ms": first,
        "later queries median, ms": statistics.median(later),
        "later queries max, ms": max(later),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, nargs="?", default=10_000)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        kb = make_knowledge_base(Path(work) / "kb", arguments.count)
        build_site(kb / "mkdocs.yml", kb / "site", strict=False)
        for name, value in measure(kb / "site").items():
            print(f"{arguments.count} papers, {name}: {value:.2f}")


if __name__ == "__main__":
    main()
