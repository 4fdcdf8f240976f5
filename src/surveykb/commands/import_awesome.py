"""`surveykb import awesome`: a record for every paper of the survey's list that is not in the
knowledge base yet (`formats.awesome_read` parses the list into drafts)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from surveykb.core.diagnostics import Diagnostic, error, warning
from surveykb.core.errors import FileExists, WriteFailed
from surveykb.core.files import write_atomic
from surveykb.core.identity import KnownPapers
from surveykb.core.knowledge_base import open_knowledge_base
from surveykb.core.model import Paper
from surveykb.core.paths import display_path
from surveykb.core.taxonomy import Taxonomy
from surveykb.formats.awesome_read import (
    AwesomeList,
    Draft,
    Metadata,
    build_drafts,
    parse_list,
    read_metadata,
    read_text,
    unmatched_metadata,
)
from surveykb.formats.record_yaml import dump_record, paper_to_data


@dataclass
class ImportReport:
    written: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def import_awesome(
    list_path: Path,
    metadata_path: Path | None,
    root: Path,
    taxonomy: Taxonomy,
    today: datetime.date,
    known: KnownPapers | None = None,
) -> ImportReport:
    """Create a record in `root/papers` for every paper of the list not already there."""
    report = ImportReport()
    shown = display_path(list_path)
    text, report.diagnostics = read_text(list_path, shown)
    awesome, problems = parse_list(text, shown) if text is not None else (AwesomeList((), (), ()), [])
    report.diagnostics += problems
    metadata: dict[str, Metadata] = {}
    if metadata_path is not None:
        metadata_shown = display_path(metadata_path)
        metadata_text, problems = read_text(metadata_path, metadata_shown)
        metadata, metadata_problems = (
            read_metadata(metadata_text, metadata_shown) if metadata_text is not None else ({}, [])
        )
        report.diagnostics += problems + metadata_problems + unmatched_metadata(metadata, awesome, metadata_shown)
    drafts, problems = build_drafts(awesome, taxonomy, metadata, shown)
    report.diagnostics += problems
    known = known if known is not None else open_knowledge_base(root).known_papers()
    context = {"taxonomy": taxonomy, "today": today}
    for draft in drafts:
        path = root / "papers" / f"{draft.data['id']}.yaml"
        if draft.has_error:
            report.skipped.append(f"{display_path(path)}: its row in {shown} has errors")
        else:
            _write_draft(draft, path, known, context, shown, report)
    return report


def _write_draft(
    draft: Draft, path: Path, known: KnownPapers, context: dict[str, Any], shown: str, report: ImportReport
) -> None:
    found = known.owner_of(draft.data)
    if found is not None:
        report.skipped.append(f"{display_path(path)}: {found[0]} has the same {found[1].label}")
        return
    try:
        paper = Paper.model_validate(draft.data, context=context)
    except ValidationError as exc:
        for problem in exc.errors():
            where = ".".join(str(part) for part in problem["loc"])
            report.diagnostics.append(
                error(shown, draft.line, 1, "invalid-record", f"{draft.data['id']}: {where}: {problem['msg']}")
            )
        return
    try:
        write_atomic(path, dump_record(paper_to_data(paper), context["taxonomy"].axes))
    except FileExists:
        report.skipped.append(f"{display_path(path)}: the file exists")
        message = f"{display_path(path)} already exists and holds another paper; this one was not imported"
        report.diagnostics.append(warning(shown, draft.line, 1, "id-taken", message))
        return
    except WriteFailed as failed:
        message = f"cannot write {display_path(failed.path)}: {failed.reason}; this paper was not imported"
        report.diagnostics.append(error(shown, draft.line, 1, "write-failed", message))
        return
    report.written.append(display_path(path))
    known.add(display_path(path), draft.data)
