"""Chart layouts on the small site fixture, and the built Charts page: counts, geometry, links,
and that every drawn number is the one in the chart's data table."""

from __future__ import annotations

import colorsys
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import pytest
from sitecheck import REPO, broken_links, build_test_site, page_url, papers_behind

from surveykb.core.index import Index, build_index
from surveykb.core.knowledge_base import load_knowledge_base
from surveykb.site.build import site_content
from surveykb.site.charts import all_charts, axis_ticks, distinct_shades, heat_fill, tag_frequency, year_chart

FIXTURE_PAPERS = Path(__file__).parent / "data" / "site" / "papers"
UNDATED_2019 = """\
id: old2019paper
title: An Older Paper
authors: [Ada Lovelace]
year: 2019
arxiv: "1901.00001"
data4model: [acquisition]
model4data: [creator]
"""


def index_of(root: Path, papers: Path | None, extra: dict[str, str] | None = None) -> Index:
    """The index of a knowledge base made of the repository's taxonomy and the given records."""
    shutil.copytree(REPO / "taxonomy", root / "taxonomy")
    (root / "taxonomy" / "venues.yaml").unlink()  # the fixture records' venues are made up
    if papers is None:
        (root / "papers").mkdir()
    else:
        shutil.copytree(papers, root / "papers")
    for name, text in (extra or {}).items():
        (root / "papers" / name).write_text(text, encoding="utf-8")
    kb, diagnostics = load_knowledge_base(root)
    assert kb is not None, diagnostics
    return build_index(kb)


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Index:
    return index_of(tmp_path_factory.mktemp("kb"), FIXTURE_PAPERS)


def stacks(chart: dict) -> dict[int, dict[str, int]]:
    return {bar["year"]: {segment["key"]: segment["count"] for segment in bar["segments"]} for bar in chart["bars"]}


# Papers per year ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("slug", "expected"),
    [
        pytest.param(
            "year-data4model",
            {
                2022: {"reasoning": 1, "evaluation": 1},
                2023: {"scaling-up": 3, "scaling-effectiveness": 2, "instruction-responsiveness": 1},
                2024: {"scaling-up": 1, "evaluation": 1},
            },
            id="capability-groups",
        ),
        pytest.param(
            "year-model4data",
            {
                2022: {},
                2023: {"creator": 2, "mapper": 1, "filter": 1},
                2024: {"creator": 1, "evaluator": 1},
            },
            id="model-roles",
        ),
    ],
)
def test_year_segments_count_the_papers_of_each_year_and_series(index: Index, slug: str, expected: dict) -> None:
    assert stacks(year_chart(index, slug, "series")) == expected


@pytest.mark.parametrize(
    ("slug", "totals", "papers"),
    [
        pytest.param("year-data4model", [2, 6, 2], [1, 3, 2], id="capability-groups"),
        pytest.param("year-model4data", [0, 4, 2], [0, 3, 2], id="model-roles"),
    ],
)
def test_bar_total_is_its_stack_and_papers_are_counted_once(
    index: Index, slug: str, totals: list[int], papers: list[int]
) -> None:
    chart = year_chart(index, slug, "series")
    assert [bar["total"] for bar in chart["bars"]] == totals
    assert [bar["papers"] for bar in chart["bars"]] == papers


@pytest.mark.parametrize("slug", ["year-data4model", "year-model4data"])
def test_segments_stack_from_the_baseline_in_proportion_to_their_counts(index: Index, slug: str) -> None:
    chart = year_chart(index, slug, "series")
    pixels_per_paper = (chart["plot"]["bottom"] - chart["ticks"][-1]["y"]) / chart["ticks"][-1]["value"]
    for bar in chart["bars"]:
        bottom = chart["plot"]["bottom"]
        for segment in bar["segments"]:
            assert segment["height"] == pytest.approx(segment["count"] * pixels_per_paper, abs=0.01)
            assert segment["y"] + segment["height"] == pytest.approx(bottom, abs=0.02)
            bottom = segment["y"]
        assert bar["total_y"] < bottom


