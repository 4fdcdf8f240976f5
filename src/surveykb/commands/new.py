"""New records from fields or BibTeX: an id, a duplicate check and validation before anything is written."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from surveykb.formats.bibtex_read import BibEntry, clean_doi, find_arxiv_id
from surveykb.core.diagnostics import Diagnostic, did_you_mean, error, warning
from surveykb.formats.record_yaml import dump_record
from surveykb.core.ids import derive_id, is_valid_id, normalize_title, unique_id
from surveykb.core.load import load_yaml_file, load_yaml_text
from surveykb.core.model import Paper
from surveykb.core.pydantic_errors import diagnostics_from_validation_error
from surveykb.core.taxonomy import Taxonomy
from surveykb.core.validate import TAG_FIELDS, display_path
from surveykb.core.files import BackupExists, FileExists, WriteFailed, exclusive, write_file


class Refused(Exception):
    """A record that must not be written, with the reason as a diagnostic code and message."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class KnownPapers:
    """What papers/ already holds, read leniently so that drafts and broken records count too."""

    ids: set[str] = field(default_factory=set)
    owners: dict[tuple[str, str], str] = field(default_factory=dict)

    @classmethod
    def scan(cls, papers_dir: Path) -> KnownPapers:
        known = cls()
        for path in sorted(papers_dir.glob("*.yaml")) if papers_dir.is_dir() else []:
            loaded, _ = load_yaml_file(path, display_path(path))
            data = loaded.data if loaded is not None else {}
            known.add(path.stem, data, display_path(path))
        return known

    def add(self, record_id: str, data: dict[str, Any], shown: str) -> None:
        self.ids.add(record_id)
        for kind, key, _ in identity_keys(data):
            self.owners.setdefault((kind, key), shown)

    def duplicate_of(self, data: dict[str, Any], replaced: str | None = None) -> str | None:
        """'papers/x.yaml (the same arXiv id 2304.08485)' when the paper is already known
        (in a file other than `replaced`, the one --force is about to overwrite)."""
        for kind, key, what in identity_keys(data):
            owner = self.owners.get((kind, key))
            if owner and owner != replaced:
                return f"{owner} ({what})"
        return None


