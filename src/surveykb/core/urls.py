"""Where each generated page and file lives in the site, relative to its root (directory URLs)."""

from __future__ import annotations


def node_url(node_id: str) -> str:
    return f"taxonomy/{node_id}/"


def paper_url(paper_id: str) -> str:
    return f"papers/{paper_id}/"


def cell_url(table: str, row: str, col: str) -> str:
    return f"tables/{table}/{row}--{col}/"


def section_anchor(section_id: str) -> str:
    return "sec-" + section_id.replace(".", "-")


def node_bibtex_url(node_id: str) -> str:
    return f"exports/bib/{node_id}.bib"


def root_of(url: str) -> str:
    """The relative way back to the site root from the page at `url`."""
    return "../" * url.count("/")


def src_uri(url: str) -> str:
    """The file a page at `url` pretends to be in the docs folder."""
    return f"{url}index.md" if url else "index.md"
