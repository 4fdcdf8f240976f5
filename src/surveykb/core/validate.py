"""Load the taxonomy and every record, check each file and the rules that span files."""

from __future__ import annotations

import datetime
import gc
import os
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

from pydantic import ValidationError

from surveykb.core.diagnostics import Diagnostic, error, warning
from surveykb.core.ids import is_valid_id, normalize_title
from surveykb.core.load import LoadedFile, load_yaml_file
from surveykb.core.model import Paper
from surveykb.core.pydantic_errors import diagnostics_from_validation_error
from surveykb.core.taxonomy import Taxonomy, load_taxonomy

TAG_FIELDS = ("data4model", "model4data")
LIST_FIELDS = ("authors", "modalities", "data4model", "model4data", "stages", "sections")


@dataclass(frozen=True)
class Record:
    """A valid paper and the file it came from."""

    paper: Paper
    path: Path
    shown: str
    loaded: LoadedFile


@dataclass(frozen=True)
class KnowledgeBase:
    root: Path
    taxonomy: Taxonomy
    records: tuple[Record, ...]

    @property
    def papers(self) -> list[Paper]:
        return [record.paper for record in self.records]


def display_path(path: Path) -> str:
    """The path as a contributor would type it: relative to the working directory when inside it."""
    # String operations with the meaning of Path.absolute().relative_to(Path.cwd()): this runs once
    # per record, and the pathlib version is several times slower.
    cwd = os.getcwd()
    text = str(path)
    absolute = text if path.is_absolute() else os.path.join(cwd, text)
    if absolute == cwd:
        return "."
    inside = cwd if cwd.endswith(os.sep) else cwd + os.sep
    return absolute[len(inside) :] if absolute.startswith(inside) else text


def record_paths(papers_dir: Path) -> tuple[list[Path], list[Diagnostic]]:
    """Every record file in `papers/`, and a diagnostic for anything else found there."""
    if papers_dir.is_symlink():
        # A pull request could point papers/ anywhere on the machine that builds the site.
        message = "papers/ must be a folder inside the repository, not a symbolic link"
        return [], [error(display_path(papers_dir), 1, 1, "symlink", message)]
    if not papers_dir.is_dir():
        return [], [error(display_path(papers_dir), 1, 1, "no-papers", "the papers directory does not exist")]
    paths: list[Path] = []
    strays: list[Diagnostic] = []
    for entry in sorted(papers_dir.iterdir(), key=lambda entry: entry.name):
        if entry.name.startswith(".") and entry.name.endswith(".tmp"):
            message = "a temporary file left by an interrupted write; the record it was for is unchanged, so delete it"
            strays.append(warning(display_path(entry), 1, 1, "leftover-temporary", message))
            continue
        if entry.name.startswith("."):
            continue
        if entry.suffix == ".yaml" or entry.is_symlink():
            paths.append(entry)
        else:
            strays.append(error(display_path(entry), 1, 1, "stray-file", "papers/ holds only records named <id>.yaml"))
    return paths, strays


def load_knowledge_base(
    root: Path, only: list[Path] | None = None, today: datetime.date | None = None
) -> tuple[KnowledgeBase | None, list[Diagnostic]]:
    """Check the knowledge base under `root`. With `only`, report problems in those files alone
    (plus the taxonomy), still checking them for duplicates against every record."""
    taxonomy, diagnostics = load_taxonomy(root / "taxonomy")
    if taxonomy is None:
        return None, diagnostics
    context = {"taxonomy": taxonomy, "today": today or datetime.date.today()}
    with _cyclic_gc_paused():
        records, file_problems = _check_records(root / "papers", only, context)
    if only is not None:
        wanted = {display_path(path) for path in only}
        file_problems = [d for d in file_problems if d.path in wanted]
    records.sort(key=lambda record: record.paper.id)
    return KnowledgeBase(root=root, taxonomy=taxonomy, records=tuple(records)), diagnostics + file_problems


