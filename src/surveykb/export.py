"""The knowledge base as data files: JSON (with its schema), CSV, BibTeX and the awesome-list Markdown."""

from __future__ import annotations

import json
from typing import Any

from surveykb.cite import bibtex_file
from surveykb.index import Index
from surveykb.model import Paper
from surveykb.urls import node_bibtex_url, paper_url


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
    return bibtex_file(papers) if papers else ""


def site_exports(index: Index) -> dict[str, str]:
    """Every data file the site offers, by its path in the site."""
    files = {
        "exports/papers.json": papers_json(index),
        "exports/papers.bib": papers_bibtex(list(index.papers.values())),
    }
    for node_id, paper_ids in sorted(index.by_node.items()):
        files[node_bibtex_url(node_id)] = papers_bibtex(index.papers_of(sorted(paper_ids)))
    return files
