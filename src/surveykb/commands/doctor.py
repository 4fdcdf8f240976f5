"""`surveykb doctor`: the records that still lack authors, a year, a link or a tag."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from surveykb.core.load import load_yaml_file
from surveykb.core.validate import TAG_FIELDS, display_path, record_paths


def missing_parts(data: dict[str, Any]) -> list[str]:
    """What a record's raw data lacks, in the order a maintainer would fill it in."""
    missing = []
    if not data.get("authors"):
        missing.append("authors")
    if data.get("year") is None:
        missing.append("year")
    if not any(data.get(key) for key in ("arxiv", "doi", "url")):
        missing.append("link")
    if not any(data.get(axis) for axis in TAG_FIELDS):
        missing.append("tags")
    return missing


def incomplete_records(papers_dir: Path) -> list[tuple[str, list[str]]]:
    """(shown path, missing parts) for each record that loads but is incomplete; drafts included."""
    paths, _ = record_paths(papers_dir)
    found = []
    for path in paths:
        loaded, _ = load_yaml_file(path, display_path(path))
        if loaded is not None and isinstance(loaded.data, dict):
            missing = missing_parts(loaded.data)
            if missing:
                found.append((loaded.shown, missing))
    return found
