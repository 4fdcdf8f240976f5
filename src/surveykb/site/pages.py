"""One context function per page type: the index -> the plain data a page's template shows.

Contexts hold only dicts, lists, strings and numbers (never markup), with links relative to the site
root; a template prefixes them with `root`, the way back to the root from its page. A paper row is
the same dict on every page that lists the paper.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from surveykb.core.index import CrossTable, Gap, Index
from surveykb.core.model import Paper
from surveykb.core.paper_links import arxiv_url, doi_url, pdf_url
from surveykb.core.taxonomy import Node
from surveykb.core.urls import (
    cell_url,
    node_bibtex_url,
    node_url,
    paper_url,
    section_anchor,
)
from surveykb.formats.bibtex_write import entry_type
from surveykb.formats.data_files import paper_entry, short_authors
from surveykb.formats.reference_write import reference_text
from surveykb.formats.ris_write import ris_entry
from surveykb.generated.reference import field_reference
from surveykb.site.charts import all_charts, heat_fill, heat_steps, is_dark
from surveykb.site.feeds import SITE_FEED
from surveykb.site.treeview import axis_tree

# The explorer's columns, by the sort key its script knows them by.
EXPLORER_COLUMNS = [
    ("title", "Title"),
    ("authors", "Authors"),
    ("year", "Year"),
    ("venue", "Venue"),
    ("modalities", "Modalities"),
    ("tags", "Tags"),
    ("added", "Added"),
]

Context = dict[str, Any]


@dataclass(frozen=True)
class SiteSettings:
    """What the site owner configures (mkdocs.yml), never written into code or templates."""

    site_name: str = "Knowledge base"
    # The home page's introduction: the owner's own Markdown, already rendered to HTML (trusted like
    # any hand-written page of docs/).
    intro_html: str = ""
    citation: str = ""  # how to cite the survey, shown as written (BibTeX, say)


@dataclass(frozen=True)
class SiteData:
    """What every context function reads: the index, each paper's BibTeX entry and row, where
    records are edited (None without a repository URL), the owner's settings."""

    index: Index
    bibtex: dict[str, str]
    edit_base: str | None
    rows: dict[str, Context]
    settings: SiteSettings = SiteSettings()


def site_data(
    index: Index, bibtex: dict[str, str], edit_base: str | None, settings: SiteSettings = SiteSettings()
) -> SiteData:
    rows = {paper_id: paper_row(index, paper) for paper_id, paper in index.papers.items()}
    return SiteData(index, bibtex, edit_base, rows, settings)


# Shared pieces -----------------------------------------------------------------------------------


def tag_ref(index: Index, node_id: str) -> Context:
    node = index.taxonomy.nodes[node_id]
    return {"id": node.id, "name": node.name, "color": node.color, "url": node_url(node.id)}


def paper_row(index: Index, paper: Paper) -> Context:
    return {
        "id": paper.id,
        "title": paper.title,
        "short_name": paper.short_name or "",
        "url": paper_url(paper.id),
        "year": paper.year,
        "venue": paper.venue or "",
        "authors": short_authors(paper.authors),
        "modalities": list(paper.modalities),
        "tags": [tag_ref(index, tag) for tag in paper.tags],
        "tag_ids": list(paper.tags),
    }


def node_ref(index: Index, node: Node) -> Context:
    return {**tag_ref(index, node.id), "count": len(index.by_node.get(node.id, [])), "section": node.section}


def section_ref(index: Index, section_id: str) -> Context:
    section = index.taxonomy.section_by_id(section_id)
    return {
        "id": section.id,
        "label": section.display,
        "title": section.title,
        "url": f"outline/#{section_anchor(section.id)}",
    }


def paper_columns(rows: list[Context], current: str = "") -> dict[str, bool]:
    """Which of a paper table's optional columns hold anything for `rows` (tags other than the
    page's own node `current`); the `paper_table` macro leaves the others out."""
    return {
        "year": any(row["year"] for row in rows),
        "venue": any(row["venue"] for row in rows),
        "modalities": any(row["modalities"] for row in rows),
        "tags": any(tag["id"] != current for row in rows for tag in row["tags"]),
    }


def rows_of(data: SiteData, paper_ids: list[str]) -> list[Context]:
    return [data.rows[paper_id] for paper_id in paper_ids]


def newest_first(index: Index, paper_ids: list[str]) -> list[str]:
    return sorted(paper_ids, key=lambda paper_id: (-(index.papers[paper_id].year or 0), paper_id))


def stage_name(index: Index, stage_id: str) -> str:
    return next(term.name for term in index.taxonomy.stages if term.id == stage_id)


# Page contexts -----------------------------------------------------------------------------------


