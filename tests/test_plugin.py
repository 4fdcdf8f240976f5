"""Build a small site through the plugin and check what a reader gets."""

from __future__ import annotations

import json
import logging
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urljoin, urlsplit

import pytest
import yaml
from mkdocs.exceptions import Abort
from sitecheck import REPO, broken_links, build_test_site, page_url, papers_behind, parse_page

from surveykb.site import render
from surveykb.site.mkdocs_objects import DataFile, SharedChrome

FIXTURE_PAPERS = Path(__file__).parent / "data" / "site" / "papers"
# Where the test site's sources live (the site built with a site URL as well is `published_site`).
REPOSITORY = {"SURVEYKB_REPO_URL": "https://git.example.test/owner/kb"}
HOSTILE = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))"]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_test_site(tmp_path_factory.mktemp("site"), FIXTURE_PAPERS, environment=REPOSITORY)


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
    assert "https://git.example.test/owner/kb/edit/main/papers/liu2023visual.yaml" in page


def test_stages_say_where_they_come_from(site: Path) -> None:
    own = read(site, "papers/chen2023sharegpt4v")
    assert '<td>Pre-training <small class="kb-stage-source">(stated in the record)</small>' in own
    default = read(site, "papers/liu2023visual")
    assert (
        '<td>Pre-training, Fine-tuning, Alignment, Inference <small class="kb-stage-source">(taxonomy default for its tags)</small>'
        in default
    )


def test_leaf_page_lists_exactly_its_papers(site: Path) -> None:
    expected = {paper_id for paper_id, data in records().items() if "acquisition" in data.get("data4model", [])}
    listed = papers_behind(site, site / "taxonomy" / "acquisition" / "index.html")
    assert sorted(listed) == sorted(expected)
    assert len(listed) == len(set(listed))


def test_paper_tables_show_the_short_name_before_the_title(site: Path) -> None:
    page = (site / "taxonomy" / "acquisition" / "index.html").read_text(encoding="utf-8")
    assert (
        '<strong class="kb-short-name">LLaVA</strong> <a href="../../papers/liu2023visual/">Visual Instruction Tuning</a>'
        in page
    )


def test_group_page_counts_papers_of_its_leaves_once(site: Path) -> None:
    expected = {
        paper_id
        for paper_id, data in records().items()
        if {"acquisition", "augmentation", "diversity"} & set(data.get("data4model", []))
    }
    assert sorted(papers_behind(site, site / "taxonomy" / "scaling-up" / "index.html")) == sorted(expected)


@pytest.mark.parametrize(
    "table",
    [
        "data4model-model4data",
        "year-data4model",
        "year-model4data",
        "modality-data4model",
        "modality-model4data",
        "stage-data4model",
        "stage-model4data",
    ],
)
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
        paper_id
        for paper_id, data in records().items()
        if "acquisition" in data.get("data4model", []) and "creator" in data.get("model4data", [])
    )
    assert (
        sorted(papers_behind(site, site / "tables/data4model-model4data/acquisition--creator/index.html")) == expected
    )


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_title_is_shown_as_literal_text(site: Path, text: str) -> None:
    page = parse_page(site / "papers" / "hostile2024script" / "index.html")
    headings = re.findall(r"<h1>(.*?)</h1>", read(site, "papers/hostile2024script"))
    assert headings == [
        "&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt; [x](javascript:alert(1))"
    ]
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
    expected = {
        "/taxonomy/data4model/",
        "/taxonomy/acquisition/",
        "/taxonomy/creator/",
        "/tables/data4model-model4data/",
        "/outline/",
        "/gaps/",
        "/about/",
    }
    assert expected <= nav_links


def test_home_shows_totals_trees_and_recent_papers(site: Path) -> None:
    home = read(site, ".")
    assert '<h2 id="the-axes">The axes' in home
    assert "<div><strong>6</strong> papers</div>" in home
    assert home.count('<svg role="img" aria-label=') >= 2
    assert ">Data Acquisition (4)</text>" in home
    recent = papers_behind(site, site / "index.html")
    assert recent[:3] == ["chen2023sharegpt4v", "gadre2023datacomp", "liu2023visual"]


