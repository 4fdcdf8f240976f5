"""What one service says about one paper, in one shape for all services."""

from __future__ import annotations

import re
from dataclasses import dataclass

from surveykb.sources.http import SourceError


@dataclass(frozen=True)
class Work:
    service: str  # "arxiv", "crossref" or "openalex"
    page: str  # the public page these facts can be confirmed from (arXiv abs page, doi.org link, OpenAlex work)
    title: str | None = None
    authors: tuple[str, ...] = ()
    year: int | None = None  # first appearance
    venue: str | None = None  # the published venue as the service spells it; None for a preprint
    venue_year: int | None = None
    doi: str | None = None  # never an arXiv DOI (those name `arxiv`)
    arxiv: str | None = None
    abstract: str | None = None  # for ranking only; never written into a record
    withdrawn: bool = False
    openalex_id: str | None = None  # "W2741809807"
    cited_by_count: int | None = None
    references: tuple[str, ...] = ()  # OpenAlex ids of the works it cites


def clean_text(value: object) -> str | None:
    """White space folded; markup tags (JATS in Crossref abstracts) dropped; None when empty."""
    if not isinstance(value, str):
        return None
    text = " ".join(re.sub(r"<[^>]{0,200}>", " ", value).split())
    return text or None


def malformed(service: str, what: str) -> SourceError:
    return SourceError(service, f"the answer is not {what}", "malformed")


def mismatch(service: str, asked: str, got: str) -> SourceError:
    return SourceError(service, f"answered about {got} when asked for {asked}; ignoring it", "mismatch")