def home_context(data: SiteData) -> Context:
    index, taxonomy, settings = data.index, data.index.taxonomy, data.settings
    totals = {
        "papers": len(index.papers),
        "leaves": sum(len(taxonomy.leaves(axis)) for axis in taxonomy.axes),
        "sections": len([s for s in index.by_section if index.by_section[s]]),
        "years": f"{min(index.by_year)}–{max(index.by_year)}" if index.by_year else "",
    }
    return {
        "title": "Home",
        "site_name": settings.site_name,
        "anchor": _slug(settings.site_name) or "home",
        "intro_html": settings.intro_html,
        "citation": settings.citation,
        "totals": totals,
        "has_outline": bool(taxonomy.sections),
        "threshold": index.gap_threshold,
        "axes": [
            {**node_ref(index, taxonomy.nodes[axis]), "description": taxonomy.nodes[axis].description}
            for axis in taxonomy.axes
        ],
        "trees": [axis_tree(taxonomy, axis, index.by_node) for axis in taxonomy.axes],
        "recent": [{**data.rows[paper_id], "added": str(index.papers[paper_id].added)} for paper_id in index.recent],
        "feed_url": SITE_FEED,
        "by_date_url": "explore/?sort=added&order=desc",
    }


def _slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def explore_context(data: SiteData) -> Context:
    """The explorer's skeleton; its script fills it from papers.json."""
    return {
        "title": "Explore",
        "count": len(data.index.papers),
        "data_url": "exports/papers.json",
        "taxonomy_url": node_url(data.index.taxonomy.axes[0]),
        "columns": [{"key": key, "label": label} for key, label in EXPLORER_COLUMNS],
    }


def node_context(data: SiteData, node_id: str) -> Context:
    index, taxonomy = data.index, data.index.taxonomy
    node = taxonomy.nodes[node_id]
    parent = taxonomy.nodes[node.parent] if node.parent else None
    siblings = [taxonomy.nodes[s] for s in (parent.children if parent else ()) if s != node.id]
    paper_ids = index.by_node.get(node.id, [])
    return {
        "title": node.name,
        "node": {
            **node_ref(index, node),
            "description": node.description,
            "is_leaf": node.is_leaf,
            "axis": taxonomy.nodes[node.axis].name,
        },
        "section": section_ref(index, node.section) if node.section in taxonomy.section_ids else None,
        "parent": node_ref(index, parent) if parent else None,
        "ancestors": [node_ref(index, a) for a in reversed(taxonomy.ancestors(node.id))],
        "children": [node_ref(index, taxonomy.nodes[c]) for c in node.children],
        "siblings": [node_ref(index, s) for s in siblings],
        "stages": [stage_name(index, s) for s in node.stages],
        "papers": rows_of(data, newest_first(index, paper_ids)),
        "bibtex_url": node_bibtex_url(node.id) if paper_ids else None,
        "gaps_url": "gaps/",
    }


def paper_context(data: SiteData, paper_id: str) -> Context:
    index, taxonomy = data.index, data.index.taxonomy
    paper = index.papers[paper_id]
    stages, own = index.stages[paper_id]
    record_path = index.shown_paths[paper_id]
    return {
        "title": paper.title,
        "paper": paper_details(paper, index),
        "links": paper_links(paper),
        "axes": [
            {
                "name": taxonomy.nodes[axis].name,
                "url": node_url(axis),
                "tags": [tag_ref(index, t) for t in paper.tags_of(axis)],
            }
            for axis in taxonomy.axes
            if paper.tags_of(axis)
        ],
        "stages": [stage_name(index, s) for s in stages],
        "stages_own": own,
        "sections": [section_ref(index, s) for s in paper.sections],
        "citations": [
            {"id": "bibtex", "label": "BibTeX", "language": "bibtex", "text": data.bibtex[paper_id]},
            {"id": "ris", "label": "RIS", "language": "text", "text": ris_entry(paper)},
            {"id": "reference", "label": "Plain text", "language": "text", "text": reference_text(paper)},
        ],
        "related": [
            {**data.rows[other], "reason": shared_reason(index, paper, index.papers[other])}
            for other in index.related[paper_id]
        ],
        "edit_url": f"{data.edit_base}{record_path}" if data.edit_base else None,
        "record_path": record_path,
    }


def paper_links(paper: Paper) -> list[Context]:
    """The links a reader follows from a paper's page, those the record has, most wanted first."""
    links = [
        ("PDF", pdf_url(paper)),
        ("Code", paper.code),
        ("arXiv", arxiv_url(paper)),
        ("DOI", doi_url(paper)),
        ("Web page", paper.url),
    ]
    return [{"label": label, "url": url} for label, url in links if url]


