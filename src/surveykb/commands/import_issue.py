"""`surveykb import issue BODY.md`: the "add a paper" issue form -> a validated record.

The form's answers play the part of `new`'s flags: what the contributor filled in wins, the sources
(arXiv, OpenAlex, Crossref) fill the rest, then the record is checked and written only when valid.
Otherwise the problems are returned, for a workflow to post back on the issue.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path

from surveykb.commands.fill import FillRefused, asked_for, fill_from_sources
from surveykb.commands.new import (
    fields_from_flags,
    prepare_record,
    split_tags,
    write_prepared,
)
from surveykb.core.diagnostics import Diagnostic, error
from surveykb.core.errors import Refused
from surveykb.core.knowledge_base import Loaded
from surveykb.formats.issue_form_read import read_issue_body
from surveykb.sources.config import SourcesConfig


@dataclass
class IssueImport:
    written: Path | None = None
    problems: list[Diagnostic] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def import_issue(
    text: str, shown: str, loaded: Loaded, offline: bool, today: datetime.date, config: SourcesConfig | None = None
) -> IssueImport:
    assert loaded.kb is not None
    root, taxonomy = loaded.root, loaded.kb.taxonomy
    result = IssueImport()
    fields = read_issue_body(text, shown, taxonomy)
    result.problems += fields.problems
    by_axis, unknown = split_tags(fields.tags, taxonomy)
    result.problems += [error(shown, 1, 1, "unknown-tag", message) for message in unknown]
    if any(problem.is_error for problem in result.problems):
        return result
    data = fields_from_flags(fields.data)
    try:
        asked = asked_for(None, data)
        if asked is not None:
            filled = fill_from_sources(data, asked, root, taxonomy, offline, config)
            data, result.notes = filled.data, filled.notes
    except FillRefused as refused:
        result.problems.append(error(shown, 1, 1, "source-refused", str(refused)))
        return result
    if not data.get("title"):
        result.problems.append(
            error(shown, 1, 1, "no-title", "the form gives no title, and no arXiv id or DOI to fetch one from")
        )
        return result
    try:
        prepared = prepare_record(
            {**data, **by_axis, "added": today.isoformat()},
            root / "papers",
            loaded.known_papers(),
            {"taxonomy": taxonomy, "today": today},
        )
        result.problems += prepared.problems
        if prepared.is_valid:
            write_prepared(prepared)
            result.written = prepared.path
    except Refused as refused:
        result.problems.append(error(shown, 1, 1, refused.code, refused.message))
    return result
