"""The arXiv query API (Atom 1.0): `query?id_list=...` for up to 100 ids at a time."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from surveykb.core.identity import arxiv_key, doi_key
from surveykb.sources.http import Fetcher, SourceError
from surveykb.sources.work import Work, clean_text, malformed, mismatch

ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"
BATCH = 100
_WITHDRAWN = re.compile(r"\b(withdrawn|retracted)\b", re.IGNORECASE)


def abs_page(arxiv_id: str) -> str:
    return f"https://arxiv.org/abs/{arxiv_id}"


def fetch_arxiv(fetcher: Fetcher, ids: list[str]) -> dict[str, Work | SourceError]:
    """Each asked id -> its Work, or the SourceError saying why there is none."""
    results: dict[str, Work | SourceError] = {}
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        try:
            body = fetcher.get(
                "arxiv", fetcher.config.base("arxiv"), {"id_list": ",".join(batch), "max_results": str(len(batch))}
            )
            found = parse_feed(body)
        except SourceError as failure:
            results.update({arxiv_id: failure for arxiv_id in batch})
            continue
        for arxiv_id in batch:
            results[arxiv_id] = found.get(arxiv_id) or SourceError("arxiv", f"knows no paper {arxiv_id}", "not-found")
        strays = sorted(set(found) - set(batch))
        if len(batch) == 1 and strays and batch[0] not in found:
            results[batch[0]] = mismatch("arxiv", batch[0], strays[0])
    return results


def parse_feed(body: bytes) -> dict[str, Work]:
    """The feed's entries by bare arXiv id; an error entry (unknown or malformed id) is left out."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError:
        raise malformed("arxiv", "an Atom feed (the XML does not parse)") from None
    if root.tag != f"{ATOM}feed":
        raise malformed("arxiv", "an Atom feed")
    works = (_entry(entry) for entry in root.iter(f"{ATOM}entry"))
    return {work.arxiv: work for work in works if work is not None and work.arxiv}


def _entry(entry: ET.Element) -> Work | None:
    arxiv_id = arxiv_key(_text(entry, f"{ATOM}id"))
    if arxiv_id is None:  # an error entry has an id like http://arxiv.org/api/errors#...
        return None
    published = _text(entry, f"{ATOM}published") or ""
    comment = _text(entry, f"{ARXIV}comment") or ""
    journal = clean_text(_text(entry, f"{ARXIV}journal_ref"))
    return Work(
        service="arxiv",
        page=abs_page(arxiv_id),
        title=clean_text(_text(entry, f"{ATOM}title")),
        authors=tuple(
            name for author in entry.iter(f"{ATOM}author") if (name := clean_text(_text(author, f"{ATOM}name")))
        ),
        year=int(published[:4]) if re.match(r"\d{4}-", published) else None,
        venue=journal,
        venue_year=_year_in(journal),
        doi=doi_key(_text(entry, f"{ARXIV}doi")),
        arxiv=arxiv_id,
        abstract=clean_text(_text(entry, f"{ATOM}summary")),
        withdrawn=bool(_WITHDRAWN.search(comment)),
    )


def _text(element: ET.Element, tag: str) -> str | None:
    found = element.find(tag)
    return found.text if found is not None else None


def _year_in(text: str | None) -> int | None:
    found = re.search(r"\b(19|20)\d\d\b", text or "")
    return int(found.group(0)) if found else None