def identity_keys(data: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(kind, comparable key, description) for each way two records can be the same paper."""
    keys: list[tuple[str, str, str]] = []
    arxiv, doi, title = data.get("arxiv"), data.get("doi"), data.get("title")
    if isinstance(arxiv, str) and arxiv:
        keys.append(("arxiv", arxiv, f"the same arXiv id {arxiv}"))
    if isinstance(doi, str) and doi:
        keys.append(("doi", doi.lower(), f"the same DOI {doi}"))
    if isinstance(title, str) and normalize_title(title):
        keys.append(("title", normalize_title(title), "the same title"))
    return keys


def fields_from_flags(flags: dict[str, Any]) -> dict[str, Any]:
    """Record fields from `surveykb new`'s options; options not given are left out. arXiv and DOI
    links are cut down to the bare identifier."""
    data: dict[str, Any] = {}
    for key, value in flags.items():
        if value is None or value == ():
            continue
        if key == "arxiv":
            value = find_arxiv_id(value) or value
        elif key == "doi":
            value = clean_doi(value)
        data[key] = list(value) if isinstance(value, tuple) else value
    return data


def split_tags(tags: list[str], taxonomy: Taxonomy) -> tuple[dict[str, list[str]], list[str]]:
    """Tags sorted onto their axes (`data4model`, `model4data`), and a message for each unknown one."""
    by_axis: dict[str, list[str]] = {axis: [] for axis in TAG_FIELDS}
    unknown: list[str] = []
    leaves = [leaf.id for axis in TAG_FIELDS for leaf in taxonomy.leaves(axis)]
    for tag in tags:
        node = taxonomy.nodes.get(tag)
        if node is None or node.axis not in by_axis:
            unknown.append(f"unknown tag '{tag}'{did_you_mean(tag, leaves)}")
        elif tag not in by_axis[node.axis]:
            by_axis[node.axis].append(tag)
    return {axis: found for axis, found in by_axis.items() if found}, unknown


@dataclass(frozen=True)
class Prepared:
    """A record ready to write: where, its canonical text, and what validation said about it."""

    path: Path
    data: dict[str, Any]
    text: str
    problems: list[Diagnostic]

    @property
    def is_valid(self) -> bool:
        return not any(problem.is_error for problem in self.problems)


def prepare_record(
    data: dict[str, Any],
    papers_dir: Path,
    known: KnownPapers,
    context: dict[str, Any],
    record_id: str | None = None,
    overwrite: bool = False,
    surname: str | None = None,
) -> Prepared:
    """Give `data` an id and check it; raises Refused for a duplicate or an existing file.
    Without `record_id` the id is derived from the first author's `surname` (default: the last
    word of their name), the year and the title, with a suffix if it is taken."""
    if record_id is not None and not is_valid_id(record_id):
        raise Refused("bad-id", f"'{record_id}' is not a valid id (lower-case words joined by hyphens, like liu2023visual)")
    authors = [surname] if surname else list(data.get("authors") or [])
    base = derive_id(authors, data.get("year"), str(data.get("title") or ""))
    # `known` was read from papers/ (every file, loadable or not) and grows with each record written.
    record_id = record_id or unique_id(base, known.ids)
    path = papers_dir / f"{record_id}.yaml"
    if path.exists() and not overwrite:
        raise Refused("exists", f"{display_path(path)} already exists; choose another --id or pass --force to replace it")
    owner = known.duplicate_of(data, display_path(path) if overwrite else None)
    if owner:
        raise Refused("duplicate", f"this paper is already in the knowledge base: {owner}")
    record = {"id": record_id, **data}
    text = dump_record(record)
    return Prepared(path=path, data=record, text=text, problems=check_record_text(text, path, context))


def check_record_text(text: str, path: Path, context: dict[str, Any]) -> list[Diagnostic]:
    """Validate canonical record text as `validate` would; a record without tags is a draft (a warning)."""
    shown = display_path(path)
    loaded, problems = load_yaml_text(text, path, shown)
    if loaded is None:
        return problems
    try:
        Paper.model_validate(loaded.data, context=context)
    except ValidationError as exc:
        problems += diagnostics_from_validation_error(exc, loaded, Paper)
    if not any(loaded.data.get(axis) for axis in TAG_FIELDS):
        message = "written as a draft: `surveykb validate` flags it until data4model or model4data has a tag"
        problems.append(warning(shown, 1, 1, "no-tags", message))
    return problems


def write_prepared(prepared: Prepared, overwrite: bool = False) -> Path | None:
    """Write the record; raises Refused if a file appeared at its path meanwhile. With `overwrite`
    an existing file is replaced and kept as `<name>.bak`, whose path is returned."""
    try:
        return write_file(prepared.path, prepared.text, force=overwrite)
    except FileExists:
        raise Refused("exists", f"{display_path(prepared.path)} already exists") from None
    except BackupExists as exists:
        message = f"{display_path(exists.backup)} is left from an earlier --force; delete it once you have checked it, then try again"
        raise Refused("backup-exists", message) from None
    except WriteFailed as failed:
        raise Refused("write-failed", f"cannot write {display_path(failed.path)}: {failed.reason}") from None


# The `surveykb new` option that gives each record field.
FLAG_OF_FIELD = {"authors": "--author", "data4model": "--tag", "model4data": "--tag", "modalities": "--modality", "stages": "--stage", "sections": "--section"}


def flag_messages(prepared: Prepared) -> list[str]:
    """Each problem of a record that was not written, named by the option that gave the value:
    "--section: unknown section '3.2.9'; ..." (its line would point into a file that does not exist)."""
    lines = prepared.text.splitlines()
    messages = []
    for problem in sorted(prepared.problems):
        field = next((line.split(":", 1)[0] for line in reversed(lines[: problem.line]) if line[:1].isalpha()), "")
        flag = FLAG_OF_FIELD.get(field) or (f"--{field.replace('_', '-')}" if field in Paper.model_fields else "the record")
        messages.append(f"{flag}: {problem.message}" if problem.is_error else f"warning: {problem.message}")
    return messages


@dataclass
class ImportResult:
    written: list[Path] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)


def import_entries(
    entries: list[BibEntry],
    shown: str,
    papers_dir: Path,
    context: dict[str, Any],
    extra: dict[str, Any],
) -> ImportResult:
    """Write a record for each entry that is new and valid; report the rest at the entry's line.
    papers/ is read once and locked meanwhile, so that the time is linear in the entries and another
    writer cannot add the same paper in between."""
    with exclusive(papers_dir):
        return _import_entries(entries, shown, papers_dir, context, extra, KnownPapers.scan(papers_dir))


def _import_entries(
    entries: list[BibEntry], shown: str, papers_dir: Path, context: dict[str, Any], extra: dict[str, Any], known: KnownPapers
) -> ImportResult:
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
            result.problems.append(severity(shown, entry.line, 1, refused.code, f"skipped '{entry.key}': {refused.message}"))
            if refused.code == "write-failed":  # the next entries would fail the same way
                break
            continue
        if errors:
            result.problems += [error(shown, entry.line, 1, p.code, f"skipped '{entry.key}': {p.message}") for p in errors]
            continue
        known.add(prepared.path.stem, prepared.data, display_path(prepared.path))
        result.written.append(prepared.path)
        result.problems += [warning(shown, entry.line, 1, p.code, f"'{entry.key}' {p.message}") for p in prepared.problems]
    return result


def today_text(today: datetime.date | None = None) -> str:
    return (today or datetime.date.today()).isoformat()