def test_stack_follows_the_taxonomy_order_bottom_up_and_the_legend_reads_top_down(index: Index) -> None:
    chart = year_chart(index, "year-data4model", "series")
    bar_2023 = next(bar for bar in chart["bars"] if bar["year"] == 2023)
    assert [segment["key"] for segment in bar_2023["segments"]] == [
        "scaling-up",
        "scaling-effectiveness",
        "instruction-responsiveness",
    ]
    assert [segment["y"] for segment in bar_2023["segments"]] == sorted(
        (segment["y"] for segment in bar_2023["segments"]), reverse=True
    )
    order = [group.id for group in index.taxonomy.groups("data4model")]
    assert [entry["key"] for entry in chart["legend"]] == order[::-1]
    assert [entry["y"] for entry in chart["legend"]] == sorted(entry["y"] for entry in chart["legend"])


@pytest.mark.parametrize("slug", ["year-data4model", "year-model4data"])
def test_series_sharing_a_taxonomy_colour_get_distinct_fills(index: Index, slug: str) -> None:
    fills = [entry["fill"] for entry in year_chart(index, slug, "series")["legend"]]
    assert len(set(fills)) == len(fills)


def test_segments_link_to_their_year_cells_and_carry_exact_tooltips(index: Index) -> None:
    bar_2023 = next(bar for bar in year_chart(index, "year-data4model", "series")["bars"] if bar["year"] == 2023)
    scaling_up = bar_2023["segments"][0]
    assert scaling_up["url"] == "tables/year-data4model/2023--scaling-up/"
    assert scaling_up["tooltip"] == "Scaling Up (Larger Datasets), 2023: 3 papers"
    assert bar_2023["tooltip"] == "2023: 3 papers, 6 in the stack"


@pytest.mark.parametrize("slug", ["year-data4model", "year-model4data"])
def test_year_table_holds_exactly_the_drawn_numbers(index: Index, slug: str) -> None:
    chart = year_chart(index, slug, "series")
    table = chart["table"]
    assert table["columns"] == [entry["label"] for entry in reversed(chart["legend"])]
    for bar, row in zip(chart["bars"], table["rows"], strict=True):
        assert row["label"] == str(bar["year"])
        drawn = {segment["key"]: segment["count"] for segment in bar["segments"]}
        keys = [entry["key"] for entry in reversed(chart["legend"])]
        assert [cell["count"] for cell in row["cells"]] == [drawn.get(key, 0) for key in keys]
        assert (row["total"], row["papers"]) == (bar["total"], bar["papers"])


def test_a_year_without_papers_is_an_empty_bar(tmp_path: Path) -> None:
    chart = year_chart(
        index_of(tmp_path, FIXTURE_PAPERS, {"old2019paper.yaml": UNDATED_2019}), "year-data4model", "series"
    )
    assert [bar["year"] for bar in chart["bars"]] == [2019, 2020, 2021, 2022, 2023, 2024]
    empty = [bar for bar in chart["bars"] if bar["year"] in (2020, 2021)]
    assert [(bar["total"], bar["papers"], bar["segments"]) for bar in empty] == [(0, 0, []), (0, 0, [])]
    assert [row["cells"] for row in chart["table"]["rows"][1:3]] == [[{"count": 0, "url": None}] * 6] * 2


def test_alt_text_summarises_the_year_chart(index: Index) -> None:
    assert year_chart(index, "year-data4model", "Data4Model")["alt"] == (
        "Stacked bar chart of papers per publication year from 2022 to 2024, one segment per Data4Model node. "
        "The tallest bar is 2023: 3 papers stacking to 6. Over all years, Scaling Up (Larger Datasets) has the most papers (4)."
    )


# Heat map ----------------------------------------------------------------------------------------


def test_heat_map_cells_count_papers_with_both_tags(index: Index) -> None:
    chart = all_charts(index)["heat_maps"][0]
    filled = {
        (row["key"], cell["url"]): cell["count"] for row in chart["rows"] for cell in row["cells"] if cell["count"]
    }
    assert filled == {
        ("acquisition", "tables/data4model-model4data/acquisition--creator/"): 3,
        ("acquisition", "tables/data4model-model4data/acquisition--mapper/"): 1,
        ("acquisition", "tables/data4model-model4data/acquisition--filter/"): 1,
        ("condensation", "tables/data4model-model4data/condensation--filter/"): 1,
        ("cross-modal-alignment", "tables/data4model-model4data/cross-modal-alignment--creator/"): 1,
        ("cross-modal-alignment", "tables/data4model-model4data/cross-modal-alignment--mapper/"): 1,
        ("prompt-design", "tables/data4model-model4data/prompt-design--creator/"): 1,
        ("eval-understanding", "tables/data4model-model4data/eval-understanding--evaluator/"): 1,
    }
    assert len(chart["rows"]) == len(index.taxonomy.leaves("data4model"))
    assert [column["key"] for column in chart["columns"]] == [leaf.id for leaf in index.taxonomy.leaves("model4data")]