def shared_reason(index: Index, paper: Paper, other: Paper) -> str:
    """Why `other` is related to `paper`: `shares Data Acquisition and Creator` (the short names of
    the tags both carry, in the taxonomy's order)."""
    both = set(paper.tags).intersection(other.tags)
    shared = [node.short for node_id, node in index.taxonomy.nodes.items() if node_id in both]
    if not shared:
        return ""
    names = shared[0] if len(shared) == 1 else f"{', '.join(shared[:-1])} and {shared[-1]}"
    return f"shares {names}"


def outline_context(data: SiteData) -> Context:
    index, taxonomy = data.index, data.index.taxonomy
    sections = []
    for section in taxonomy.sections:
        node = taxonomy.node_for_section(section.id)
        sections.append(
            {
                **section_ref(index, section.id),
                "anchor": section_anchor(section.id),
                "level": min(section.depth + 2, 6),
                "node": tag_ref(index, node.id) if node else None,
                "papers": rows_of(data, index.by_section.get(section.id, [])),
            }
        )
    return {"title": "Survey outline", "sections": sections}


def tables_context(data: SiteData) -> Context:
    tables = [
        {
            "slug": t.slug,
            "title": t.title,
            "description": t.description,
            "url": f"tables/{t.slug}/",
            "cells": len(t.cells),
            "papers": len(t.papers()),
        }
        for t in data.index.tables
    ]
    return {"title": "Cross tables", "tables": tables, "gaps_url": "gaps/", "threshold": data.index.gap_threshold}


def table_context(data: SiteData, table: CrossTable) -> Context:
    return {"title": table.title, "table": table_grid(data.index, table), "empty": not table.cells, "gaps_url": "gaps/"}


def _header(index: Index, node_keys: bool, key: str, label: str) -> Context:
    node = index.taxonomy.nodes.get(key) if node_keys else None
    return {
        "key": key,
        "label": label,
        "name": node.name if node else label,
        "url": node_url(key) if node else None,
        "color": node.color if node else None,
    }


def table_grid(index: Index, table: CrossTable) -> Context:
    """The table's cells shaded by count (blank when empty), its holes marked, and the papers of
    each row, each column and the whole table, each paper counted once."""
    largest = max((len(ids) for ids in table.cells.values()), default=0)
    gaps = {(gap.row, gap.col): gap for gap in table.gaps(index.gap_threshold)}
    rows = []
    for row_key, row_label in table.rows.values:
        cells = [
            _grid_cell(table, row_key, col_key, largest, gaps.get((row_key, col_key)))
            for col_key, _ in table.cols.values
        ]
        rows.append(
            {
                **_header(index, table.rows.node_keys, row_key, row_label),
                "cells": cells,
                "total": len(table.row_papers(row_key)),
            }
        )
    return {
        "slug": table.slug,
        "title": table.title,
        "description": table.description,
        "row_title": table.rows.title,
        "col_title": table.cols.title,
        "cols": [
            {**_header(index, table.cols.node_keys, key, label), "total": len(table.col_papers(key))}
            for key, label in table.cols.values
        ],
        "rows": rows,
        "total": len(table.papers()),
        "legend": [{"count": count, "fill": fill, "dark": is_dark(fill)} for count, fill in heat_steps(largest)],
        "gaps": len(gaps),
    }


def _grid_cell(table: CrossTable, row: str, col: str, largest: int, gap: Gap | None) -> Context:
    count = table.count(row, col)
    fill = heat_fill(count, largest) if count else None
    return {
        "count": count,
        "url": cell_url(table.slug, row, col) if count else None,
        "fill": fill,
        "dark": fill is not None and is_dark(fill),
        "gap": gap is not None,
        "expected": gap.expected if gap else None,
    }


def cell_context(data: SiteData, table: CrossTable, row: str, col: str) -> Context:
    row_label = dict(table.rows.values)[row]
    col_label = dict(table.cols.values)[col]
    return {
        "title": f"{row_label} × {col_label}",
        "table": {"title": table.title, "url": f"tables/{table.slug}/"},
        "row": {
            "label": row_label,
            "dimension": table.rows.title,
            "url": node_url(row) if table.rows.node_keys else None,
        },
        "col": {
            "label": col_label,
            "dimension": table.cols.title,
            "url": node_url(col) if table.cols.node_keys else None,
        },
        "papers": rows_of(data, newest_first(data.index, table.cells[(row, col)])),
    }


