"""`surveykb import bibtex`: a record for every new, valid entry of a bibliography."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from surveykb.commands.new import prepare_record, split_tags, today_text, write_prepared
from surveykb.core.diagnostics import Diagnostic, error, warning
from surveykb.core.errors import Refused
from surveykb.core.files import exclusive
from surveykb.core.identity import KnownPapers
from surveykb.core.knowledge_base import Loaded
from surveykb.core.paths import display_path
from surveykb.formats.bibtex_read import BibEntry, parse_bibtex


@dataclass
class ImportResult:
    written: list[Path] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)


def import_entries(
    entries: list[BibEntry],
    shown: str,
    papers_dir: Path,
    known: KnownPapers,
    context: dict[str, Any],
    extra: dict[str, Any],
) -> ImportResult:
    """Write a record for each entry that is new and valid; report the rest at the entry's line."""
    result = ImportResult()
    for entry in entries:
        data = {**entry.data, **extra}
        try:
            prepared = prepare_record(data, papers_dir, known, context, surname=entry.surname)
            errors = [problem for problem in prepared.problems if problem.is_error]
            if not errors:
                write_prepared(prepared)
        except Refused as refused:
            severity = warning if refused.code == "duplicate" else error
            result.problems.append(
                severity(shown, entry.line, 1, refused.code, f"skipped '{entry.key}': {refused.message}")
            )
            if refused.code == "write-failed":  # the next entries would fail the same way
                break
            continue
        if errors:
            result.problems += [
                error(shown, entry.line, 1, p.code, f"skipped '{entry.key}': {p.message}") for p in errors
            ]
            continue
        known.add(display_path(prepared.path), prepared.data)
        result.written.append(prepared.path)
        result.problems += [
            warning(shown, entry.line, 1, p.code, f"'{entry.key}' {p.message}") for p in prepared.problems
        ]
    return result


def import_bibtex(loaded: Loaded, bib_file: Path, tags: list[str]) -> tuple[ImportResult, int]:
    """Records for the entries of `bib_file`, and the number of entries it holds."""
    if loaded.kb is None:
        raise Refused.because(
            "no-taxonomy", "the taxonomy does not load (see `surveykb validate`)", details=loaded.diagnostics
        )
    by_axis, unknown = split_tags(tags, loaded.kb.taxonomy)
    if unknown:
        raise Refused.because("unknown-tag", "\n".join(unknown))
    shown = display_path(bib_file)
    try:
        text = bib_file.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise Refused.because("not-utf8", f"{shown} is not UTF-8 text") from None
    entries, problems = parse_bibtex(text, shown)
    context = {"taxonomy": loaded.kb.taxonomy, "today": datetime.date.today()}
    papers = loaded.root / "papers"
    with exclusive(papers):  # papers/ is read once, and no other writer adds the same paper meanwhile
        result = import_entries(
            entries, shown, papers, loaded.known_papers(), context, {**by_axis, "added": today_text()}
        )
    result.problems[:0] = problems
    return result, len(entries)