def _check_records(
    papers_dir: Path, only: list[Path] | None, context: dict[str, Any]
) -> tuple[list[Record], list[Diagnostic]]:
    """Every record in papers/ plus any file of `only` outside it, then the rules across them."""
    paths, file_problems = record_paths(papers_dir)
    if only:
        known = {path.resolve() for path in paths}
        paths += [path for path in only if path.resolve() not in known]
    records: list[Record] = []
    for path in paths:
        record, problems = check_file(path, context)
        file_problems += problems
        if record is not None:
            records.append(record)
    return records, file_problems + cross_record_problems(records)


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Checking keeps some twenty small acyclic objects per record. With thousands of records the
    cyclic garbage collector rescans them again and again (a fifth of the run time, growing faster
    than the record count) and never finds garbage: reference counting frees everything here."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def expand_paths(arguments: list[Path]) -> list[Path]:
    """Files as given; directories become the `.yaml` files directly inside them."""
    found: list[Path] = []
    for argument in arguments:
        if argument.is_dir() and not argument.is_symlink():
            found += sorted(path for path in argument.iterdir() if path.suffix == ".yaml")
        else:
            found.append(argument)
    return found


def check_file(path: Path, context: dict[str, Any]) -> tuple[Record | None, list[Diagnostic]]:
    shown = display_path(path)
    if not path.exists() and not path.is_symlink():
        return None, [error(shown, 1, 1, "not-found", "no such file")]
    loaded, problems = load_yaml_file(path, shown)
    if loaded is None:
        return None, problems
    problems += _raw_problems(loaded, path)
    try:
        paper = Paper.model_validate(loaded.data, context=context)
    except ValidationError as exc:
        return None, problems + diagnostics_from_validation_error(exc, loaded, Paper)
    problems += _incomplete_warnings(paper, loaded)
    if any(problem.is_error for problem in problems):
        return None, problems
    return Record(paper=paper, path=path, shown=shown, loaded=loaded), problems


def _raw_problems(loaded: LoadedFile, path: Path) -> list[Diagnostic]:
    data: dict[str, Any] = loaded.data
    problems: list[Diagnostic] = []
    # A tag field holding a non-list value gets a wrong-type error from the schema instead.
    if not any(data.get(field) for field in TAG_FIELDS):
        where = loaded.position((next((f for f in TAG_FIELDS if f in data), "id"),), key=True)
        message = "a record needs at least one tag in data4model or model4data (it is a draft until it has one)"
        problems.append(error(loaded.shown, where.line, where.col, "no-tags", message))
    for field in LIST_FIELDS:
        problems += _repeated_items(loaded, field)
    record_id = data.get("id")
    if isinstance(record_id, str) and is_valid_id(record_id) and record_id != path.stem:
        where = loaded.position(("id",))
        other = f" or change the id to '{path.stem}'" if is_valid_id(path.stem) else ""
        message = f"the id '{record_id}' does not match the file name; rename the file to {record_id}.yaml{other}"
        problems.append(error(loaded.shown, where.line, where.col, "id-mismatch", message))
    return problems


def _repeated_items(loaded: LoadedFile, field: str) -> list[Diagnostic]:
    items = loaded.data.get(field)
    if not isinstance(items, list):
        return []
    code = "duplicate-tag" if field in TAG_FIELDS else "duplicate-value"
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


def cross_record_problems(records: list[Record]) -> list[Diagnostic]:
    """Duplicate ids, arXiv ids, DOIs and titles across files, reported on every file involved."""
    checks: list[tuple[str, str, str, Callable[[Paper], str | None]]] = [
        ("duplicate-id", "id", "the id", lambda p: p.id),
        ("duplicate-arxiv", "arxiv", "the arXiv id", lambda p: p.arxiv),
        ("duplicate-doi", "doi", "the DOI", lambda p: p.doi.lower() if p.doi else None),
        ("duplicate-title", "title", "the same title", lambda p: normalize_title(p.title) or None),
    ]
    problems: list[Diagnostic] = []
    for code, field, what, key_of in checks:
        groups: dict[str, list[Record]] = defaultdict(list)
        for record in records:
            key = key_of(record.paper)
            if key:
                groups[key].append(record)
        for group in groups.values():
            if len(group) > 1:
                problems += _duplicate_group(group, code, field, what)
    return problems


def _duplicate_group(group: list[Record], code: str, field: str, what: str) -> list[Diagnostic]:
    problems = []
    for record in group:
        others = ", ".join(other.shown for other in group if other is not record)
        value = getattr(record.paper, field)
        subject = what if field == "title" else f"{what} '{value}'"
        where = record.loaded.position((field,))
        problems.append(error(record.shown, where.line, where.col, code, f"{subject} is also used by {others}"))
    return problems


def find_root(start: Path) -> Path:
    """The nearest directory at or above `start` holding a `taxonomy/` folder, else `start`."""
    current = start.absolute()
    for candidate in (current, *current.parents):
        if (candidate / "taxonomy").is_dir() and (candidate / "papers").is_dir():
            return candidate
    return start



