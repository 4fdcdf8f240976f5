"""The knowledge base as data files: JSON (with its schema), CSV, BibTeX and the awesome-list Markdown."""

from __future__ import annotations

import csv
import datetime
import functools
import io
import json
import re
from collections import Counter
from collections.abc import Callable
from typing import Any

from surveykb.core.index import Index
from surveykb.core.model import Paper, record_fields
from surveykb.core.urls import node_bibtex_url, paper_url
from surveykb.formats.awesome_write import awesome_markdown
from surveykb.formats.bibtex_write import bibtex_entry, bibtex_file, join_entries
from surveykb.generated.papers_json_schema import papers_json_schema

CSV_LIST_SEPARATOR = "; "
_YEAR_IN_VENUE = re.compile(r"\b(?:19|20)\d\d\b", re.ASCII)


def short_authors(authors: list[str]) -> str:
    """`Liu et al.`: the first author's last word, with `et al.` when there are more."""
    if not authors:
        return ""
    last = authors[0].split()[-1] if authors[0].split() else authors[0]
    return last if len(authors) == 1 else f"{last} et al."


AWESOME_SITE_PATH = "exports/awesome.md"


def venue_name(venue: str | None) -> str:
    """The venue without its year (`NeurIPS 2023` -> `NeurIPS`), the explorer's venue filter value."""
    return " ".join(_YEAR_IN_VENUE.sub("", venue).split()) if venue else ""


def tag_ancestors(index: Index, paper: Paper) -> list[str]:
    """The paper's tags and every node above them, in the taxonomy's order."""
    within = {node.id for tag in paper.tags for node in index.taxonomy.ancestors(tag)} | set(paper.tags)
    return [node_id for node_id in index.taxonomy.nodes if node_id in within]


def paper_entry(paper: Paper, index: Index) -> dict[str, Any]:
    """Every record field in the model's order (null or [] when left out), the stages the index
    settled on and whether they are the record's own, then what the build derives for readers:
    the paper's page, its short author form, its tags of every axis with the nodes above them,
    and its venue without the year."""
    stages, own = index.stages[paper.id]
    entry: dict[str, Any] = {}
    for name in record_fields(index.taxonomy.axes):
        value = getattr(paper, name)
        entry[name] = (
            value.isoformat() if isinstance(value, datetime.date) else list(value) if isinstance(value, list) else value
        )
        if name == "stages":
            entry["stages"], entry["stages_own"] = stages, own
    entry["page"] = paper_url(paper.id)
    entry["short_authors"] = short_authors(paper.authors)
    entry["tags"] = [tag for axis in index.taxonomy.axes for tag in getattr(paper, axis)]
    entry["tag_ancestors"] = tag_ancestors(index, paper)
    entry["venue_name"] = venue_name(paper.venue)
    return entry


# What papers.json carries for the explorer beyond the CSV's columns.
READER_FIELDS = ("short_authors", "tags", "tag_ancestors", "venue_name")


def csv_columns(axes: tuple[str, ...]) -> tuple[str, ...]:
    """The CSV columns: a paper entry of `papers.json` without the `READER_FIELDS`."""
    columns: list[str] = []
    for name in record_fields(axes):
        columns += [name, "stages_own"] if name == "stages" else [name]
    return (*columns, "page")


def taxonomy_entry(index: Index, entries: list[dict[str, Any]]) -> dict[str, Any]:
    """The taxonomy, each node and term with the number of the `entries` (papers) it holds."""
    taxonomy = index.taxonomy
    nodes = Counter(node for entry in entries for node in entry["tag_ancestors"])
    stages = Counter(stage for entry in entries for stage in entry["stages"])
    modalities = Counter(modality for entry in entries for modality in entry["modalities"])
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
                "count": nodes[node.id],
            }
            for node in taxonomy.nodes.values()
        },
        "stages": [{"id": term.id, "name": term.name, "count": stages[term.id]} for term in taxonomy.stages],
        "modalities": [
            {"id": term.id, "name": term.name, "count": modalities[term.id]} for term in taxonomy.modalities
        ],
    }


def venue_counts(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each venue name of the entries with its number of papers, in case-insensitive order."""
    counts = Counter(entry["venue_name"] for entry in entries if entry["venue_name"])
    return [{"name": name, "count": counts[name]} for name in sorted(counts, key=lambda name: (name.casefold(), name))]


def papers_json(index: Index, papers: list[Paper] | None = None) -> str:
    """`papers.json`: the taxonomy (for labels, colours and counts), every paper in id order, and the
    venues with their counts."""
    chosen = papers if papers is not None else list(index.papers.values())
    entries = [paper_entry(paper, index) for paper in chosen]
    document = {"taxonomy": taxonomy_entry(index, entries), "papers": entries, "venues": venue_counts(entries)}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"


def papers_bibtex(papers: list[Paper]) -> str:
    return bibtex_file(papers)


def papers_csv(index: Index, papers: list[Paper] | None = None) -> str:
    """`papers.csv`: one row per paper with the columns of `papers.json`'s paper entries; lists are
    joined with '; ', absent values are empty cells."""
    chosen = papers if papers is not None else list(index.papers.values())
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    columns = csv_columns(index.taxonomy.axes)
    writer.writerow(columns)
    for paper in chosen:
        entry = paper_entry(paper, index)
        writer.writerow([_csv_cell(entry[column]) for column in columns])
    return buffer.getvalue()


# A spreadsheet runs a cell starting with one of these as a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: object) -> str:
    if isinstance(value, list):
        text = CSV_LIST_SEPARATOR.join(str(item) for item in value)
    elif isinstance(value, bool):
        text = "true" if value else "false"
    else:
        text = "" if value is None else str(value)
    return inert_cell(text)


def inert_cell(text: str) -> str:
    """`text`, with a leading apostrophe when a spreadsheet would otherwise read it as a formula
    (`=HYPERLINK(...)` becomes `'=HYPERLINK(...)`, shown as text)."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


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


# A site's data files by their path in the site, each made when it is called: a build writes them one
# at a time instead of holding them all.
DataFiles = dict[str, Callable[[], str]]


def site_exports(index: Index, entries: dict[str, str]) -> DataFiles:
    """Every data file the site offers; `entries` from `bibtex_entries`."""
    files: DataFiles = {
        "exports/papers.json": functools.partial(papers_json, index),
        "exports/papers.schema.json": functools.partial(papers_schema_json, index),
        "exports/papers.csv": functools.partial(papers_csv, index),
        "exports/papers.bib": functools.partial(_joined_entries, entries, sorted(entries)),
        AWESOME_SITE_PATH: functools.partial(papers_awesome, index),
    }
    for node_id, paper_ids in sorted(index.by_node.items()):
        files[node_bibtex_url(node_id)] = functools.partial(_joined_entries, entries, sorted(paper_ids))
    return files


def _joined_entries(entries: dict[str, str], paper_ids: list[str]) -> str:
    return join_entries([entries[paper_id] for paper_id in paper_ids])
