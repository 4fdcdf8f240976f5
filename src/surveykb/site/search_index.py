"""The papers' search index: what the site search needs to find a paper, loaded on the first query.

MkDocs' search index holds every word of every page; with a page per paper it grows to about 10 MB
at 10,000 papers. Paper pages are left out of it; this file holds, per paper, only what a reader
searches by and what a result shows (title, authors, year, venue, arXiv id, short name, the title
the survey listed, DOI), one array per paper with the field names once; authors are joined by
`AUTHOR_SEPARATOR`, a venue is its number in the list of venues (written once), and empty fields at
the end of a row are left off. `docs/javascripts/search.js`
ranks the papers and shows them above MkDocs' results for the hand-written and taxonomy pages.
"""

from __future__ import annotations

import json

from surveykb.core.index import Index
from surveykb.core.model import Paper

SEARCH_INDEX = "search/papers.json"
FIELDS = ("id", "title", "authors", "year", "venue", "arxiv", "short_name", "listed_as", "doi")
AUTHOR_SEPARATOR = "; "


def paper_search_index(index: Index) -> str:
    """The index as compact JSON: `{"fields": [...], "venues": [...], "papers": [[value, ...], ...]}`
    in id order; a venue is its position in `venues` plus one; absent values are empty strings
    (year and venue 0) or, at the end of a row, left off."""
    venues = sorted({paper.venue for paper in index.papers.values() if paper.venue})
    number = {venue: position + 1 for position, venue in enumerate(venues)}
    rows = [_row(paper, number) for paper in index.papers.values()]
    document = {"fields": list(FIELDS), "venues": venues, "papers": rows}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"


def _row(paper: Paper, venue_number: dict[str, int]) -> list[object]:
    row: list[object] = [
        paper.id,
        paper.title,
        AUTHOR_SEPARATOR.join(paper.authors),
        paper.year or 0,
        venue_number[paper.venue] if paper.venue else 0,
        paper.arxiv or "",
        paper.short_name or "",
        paper.listed_as or "",
        paper.doi or "",
    ]
    while row[-1] == "":
        row.pop()
    return row