def test_outline_lists_papers_under_their_sections(site: Path) -> None:
    outline = read(site, "outline")
    section = outline[outline.index('id="sec-table-2"') :]
    section = section[: section.index("</table>")]
    assert re.findall(r'href="\.\./papers/([a-z0-9-]+)/"', section) == ["gadre2023datacomp", "lu2022learn"]


def test_gaps_list_thin_leaves(site: Path) -> None:
    gaps = read(site, "gaps")
    assert 'href="../taxonomy/augmentation/">Data Augmentation</a> 0 papers' in gaps
    assert 'href="../taxonomy/acquisition/">' not in gaps.split("Co-development cells")[0]


def test_papers_are_searched_in_their_own_index_not_materials(site: Path) -> None:
    material = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert not [doc["location"] for doc in material["docs"] if doc["location"].startswith("papers/")]
    papers = json.loads((site / "search" / "papers.json").read_text(encoding="utf-8"))
    assert papers["fields"] == ["id", "title", "authors", "year", "venue", "arxiv", "short_name", "listed_as", "doi"]
    liu = next(row for row in papers["papers"] if row[0] == "liu2023visual")
    assert liu == [
        "liu2023visual",
        "Visual Instruction Tuning",
        "Haotian Liu; Chunyuan Li; Qingyang Wu; Yong Jae Lee",
        2023,
        papers["venues"].index("NeurIPS 2023") + 1,
        "2304.08485",
        "LLaVA",
    ]


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
    (papers / "draft2024incomplete.yaml").write_text(
        "id: draft2024incomplete\ntitle: A Paper Without Authors\ndata4model: [mixture]\n"
    )
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
    assert (
        "papers/draft2024incomplete.yaml:1:1: warning incomplete: the record has no authors, no year and no link (arxiv, doi or url)"
        in caplog.text
    )


def test_node_page_offers_the_bibtex_of_exactly_its_papers(site: Path) -> None:
    import bibtexparser

    page = read(site, "taxonomy/acquisition")
    assert '<a href="../../exports/bib/acquisition.bib" download>acquisition.bib</a>' in page
    library = bibtexparser.parse_string((site / "exports" / "bib" / "acquisition.bib").read_text(encoding="utf-8"))
    assert library.failed_blocks == []
    assert sorted(entry.key for entry in library.entries) == sorted(
        papers_behind(site, site / "taxonomy/acquisition/index.html")
    )


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
    assert "No record has a value on both sides yet (Modality and Model4Data)" in read(
        site, "tables/modality-model4data"
    )
    assert "No record has a value on both sides yet" not in read(site, "tables/year-data4model")


def test_the_survey_style_list_is_offered_as_markdown_not_as_a_page(site: Path) -> None:
    from surveykb.formats.awesome_read import parse_list

    text = (site / "exports" / "awesome.md").read_text(encoding="utf-8")
    assert not (site / "exports" / "awesome" / "index.html").exists()
    _, problems = parse_list(text, "awesome.md")
    assert problems == []
    assert "|Visual Instruction Tuning|" in text


# Where the site lives: nothing made up, absolute links once published --------------------------


@pytest.fixture(scope="module")
def published_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    environment = {**REPOSITORY, "SURVEYKB_SITE_URL": "https://kb.example.test/survey/"}
    return build_test_site(tmp_path_factory.mktemp("published"), FIXTURE_PAPERS, environment=environment)


@pytest.fixture(scope="module")
def bare_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_test_site(tmp_path_factory.mktemp("bare"), FIXTURE_PAPERS)


def test_the_bundled_configuration_names_no_repository_or_site() -> None:
    config = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_EnvLoader)
    assert config["site_url"] == "!ENV SURVEYKB_SITE_URL"
    assert config["repo_url"] == "!ENV SURVEYKB_REPO_URL"
    assert "edit_uri" not in config and "repo_name" not in config


class _EnvLoader(yaml.SafeLoader):
    pass


_EnvLoader.add_constructor("!ENV", lambda loader, node: f"!ENV {loader.construct_scalar(node)}")


def test_without_a_repository_there_is_no_repository_button_or_edit_link(bare_site: Path) -> None:
    for url in ("", "papers/liu2023visual", "about"):
        page = read(bare_site, url)
        assert 'class="md-source"' not in page
        assert "Edit this record" not in page
    assert "Record file: papers/liu2023visual.yaml" in read(bare_site, "papers/liu2023visual")