def test_heat_map_shades_by_count_and_leaves_empty_cells_unlinked(index: Index) -> None:
    chart = all_charts(index)["heat_maps"][0]
    acquisition = chart["rows"][0]["cells"]
    assert acquisition[0]["fill"] == heat_fill(3, 3) == "#3949ab"
    assert acquisition[1]["fill"] == heat_fill(1, 3) == "#dde3f7"
    assert acquisition[0]["dark"] and not acquisition[1]["dark"]
    empty = [cell for row in chart["rows"] for cell in row["cells"] if not cell["count"]]
    assert all(cell["fill"] is None and cell["url"] is None for cell in empty)
    assert acquisition[0]["tooltip"] == "Data Acquisition × Creator: 3 papers"
    assert acquisition[4]["tooltip"] == "Data Acquisition × Navigator: 0 papers"


def test_heat_map_cells_sit_on_a_grid(index: Index) -> None:
    chart = all_charts(index)["heat_maps"][0]
    for row_number, row in enumerate(chart["rows"]):
        assert row["y"] == chart["rows"][0]["y"] + row_number * chart["cell_height"]
        assert [cell["x"] for cell in row["cells"]] == [
            row["cells"][0]["x"] + i * chart["cell_width"] for i in range(len(row["cells"]))
        ]


def test_heat_table_holds_exactly_the_drawn_numbers(index: Index) -> None:
    chart = all_charts(index)["heat_maps"][0]
    assert [row["cells"] for row in chart["table"]["rows"]] == [
        [{"count": c["count"], "url": c["url"]} for c in row["cells"]] for row in chart["rows"]
    ]
    assert chart["table"]["rows"][0]["total"] == 4


# Tag frequency -----------------------------------------------------------------------------------


def test_tag_bars_count_papers_per_leaf_most_frequent_first(index: Index) -> None:
    chart = tag_frequency(index)
    d4m, m4d = chart["blocks"]
    assert [(bar["key"], bar["count"]) for bar in d4m["bars"][:3]] == [
        ("acquisition", 4),
        ("condensation", 1),
        ("cross-modal-alignment", 1),
    ]
    assert [(bar["key"], bar["count"]) for bar in m4d["bars"][:2]] == [("creator", 3), ("mapper", 1)]
    for block in chart["blocks"]:
        counts = [bar["count"] for bar in block["bars"]]
        assert counts == sorted(counts, reverse=True)
    assert sum(len(block["bars"]) for block in chart["blocks"]) == sum(
        len(index.taxonomy.leaves(axis)) for axis in index.taxonomy.axes
    )


def test_tag_bar_widths_are_proportional_and_table_matches(index: Index) -> None:
    chart = tag_frequency(index)
    pixels_per_paper = (chart["ticks"][-1]["x"] - chart["plot"]["left"]) / chart["ticks"][-1]["value"]
    for block, table in zip(chart["blocks"], chart["table"], strict=True):
        assert table["axis"] == block["heading"]["label"]
        assert table["rows"] == [
            {"label": bar["label"], "url": bar["url"], "count": bar["count"]} for bar in block["bars"]
        ]
        for bar in block["bars"]:
            assert bar["width"] == pytest.approx(bar["count"] * pixels_per_paper, abs=0.01)
            assert bar["url"] == f"taxonomy/{bar['key']}/"


# Shared pieces -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("maximum", "ticks"),
    [
        pytest.param(0, [0, 1], id="nothing"),
        pytest.param(1, [0, 1], id="one"),
        pytest.param(6, [0, 1, 2, 3, 4, 5, 6], id="six-unit-steps"),
        pytest.param(7, [0, 2, 4, 6, 8], id="seven-steps-of-two"),
        pytest.param(83, [0, 20, 40, 60, 80, 100], id="eighty-three"),
        pytest.param(120, [0, 20, 40, 60, 80, 100, 120], id="exact-top"),
        pytest.param(1234, [0, 500, 1000, 1500], id="thousands"),
    ],
)
def test_axis_ticks(maximum: int, ticks: list[int]) -> None:
    assert axis_ticks(maximum) == ticks


