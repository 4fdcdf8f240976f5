"""OpenAlex: a work by DOI (an arXiv paper by its 10.48550 DOI), and the works citing given works,
paged with a cursor. Singleton look-ups need no key; list requests (cursor paging) answer 401
without one, so the key is read from OPENALEX_API_KEY and sent as `api_key`, as OpenAlex documents."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from surveykb.core.identity import arxiv_key, doi_key
from surveykb.sources.http import Fetcher, SourceError
from surveykb.sources.work import Work, clean_text, malformed, mismatch

FIELDS = "id,doi,title,display_name,publication_year,authorships,primary_location,locations,abstract_inverted_index,cited_by_count,referenced_works,is_retracted,ids"
PER_PAGE = 200
PUBLISHED_KINDS = frozenset({"journal", "conference", "book series", "ebook platform"})


def arxiv_doi(arxiv_id: str) -> str:
    return f"10.48550/arXiv.{arxiv_id}"


def fetch_openalex(fetcher: Fetcher, doi: str) -> Work:
    """The work with this DOI (or arXiv DOI); raises SourceError (kind "not-found" for an unknown one)."""
    body = fetcher.get("openalex", f"{fetcher.config.base('openalex')}/works/doi:{doi}", {"select": FIELDS})
    work = parse_work(_json(body))
    asked = arxiv_of(doi) or doi_key(doi)
    if asked not in (work.arxiv, work.doi):
        raise mismatch("openalex", doi, work.arxiv or work.doi or str(work.openalex_id))
    return work


def citing_works(
    fetcher: Fetcher, work_ids: list[str], since: str | None = None, limit: int | None = None
) -> Iterator[Work]:
    """Works citing any of `work_ids` (OpenAlex W-ids), following `meta.next_cursor`; at most `limit`."""
    filters = f"cites:{'|'.join(work_ids)}" + (f",from_publication_date:{since}" if since else "")
    cursor: str | None = "*"
    count = 0
    while cursor:
        params = dict(filter=filters, cursor=cursor, select=FIELDS)  # OpenAlex's query parameters
        params["per-page"] = str(PER_PAGE)
        page = _json(fetcher.get("openalex", f"{fetcher.config.base('openalex')}/works", params))
        results, cursor = _page(page)
        for item in results:
            yield parse_work(item)
            count += 1
            if limit is not None and count >= limit:
                return


def _page(page: Any) -> tuple[list[Any], str | None]:
    results = page.get("results") if isinstance(page, dict) else None
    meta = page.get("meta") if isinstance(page, dict) else None
    if not isinstance(results, list) or not isinstance(meta, dict):
        raise malformed("openalex", "a page of works ('results' and 'meta')")
    cursor = meta.get("next_cursor")
    return results, cursor if isinstance(cursor, str) and cursor and results else None


def _json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise malformed("openalex", "JSON") from None


def parse_work(data: Any) -> Work:
    if not isinstance(data, dict) or not isinstance(data.get("id"), str):
        raise malformed("openalex", "an OpenAlex work")
    ids: dict[str, Any] = data["ids"] if isinstance(data.get("ids"), dict) else {}
    dois = [data.get("doi"), ids.get("doi"), *(_location_dois(data))]
    arxiv = next((key for value in dois if (key := arxiv_of(value))), None)
    venue = published_location(data)
    return Work(
        service="openalex",
        page=data["id"],
        title=clean_text(data.get("title") or data.get("display_name")),
        authors=tuple(_authors(data.get("authorships"))),
        year=data.get("publication_year") if isinstance(data.get("publication_year"), int) else None,
        venue=venue[0] if venue else None,
        venue_year=data.get("publication_year") if venue and isinstance(data.get("publication_year"), int) else None,
        doi=(venue[1] if venue and venue[1] else None)
        or next((key for value in dois if (key := doi_key(value))), None),
        arxiv=arxiv,
        abstract=abstract_text(data.get("abstract_inverted_index")),
        withdrawn=data.get("is_retracted") is True,
        openalex_id=data["id"].rsplit("/", 1)[-1],
        cited_by_count=data.get("cited_by_count") if isinstance(data.get("cited_by_count"), int) else None,
        references=tuple(
            str(ref).rsplit("/", 1)[-1] for ref in data.get("referenced_works") or [] if isinstance(ref, str)
        ),
    )


def published_location(data: dict[str, Any]) -> tuple[str, str | None] | None:
    """(venue name, its DOI) of the first published version at a journal or conference, if any."""
    locations = [data.get("primary_location"), *(data.get("locations") or [])]
    for location in locations:
        if not isinstance(location, dict) or not isinstance(location.get("source"), dict):
            continue
        source = location["source"]
        name = clean_text(source.get("display_name"))
        if name and source.get("type") in PUBLISHED_KINDS and "arxiv" not in name.casefold():
            return name, doi_key(location.get("landing_page_url")) or doi_key(location.get("doi"))
    return None


def arxiv_of(value: Any) -> str | None:
    """The arXiv id of an arXiv link or of an arXiv DOI, with or without its resolver."""
    if not isinstance(value, str):
        return None
    return arxiv_key(value) or arxiv_key(re.sub(r"^https?://(dx\.)?doi\.org/", "", value.strip(), flags=re.IGNORECASE))


def _location_dois(data: dict[str, Any]) -> list[Any]:
    return [location.get("landing_page_url") for location in data.get("locations") or [] if isinstance(location, dict)]


def _authors(authorships: Any) -> list[str]:
    names = []
    for authorship in authorships if isinstance(authorships, list) else []:
        author = authorship.get("author") if isinstance(authorship, dict) else None
        name = clean_text(author.get("display_name")) if isinstance(author, dict) else None
        if name:
            names.append(name)
    return names


def abstract_text(index: Any) -> str | None:
    """The abstract rebuilt from OpenAlex's inverted index (word -> positions)."""
    if not isinstance(index, dict):
        return None
    placed: dict[int, str] = {}
    for word, positions in index.items():
        for position in positions if isinstance(positions, list) else []:
            if isinstance(position, int) and 0 <= position < 100_000:
                placed[position] = str(word)
    return " ".join(placed[key] for key in sorted(placed)) or None


__all__ = ["SourceError", "Work", "arxiv_doi", "citing_works", "fetch_openalex", "parse_work"]