def test_with_a_repository_the_header_links_to_it(site: Path) -> None:
    assert '<a href="https://git.example.test/owner/kb" title="Go to repository" class="md-source">' in read(site, "")


def test_a_published_site_has_absolute_links_in_its_sitemap_and_feeds(published_site: Path) -> None:
    sitemap = (published_site / "sitemap.xml").read_text(encoding="utf-8")
    locations = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert "https://kb.example.test/survey/papers/liu2023visual/" in locations
    assert all(location.startswith("https://kb.example.test/survey/") for location in locations)
    feed = (published_site / "feeds" / "papers.xml").read_text(encoding="utf-8")
    assert (
        '<link rel="alternate" type="text/html" href="https://kb.example.test/survey/papers/chen2023sharegpt4v/" />'
        in feed
    )


@pytest.mark.parametrize(
    ("url", "feeds"),
    [
        pytest.param("", ["feeds/papers.xml"], id="home"),
        pytest.param("about", ["../feeds/papers.xml"], id="hand-written"),
        pytest.param("taxonomy/acquisition", ["../../feeds/papers.xml", "../../feeds/acquisition.xml"], id="node"),
    ],
)
def test_pages_announce_their_feeds(site: Path, url: str, feeds: list[str]) -> None:
    page = read(site, url)
    announced = re.findall(r'<link rel="alternate" type="application/atom\+xml" title="[^"]+" href="([^"]+)">', page)
    assert announced == feeds
    for href in announced:
        assert (site / url / href).resolve().is_file()


def test_home_lists_recent_papers_with_their_dates(site: Path) -> None:
    page = read(site, "")
    assert re.findall(r"<li><time datetime=\"([0-9-]+)\">\1</time> <a href=\"papers/([^/]+)/\">", page) == [
        ("2024-07-13", "chen2023sharegpt4v"),
        ("2024-07-12", "gadre2023datacomp"),
        ("2024-07-12", "liu2023visual"),
    ]


# Paper pages --------------------------------------------------------------------------------------