def test_shared_colours_step_darker_in_the_same_hue() -> None:
    shades = distinct_shades(["f1db9d", "d3f0aa", "f1db9d", "f1db9d"])
    assert shades[0] == "#f1db9d" and shades[1] == "#d3f0aa"
    hues = [
        colorsys.rgb_to_hls(*(int(s[i : i + 2], 16) / 255 for i in (1, 3, 5)))
        for s in (shades[0], shades[2], shades[3])
    ]
    assert [round(h, 2) for h, _, _ in hues] == [round(hues[0][0], 2)] * 3
    assert hues[0][1] > hues[1][1] > hues[2][1] == pytest.approx(0.35, abs=0.01)


# An empty knowledge base -------------------------------------------------------------------------


def test_empty_knowledge_base_gives_empty_charts(tmp_path: Path) -> None:
    charts = all_charts(index_of(tmp_path, None))
    assert [chart["empty"] and chart["bars"] == [] for chart in charts["years"]] == [True, True]
    assert charts["years"][0]["alt"] == "Stacked bar chart of papers per year by Data4Model: no paper has a year yet."
    assert all(cell["count"] == 0 for row in charts["heat_maps"][0]["rows"] for cell in row["cells"])
    assert charts["heat_maps"][0]["legend"] == []
    assert {bar["width"] for block in charts["tag_frequency"]["blocks"] for bar in block["bars"]} == {0}


def test_empty_knowledge_base_renders_a_charts_page(tmp_path: Path) -> None:
    content = site_content(index_of(tmp_path, None), REPO / "templates" / "pages", None)
    charts = content.render(next(page for page in content.pages if page.src_uri == "charts/index.md")).html
    assert charts.count("No paper has a publication year yet.") == 2
    assert charts.count('<svg role="img"') == 4  # the heat map and the tag frequency, each also in its phone layout


# The built page ----------------------------------------------------------------------------------


