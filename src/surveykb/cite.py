"""BibTeX entries for records: entry type from the venue and arXiv id, LaTeX specials escaped."""

from __future__ import annotations

import re

from surveykb.model import Paper

_CONFERENCE = re.compile(
    r"\b(conference|proceedings|workshop|symposium|neurips|nips|icml|iclr|cvpr|iccv|eccv|acl|emnlp|naacl|"
    r"coling|aaai|ijcai|kdd|sigir|www|acm mm|interspeech|icassp|wacv|bmvc|colm|findings)\b",
    re.IGNORECASE,
)
_JOURNAL = re.compile(r"\b(journal|transactions|tpami|tmlr|jmlr|ijcv|letters|nature|science|review)\b", re.IGNORECASE)
_ARXIV_VENUE = re.compile(r"^\s*(arxiv|corr|preprint)\b", re.IGNORECASE)
_LATEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_LATEX_PATTERN = re.compile("|".join(re.escape(char) for char in _LATEX_SPECIALS))


def latex_escape(text: str) -> str:
    """Escape LaTeX's special characters; other Unicode is kept (biber and bibtexparser read UTF-8)."""
    flat = " ".join(text.split())
    return _LATEX_PATTERN.sub(lambda match: _LATEX_SPECIALS[match.group(0)], flat)


def entry_type(paper: Paper) -> str:
    venue = paper.venue or ""
    if venue and not _ARXIV_VENUE.match(venue):
        if _JOURNAL.search(venue):
            return "article"
        if _CONFERENCE.search(venue):
            return "inproceedings"
    return "misc"


def bibtex_fields(paper: Paper) -> list[tuple[str, str]]:
    kind = entry_type(paper)
    fields: list[tuple[str, str]] = [("title", paper.title)]
    if paper.authors:
        fields.append(("author", " and ".join(paper.authors)))
    if kind == "article":
        fields.append(("journal", paper.venue or ""))
    elif kind == "inproceedings":
        fields.append(("booktitle", paper.venue or ""))
    elif paper.venue and not paper.arxiv:
        fields.append(("howpublished", paper.venue))
    if paper.year is not None:
        fields.append(("year", str(paper.year)))
    if paper.arxiv:
        fields += [("eprint", paper.arxiv), ("archiveprefix", "arXiv")]
    if paper.doi:
        fields.append(("doi", paper.doi))
    if paper.url:
        fields.append(("url", paper.url))
    return fields


def bibtex_entry(paper: Paper) -> str:
    """One entry, keyed by the record id."""
    width = max(len(name) for name, _ in bibtex_fields(paper))
    lines = [f"@{entry_type(paper)}{{{paper.id},"]
    for name, value in bibtex_fields(paper):
        escaped = value if name in ("url", "doi", "eprint") else latex_escape(value)
        if name in ("url", "doi"):
            escaped = _escape_verbatim(value)
        lines.append(f"  {name.ljust(width)} = {{{escaped}}},")
    lines.append("}")
    return "\n".join(lines)


def _escape_verbatim(value: str) -> str:
    """URLs and DOIs are verbatim fields; only braces, which would unbalance the entry, are escaped."""
    return value.replace("{", "%7B").replace("}", "%7D")


def bibtex_file(papers: list[Paper]) -> str:
    return "\n\n".join(bibtex_entry(paper) for paper in papers) + "\n"
