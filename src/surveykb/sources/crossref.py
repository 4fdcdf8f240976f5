"""Crossref's REST API: `works/{doi}`, a JSON `message` in its documented shape."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from surveykb.core.identity import doi_key
from surveykb.sources.http import Fetcher
from surveykb.sources.work import Work, clean_text, malformed, mismatch

DATE_FIELDS = ("published-print", "published-online", "published", "issued", "created")


def doi_page(doi: str) -> str:
    return f"https://doi.org/{doi}"


def fetch_crossref(fetcher: Fetcher, doi: str) -> Work:
    body = fetcher.get("crossref", f"{fetcher.config.base('crossref')}/works/{quote(doi, safe='/:;()._-')}")
    return parse_work(body, doi)


def parse_work(body: bytes, asked: str) -> Work:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise malformed("crossref", "JSON") from None
    message = data.get("message") if isinstance(data, dict) else None
    if not isinstance(message, dict):
        raise malformed("crossref", "a Crossref work (no 'message')")
    got = doi_key(message.get("DOI"))
    if got != doi_key(asked):
        raise mismatch("crossref", asked, str(message.get("DOI")))
    years = [year for name in DATE_FIELDS if (year := _year(message.get(name))) is not None]
    title = _first(message.get("title"))
    return Work(
        service="crossref",
        page=doi_page(asked),
        title=clean_text(title),
        authors=tuple(_names(message.get("author"))),
        year=min(years) if years else None,
        venue=clean_text(_first(message.get("container-title"))) if message.get("type") != "posted-content" else None,
        venue_year=years[0] if years else None,
        doi=got,
        abstract=clean_text(message.get("abstract")),
        withdrawn=_withdrawn(message, title),
        cited_by_count=message.get("is-referenced-by-count")
        if isinstance(message.get("is-referenced-by-count"), int)
        else None,
    )


def _first(value: Any) -> Any:
    return value[0] if isinstance(value, list) and value else value if isinstance(value, str) else None


def _year(value: Any) -> int | None:
    """The year of a Crossref date, `{"date-parts": [[2023, 12, 10]]}`; None when it has none."""
    try:
        year = value["date-parts"][0][0]
    except (TypeError, KeyError, IndexError):
        return None
    return year if isinstance(year, int) else None


def _names(authors: Any) -> list[str]:
    names: list[str] = []
    for author in authors if isinstance(authors, list) else []:
        if not isinstance(author, dict):
            continue
        parts = [author.get("given"), author.get("family")]
        name = clean_text(" ".join(part for part in parts if isinstance(part, str))) or clean_text(author.get("name"))
        if name:
            names.append(name)
    return names


def _withdrawn(message: dict[str, Any], title: Any) -> bool:
    updates = message.get("update-to") or message.get("updated-by") or []
    kinds = {update.get("type") for update in updates if isinstance(update, dict)}
    heading = title.upper() if isinstance(title, str) else ""
    return bool(kinds & {"retraction", "withdrawal"}) or heading.startswith(("WITHDRAWN", "RETRACTED"))
