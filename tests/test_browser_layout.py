"""The bundled site's own pages measured in Chromium: at 1280 px no table overflows its column and no
header breaks inside a word; at 390 px (a phone) the home trees and the charts keep every text at
11 px or more, and every chart is drawn in a layout for phones that fits the screen. (The paper tables'
text on phones is measured with the paper pages, not here.)"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from browsing import CHROMIUM, CHROMIUM_ARGS, require_chromium, serve
from sitecheck import REPO, build_test_site

from surveykb.commands.build import build_site

require_chromium()
from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402

MIN_TEXT = 11  # px
TABLE_PAGES = [
    "",
    "tables/",
    "tables/data4model-model4data/",
    "tables/year-data4model/",
    "tables/modality-model4data/",
    "tables/stage-data4model/",
    "gaps/",
    "charts/",
    "outline/",
    "taxonomy/acquisition/",
]

# Every text of the page as the reader sees it: (text, rendered font size in px). An SVG text is
# scaled with its picture, so its size is its font size times the picture's scale.
TEXT_SIZES = """root => {
  const found = [];
  for (const element of document.querySelectorAll(root + ' *')) {
    const own = [...element.childNodes].filter(n => n.nodeType === 3 && n.textContent.trim()).map(n => n.textContent.trim()).join(' ');
    if (!own || !element.getClientRects().length || element.closest('.kb-papers')) continue;
    const style = getComputedStyle(element);
    if (style.visibility === 'hidden' || element.closest('title, desc, [hidden]')) continue;
    let size = parseFloat(style.fontSize);
    const svg = element.closest('svg');
    if (svg && svg.viewBox.baseVal && svg.viewBox.baseVal.width) size *= svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    found.push([own.slice(0, 40), Math.round(size * 10) / 10]);
  }
  return found;
}"""

# Words of the cross tables' and data tables' headers that the browser split over two lines.
BROKEN_WORDS = """() => {
  const broken = [];
  for (const cell of document.querySelectorAll('article th')) {
    if (!cell.getClientRects().length) continue;
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.textContent.matchAll(/[^\\s-]+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
        if (lines.size > 1) broken.push(match[0]);
      }
    }
  }
  return broken;
}"""

# Tables wider than the article, and scroll boxes that scroll although they need not be boxes at all.
OVERFLOWS = """() => {
  const article = document.querySelector('article');
  const width = article.getBoundingClientRect().right;
  const wide = [...article.querySelectorAll('table')].filter(t => t.getClientRects().length && t.getBoundingClientRect().right > width + 1).map(t => t.className || t.parentElement.className);
  const scrolling = [...article.querySelectorAll('*')].filter(e => ['auto', 'scroll'].includes(getComputedStyle(e).overflowX) && e.scrollWidth > e.clientWidth + 1 && !e.classList.contains('kb-chart-scroll')).map(e => e.className);
  return {wide, scrolling};
}"""


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from serve(build_test_site(tmp_path_factory.mktemp("layout-site"), REPO / "papers"))


@pytest.fixture(scope="module")
def three_axes_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("three-axes") / "kb"
    shutil.copytree(Path(__file__).parent / "data" / "three_axes", root)
    build_site(root / "mkdocs.yml", root / "site", strict=True)
    yield from serve(root / "site")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def open_page(browser: Browser, base_url: str, url: str, width: int, height: int) -> Page:
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(base_url + url, wait_until="networkidle")
    return page


@pytest.mark.parametrize("url", TABLE_PAGES)
def test_at_1280_px_no_table_overflows_and_no_header_breaks_inside_a_word(
    browser: Browser, base_url: str, url: str
) -> None:
    page = open_page(browser, base_url, url, 1280, 900)
    assert page.evaluate(OVERFLOWS) == {"wide": [], "scrolling": []}
    assert page.evaluate(BROKEN_WORDS) == []
    page.close()


@pytest.mark.parametrize("url", TABLE_PAGES)
def test_at_390_px_every_text_is_at_least_11_px_and_no_header_breaks_inside_a_word(
    browser: Browser, base_url: str, url: str
) -> None:
    page = open_page(browser, base_url, url, 390, 844)
    small = [(text, size) for text, size in page.evaluate(TEXT_SIZES, "article") if size < MIN_TEXT]
    assert small == []
    assert page.evaluate(BROKEN_WORDS) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.close()


def test_at_390_px_the_home_trees_reflow_as_lists(browser: Browser, base_url: str) -> None:
    page = open_page(browser, base_url, "", 390, 844)
    assert page.locator("figure.kb-tree").first.is_hidden()
    items = page.locator("ul.kb-tree-list li")
    assert items.count() == len(page.locator("figure.kb-tree svg a").all())
    assert all(box["x"] + box["width"] <= 390 for box in (item.bounding_box() for item in items.all()) if box)
    page.close()


def test_at_390_px_every_chart_is_drawn_in_its_phone_layout_and_fits(browser: Browser, base_url: str) -> None:
    page = open_page(browser, base_url, "charts/", 390, 844)
    shown = [s for s in page.locator(".kb-chart-scroll").all() if s.is_visible()]
    assert shown and all("kb-chart-narrow" in (s.get_attribute("class") or "") for s in shown)
    assert [s.evaluate("e => e.scrollWidth <= e.clientWidth") for s in shown] == [True] * len(shown)
    page.close()


def test_the_explorer_offers_the_axes_stages_and_modalities_of_another_survey(
    browser: Browser, three_axes_url: str
) -> None:
    page = open_page(browser, three_axes_url, "explore/", 1280, 900)
    page.wait_for_selector("#kb-x-tag-list li.kb-x-axis", state="attached")
    axes = page.eval_on_selector_all(
        "#kb-x-tag-list li.kb-x-axis", "items => items.map(i => [i.dataset.tag, i.textContent])"
    )
    assert [tag for tag, _ in axes] == ["embodiment", "paradigm", "skill"]
    assert [text.startswith(name) for (_, text), name in zip(axes, ["Embodiment", "Learning Paradigm", "Skill"])] == [
        True
    ] * 3
    assert page.eval_on_selector_all("#kb-x-stage option", "options => options.map(o => o.value)") == [
        "",
        "simulation",
        "real-world",
    ]
    assert page.eval_on_selector_all("#kb-x-modality option", "options => options.map(o => o.value)") == [
        "",
        "rgb",
        "proprioception",
    ]
    page.click("#kb-x-tag")
    page.click("#kb-x-tag-list [role=option][data-tag='imitation']")
    assert page.locator("#kb-x-count").inner_text() == "2 of 4 papers"
    page.close()


@pytest.mark.parametrize("width", [1280, 1024])
def test_on_a_wide_screen_the_home_trees_are_pictures_with_text_of_11_px_or_more(
    browser: Browser, base_url: str, width: int
) -> None:
    page = open_page(browser, base_url, "", width, 900)
    assert page.locator("figure.kb-tree").first.is_visible() and page.locator("ul.kb-tree-list").first.is_hidden()
    sizes = [size for _, size in page.evaluate(TEXT_SIZES, "figure.kb-tree")]
    assert sizes and min(sizes) >= MIN_TEXT
    page.close()
