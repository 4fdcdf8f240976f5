"""RIS entries for records, the tagged format that Zotero, EndNote and Mendeley import."""

from __future__ import annotations

from surveykb.core.model import Paper
from surveykb.core.paper_links import pdf_url
from surveykb.formats.bibtex_write import entry_type

# RIS reference types by BibTeX entry type.
_TYPES = {"article": "JOUR", "inproceedings": "CPAPER", "misc": "GEN"}


def ris_entry(paper: Paper) -> str:
    """One entry: `TY` first and `ER` last, one `AU` per author in order, each value on one line."""
    kind = entry_type(paper)
    lines = [("TY", _TYPES[kind]), ("ID", paper.id), ("TI", paper.title)]
    lines += [("AU", author) for author in paper.authors]
    if paper.year is not None:
        lines.append(("PY", str(paper.year)))
    if paper.venue:
        lines.append(("T2" if kind == "inproceedings" else "JO" if kind == "article" else "PB", paper.venue))
    optional = [("DO", paper.doi), ("UR", paper.url), ("L1", pdf_url(paper)), ("AB", paper.summary)]
    lines += [(tag, value) for tag, value in optional if value]
    if paper.arxiv:
        lines.append(("N1", f"arXiv:{paper.arxiv}"))
    lines.append(("ER", ""))
    return "\n".join(f"{tag}  - {_one_line(value)}".rstrip() for tag, value in lines)


def _one_line(text: str) -> str:
    return " ".join(text.split())
