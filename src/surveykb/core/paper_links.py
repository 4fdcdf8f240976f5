"""Links derived from a record's identifiers: its arXiv abstract, its DOI and where its PDF is."""

from __future__ import annotations

from surveykb.core.model import Paper


def arxiv_url(paper: Paper) -> str | None:
    return f"https://arxiv.org/abs/{paper.arxiv}" if paper.arxiv else None


def doi_url(paper: Paper) -> str | None:
    return f"https://doi.org/{paper.doi}" if paper.doi else None


def pdf_url(paper: Paper) -> str | None:
    """arXiv's PDF of the paper, else its web page when that is a PDF, else None."""
    if paper.arxiv:
        return f"https://arxiv.org/pdf/{paper.arxiv}"
    if paper.url and paper.url.split("?")[0].lower().endswith(".pdf"):
        return paper.url
    return None
