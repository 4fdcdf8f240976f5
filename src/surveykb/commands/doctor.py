"""`surveykb doctor`: what maintainers should look at in records that may well be valid: missing
facts (authors, a year, a link, tags, a source), author lists marked incomplete, tags and survey
sections that disagree, and venue years far from the paper's year. It reports and never rewrites."""

from __future__ import annotations

from typing import Any

from surveykb.core.knowledge_base import Loaded
from surveykb.core.validate import TAG_FIELDS


def missing_parts(data: dict[str, Any]) -> list[str]:
    """What a record's raw data lacks, in the order a maintainer would fill it in."""
    missing = []
    if not data.get("authors"):
        missing.append("authors")
    elif data.get("authors_complete") is False:
        missing.append("complete author list")
    if data.get("year") is None:
        missing.append("year")
    if not any(data.get(key) for key in ("arxiv", "doi", "url")):
        missing.append("link")
    if not any(data.get(axis) for axis in TAG_FIELDS):
        missing.append("tags")
    if not data.get("sources"):
        missing.append("source")
    return missing


def incomplete_records(loaded: Loaded) -> list[tuple[str, list[str]]]:
    """(shown path, missing parts) for each record that parses but is incomplete; drafts included."""
    found = []
    for shown, parsed in sorted(loaded.files.items()):
        if isinstance(parsed.data, dict):
            missing = missing_parts(parsed.data)
            if missing:
                found.append((shown, missing))
    return found