class _MetaReader(HTMLParser):
    """The head's <meta name=...> tags as a reference manager reads them: name -> values in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, list[str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "meta" and (values.get("name") or "").startswith("citation_"):
            self.meta.setdefault(values["name"] or "", []).append(values.get("content") or "")


def citation_tags(site: Path, url: str) -> dict[str, list[str]]:
    reader = _MetaReader()
    reader.feed(read(site, url).split("</head>")[0])
    return reader.meta


def test_paper_page_carries_every_highwire_tag_zotero_and_scholar_read(site: Path) -> None:
    assert citation_tags(site, "papers/liu2023visual") == {
        "citation_title": ["Visual Instruction Tuning"],
        "citation_author": ["Haotian Liu", "Chunyuan Li", "Qingyang Wu", "Yong Jae Lee"],
        "citation_publication_date": ["2023"],
        "citation_conference_title": ["NeurIPS 2023"],
        "citation_arxiv_id": ["2304.08485"],
        "citation_pdf_url": ["https://arxiv.org/pdf/2304.08485"],
    }


def test_paper_page_offers_links_summary_and_three_citation_forms(site: Path) -> None:
    page = read(site, "papers/liu2023visual")
    assert re.findall(r'<a class="md-button[^"]*" href="([^"]+)">([^<]+)</a>', page) == [
        ("https://arxiv.org/pdf/2304.08485", "PDF"),
        ("https://github.com/haotian-liu/LLaVA", "Code"),
        ("https://arxiv.org/abs/2304.08485", "arXiv"),
    ]
    assert '<p class="kb-summary">GPT-4 writes multi-modal instruction-following data' in page
    assert re.findall(r'<p class="kb-citation-label">([^<]+)</p>', page) == ["BibTeX", "RIS", "Plain text"]
    assert "TY  - CPAPER\nID  - liu2023visual\nTI  - Visual Instruction Tuning\nAU  - Haotian Liu\n" in page
    assert (
        "Haotian Liu, Chunyuan Li, Qingyang Wu, and Yong Jae Lee. 2023. Visual Instruction Tuning. NeurIPS 2023. arXiv:2304.08485."
        in page
    )


def test_related_papers_say_which_tags_they_share(site: Path) -> None:
    page = read(site, "papers/liu2023visual")
    related = re.findall(
        r'<li><a href="\.\./\.\./papers/([^/]+)/">.*?<span class="kb-related-reason">([^<]+)</span></li>', page
    )
    assert related[0] == ("hostile2024script", "shares Data Acquisition and Creator")
    assert related[1:] == [
        ("chen2023sharegpt4v", "shares Data Acquisition and Creator"),
        ("gadre2023datacomp", "shares Data Acquisition"),
    ]


def test_an_axis_without_tags_is_left_out(site: Path) -> None:
    page = read(site, "papers/lu2022learn")
    assert "Model4Data" not in page.split('class="kb-facts"')[1].split("</table>")[0]
    assert "none" not in page.split('class="kb-facts"')[1].split("</table>")[0]


def test_a_data_file_is_made_when_it_is_written_and_not_before(tmp_path: Path) -> None:
    made: list[str] = []

    def make() -> str:
        made.append("papers.json")
        return '{"papers": []}\n'

    config = SimpleNamespace(site_dir=str(tmp_path), use_directory_urls=True)
    file = DataFile.made_by(make, config, "exports/papers.json")  # type: ignore[arg-type]
    assert made == []
    file.copy_file()
    assert (tmp_path / "exports" / "papers.json").read_text(encoding="utf-8") == '{"papers": []}\n'
    assert made == ["papers.json"]
    assert file.content_string == '{"papers": []}\n'  # made again: nothing is kept
    assert made == ["papers.json", "papers.json"]
    file.content_bytes = b"{}\n"  # another plugin may set a generated file's content
    file.copy_file()
    assert (tmp_path / "exports" / "papers.json").read_text(encoding="utf-8") == "{}\n"
    assert len(made) == 2


def test_fragments_drawn_once_read_exactly_as_drawn_each_time(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Paper rows and pieces of the theme's chrome are drawn once for all pages that show the same; a site
    built with every fragment drawn afresh has the same bytes in every file."""
    monkeypatch.setattr(render, "FRAGMENTS_KEPT", 0)
    afresh = build_test_site(tmp_path, FIXTURE_PAPERS, environment=REPOSITORY)
    files = sorted(path.relative_to(site) for path in site.rglob("*") if path.is_file())
    assert files == sorted(path.relative_to(afresh) for path in afresh.rglob("*") if path.is_file())
    # The gzipped sitemap carries the time it was written.
    differing = [str(path) for path in files if (site / path).read_bytes() != (afresh / path).read_bytes()]
    assert set(differing) <= {"sitemap.xml.gz"}


def test_pages_outside_the_navigation_share_the_theme_chrome_by_folder() -> None:
    def page(url: str, toc: list | None = None) -> SimpleNamespace:
        return SimpleNamespace(url=url, meta={}, toc=toc or [])

    in_nav = page("about/")
    section = SimpleNamespace(children=[page("taxonomy/data4model/")])
    files = [SimpleNamespace(url="assets/logo.svg", is_documentation_page=lambda: False)]
    chrome = SharedChrome(SimpleNamespace(items=[in_nav, section]), files)  # type: ignore[arg-type]
    assert chrome.key(page("papers/a/")) == chrome.key(page("papers/b/")) == ("shared", "papers/", (), ())
    assert chrome.key(page("papers/a/")) != chrome.key(page("tables/stage/a--b/"))
    cite = SimpleNamespace(title="Cite", url="#cite", level=2, children=[])
    assert chrome.key(page("papers/b/", [cite])) == ("shared", "papers/", (), (("Cite", "#cite", 2, ()),))
    assert chrome.key(SimpleNamespace(url="papers/a/", meta={"hide": ["toc"]}, toc=[]))[2] == ("toc",)
    # A page in the navigation marks its own entry; a page above a navigation page or a file links to
    # it as "x/", not "../x/"; the home page is the only page at the root.
    assert chrome.key(in_nav) == ("own", "about/", (), ())
    assert chrome.key(page("taxonomy/")) == ("own", "taxonomy/", (), ())
    assert chrome.key(page("assets/")) == ("own", "assets/", (), ())
    assert chrome.key(page("")) == ("own", "", (), ())
    assert chrome.key(page("x/")) == ("shared", "", (), ())
    assert chrome.key(None) == ("no page",)  # type: ignore[arg-type]