class ChartBlock(HTMLParser):
    """One chart block of a built page: its SVG's alt text, description and links with the tooltips
    inside them, and its table's links and rows."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.aria_label = ""
        self.desc = ""
        self.svg_links: dict[str, list[str]] = {}  # href -> <title> texts inside the link
        self.table_links: dict[str, str] = {}  # href -> link text
        self.table_rows: list[list[str]] = []
        self._part = ""
        self._href: str | None = None
        self._buffers: dict[str, list[str]] = {}  # element -> text collected inside it so far

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag in ("svg", "table"):
            self._part = tag
            self.aria_label = values.get("aria-label", self.aria_label)
        if tag == "a":
            self._href = values.get("href", values.get("xlink:href"))
        if tag == "tr":
            self.table_rows.append([])
        if tag in ("a", "title", "desc", "td", "th"):
            self._buffers[tag] = []

    def handle_endtag(self, tag: str) -> None:
        text = "".join(self._buffers.pop(tag, [])).strip()
        if tag == "title" and self._href and self._part == "svg":
            self.svg_links.setdefault(self._href, []).append(text)
        elif tag == "desc":
            self.desc = text
        elif tag == "a":
            if self._part == "table":
                self.table_links[self._href or ""] = text
            self._href = None
        elif tag in ("td", "th") and self._part == "table":
            self.table_rows[-1].append(text)

    def handle_data(self, data: str) -> None:
        for buffer in self._buffers.values():
            buffer.append(data)


def chart_blocks(html: str) -> list[ChartBlock]:
    blocks = []
    for block in re.findall(
        r'^<div class="kb-chart[^"]*" data-search-exclude>\n.*?^</div>$', html, re.MULTILINE | re.DOTALL
    ):
        parser = ChartBlock()
        parser.feed(block)
        parser.close()
        blocks.append(parser)
    return blocks


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_test_site(tmp_path_factory.mktemp("site"), FIXTURE_PAPERS)


@pytest.fixture(scope="module")
def blocks(site: Path) -> list[ChartBlock]:
    return chart_blocks((site / "charts" / "index.html").read_text(encoding="utf-8"))


def test_every_link_of_the_site_resolves_with_the_charts_page(site: Path) -> None:
    assert (site / "charts" / "index.html").is_file()
    assert broken_links(site) == []


def test_charts_page_is_in_the_navigation(site: Path) -> None:
    assert re.search(
        r'<a href="\.\./charts/" class="md-nav__link', (site / "about" / "index.html").read_text(encoding="utf-8")
    )


def test_each_chart_is_an_image_with_its_alt_text_as_description(blocks: list[ChartBlock]) -> None:
    assert len(blocks) == 4
    for block in blocks:
        assert block.aria_label and block.aria_label == block.desc


@pytest.mark.parametrize(
    "number", [pytest.param(0, id="capability-years"), pytest.param(1, id="role-years"), pytest.param(2, id="heat-map")]
)
def test_every_drawn_count_is_the_tables_count_and_the_papers_behind_it(
    site: Path, blocks: list[ChartBlock], number: int
) -> None:
    block = blocks[number]
    html_file = site / "charts" / "index.html"
    drawn = {
        href: int(re.search(r": (\d+) papers?$", titles[0]).group(1))
        for href, titles in block.svg_links.items()
        if "/tables/" in href
    }
    tabled = {href: int(text) for href, text in block.table_links.items() if "/tables/" in href}
    assert drawn and drawn == tabled
    for href, count in drawn.items():
        target = site / urljoin(page_url(site, html_file), href).split("/", 3)[3] / "index.html"
        assert len(papers_behind(site, target)) == count, href


def test_tag_bars_show_the_tables_counts(blocks: list[ChartBlock]) -> None:
    block = blocks[3]
    drawn = {
        href: int(re.search(r": (\d+) papers?$", titles[0]).group(1))
        for href, titles in block.svg_links.items()
        if titles
    }
    tabled = {row[0]: int(row[1]) for row in block.table_rows[1:] if len(row) == 2}
    names = {text: href for href, text in block.table_links.items()}
    assert {names[label]: count for label, count in tabled.items()} == drawn
    assert drawn["../taxonomy/acquisition/"] == 4


def test_year_table_totals_are_the_numbers_above_the_bars(site: Path, blocks: list[ChartBlock]) -> None:
    html = (site / "charts" / "index.html").read_text(encoding="utf-8")
    start = html.index('<svg role="img"')
    first_svg = html[start : html.index("</svg>", start)]
    above_bars = re.findall(r'<text class="kb-chart-total"[^>]*>(\d+)</text>', first_svg)
    assert above_bars == [row[-3] for row in blocks[0].table_rows[1:]] == ["2", "6", "2"]


# Phones ------------------------------------------------------------------------------------------

PHONE_CONTENT_WIDTH = 358  # a 390 px screen less Material's margins


@pytest.mark.parametrize("slug", ["year-data4model", "year-model4data"])
def test_the_narrow_year_chart_fits_a_phone_and_draws_the_same_numbers(index: Index, slug: str) -> None:
    chart = year_chart(index, slug, "series")
    narrow = chart["narrow"]
    assert narrow["width"] <= PHONE_CONTENT_WIDTH < chart["width"]
    assert [(bar["year"], bar["total"], [s["count"] for s in bar["segments"]]) for bar in narrow["bars"]] == [
        (bar["year"], bar["total"], [s["count"] for s in bar["segments"]]) for bar in chart["bars"]
    ]
    assert all(entry["y"] > narrow["plot"]["bottom"] for entry in narrow["legend"])


def test_the_narrow_tag_frequency_puts_labels_above_bars_and_fits_a_phone(index: Index) -> None:
    chart = tag_frequency(index)
    narrow = chart["narrow"]
    assert narrow["width"] <= PHONE_CONTENT_WIDTH and narrow["label_anchor"] == "start"
    for block, wide_block in zip(narrow["blocks"], chart["blocks"], strict=True):
        assert [(bar["key"], bar["count"]) for bar in block["bars"]] == [
            (bar["key"], bar["count"]) for bar in wide_block["bars"]
        ]
        assert all(bar["label_y"] < bar["y"] for bar in block["bars"])


def test_the_narrow_heat_map_fits_a_phone_with_labels_above_rows_and_turned_columns(index: Index) -> None:
    chart = all_charts(index)["heat_maps"][0]
    narrow = chart["narrow"]
    assert narrow["width"] <= PHONE_CONTENT_WIDTH < chart["width"]
    assert all(column["turned"] for column in narrow["columns"]) and not any(
        column["turned"] for column in chart["columns"]
    )
    for row, wide_row in zip(narrow["rows"], chart["rows"], strict=True):
        assert row["anchor"] == "start" and row["label_y"] < row["y"]
        assert [cell["count"] for cell in row["cells"]] == [cell["count"] for cell in wide_row["cells"]]
