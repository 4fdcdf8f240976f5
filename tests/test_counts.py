"""One number, one meaning: every count the site shows for the bundled knowledge base is checked
against the index, on every page that shows it (home, taxonomy nodes, cross tables, charts, gaps)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from sitecheck import REPO, build_test_site

from surveykb.core.index import Index, build_index
from surveykb.core.knowledge_base import load_knowledge_base
from surveykb.core.site_config import read_site_config


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Index]:
    workdir = tmp_path_factory.mktemp("counts")
    site = build_test_site(workdir, REPO / "papers")
    kb, _ = load_knowledge_base(workdir)
    assert kb is not None
    return site, build_index(kb)


def page(site: Path, url: str) -> str:
    return html.unescape((site / url / "index.html").read_text(encoding="utf-8"))


def count(index: Index, node_id: str) -> int:
    return len(index.by_node.get(node_id, []))


def test_home_totals_trees_and_axes_are_the_index_counts(built: tuple[Path, Index]) -> None:
    site, index = built
    home = page(site, "")
    assert f"<div><strong>{len(index.papers)}</strong> papers</div>" in home
    boxes = dict(re.findall(r'<a xlink:href="taxonomy/([^/]+)/"><rect[^>]*/><text[^>]*>[^<]* \((\d+)\)</text>', home))
    listed = dict(
        re.findall(
            r'<li style="--kb-depth: \d+"><a class="kb-tag"[^>]*href="taxonomy/([^/]+)/">[^<]*</a> (\d+)</li>', home
        )
    )
    assert (
        {node: int(n) for node, n in boxes.items()}
        == {node: int(n) for node, n in listed.items()}
        == {node: count(index, node) for node in index.taxonomy.nodes}
    )
    for axis in index.taxonomy.axes:
        assert re.search(
            rf'href="taxonomy/{axis}/">[^<]*</a> [^(]*\({count(index, axis)} papers with a tag on this axis\)', home
        ), axis


def test_a_node_page_counts_the_papers_it_lists(built: tuple[Path, Index]) -> None:
    site, index = built
    for node_id in index.taxonomy.nodes:
        text = page(site, f"taxonomy/{node_id}")
        assert f"<tr><th>Papers</th><td>{count(index, node_id)}</td></tr>" in text, node_id


def test_every_cross_table_count_and_total_is_the_index_count(built: tuple[Path, Index]) -> None:
    site, index = built
    listing = page(site, "tables")
    for table in index.tables:
        assert f"({len(table.papers())} papers in {len(table.cells)} non-empty cells)" in listing
        text = page(site, f"tables/{table.slug}")
        body = text[text.index("<tbody>") : text.index("</tbody>")]
        rows = re.findall(r"<tr>(.*?)</tr>", body)
        assert len(rows) == len(table.rows.values)
        for row_html, (row, _) in zip(rows, table.rows.values, strict=True):
            cells = re.findall(r"<td[^>]*>(.*?)</td>", row_html)
            shown = [re.sub(r"<[^>]+>", "", cell) for cell in cells]
            expected = [str(table.count(row, col)) if table.count(row, col) else "" for col, _ in table.cols.values]
            assert [s.replace("○", "") for s in shown[:-1]] == expected, (table.slug, row)
            assert shown[-1] == str(len(table.row_papers(row)))
        foot = re.findall(r'<td class="kb-total">(\d+)</td>', text[text.index("<tfoot>") :])
        assert foot == [str(len(table.col_papers(col))) for col, _ in table.cols.values] + [str(len(table.papers()))]


def test_the_charts_year_tables_say_what_the_cross_tables_say(built: tuple[Path, Index]) -> None:
    site, index = built
    charts = page(site, "charts")
    for axis, table in index.axis_tables("year").items():
        start = charts.index(f'id="papers-per-year-{table.slug}"')
        block = charts[start : charts.index("</table>", start)]
        for year, _ in table.rows.values:
            row = re.search(rf"<tr><th>{year}</th>(.*?)</tr>", block)
            assert row, (axis, year)
            numbers = [int(n) for n in re.findall(r"<td>(?:<a [^>]*>)?(\d+)", row.group(1))]
            *segments, stack, papers, untagged = numbers
            assert segments == [table.count(year, col) for col, _ in table.cols.values]
            assert stack == sum(segments)
            assert papers == len(table.row_papers(year))  # the cross table's Papers for that year
            assert untagged == len(index.by_year[int(year)]) - papers
    frequency = charts[charts.index('id="tag-frequency"') :]
    for node_id, number in re.findall(
        r'<tr><th><a href="\.\./taxonomy/([^/]+)/">[^<]*</a></th><td>(\d+)</td></tr>', frequency
    ):
        assert int(number) == count(index, node_id)


def test_the_gaps_page_counts_are_the_index_counts(built: tuple[Path, Index]) -> None:
    site, index = built
    gaps = page(site, "gaps")
    leaves = dict(
        re.findall(r'<li><a class="kb-tag"[^>]*href="\.\./taxonomy/([^/]+)/">[^<]*</a> (\d+) papers?</li>', gaps)
    )
    assert {node: int(n) for node, n in leaves.items()} == dict(index.leaf_gaps())
    for table in index.pair_tables():
        holes = re.findall(
            r'<tr><td><a class="kb-tag"[^>]*taxonomy/([^/]+)/">[^<]*</a> (\d+)</td><td><a class="kb-tag"[^>]*taxonomy/([^/]+)/">[^<]*</a> (\d+)</td><td>(?:<a [^>]*>)?(\d+)',
            gaps,
        )
        expected = [
            (g.row, len(table.row_papers(g.row)), g.col, len(table.col_papers(g.col)), g.count)
            for g in table.gaps(index.gap_threshold)
        ]
        shown = [(row, int(rn), col, int(cn), int(n)) for row, rn, col, cn, n in holes]
        assert sorted(shown) == sorted(expected)
        assert expected, "the bundled knowledge base has holes between its axes"


def test_the_home_intro_and_citation_come_from_mkdocs_yml(built: tuple[Path, Index]) -> None:
    site, _ = built
    config = read_site_config(REPO / "mkdocs.yml")
    options = next(
        plugin["surveykb"] for plugin in config["plugins"] if isinstance(plugin, dict) and "surveykb" in plugin
    )
    home = page(site, "")
    assert f'<h1 id="data-model-co-development-of-mllms">{config["site_name"]}<a' in home
    assert '<div class="kb-intro">\n<p>This is the living knowledge base of the survey <em>The Synergy' in home
    assert f'<pre class="kb-citation"><code>{options["citation"].strip()}</code></pre>' in home
    assert "Data4Model" not in (REPO / "templates" / "pages" / "home.html.j2").read_text(encoding="utf-8")
