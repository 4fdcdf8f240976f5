"""What a paper's identifier or link says, and the record fields the sources give for it.

arXiv is asked first for an arXiv paper (the preprint's title, authors and first year), OpenAlex for
the published version it knows of, Crossref for a DOI. A venue is written only in the canonical
spelling of taxonomy/venues.yaml; one the vocabulary does not know is left out with a note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from surveykb.core.identity import arxiv_key, doi_key
from surveykb.core.venues import Venue, canonical_venue
from surveykb.sources.arxiv import fetch_arxiv
from surveykb.sources.crossref import doi_page, fetch_crossref
from surveykb.sources.http import Fetcher, SourceError
from surveykb.sources.openalex import arxiv_doi, arxiv_of, fetch_openalex
from surveykb.sources.openreview import FORUM_PATTERN, fetch_openreview, forum_page
from surveykb.sources.work import Work

_ACL = re.compile(r"/(?P<id>(?:[A-Z]\d{2}-\d{4}|\d{4}\.[a-z0-9-]+\.\d+))(?:\.pdf)?/?$")


class NotAPaper(ValueError):
    """Text that names no paper the sources can look up."""


@dataclass(frozen=True)
class Asked:
    """What to look up: an arXiv id or a DOI, and the page the contributor gave, if any."""

    arxiv: str | None = None
    doi: str | None = None
    url: str | None = None
    openreview: str | None = None  # an OpenReview forum id, for papers known only there

    @property
    def shown(self) -> str:
        return self.arxiv or self.doi or self.openreview or self.url or "?"


def parse_identifier(text: str) -> Asked:
    """An arXiv id or link, a DOI or doi.org link, or an ACL Anthology page; raises NotAPaper."""
    text = text.strip()
    arxiv = arxiv_of(text)
    if arxiv:
        return Asked(arxiv=arxiv)
    doi = doi_key(text)
    if doi:
        return Asked(doi=doi)
    parts = urlsplit(text)
    host = (parts.hostname or "").removeprefix("www.")
    if host == "aclanthology.org" and (found := _ACL.search(parts.path)):
        return Asked(doi=f"10.18653/v1/{found['id']}".lower(), url=f"https://aclanthology.org/{found['id']}/")
    forum = (parse_qs(parts.query).get("id") or [""])[0]
    if host == "openreview.net" and re.fullmatch(FORUM_PATTERN, forum):
        return Asked(openreview=forum, url=forum_page(forum))
    raise NotAPaper(f"'{text[:80]}' is not an arXiv id, a DOI, or an arXiv, doi.org, OpenReview or ACL Anthology link")


@dataclass
class Facts:
    """Record fields from the sources, the pages they came from, and what could not be used."""

    fields: dict[str, Any] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)
    abstract: str | None = None
    withdrawn: bool = False
    notes: list[str] = field(default_factory=list)


def gather(fetcher: Fetcher, asked: Asked, venues: tuple[Venue, ...]) -> Facts:
    """The facts about one paper; raises SourceError when its main source has no answer."""
    if asked.arxiv:
        main = _one(fetch_arxiv(fetcher, [asked.arxiv])[asked.arxiv])
        published = _optional(lambda: fetch_openalex(fetcher, arxiv_doi(asked.arxiv or "")), "OpenAlex")
    elif asked.openreview:
        main = fetch_openreview(fetcher, asked.openreview)
        published = _Maybe(None, [])
    else:
        main = fetch_crossref(fetcher, asked.doi or "")
        published = _optional(lambda: fetch_openalex(fetcher, asked.doi or ""), "OpenAlex")
    facts = facts_from(main, published.value, venues)
    facts.notes = published.notes + facts.notes
    if asked.url:
        facts.fields["url"] = asked.url
    return facts


def facts_from(main: Work, published: Work | None, venues: tuple[Venue, ...]) -> Facts:
    """Merge: identity and authors from the main work; venue and DOI from the published version."""
    facts = Facts(abstract=main.abstract or (published.abstract if published else None), withdrawn=main.withdrawn)
    data: dict[str, Any] = {
        "title": main.title,
        "authors": list(main.authors),
        "year": main.year,
        "arxiv": main.arxiv,
        "doi": main.doi,
    }
    if published is not None and published.doi and not data["doi"]:
        data["doi"] = published.doi
    facts.sources.append(main.page)
    venue, note = pick_venue([work for work in (main, published) if work is not None], venues)
    if note:
        facts.notes.append(note)
    if venue is None and main.arxiv and note is None:
        venue = canonical_venue("arXiv", venues)  # a preprint, as far as the sources know
    data["venue"] = venue
    if data["doi"] and main.service == "arxiv":
        facts.sources.append(doi_page(data["doi"]))
    facts.fields = {key: value for key, value in data.items() if value not in (None, [])}
    return facts


def pick_venue(works: list[Work], venues: tuple[Venue, ...]) -> tuple[str | None, str | None]:
    """The first published venue the vocabulary knows, or (None, a note naming the unknown one)."""
    unknown = None
    for work in works:
        if not work.venue:
            continue
        found = venue_of(work.venue, venues, work.venue_year or work.year)
        if found:
            return found, None
        unknown = unknown or work.venue
    if unknown is None:
        return None, None
    return None, f"the venue '{unknown[:80]}' is not in taxonomy/venues.yaml; add it there or pass --venue"


def venue_of(text: str, venues: tuple[Venue, ...], year: int | None) -> str | None:
    """The canonical venue for a service's spelling (`canonical_venue` also tries it without its
    parenthesised parts and by each of them), or for the text before a comma
    ('Proceedings of the 41st International Conference on Machine Learning, PMLR 235')."""
    for candidate in (text, text.split(",")[0]):
        found = canonical_venue(candidate, venues, year)
        if found and found != canonical_venue("arXiv", venues):
            return found
    return None


@dataclass
class _Maybe:
    value: Work | None
    notes: list[str]


def _optional(call: Any, name: str) -> _Maybe:
    """A source that adds to the facts: unknown there is fine, a failure becomes a note."""
    try:
        return _Maybe(call(), [])
    except SourceError as failure:
        return _Maybe(None, [] if failure.kind == "not-found" else [f"{failure} (its facts are left out)"])


def _one(result: Work | SourceError) -> Work:
    if isinstance(result, SourceError):
        raise result
    return result


__all__ = ["Asked", "Facts", "NotAPaper", "arxiv_key", "facts_from", "gather", "parse_identifier"]
