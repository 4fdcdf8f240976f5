"""Plain page data -> Markdown pages through the Jinja templates in `templates/pages/`.

Every page gets a context of plain dicts and lists built here, with links relative to the site root;
a template prefixes them with `root` (the way back to the root from that page). Templates autoescape
everything, and contributor text only ever appears inside HTML blocks, so Markdown never reads it.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from surveykb.site.charts import all_charts
from surveykb.formats.bibtex_write import entry_type
from surveykb.formats.data_files import paper_entry
from surveykb.core.index import GAP_THRESHOLD, CrossTable, Index
from surveykb.core.model import Paper
from surveykb.generated.reference import field_reference
from surveykb.core.taxonomy import Node
from surveykb.site.treeview import axis_tree
from surveykb.core.urls import cell_url, node_bibtex_url, node_url, paper_url, root_of, section_anchor, src_uri


@dataclass(frozen=True)
class GeneratedPage:
    src_uri: str  # where the page pretends to live in the docs folder
    content: str
    in_nav: bool = True


# The explorer's columns, by the sort key its script knows them by.
EXPLORER_COLUMNS = [("title", "Title"), ("authors", "Authors"), ("year", "Year"), ("venue", "Venue"), ("modalities", "Modalities"), ("tags", "Tags")]

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")


def escape_markdown(text: str) -> str:
    """Backslash-escape what Markdown would read as syntax (HTML escaping is autoescape's job)."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", str(text))


def make_environment(templates: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = escape_markdown
    return env


class SiteRenderer:
    """Builds every page's context from the index and renders it."""

    def __init__(self, index: Index, templates: Path, edit_base: str | None, bibtex: dict[str, str]) -> None:
        self.index = index
        self.taxonomy = index.taxonomy
        self.env = make_environment(templates)
        self.edit_base = edit_base
        self.bibtex = bibtex
        self.rows = {paper_id: self._paper_row(paper) for paper_id, paper in index.papers.items()}
        self.row_template = self.env.get_template("_paper_row.md.j2")
        self.row_cache: dict[tuple[str, str, str], Markup] = {}

    def render_all(self) -> list[GeneratedPage]:
        pages = [self._render("home.md.j2", "", self.home_context())]
        pages.append(self._render("explore.md.j2", "explore/", self.explore_context()))
        pages += [self._render("node.md.j2", node_url(n), self.node_context(n)) for n in self.taxonomy.nodes]
        pages += [self._render("paper.md.j2", paper_url(p), self.paper_context(p), in_nav=False) for p in self.index.papers]
        pages.append(self._render("outline.md.j2", "outline/", self.outline_context()))
        pages.append(self._render("tables.md.j2", "tables/", self.tables_context()))
        for table in self.index.tables:
            pages.append(self._render("table.md.j2", f"tables/{table.slug}/", self.table_context(table)))
            for (row, col), ids in sorted(table.cells.items()):
                cell = self.cell_context(table, row, col, ids)
                pages.append(self._render("cell.md.j2", cell_url(table.slug, row, col), cell, in_nav=False))
        pages.append(self._render("gaps.md.j2", "gaps/", self.gaps_context()))
        pages.append(self._render("charts.md.j2", "charts/", self.charts_context()))
        pages.append(self._render("contribute.md.j2", "contribute/", {"title": "Contribute", "fields": field_reference(self.taxonomy)}))
        return pages

    def _render(self, template: str, url: str, context: dict[str, Any], in_nav: bool = True) -> GeneratedPage:
        root = root_of(url)
        title = context["title"]
        text = self.env.get_template(template).render(
            root=root, front_title=Markup(json.dumps(html.escape(title), ensure_ascii=False)), **context
        )
        return GeneratedPage(src_uri=src_uri(url), content=text, in_nav=in_nav)

    # Shared pieces -------------------------------------------------------------------------------

    def _tag(self, node_id: str) -> dict[str, str]:
        node = self.taxonomy.nodes[node_id]
        return {"id": node.id, "name": node.name, "color": node.color, "url": node_url(node.id)}

    def _paper_row(self, paper: Paper) -> dict[str, Any]:
        return {
            "id": paper.id,
            "title": paper.title,
            "url": paper_url(paper.id),
            "year": paper.year,
            "venue": paper.venue or "",
            "authors": short_authors(paper.authors),
            "modalities": list(paper.modalities),
            "tags": [self._tag(tag) for tag in paper.tags],
        }

    def _rows(self, paper_ids: list[str], url: str, current: str = "") -> list[Markup]:
        """Paper table rows for a page at `url`, leaving out the `current` node's chip.

        A paper appears in many tables (its tags, cells, sections, related lists), and its row only
        differs by the page's depth, so each row is rendered once per depth and reused."""
        root = root_of(url)
        rows = []
        for paper_id in paper_ids:
            hidden = current if current in self.index.papers[paper_id].tags else ""
            key = (paper_id, root, hidden)
            if key not in self.row_cache:
                self.row_cache[key] = Markup(self.row_template.render(root=root, p=self.rows[paper_id], current=hidden).rstrip())
            rows.append(self.row_cache[key])
        return rows

    def _node_ref(self, node: Node) -> dict[str, Any]:
        return {**self._tag(node.id), "count": len(self.index.by_node.get(node.id, [])), "section": node.section}

    def _section_ref(self, section_id: str) -> dict[str, str]:
        section = self.taxonomy.section_by_id(section_id)
        return {"id": section.id, "label": section.display, "title": section.title, "url": f"outline/#{section_anchor(section.id)}"}

    # Page contexts -------------------------------------------------------------------------------

    def home_context(self) -> dict[str, Any]:
        totals = {
            "papers": len(self.index.papers),
            "leaves": sum(len(self.taxonomy.leaves(axis)) for axis in self.taxonomy.axes),
            "sections": len([s for s in self.index.by_section if self.index.by_section[s]]),
            "years": f"{min(self.index.by_year)}–{max(self.index.by_year)}" if self.index.by_year else "",
        }
        return {
            "title": "Home",
            "totals": totals,
            "axes": [self._axis_summary(axis) for axis in self.taxonomy.axes],
            "trees": [axis_tree(self.taxonomy, axis, self.index.by_node) for axis in self.taxonomy.axes],
            "recent": self._rows(self.index.recent, ""),
        }

    def _axis_summary(self, axis: str) -> dict[str, Any]:
        node = self.taxonomy.nodes[axis]
        return {**self._node_ref(node), "description": node.description}

    def node_context(self, node_id: str) -> dict[str, Any]:
        node = self.taxonomy.nodes[node_id]
        parent = self.taxonomy.nodes[node.parent] if node.parent else None
        siblings = [self.taxonomy.nodes[s] for s in (parent.children if parent else ()) if s != node.id]
        paper_ids = self.index.by_node.get(node.id, [])
        return {
            "title": node.name,
            "node": {**self._node_ref(node), "description": node.description, "is_leaf": node.is_leaf, "axis": self.taxonomy.nodes[node.axis].name},
            "section": self._section_ref(node.section) if node.section in self.taxonomy.section_ids else None,
            "parent": self._node_ref(parent) if parent else None,
            "ancestors": [self._node_ref(a) for a in reversed(self.taxonomy.ancestors(node.id))],
            "children": [self._node_ref(self.taxonomy.nodes[c]) for c in node.children],
            "siblings": [self._node_ref(s) for s in siblings],
            "stages": [self._stage_name(s) for s in node.stages],
            "papers": self._rows(sorted(paper_ids, key=self._newest_first), node_url(node.id), node.id),
            "bibtex_url": node_bibtex_url(node.id) if paper_ids else None,
        }

    def _newest_first(self, paper_id: str) -> tuple[int, str]:
        return (-(self.index.papers[paper_id].year or 0), paper_id)

    def _stage_name(self, stage_id: str) -> str:
        return next(term.name for term in self.taxonomy.stages if term.id == stage_id)

    def paper_context(self, paper_id: str) -> dict[str, Any]:
        paper = self.index.papers[paper_id]
        stages, own = self.index.stages[paper_id]
        record_path = self.index.shown_paths[paper_id]
        return {
            "title": paper.title,
            "paper": paper_details(paper, self.index),
            "axes": [
                {"name": self.taxonomy.nodes[axis].name, "url": node_url(axis), "tags": [self._tag(t) for t in getattr(paper, axis)]}
                for axis in self.taxonomy.axes
            ],
            "stages": [self._stage_name(s) for s in stages],
            "stages_own": own,
            "sections": [self._section_ref(s) for s in paper.sections],
            "bibtex": self.bibtex[paper_id],
            "related": self._rows(self.index.related[paper_id], paper_url(paper_id)),
            "edit_url": f"{self.edit_base}{record_path}" if self.edit_base else None,
            "record_path": record_path,
            "citation_meta": citation_meta(paper),
        }

    def outline_context(self) -> dict[str, Any]:
        sections = []
        for section in self.taxonomy.sections:
            node = self.taxonomy.node_for_section(section.id)
            ids = self.index.by_section.get(section.id, [])
            sections.append({
                **self._section_ref(section.id),
                "anchor": section_anchor(section.id),
                "depth": section.depth,
                "node": self._tag(node.id) if node else None,
                "papers": self._rows(ids, "outline/"),
            })
        return {"title": "Survey outline", "sections": sections}

    def tables_context(self) -> dict[str, Any]:
        return {
            "title": "Cross tables",
            "tables": [{"slug": t.slug, "title": t.title, "description": t.description, "url": f"tables/{t.slug}/", "cells": sum(len(v) > 0 for v in t.cells.values())} for t in self.index.tables],
        }

    def charts_context(self) -> dict[str, Any]:
        return {"title": "Charts", "charts": all_charts(self.index)}

    def table_context(self, table: CrossTable) -> dict[str, Any]:
        return {"title": table.title, "table": self._table_grid(table), "empty": not table.cells}

    def _table_grid(self, table: CrossTable) -> dict[str, Any]:
        def header(dimension_keys: bool, key: str, label: str) -> dict[str, Any]:
            node = self.taxonomy.nodes.get(key) if dimension_keys else None
            return {"key": key, "label": label, "url": node_url(key) if node else None, "color": node.color if node else None}

        rows = []
        for row_key, row_label in table.rows.values:
            cells = []
            for col_key, _ in table.cols.values:
                count = table.count(row_key, col_key)
                cells.append({"count": count, "url": cell_url(table.slug, row_key, col_key) if count else None, "gap": count < GAP_THRESHOLD})
            rows.append({**header(table.rows.node_keys, row_key, row_label), "cells": cells, "total": len(set().union(*(table.cells.get((row_key, c), []) for c, _ in table.cols.values)))})
        return {
            "slug": table.slug,
            "title": table.title,
            "description": table.description,
            "row_title": table.rows.title,
            "col_title": table.cols.title,
            "cols": [header(table.cols.node_keys, key, label) for key, label in table.cols.values],
            "rows": rows,
        }

    def cell_context(self, table: CrossTable, row: str, col: str, ids: list[str]) -> dict[str, Any]:
        row_label = dict(table.rows.values)[row]
        col_label = dict(table.cols.values)[col]
        return {
            "title": f"{row_label} × {col_label}",
            "table": {"title": table.title, "url": f"tables/{table.slug}/"},
            "row": {"label": row_label, "dimension": table.rows.title, "url": node_url(row) if table.rows.node_keys else None},
            "col": {"label": col_label, "dimension": table.cols.title, "url": node_url(col) if table.cols.node_keys else None},
            "papers": self._rows(sorted(ids, key=self._newest_first), cell_url(table.slug, row, col)),
        }

    def explore_context(self) -> dict[str, Any]:
        """The explorer's skeleton; its script fills it from papers.json."""
        return {
            "title": "Explore",
            "count": len(self.index.papers),
            "data_url": "exports/papers.json",
            "taxonomy_url": node_url(self.taxonomy.axes[0]),
            "columns": [{"key": key, "label": label} for key, label in EXPLORER_COLUMNS],
        }

    def gaps_context(self) -> dict[str, Any]:
        co_development = self.index.tables[0]
        gap_cells = []
        for row_key, row_label in co_development.rows.values:
            for col_key, col_label in co_development.cols.values:
                count = co_development.count(row_key, col_key)
                if count < GAP_THRESHOLD:
                    gap_cells.append({
                        "row": self._tag(row_key), "col": self._tag(col_key), "count": count,
                        "url": cell_url(co_development.slug, row_key, col_key) if count else None,
                    })
        leaves = [{**self._node_ref(self.taxonomy.nodes[leaf]), "count": count} for leaf, count in self.index.leaf_gaps()]
        return {"title": "Gaps", "threshold": GAP_THRESHOLD, "leaves": leaves, "cells": gap_cells, "matrix": {"title": co_development.title, "url": f"tables/{co_development.slug}/"}}


def short_authors(authors: list[str]) -> str:
    if not authors:
        return ""
    last = authors[0].split()[-1] if authors[0].split() else authors[0]
    return last if len(authors) == 1 else f"{last} et al."


def paper_details(paper: Paper, index: Index) -> dict[str, Any]:
    """The paper as exported, plus the links built from its arXiv id and DOI."""
    return {
        **paper_entry(paper, index),
        "arxiv_url": f"https://arxiv.org/abs/{paper.arxiv}" if paper.arxiv else None,
        "doi_url": f"https://doi.org/{paper.doi}" if paper.doi else None,
    }


def citation_meta(paper: Paper) -> list[dict[str, str]]:
    """`citation_*` tags read by scholarly indexers."""
    meta = [{"name": "citation_title", "content": paper.title}]
    meta += [{"name": "citation_author", "content": author} for author in paper.authors]
    if paper.year is not None:
        meta.append({"name": "citation_publication_date", "content": str(paper.year)})
    if paper.arxiv:
        meta.append({"name": "citation_arxiv_id", "content": paper.arxiv})
    if paper.doi:
        meta.append({"name": "citation_doi", "content": paper.doi})
    if paper.venue and entry_type(paper) != "misc":
        name = "citation_journal_title" if entry_type(paper) == "article" else "citation_conference_title"
        meta.append({"name": name, "content": paper.venue})
    return meta