def gaps_context(data: SiteData) -> Context:
    """Thin leaves, then the holes of each table of two axes: grouped by the node above their row,
    groups and holes most surprising first, each with the neighbouring cells that hold papers."""
    index = data.index
    leaves = [{**node_ref(index, index.taxonomy.nodes[leaf]), "count": count} for leaf, count in index.leaf_gaps()]
    tables = [_table_gaps(index, table) for table in index.pair_tables()]
    return {"title": "Gaps", "threshold": index.gap_threshold, "leaves": leaves, "tables": tables}


def _table_gaps(index: Index, table: CrossTable) -> Context:
    taxonomy = index.taxonomy
    groups: dict[str, list[Context]] = {}
    for gap in table.gaps(index.gap_threshold):
        parent = taxonomy.nodes[gap.row].parent or gap.row
        groups.setdefault(parent, []).append(
            {
                "row": {**tag_ref(index, gap.row), "count": len(table.row_papers(gap.row))},
                "col": {**tag_ref(index, gap.col), "count": len(table.col_papers(gap.col))},
                "count": gap.count,
                "expected": gap.expected,
                "url": cell_url(table.slug, gap.row, gap.col) if gap.count else None,
                "neighbours": _neighbours(index, table, gap.row, gap.col),
            }
        )
    return {
        "slug": table.slug,
        "title": table.title,
        "url": f"tables/{table.slug}/",
        "row_title": table.rows.title,
        "col_title": table.cols.title,
        "groups": [{"node": tag_ref(index, parent), "gaps": gaps} for parent, gaps in groups.items()],
    }


def _neighbours(index: Index, table: CrossTable, row: str, col: str) -> list[Context]:
    """The cells next to a hole that hold papers: its row with the column's siblings, and its
    column with the row's siblings, fullest first."""
    taxonomy = index.taxonomy

    def siblings(node_id: str) -> list[str]:
        parent = taxonomy.nodes[node_id].parent
        return [s for s in (taxonomy.nodes[parent].children if parent else ()) if s != node_id]

    near = [(row, other) for other in siblings(col)] + [(other, col) for other in siblings(row)]
    found = [(r, c, table.count(r, c)) for r, c in near if table.count(r, c)]
    found.sort(key=lambda cell: (-cell[2], cell[0], cell[1]))
    return [
        {
            "label": f"{taxonomy.nodes[r].short} × {taxonomy.nodes[c].short}",
            "count": n,
            "url": cell_url(table.slug, r, c),
        }
        for r, c, n in found
    ]


def charts_context(data: SiteData) -> Context:
    return {"title": "Charts", "charts": all_charts(data.index)}


def contribute_context(data: SiteData) -> Context:
    taxonomy = data.index.taxonomy
    # The example command tags a paper with the first leaf of each of (at most) two axes.
    example_tags = [taxonomy.leaves(axis)[0].id for axis in taxonomy.axes[:2] if taxonomy.leaves(axis)]
    section = next(
        (
            node.section
            for node in taxonomy.nodes.values()
            if node.id in example_tags and node.section in taxonomy.section_ids
        ),
        None,
    )
    return {
        "title": "Contribute",
        "fields": field_reference(taxonomy),
        "example_tags": example_tags,
        "example_section": section,
        "axes": list(taxonomy.axes),
    }


def paper_details(paper: Paper, index: Index) -> Context:
    """The paper as exported, plus the links built from its arXiv id and DOI."""
    return {**paper_entry(paper, index), "arxiv_url": arxiv_url(paper), "doi_url": doi_url(paper)}


def citation_meta(paper: Paper) -> list[dict[str, str]]:
    """Highwire `citation_*` tags, read by Google Scholar and Zotero: title, every author in order,
    date, the conference or journal (an arXiv preprint is a report of arXiv), arXiv id, DOI, PDF."""
    meta = [{"name": "citation_title", "content": paper.title}]
    meta += [{"name": "citation_author", "content": author} for author in paper.authors]
    if paper.year is not None:
        meta.append({"name": "citation_publication_date", "content": str(paper.year)})
    kind = entry_type(paper)
    if paper.venue and kind != "misc":
        name = "citation_journal_title" if kind == "article" else "citation_conference_title"
        meta.append({"name": name, "content": paper.venue})
    elif paper.arxiv:
        meta.append({"name": "citation_technical_report_institution", "content": "arXiv"})
        meta.append({"name": "citation_technical_report_number", "content": f"arXiv:{paper.arxiv}"})
    if paper.arxiv:
        meta.append({"name": "citation_arxiv_id", "content": paper.arxiv})
    if paper.doi:
        meta.append({"name": "citation_doi", "content": paper.doi})
    if pdf_url(paper):
        meta.append({"name": "citation_pdf_url", "content": str(pdf_url(paper))})
    return meta
