"""OpenReview's API (v2): `notes?id={forum}`, a JSON list of notes whose `content` fields hold
`{"value": ...}` (title, authors, venue, venueid, pdf, abstract), with publication dates in milliseconds.

A venue is taken only from an accepted paper: OpenReview writes "Submitted to ICLR 2025" for a paper
under review or rejected, and "ICLR 2025 Poster" (or Oral, Spotlight) once it is accepted.
"""

from __future__ import annotations

import datetime
import json
import re
from typing import Any

from surveykb.sources.http import Fetcher, SourceError
from surveykb.sources.work import Work, clean_text, malformed, mismatch

FORUM_PATTERN = r"[A-Za-z0-9_-]{6,20}"
_PRESENTATION = re.compile(r"\s+(?:poster|oral|spotlight|notable[\w -]*|top[\w% -]*|main[\w -]*)$", re.IGNORECASE)


def forum_page(forum: str) -> str:
    return f"https://openreview.net/forum?id={forum}"


def fetch_openreview(fetcher: Fetcher, forum: str) -> Work:
    body = fetcher.get("openreview", f"{fetcher.config.base('openreview')}/notes", {"id": forum})
    return parse_note(body, forum)


def parse_note(body: bytes, forum: str) -> Work:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise malformed("openreview", "JSON") from None
    notes = data.get("notes") if isinstance(data, dict) else None
    if not isinstance(notes, list):
        raise malformed("openreview", "an OpenReview answer (no 'notes')")
    if not notes:
        raise SourceError("openreview", f"knows no paper {forum}", "not-found")
    note = notes[0]
    if not isinstance(note, dict) or not isinstance(note.get("content"), dict):
        raise malformed("openreview", "an OpenReview note")
    if note.get("id") != forum and note.get("forum") != forum:
        raise mismatch("openreview", forum, str(note.get("id")))
    content = note["content"]
    venue, venue_year = _accepted_venue(_value(content, "venue"))
    # ICLR-style venues show submissions openly: the paper first appeared when the note was created.
    years = [year for year in (_year(note.get("cdate")), _year(note.get("pdate"))) if year is not None]
    year = min(years) if years else None
    return Work(
        service="openreview",
        page=forum_page(forum),
        title=clean_text(_value(content, "title")),
        authors=tuple(name for name in (clean_text(item) for item in _list(content, "authors")) if name),
        year=year,
        venue=venue,
        venue_year=venue_year or year,
        abstract=clean_text(_value(content, "abstract")),
    )


def _value(content: dict[str, Any], key: str) -> Any:
    field = content.get(key)
    return field.get("value") if isinstance(field, dict) else field


def _list(content: dict[str, Any], key: str) -> list[Any]:
    value = _value(content, key)
    return value if isinstance(value, list) else []


def _accepted_venue(text: Any) -> tuple[str | None, int | None]:
    """'ICLR 2025 Poster' -> ('ICLR 2025', 2025); a submission or a missing venue -> (None, None)."""
    venue = clean_text(text)
    if venue is None or venue.lower().startswith(("submitted to", "under review", "withdrawn", "rejected")):
        return None, None
    venue = _PRESENTATION.sub("", venue)
    found = re.search(r"\b((?:19|20)\d\d)\b", venue)
    return venue, int(found.group(1)) if found else None


def _year(milliseconds: Any) -> int | None:
    if not isinstance(milliseconds, int) or milliseconds <= 0:
        return None
    return datetime.datetime.fromtimestamp(milliseconds / 1000, tz=datetime.UTC).year
