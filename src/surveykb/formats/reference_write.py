"""A record as a plain-text reference, the line a reader pastes into a document."""

from __future__ import annotations

from surveykb.core.model import Paper


def reference_text(paper: Paper) -> str:
    """`Authors. Year. Title. Venue. arXiv:id. doi:DOI.`; parts the record lacks are left out."""
    parts = [_authors(paper.authors), str(paper.year) if paper.year is not None else "", paper.title, paper.venue or ""]
    if paper.arxiv and (paper.venue or "").casefold() != "arxiv":
        parts.append(f"arXiv:{paper.arxiv}")
    elif paper.arxiv:
        parts[-1] = f"arXiv:{paper.arxiv}"
    if paper.doi:
        parts.append(f"doi:{paper.doi}")
    return " ".join(_sentence(" ".join(part.split())) for part in parts if part.strip())


def _authors(authors: list[str]) -> str:
    if len(authors) <= 2:
        return " and ".join(authors)
    return f"{', '.join(authors[:-1])}, and {authors[-1]}"


def _sentence(part: str) -> str:
    return part if part.endswith((".", "?", "!")) else f"{part}."
