"""Rendering and page planning without MkDocs: headings, the search form, page metadata, rows."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest
from conftest import FIXTURE_KB, REPO_ROOT, TODAY

from surveykb.core.index import Index, build_index
from surveykb.core.knowledge_base import load_knowledge_base
from surveykb.site import render
from surveykb.site.build import SiteContent, site_content
from surveykb.site.render import FragmentCache, Heading, make_environment, toc_tokens


@pytest.fixture(scope="module")
def index() -> Index:
    kb, _ = load_knowledge_base(FIXTURE_KB, today=TODAY)
    assert kb is not None
    return build_index(kb)


@pytest.fixture(scope="module")
def content(index: Index) -> SiteContent:
    return site_content(index, REPO_ROOT / "templates" / "pages", None)


def page_at(content: SiteContent, url: str):  # type: ignore[no-untyped-def]
    return next(page for page in content.pages if page.url == url)


@pytest.mark.parametrize(
    ("levels", "tree"),
    [
        pytest.param([2, 2], [(2, []), (2, [])], id="flat"),
        pytest.param([1, 2, 3, 2], [(1, [(2, [(3, [])]), (2, [])])], id="nested"),
        pytest.param([3, 2], [(3, []), (2, [])], id="deeper-first"),
    ],
)
def test_headings_nest_like_the_toc_extension(levels: list[int], tree: list) -> None:
    def shape(tokens: list[dict]) -> list:
        return [(token["level"], shape(token["children"])) for token in tokens]

    assert shape(toc_tokens([Heading(level, f"h{i}", "x") for i, level in enumerate(levels)])) == tree


def test_a_page_keeps_the_headings_it_wrote_with_escaped_text(content: SiteContent) -> None:
    rendered = content.render(page_at(content, "papers/liu2023visual/"))
    assert rendered.headings == [Heading(2, "cite", "Cite"), Heading(2, "related-papers", "Related papers")]
    assert (
        '<h2 id="cite">Cite<a class="headerlink" href="#cite" title="Permanent link">&para;</a></h2>' in rendered.html
    )


@pytest.mark.parametrize(
    ("url", "left_out"),
    [
        pytest.param("papers/liu2023visual/", ["@inproceedings{liu2023visual,", "TY  - CPAPER"], id="paper"),
        pytest.param("taxonomy/acquisition/", ["<tbody>"], id="node"),
        pytest.param("charts/", ["<svg"], id="charts"),
    ],
)
def test_the_search_form_leaves_out_what_search_skips(content: SiteContent, url: str, left_out: list[str]) -> None:
    page = page_at(content, url)
    full, searched = content.render(page).html, content.render(page, full=False).html
    for text in left_out:
        assert text in full and text not in searched
    assert content.render(page).headings == content.render(page, full=False).headings


@pytest.mark.parametrize(
    ("url", "meta", "in_nav"),
    [
        pytest.param("", {"title": "Home", "hide": ["toc"]}, True, id="home"),
        pytest.param("outline/", {"title": "Survey outline"}, True, id="outline"),
        pytest.param(
            "papers/mm-vet-evaluating-large-multimodal-models-for-integrated/",
            {
                "title": "MM-Vet: Evaluating Large Multimodal Models for Integrated Capabilities",
                "search": {"exclude": True},
                "citation": [
                    {
                        "name": "citation_title",
                        "content": "MM-Vet: Evaluating Large Multimodal Models for Integrated Capabilities",
                    }
                ],
            },
            False,
            id="paper-searched-through-its-own-index",
        ),
        pytest.param(
            "tables/data4model-model4data/acquisition--creator/",
            {"title": "Data Acquisition × Model as a Data Creator", "hide": ["toc"], "search": {"exclude": True}},
            False,
            id="cell",
        ),
    ],
)
def test_pages_carry_the_metadata_the_theme_reads(content: SiteContent, url: str, meta: dict, in_nav: bool) -> None:
    page = page_at(content, url)
    assert (page.meta, page.in_nav) == (meta, in_nav)


def test_paper_pages_carry_citation_tags_and_stay_out_of_the_navigation(content: SiteContent) -> None:
    page = page_at(content, "papers/liu2023visual/")
    assert not page.in_nav and page.src_uri == "papers/liu2023visual/index.md"
    assert page.meta["citation"][0] == {"name": "citation_title", "content": "Visual Instruction Tuning"}


def test_a_paper_row_is_plain_data_shared_by_every_page(content: SiteContent) -> None:
    node = page_at(content, "taxonomy/acquisition/").context["papers"]
    cell = page_at(content, "tables/data4model-model4data/acquisition--creator/").context["papers"]
    row = next(r for r in node if r["id"] == "liu2023visual")
    assert row is next(r for r in cell if r["id"] == "liu2023visual")
    assert type(row["title"]) is str and row["authors"] == "Liu et al." and row["url"] == "papers/liu2023visual/"


def test_every_page_of_the_index_is_planned_once(index: Index, content: SiteContent) -> None:
    urls = [page.url for page in content.pages]
    assert len(urls) == len(set(urls))
    assert {f"papers/{paper_id}/" for paper_id in index.papers} <= set(urls)
    assert {f"taxonomy/{node_id}/" for node_id in index.taxonomy.nodes} <= set(urls)


def fragment_environment(tmp_path: Path, template: str) -> jinja2.Environment:
    (tmp_path / "page.html.j2").write_text(template, encoding="utf-8")
    return make_environment(tmp_path)


def test_a_cached_fragment_renders_once_per_key(tmp_path: Path) -> None:
    calls: list[str] = []
    env = fragment_environment(
        tmp_path, "{% for x in xs %}{% cache 'row', x, root %}[{{ seen(x) }}{{ root }}]{% endcache %}{% endfor %}"
    )
    env.globals["seen"] = lambda x: calls.append(x) or x
    assert env.get_template("page.html.j2").render(xs=["a", "b", "a"], root="../") == "[a../][b../][a../]"
    assert env.get_template("page.html.j2").render(xs=["a"], root="../../") == "[a../../]"
    assert calls == ["a", "b", "a"]  # the third `a` was kept; `a` under another root is another key


def test_a_cached_fragment_is_escaped_once(tmp_path: Path) -> None:
    env = fragment_environment(tmp_path, "{% for x in xs %}{% cache x %}<b>{{ x }}</b>{% endcache %}{% endfor %}")
    assert env.get_template("page.html.j2").render(xs=["<i>", "<i>"]) == "<b>&lt;i&gt;</b><b>&lt;i&gt;</b>"


def test_the_fragment_cache_keeps_at_most_its_bound(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(render, "FRAGMENTS_KEPT", 2)
    env = fragment_environment(tmp_path, "{% for x in xs %}{% cache x %}{{ x }}{% endcache %}{% endfor %}")
    env.get_template("page.html.j2").render(xs=["a", "b", "c", "d"])
    cache = next(ext for ext in env.extensions.values() if isinstance(ext, FragmentCache))
    assert list(cache.fragments) == [("c",), ("d",)]


def test_a_paper_row_leaves_out_only_the_own_tag_of_the_page_it_is_on(index: Index, content: SiteContent) -> None:
    paper_id, paper = next(
        (pid, p) for pid, p in index.papers.items() if any(index.taxonomy.nodes[t].parent for t in p.tags)
    )
    leaf = next(t for t in paper.tags if index.taxonomy.nodes[t].parent)
    parent = index.taxonomy.nodes[leaf].parent
    chip = f'href="../../taxonomy/{leaf}/">'

    def row(url: str) -> str:
        html = content.render(page_at(content, url)).html
        return next(line for line in html.splitlines() if f"papers/{paper_id}/" in line and "<tr>" in line)

    # Rendered in turn, so that each row may come from the fragment cache the page before filled.
    assert chip in row(f"taxonomy/{parent}/")
    assert chip not in row(f"taxonomy/{leaf}/")
    assert chip in row(f"taxonomy/{parent}/")
