"""The checks of one record file and the rules that span files (the same paper twice)."""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from surveykb.core.diagnostics import Diagnostic, error, warning
from surveykb.core.identity import identity_keys
from surveykb.core.ids import is_valid_id
from surveykb.core.load import LoadedFile, load_yaml_file
from surveykb.core.model import Paper, paper_model
from surveykb.core.paths import display_path
from surveykb.core.pydantic_errors import diagnostics_from_validation_error

LIST_FIELDS = ("authors", "modalities", "stages", "sections", "sources")


@dataclass(frozen=True)
class Record:
    """A valid paper and the file it came from."""

    paper: Paper
    path: Path
    shown: str
    loaded: LoadedFile


def check_file(path: Path, context: dict[str, Any]) -> tuple[Record | None, list[Diagnostic]]:
    """The file's record if it is valid, and its problems."""
    record, _, problems = check_record_file(path, context)
    return record, problems


def check_record_file(
    path: Path, context: dict[str, Any] | None
) -> tuple[Record | None, LoadedFile | None, list[Diagnostic]]:
    """The file's record if it is valid, the file as parsed (when it parses cleanly), and its problems.
    Without a context (no taxonomy to check against) the file is only parsed."""
    shown = display_path(path)
    loaded, problems = load_yaml_file(path, shown)
    if loaded is None and problems and problems[0].code == "not-a-file" and not os.path.lexists(path):
        return None, None, [error(shown, 1, 1, "not-found", "no such file")]
    if loaded is None or context is None:
        return None, loaded if not problems else None, problems
    parsed = loaded if not problems else None
    axes = context["taxonomy"].axes
    problems += _raw_problems(loaded, path, axes)
    model = paper_model(axes)
    try:
        paper = model.model_validate(loaded.data, context=context)
    except ValidationError as exc:
        return None, parsed, problems + diagnostics_from_validation_error(exc, loaded, model)
    problems += _incomplete_warnings(paper, loaded)
    if any(problem.is_error for problem in problems):
        return None, parsed, problems
    return Record(paper=paper, path=path, shown=shown, loaded=loaded), parsed, problems


def _raw_problems(loaded: LoadedFile, path: Path, axes: tuple[str, ...]) -> list[Diagnostic]:
    data: dict[str, Any] = loaded.data
    problems: list[Diagnostic] = []
    # A tag field holding a non-list value gets a wrong-type error from the schema instead.
    if not any(data.get(field) for field in axes):
        where = loaded.position((next((f for f in axes if f in data), "id"),), key=True)
        message = f"a record needs at least one tag in {axis_list(axes)} (it is a draft until it has one)"
        problems.append(error(loaded.shown, where.line, where.col, "no-tags", message))
    for field in LIST_FIELDS:
        problems += _repeated_items(loaded, field, "duplicate-value")
    for field in axes:
        problems += _repeated_items(loaded, field, "duplicate-tag")
    record_id = data.get("id")
    if isinstance(record_id, str) and is_valid_id(record_id) and record_id != path.stem:
        where = loaded.position(("id",))
        other = f" or change the id to '{path.stem}'" if is_valid_id(path.stem) else ""
        message = f"the id '{record_id}' does not match the file name; rename the file to {record_id}.yaml{other}"
        problems.append(error(loaded.shown, where.line, where.col, "id-mismatch", message))
    return problems


def axis_list(axes: tuple[str, ...]) -> str:
    """'method or role' for a taxonomy whose axis ids are `method` and `role`."""
    return " or ".join(axes) or "an axis"


def _repeated_items(loaded: LoadedFile, field: str, code: str) -> list[Diagnostic]:
    items = loaded.data.get(field)
    if not isinstance(items, list) or len(items) < 2:
        return []
    seen: set[Any] = set()
    problems: list[Diagnostic] = []
    for index, item in enumerate(items):
        if not isinstance(item, (str, int, float)):
            continue
        # As written: the numbers 3.1 and 3.10 are equal, the sections "3.1" and "3.10" are not.
        item = loaded.sources.get((field, index), item)
        if item in seen:
            where = loaded.position((field, index))
            problems.append(error(loaded.shown, where.line, where.col, code, f"'{item}' is listed twice in {field}"))
        seen.add(item)
    return problems


def _incomplete_warnings(paper: Paper, loaded: LoadedFile) -> list[Diagnostic]:
    """One warning, at the record's `id`, naming what is missing."""
    missing = []
    if not paper.authors:
        missing.append("authors")
    elif not paper.authors_complete:
        missing.append("complete author list (authors_complete is false)")
    if paper.year is None:
        missing.append("year")
    if not (paper.arxiv or paper.doi or paper.url):
        missing.append("link (arxiv, doi or url)")
    if not missing:
        return []
    gaps = [f"no {item}" for item in missing]
    listed = ", ".join(gaps[:-1]) + " and " + gaps[-1] if len(gaps) > 1 else gaps[0]
    where = loaded.position(("id",), key=True)
    return [warning(loaded.shown, where.line, where.col, "incomplete", f"the record has {listed}")]


def cross_record_problems(files: list[LoadedFile]) -> list[Diagnostic]:
    """Records that are the same paper (`core.identity`) or share an id, reported on every file
    involved. Every file that parsed takes part, valid or not: a record whose arXiv id is written as a
    URL is still the same paper as one that writes it bare."""
    groups: dict[tuple[str, str], list[tuple[LoadedFile, str]]] = defaultdict(list)
    for loaded in files:
        if not isinstance(loaded.data, dict):
            continue
        record_id = loaded.data.get("id")
        if isinstance(record_id, str) and record_id:
            groups[("id", record_id)].append((loaded, "id"))
        for identity in identity_keys(loaded.data):
            groups[(identity.kind, identity.key)].append((loaded, identity.field))
    problems: list[Diagnostic] = []
    for (kind, _), group in groups.items():
        if len(group) > 1:
            problems += _duplicate_group(group, kind)
    return problems


_DUPLICATE_WHAT = {"id": "the id", "arxiv": "the arXiv id", "doi": "the DOI", "title": "the same title"}


def _duplicate_group(group: list[tuple[LoadedFile, str]], kind: str) -> list[Diagnostic]:
    problems = []
    for loaded, field in group:
        others = ", ".join(other.shown for other, _ in group if other is not loaded)
        subject = _DUPLICATE_WHAT[kind] if kind == "title" else f"{_DUPLICATE_WHAT[kind]} '{loaded.data.get(field)}'"
        where = loaded.position((field,))
        problems.append(
            error(loaded.shown, where.line, where.col, f"duplicate-{kind}", f"{subject} is also used by {others}")
        )
    return problems
