"""The knowledge base -> the site's generated pages and data files, without MkDocs.

`site_content` plans every page (where it lives, its template, its context and the page metadata
the theme reads) and every data file (what makes its text when it is written); `SiteContent.render`
turns a planned page into HTML.
The MkDocs plugin only hands these to MkDocs, so another generator could take them as they are.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from surveykb.core.index import Index
from surveykb.core.urls import cell_url, node_url, paper_url, src_uri
from surveykb.formats.data_files import DataFiles, bibtex_entries, site_exports
from surveykb.site import pages
from surveykb.site.feeds import SiteInfo, node_feed_path, site_feeds
from surveykb.site.render import RenderedPage, make_environment, render_page
from surveykb.site.search_index import SEARCH_INDEX, paper_search_index


@dataclass(frozen=True)
class PlannedPage:
    url: str  # relative to the site root, a directory URL ("" for the home page)
    template: str
    title: str
    meta: dict[str, Any]  # what a Markdown page would say in its front matter
    in_nav: bool = True
    # The template's data, made when the page is rendered: with thousands of paper pages, holding
    # every context (citations, related papers) for the whole build would cost more than making it.
    make_context: Callable[[], dict[str, Any]] = field(repr=False, default=dict)

    @property
    def context(self) -> dict[str, Any]:
        return self.make_context()

    @property
    def searchable(self) -> bool:
        """Whether MkDocs' search indexes the page (then it reads a search form without the tables)."""
        return not self.meta.get("search", {}).get("exclude", False)

    @property
    def src_uri(self) -> str:
        """The file the page pretends to be in the docs folder."""
        return src_uri(self.url)


@dataclass(frozen=True)
class SiteContent:
    pages: list[PlannedPage]
    data_files: DataFiles  # site path -> what makes its text, when it is written
    env: jinja2.Environment = field(repr=False)

    def render(self, page: PlannedPage, *, full: bool = True) -> RenderedPage:
        """The page's HTML: `full` for the reader, else the form the search index reads."""
        return render_page(self.env, page.template, page.url, page.context, full=full)


def site_content(
    index: Index,
    templates: Path,
    edit_base: str | None,
    settings: pages.SiteSettings | None = None,
    site: SiteInfo | None = None,
) -> SiteContent:
    """`settings` are the owner's words for the pages; `site` names the site and where it is
    published, for the feeds."""
    bibtex = bibtex_entries(index)
    data = pages.site_data(index, bibtex, edit_base, settings or pages.SiteSettings())
    files = {**site_exports(index, bibtex), **site_feeds(index, site or SiteInfo("surveykb", None))}
    files[SEARCH_INDEX] = functools.partial(paper_search_index, index)
    env = make_environment(templates)
    env.globals["paper_columns"] = pages.paper_columns
    return SiteContent(plan_pages(data), files, env)


def plan_pages(data: pages.SiteData) -> list[PlannedPage]:
    index = data.index
    planned = [
        _page("", "home.html.j2", pages.home_context(data), hide_toc=True),
        _page("explore/", "explore.html.j2", pages.explore_context(data), hide_toc=True),
    ]
    planned += [_node_page(data, node_id) for node_id in index.taxonomy.nodes]
    planned += [_paper_page(data, paper_id) for paper_id in index.papers]
    if index.taxonomy.sections:
        planned.append(_page("outline/", "outline.html.j2", pages.outline_context(data)))
    planned.append(_page("tables/", "tables.html.j2", pages.tables_context(data)))
    for table in index.tables:
        planned.append(_page(f"tables/{table.slug}/", "table.html.j2", pages.table_context(data, table), hide_toc=True))
        for row, col in sorted(table.cells):
            context = pages.cell_context(data, table, row, col)
            planned.append(
                _page(
                    cell_url(table.slug, row, col),
                    "cell.html.j2",
                    context,
                    hide_toc=True,
                    in_nav=False,
                    searchable=False,
                )
            )
    planned.append(_page("gaps/", "gaps.html.j2", pages.gaps_context(data)))
    planned.append(_page("charts/", "charts.html.j2", pages.charts_context(data), hide_toc=True))
    planned.append(_page("contribute/", "contribute.html.j2", pages.contribute_context(data)))
    return planned


def _node_page(data: pages.SiteData, node_id: str) -> PlannedPage:
    page = _page(node_url(node_id), "node.html.j2", pages.node_context(data, node_id), hide_toc=True)
    name = data.index.taxonomy.nodes[node_id].name
    page.meta["feeds"] = [{"title": f"Recently added papers on {name}", "path": node_feed_path(node_id)}]
    return page


def _paper_page(data: pages.SiteData, paper_id: str) -> PlannedPage:
    # Papers are found through their own search index (site/search_index.py), not MkDocs'.
    paper = data.index.papers[paper_id]
    make = functools.partial(pages.paper_context, data, paper_id)
    page = _page(
        paper_url(paper_id), "paper.html.j2", {"title": paper.title}, in_nav=False, searchable=False, make_context=make
    )
    page.meta["citation"] = pages.citation_meta(paper)
    return page


def _page(
    url: str,
    template: str,
    context: dict[str, Any],
    *,
    hide_toc: bool = False,
    in_nav: bool = True,
    searchable: bool = True,
    make_context: Callable[[], dict[str, Any]] | None = None,
) -> PlannedPage:
    """A page from its context, or (`make_context`) from a function that makes it when the page is
    rendered, `context` then holding just the title."""
    # MkDocs' themes print the title unescaped, so it is HTML-escaped here, once.
    meta: dict[str, Any] = {"title": html.escape(context["title"])}
    if hide_toc:
        meta["hide"] = ["toc"]
    if not searchable:
        meta["search"] = {"exclude": True}
    return PlannedPage(url, template, str(context["title"]), meta, in_nav, make_context or (lambda: context))
