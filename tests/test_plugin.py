"""Build a small site through the plugin and check what a reader gets."""

from __future__ import annotations

import logging
import re
import shutil
from pathlib import Path

import pytest
import yaml
from mkdocs.exceptions import Abort
from urllib.parse import urljoin, urlsplit

from sitecheck import REPO, broken_links, build_test_site, page_url, papers_behind, parse_page

FIXTURE_PAPERS = Path(__file__).parent / "data" / "site" / "papers"
HOSTILE = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))"]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_test_site(tmp_path_factory.mktemp("site"), FIXTURE_PAPERS)


def records() -> dict[str, dict]:
    return {path.stem: yaml.safe_load(path.read_text()) for path in FIXTURE_PAPERS.glob("*.yaml")}


def read(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def test_every_internal_link_and_anchor_resolves(site: Path) -> None:
    assert broken_links(site) == []


def test_no_link_uses_a_script_or_data_scheme(site: Path) -> None:
    for html_file in site.rglob("*.html"):
        for _, link in parse_page(html_file).links:
            assert not re.match(r"\s*(javascript|data|vbscript):", link, re.IGNORECASE), (html_file, link)


def test_nothing_is_fetched_from_another_host(site: Path) -> None:
    for html_file in site.rglob("*.html"):
        for tag, link in parse_page(html_file).links:
            if tag != "a":
                assert not link.startswith(("http:", "https:", "//")), (html_file, link)
    stylesheet_text = "".join(p.read_text(encoding="utf-8") for p in site.rglob("*.css"))
    assert "fonts.googleapis" not in stylesheet_text


def test_paper_page_shows_metadata_tags_bibtex_and_citation_meta(site: Path) -> None:
    page = read(site, "papers/liu2023visual")
    assert "<h1>Visual Instruction Tuning</h1>" in page
    assert "Haotian Liu, Chunyuan Li, Qingyang Wu, Yong Jae Lee" in page
    assert '<a href="https://arxiv.org/abs/2304.08485">2304.08485</a>' in page
    assert '<a href="https://github.com/haotian-liu/LLaVA">' in page
    for tag in ("acquisition", "prompt-design", "creator"):
        assert f'href="../../taxonomy/{tag}/"' in page
    assert "@inproceedings{liu2023visual," in page
    assert "booktitle     = {NeurIPS 2023}," in page
    assert '<meta name="citation_title" content="Visual Instruction Tuning">' in page
    assert '<meta name="citation_arxiv_id" content="2304.08485">' in page
    assert page.count('<meta name="citation_author"') == 4
    assert 'href="../../outline/#sec-3-1-1"' in page
    assert "https://github.com/surveykb/surveykb/edit/main/papers/liu2023visual.yaml" in page


def test_stages_say_where_they_come_from(site: Path) -> None:
    own = read(site, "papers/chen2023sharegpt4v")
    assert "<td>Pre-training <small class=\"kb-stage-source\">(stated in the record)</small>" in own
    default = read(site, "papers/liu2023visual")
    assert "<td>Pre-training, Fine-tuning, Alignment, Inference <small class=\"kb-stage-source\">(taxonomy default for its tags)</small>" in default


def test_leaf_page_lists_exactly_its_papers(site: Path) -> None:
    expected = {paper_id for paper_id, data in records().items() if "acquisition" in data.get("data4model", [])}
    listed = papers_behind(site, site / "taxonomy" / "acquisition" / "index.html")
    assert sorted(listed) == sorted(expected)
    assert len(listed) == len(set(listed))


def test_group_page_counts_papers_of_its_leaves_once(site: Path) -> None:
    expected = {
        paper_id for paper_id, data in records().items()
        if {"acquisition", "augmentation", "diversity"} & set(data.get("data4model", []))
    }
    assert sorted(papers_behind(site, site / "taxonomy" / "scaling-up" / "index.html")) == sorted(expected)


@pytest.mark.parametrize("table", ["data4model-model4data", "year-data4model", "year-model4data", "modality-data4model", "modality-model4data", "stage-data4model", "stage-model4data"])
def test_every_matrix_count_equals_the_papers_behind_its_link(site: Path, table: str) -> None:
    table_file = site / "tables" / table / "index.html"
    base = page_url(site, table_file)
    counted = [(href, text) for href, text in parse_page(table_file).anchors if text.isdigit()]
    assert counted, "the table links no counts"
    for href, text in counted:
        target = site / urlsplit(urljoin(base, href)).path.lstrip("/") / "index.html"
        assert len(papers_behind(site, target)) == int(text), href


def test_co_development_cell_holds_papers_with_both_tags(site: Path) -> None:
    expected = sorted(
        paper_id for paper_id, data in records().items()
        if "acquisition" in data.get("data4model", []) and "creator" in data.get("model4data", [])
    )
    assert sorted(papers_behind(site, site / "tables/data4model-model4data/acquisition--creator/index.html")) == expected


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_title_is_shown_as_literal_text(site: Path, text: str) -> None:
    page = parse_page(site / "papers" / "hostile2024script" / "index.html")
    headings = re.findall(r"<h1>(.*?)</h1>", read(site, "papers/hostile2024script"))
    assert headings == ["&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt; [x](javascript:alert(1))"]
    assert text.replace("<", "&lt;").replace(">", "&gt;") in headings[0]
    assert not any("alert" in script for script in page.scripts)
    assert not any("alert" in value for _, _, value in page.event_handlers)
    assert not any(link.startswith("javascript:") for _, link in page.links)
    assert "iframe" not in page.elements


def test_hostile_text_is_inert_on_every_page(site: Path) -> None:
    for html_file in site.rglob("*.html"):
        page = parse_page(html_file)
        assert not any("alert" in value for _, _, value in page.event_handlers), html_file
        assert not any("alert(" in script for script in page.scripts), html_file
        assert "iframe" not in page.elements, html_file


def test_paper_pages_are_not_in_the_navigation(site: Path) -> None:
    nav_links: set[str] = set()
    for html_file in site.rglob("*.html"):
        for link in re.findall(r'<a href="([^"#][^"]*)" class="md-nav__link', html_file.read_text(encoding="utf-8")):
            nav_links.add(urlsplit(urljoin(page_url(site, html_file), link)).path)
    assert not [link for link in nav_links if link.startswith("/papers/")]
    expected = {"/taxonomy/data4model/", "/taxonomy/acquisition/", "/taxonomy/creator/", "/tables/data4model-model4data/", "/outline/", "/gaps/", "/about/"}
    assert expected <= nav_links


def test_home_shows_totals_trees_and_recent_papers(site: Path) -> None:
    home = read(site, ".")
    assert '<h2 id="the-axes">The axes' in home
    assert "<div><strong>6</strong> papers</div>" in home
    assert home.count("<svg role=\"img\" aria-label=") >= 2
    assert ">Data Acquisition (4)</text>" in home
    recent = papers_behind(site, site / "index.html")
    assert recent[:3] == ["chen2023sharegpt4v", "gadre2023datacomp", "liu2023visual"]


def test_outline_lists_papers_under_their_sections(site: Path) -> None:
    outline = read(site, "outline")
    section = outline[outline.index('id="sec-table-2"'):]
    section = section[: section.index("</table>")]
    assert re.findall(r'href="\.\./papers/([a-z0-9-]+)/"', section) == ["gadre2023datacomp", "lu2022learn"]


def test_gaps_list_thin_leaves(site: Path) -> None:
    gaps = read(site, "gaps")
    assert 'href="../taxonomy/augmentation/">Data Augmentation</a> 0 papers' in gaps
    assert 'href="../taxonomy/acquisition/">' not in gaps.split("Co-development cells")[0]


def test_search_index_holds_paper_titles_escaped(site: Path) -> None:
    index = (site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "Visual Instruction Tuning" in index
    assert "<script>alert" not in index


def test_real_knowledge_base_builds_strict_with_resolving_links(tmp_path: Path) -> None:
    if not any((REPO / "papers").glob("*.yaml")):
        pytest.skip("the repository has no records yet")
    site = build_test_site(tmp_path, REPO / "papers")
    assert broken_links(site) == []


def test_contribute_page_lists_every_field_and_tag_id(site: Path) -> None:
    from surveykb.core.model import Paper

    page = read(site, "contribute")
    for name in Paper.model_fields:
        assert f"<tr><td><code>{name}</code></td>" in page
    assert "<tr><td><code>acquisition</code></td><td>Data Acquisition (Sec. 3.1.1)</td>" in page
    assert '<a href="#values-data4model">18 allowed values</a>' in page


def _site_with_incomplete_record(tmp_path: Path, warnings: str) -> Path:
    papers = tmp_path / "papers-in"
    shutil.copytree(FIXTURE_PAPERS, papers)
    (papers / "draft2024incomplete.yaml").write_text("id: draft2024incomplete\ntitle: A Paper Without Authors\ndata4model: [mixture]\n")
    workdir = tmp_path / "kb"
    workdir.mkdir()
    try:
        build_test_site(workdir, papers, plugin_options={"warnings": warnings})
    except Abort as abort:
        return Path(str(abort))
    return workdir / "site"


def test_incomplete_record_fails_a_strict_build_by_default(tmp_path: Path) -> None:
    outcome = _site_with_incomplete_record(tmp_path, "warn")
    assert str(outcome) == "Aborted with 1 warnings in strict mode!"


def test_incomplete_record_is_information_when_configured(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.surveykb"):
        site = _site_with_incomplete_record(tmp_path, "info")
    assert (site / "papers" / "draft2024incomplete" / "index.html").is_file()
    assert "papers/draft2024incomplete.yaml:1:1: warning incomplete: the record has no authors, no year and no link (arxiv, doi or url)" in caplog.text


def test_node_page_offers_the_bibtex_of_exactly_its_papers(site: Path) -> None:
    import bibtexparser

    page = read(site, "taxonomy/acquisition")
    assert '<a href="../../exports/bib/acquisition.bib" download>acquisition.bib</a>' in page
    library = bibtexparser.parse_string((site / "exports" / "bib" / "acquisition.bib").read_text(encoding="utf-8"))
    assert library.failed_blocks == []
    assert sorted(entry.key for entry in library.entries) == sorted(papers_behind(site, site / "taxonomy/acquisition/index.html"))


def test_papers_json_lists_every_record(site: Path) -> None:
    import json

    document = json.loads((site / "exports" / "papers.json").read_text(encoding="utf-8"))
    assert [paper["id"] for paper in document["papers"]] == sorted(records())
    liu = next(paper for paper in document["papers"] if paper["id"] == "liu2023visual")
    assert liu["data4model"] == ["acquisition", "prompt-design"]
    assert liu["stages_own"] is False
    assert document["taxonomy"]["nodes"]["scaling-up"]["leaves"] == ["acquisition", "augmentation", "diversity"]


def test_serve_watches_records_taxonomy_and_templates(tmp_path: Path) -> None:
    from surveykb.site.plugin import SurveyKBPlugin

    class Server:
        def __init__(self) -> None:
            self.watched: list[str] = []

        def watch(self, path: str) -> None:
            self.watched.append(path)

    for folder in ("papers", "taxonomy", "templates"):
        (tmp_path / folder).mkdir()
    plugin = SurveyKBPlugin()
    plugin.load_config({"root": str(tmp_path)})
    server = Server()
    plugin.on_serve(server, config=None, builder=None)  # type: ignore[arg-type]
    assert server.watched == [str(tmp_path / "papers"), str(tmp_path / "taxonomy"), str(tmp_path / "templates")]


def test_empty_cross_table_says_why(tmp_path: Path) -> None:
    papers = tmp_path / "papers-in"
    papers.mkdir()
    (papers / "lone2024paper.yaml").write_text(
        "id: lone2024paper\ntitle: A Lone Paper\nauthors: [A B]\nyear: 2024\narxiv: '2401.00002'\ndata4model: [mixture]\n"
    )
    workdir = tmp_path / "kb"
    workdir.mkdir()
    site = build_test_site(workdir, papers)
    assert "No record has a value on both sides yet (Modality and Model4Data)" in read(site, "tables/modality-model4data")
    assert "No record has a value on both sides yet" not in read(site, "tables/year-data4model")


def test_the_survey_style_list_is_offered_as_markdown_not_as_a_page(site: Path) -> None:
    from surveykb.formats.awesome_read import parse_list

    text = (site / "exports" / "awesome.md").read_text(encoding="utf-8")
    assert not (site / "exports" / "awesome" / "index.html").exists()
    _, problems = parse_list(text, "awesome.md")
    assert problems == []
    assert "|Visual Instruction Tuning|" in text
