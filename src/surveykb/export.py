"""The knowledge base as data files: JSON (with its schema), CSV, BibTeX and the awesome-list Markdown."""

from __future__ import annotations

import csv
import io
import json
from typing import Any, Callable

from surveykb.awesome_export import awesome_markdown
from surveykb.cite import bibtex_entry, bibtex_file, join_entries
from surveykb.export_schema import papers_json_schema
from surveykb.index import Index
from surveykb.model import Paper
from surveykb.urls import node_bibtex_url, paper_url

CSV_COLUMNS = (
    "id", "title", "authors", "year", "venue", "arxiv", "doi", "url", "code", "modalities", "data4model",
    "model4data", "stages", "stages_own", "sections", "summary", "added", "page",
)
CSV_LIST_SEPARATOR = "; "
AWESOME_SITE_PATH = "exports/awesome.md"


def paper_entry(paper: Paper, index: Index) -> dict[str, Any]:
    stages, own = index.stages[paper.id]
    return {
        "id": paper.id,
        "title": paper.title,
        "authors": list(paper.authors),
        "year": paper.year,
        "venue": paper.venue,
        "arxiv": paper.arxiv,
        "doi": paper.doi,
        "url": paper.url,
        "code": paper.code,
        "modalities": list(paper.modalities),
        "data4model": list(paper.data4model),
        "model4data": list(paper.model4data),
        "stages": stages,
        "stages_own": own,
        "sections": list(paper.sections),
        "summary": paper.summary,
        "added": paper.added.isoformat() if paper.added else None,
        "page": paper_url(paper.id),
    }


def taxonomy_entry(index: Index) -> dict[str, Any]:
    taxonomy = index.taxonomy
    return {
        "axes": list(taxonomy.axes),
        "nodes": {
            node.id: {
                "name": node.name,
                "short": node.short,
                "axis": node.axis,
                "parent": node.parent,
                "children": list(node.children),
                "leaves": taxonomy.descendant_leaves(node.id),
                "section": node.section,
                "color": node.color,
            }
            for node in taxonomy.nodes.values()
        },
        "stages": [{"id": term.id, "name": term.name} for term in taxonomy.stages],
        "modalities": [{"id": term.id, "name": term.name} for term in taxonomy.modalities],
    }


def papers_json(index: Index, papers: list[Paper] | None = None) -> str:
    """`papers.json`: the taxonomy (for labels and colours) and every paper, in id order."""
    chosen = papers if papers is not None else list(index.papers.values())
    document = {"taxonomy": taxonomy_entry(index), "papers": [paper_entry(paper, index) for paper in chosen]}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"


def papers_bibtex(papers: list[Paper]) -> str:
    return bibtex_file(papers)


def papers_csv(index: Index, papers: list[Paper] | None = None) -> str:
    """`papers.csv`: one row per paper with the columns of `papers.json`'s paper entries; lists are
    joined with '; ', absent values are empty cells."""
    chosen = papers if papers is not None else list(index.papers.values())
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for paper in chosen:
        entry = paper_entry(paper, index)
        writer.writerow([_csv_cell(entry[column]) for column in CSV_COLUMNS])
    return buffer.getvalue()


def _csv_cell(value: object) -> str:
    if isinstance(value, list):
        return CSV_LIST_SEPARATOR.join(str(item) for item in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def papers_schema_json(index: Index) -> str:
    return json.dumps(papers_json_schema(index.taxonomy), indent=2, ensure_ascii=False) + "\n"


def papers_awesome(index: Index, papers: list[Paper] | None = None) -> str:
    return awesome_markdown(index.taxonomy, papers if papers is not None else list(index.papers.values()))


EXPORTERS: dict[str, Callable[[Index, list[Paper]], str]] = {
    "bibtex": lambda index, papers: papers_bibtex(papers),
    "json": papers_json,
    "csv": papers_csv,
    "awesome": papers_awesome,
}


def export_text(fmt: str, index: Index, papers: list[Paper]) -> str:
    """`papers` (a subset of the index's, in id order) in one of the `EXPORTERS`' formats."""
    return EXPORTERS[fmt](index, papers)


def papers_under(index: Index, node_ids: list[str]) -> list[Paper]:
    """The papers tagged with any of the nodes or a leaf below one of them, in id order."""
    chosen = {paper_id for node_id in node_ids for paper_id in index.by_node.get(node_id, [])}
    return [paper for paper_id, paper in index.papers.items() if paper_id in chosen]


def bibtex_entries(index: Index) -> dict[str, str]:
    """Each paper's BibTeX entry, written once for the site's pages and files alike."""
    return {paper_id: bibtex_entry(paper) for paper_id, paper in index.papers.items()}


def site_exports(index: Index, entries: dict[str, str]) -> dict[str, str]:
    """Every data file the site offers, by its path in the site; `entries` from `bibtex_entries`."""
    files = {
        "exports/papers.json": papers_json(index),
        "exports/papers.schema.json": papers_schema_json(index),
        "exports/papers.csv": papers_csv(index),
        "exports/papers.bib": join_entries(list(entries.values())),
        AWESOME_SITE_PATH: papers_awesome(index),
    }
    for node_id, paper_ids in sorted(index.by_node.items()):
        files[node_bibtex_url(node_id)] = join_entries([entries[paper_id] for paper_id in sorted(paper_ids)])
    return files
