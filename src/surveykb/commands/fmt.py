"""`surveykb fmt`: every record in the one canonical form that `dump.dump_record` writes.

Formatting never changes what a record says: a file is rewritten only when loading the new text
gives back the same data, and files that do not load cleanly are reported and left alone. YAML
comments cannot survive a rewrite, so a file with comments (other than the schema line) is refused
unless the caller passes `force`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from surveykb.core.diagnostics import Diagnostic, error
from surveykb.core.files import write_atomic, write_file
from surveykb.core.knowledge_base import Loaded
from surveykb.core.load import LoadedFile, Position, load_yaml_file, load_yaml_text
from surveykb.core.model import Paper
from surveykb.core.paths import display_path
from surveykb.formats.record_yaml import dump_record, is_text_location

SCHEMA_LINE_PREFIX = "# yaml-language-server:"


@dataclass(frozen=True)
class Formatted:
    """The outcome for one file: its canonical text, or None when it was refused."""

    path: Path
    shown: str
    canonical: str | None
    changed: bool
    problems: list[Diagnostic] = field(default_factory=list)
    drops_comments: bool = False


def format_files(loaded: Loaded, targets: list[Path], force: bool = False) -> list[Formatted]:
    """The canonical form of each target, from what the loader parsed; a file that did not parse
    cleanly is reported with the loader's diagnostics and left alone."""
    problems_of: dict[str, list[Diagnostic]] = {}
    for diagnostic in loaded.diagnostics:
        problems_of.setdefault(diagnostic.path, []).append(diagnostic)
    results = []
    for path in targets:
        shown = display_path(path)
        parsed = loaded.files.get(shown)
        if parsed is None:
            problems = [d for d in problems_of.get(shown, []) if d.is_error] or [
                error(shown, 1, 1, "not-found", "no such file")
            ]
            results.append(Formatted(path, shown, None, False, problems))
        else:
            results.append(format_file(path, force, parsed, loaded.kb.taxonomy.axes if loaded.kb else ()))
    return results


def format_file(
    path: Path, force: bool = False, loaded: LoadedFile | None = None, axes: tuple[str, ...] = ()
) -> Formatted:
    shown = display_path(path)
    problems: list[Diagnostic] = []
    if loaded is None:
        loaded, problems = load_yaml_file(path, shown)
    if loaded is None or problems:
        return Formatted(path, shown, None, False, problems)
    original = path.read_bytes().decode("utf-8")
    canonical, problems = canonical_text(original, loaded, force, axes)
    changed = canonical is not None and canonical != original
    drops_comments = changed and force and bool(comment_positions(original))
    return Formatted(path, shown, canonical, changed, problems, drops_comments)


def write_formatted(result: Formatted) -> Path | None:
    """Write the canonical text over the file. When that drops comments (--force), the old file is
    kept as `<name>.bak`, whose path is returned; raises BackupExists if an earlier backup is there."""
    if result.drops_comments:
        return write_file(result.path, result.canonical or "", force=True)
    write_atomic(result.path, result.canonical or "", overwrite=True)
    return None


def canonical_text(
    original: str, loaded: LoadedFile, force: bool = False, axes: tuple[str, ...] = ()
) -> tuple[str | None, list[Diagnostic]]:
    """The canonical form of a cleanly loaded record, or None and the reason it must stay as it is."""
    problems = [] if force else [_comment_problem(loaded.shown, where) for where in comment_positions(original)]
    problems += _emptied_fields(loaded, axes)
    data, inexact = as_written(loaded)
    problems += inexact
    if problems:
        return None, problems
    canonical = dump_record(data, axes)
    reloaded, _ = load_yaml_text(canonical, loaded.path, loaded.shown)
    if reloaded is None or reloaded.data != meaning(data):
        message = "fmt cannot write this record without changing a value; please report it"
        return None, [error(loaded.shown, 1, 1, "fmt-unsafe", message)]
    return canonical, []


def as_written(loaded: LoadedFile) -> tuple[dict[str, Any], list[Diagnostic]]:
    """The record's data with each number or boolean written where the record format wants text
    turned into the text as written (`arxiv: 2304.10850` -> "2304.10850", not 2304.1085), and an
    error for each other number whose written form fmt would change (`x: 1.10` would become 1.1)."""
    data: dict[str, Any] = dict(loaded.data)
    problems: list[Diagnostic] = []
    for loc, source in loaded.sources.items():
        value = _value_at(data, loc)
        if isinstance(value, (bool, int, float)) and is_text_location(loc):
            _set_value(data, loc, source)
        elif isinstance(value, float) and _dumped_scalar(value) != source:
            where = loaded.position(loc)
            message = (
                f"fmt would write the number '{source[:40]}' as {_dumped_scalar(value)}; put it in quotes if it is text"
            )
            problems.append(error(loaded.shown, where.line, where.col, "fmt-unsafe", message))
    return data, problems


def _value_at(data: Any, loc: tuple[str | int, ...]) -> Any:
    for part in loc:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _set_value(data: dict[str, Any], loc: tuple[str | int, ...], value: str) -> None:
    if len(loc) == 1:
        data[str(loc[0])] = value
    else:
        items = list(data[str(loc[0])])
        items[int(loc[1])] = value
        data[str(loc[0])] = items


def _dumped_scalar(value: float) -> str:
    return yaml.safe_dump(value).removesuffix("\n...\n").strip()


def meaning(data: dict[str, Any]) -> dict[str, Any]:
    """The record without fields that are empty and whose absence means the same (optional ones)."""
    return {key: value for key, value in data.items() if not (value is None and _optional(key))}


def _optional(key: str) -> bool:
    model_field = Paper.model_fields.get(key)
    return (
        model_field is not None
        and not model_field.is_required()
        and model_field.get_default(call_default_factory=True) is None
    )


def _emptied_fields(loaded: LoadedFile, axes: tuple[str, ...]) -> list[Diagnostic]:
    """Known fields left empty (null) where absence would mean something else: fmt would delete them."""
    problems = []
    for key, value in loaded.data.items():
        if value is None and (key in Paper.model_fields or key in axes) and not _optional(key):
            where = loaded.position((key,), key=True)
            message = f"'{key}' is empty; give it a value or delete the line (fmt will not guess)"
            problems.append(error(loaded.shown, where.line, where.col, "empty-field", message))
    return problems


def _comment_problem(shown: str, where: Position) -> Diagnostic:
    message = "fmt would drop this comment; move the note into `summary` or delete it (or run `surveykb fmt --force` to drop it)"
    return error(shown, where.line, where.col, "comment", message)


def comment_positions(text: str) -> list[Position]:
    """Where each `#` comment starts, except the schema line at the top of the file.

    The scanner skips comments, so a `#` lying outside every token is a comment."""
    text = text.removeprefix("\ufeff")
    covered = _token_spans(text)
    positions: list[Position] = []
    offset = 0
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        column = line.find("#")
        while column >= 0:
            if not any(start <= offset + column < end for start, end in covered):
                if not (number == 1 and line.startswith(SCHEMA_LINE_PREFIX)):
                    positions.append(Position(number, column + 1))
                break
            column = line.find("#", column + 1)
        offset += len(line)
    return positions


def _token_spans(text: str) -> list[tuple[int, int]]:
    try:
        tokens = list(yaml.scan(text, Loader=yaml.SafeLoader))
    except yaml.YAMLError:
        return []
    return [(token.start_mark.index, token.end_mark.index) for token in tokens]
