"""`surveykb new`: a record from fields, an id, the duplicate check and validation before anything is written."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from surveykb.core.diagnostics import Diagnostic, did_you_mean, warning
from surveykb.core.errors import FileExists, Refused, WriteFailed
from surveykb.core.files import exclusive, write_file
from surveykb.core.identity import KnownPapers
from surveykb.core.ids import derive_id, is_valid_id, unique_id
from surveykb.core.knowledge_base import Loaded
from surveykb.core.load import load_yaml_text
from surveykb.core.model import Paper, paper_model
from surveykb.core.paths import display_path
from surveykb.core.pydantic_errors import diagnostics_from_validation_error
from surveykb.core.taxonomy import Taxonomy
from surveykb.core.validate import axis_list
from surveykb.core.venues import Venue, canonical_venue
from surveykb.formats.bibtex_read import clean_doi, find_arxiv_id
from surveykb.formats.record_yaml import dump_record


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
    """Tags sorted onto their axes (the record fields named by the axis ids), and a message for each unknown one."""
    by_axis: dict[str, list[str]] = {axis: [] for axis in taxonomy.axes}
    unknown: list[str] = []
    leaves = [leaf.id for axis in taxonomy.axes for leaf in taxonomy.leaves(axis)]
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
        raise Refused.because(
            "bad-id", f"'{record_id}' is not a valid id (lower-case words joined by hyphens, like liu2023visual)"
        )
    authors = [surname] if surname else list(data.get("authors") or [])
    base = derive_id(authors, data.get("year"), str(data.get("title") or ""))
    # `known` was read from papers/ (every file, loadable or not) and grows with each record written.
    record_id = record_id or unique_id(base, known.ids)
    path = papers_dir / f"{record_id}.yaml"
    if path.exists() and not overwrite:
        raise Refused.because(
            "exists", f"{display_path(path)} already exists; choose another --id or pass --force to replace it"
        )
    owner = known.duplicate_of(data, display_path(path) if overwrite else None)
    if owner:
        raise Refused.because("duplicate", f"this paper is already in the knowledge base: {owner}")
    record, notes = with_canonical_venue({"id": record_id, **data}, context["taxonomy"].venues, display_path(path))
    text = dump_record(record, context["taxonomy"].axes)
    return Prepared(path=path, data=record, text=text, problems=notes + check_record_text(text, path, context))


def with_canonical_venue(
    data: dict[str, Any], venues: tuple[Venue, ...], shown: str
) -> tuple[dict[str, Any], list[Diagnostic]]:
    """`data` with its venue in the vocabulary's spelling ('Proc. CVPR' -> 'CVPR 2024'), and a note
    saying so; a venue the vocabulary does not know is kept as written (validation reports it)."""
    venue = data.get("venue")
    if not isinstance(venue, str) or not venues:
        return data, []
    year = data.get("year") if isinstance(data.get("year"), int) else None
    canonical = canonical_venue(venue, venues, year)
    if canonical is None or canonical == venue:
        return data, []
    note = warning(
        shown,
        1,
        1,
        "venue-normalised",
        f"venue '{venue}' is written as '{canonical}', the spelling of taxonomy/venues.yaml",
    )
    return {**data, "venue": canonical}, [note]


def check_record_text(text: str, path: Path, context: dict[str, Any]) -> list[Diagnostic]:
    """Validate canonical record text as `validate` would; a record without tags is a draft (a warning)."""
    shown = display_path(path)
    loaded, problems = load_yaml_text(text, path, shown)
    if loaded is None:
        return problems
    axes = context["taxonomy"].axes
    model = paper_model(axes)
    try:
        model.model_validate(loaded.data, context=context)
    except ValidationError as exc:
        problems += diagnostics_from_validation_error(exc, loaded, model)
    if not any(loaded.data.get(axis) for axis in axes):
        message = f"written as a draft: `surveykb validate` flags it until {axis_list(axes)} has a tag"
        problems.append(warning(shown, 1, 1, "no-tags", message))
    return problems


def write_prepared(prepared: Prepared, overwrite: bool = False) -> Path | None:
    """Write the record; raises Refused if a file appeared at its path meanwhile. With `overwrite`
    an existing file is replaced and kept as `<name>.bak`, whose path is returned (BackupExists when
    an earlier backup is in the way)."""
    try:
        return write_file(prepared.path, prepared.text, force=overwrite)
    except FileExists:
        raise Refused.because("exists", f"{display_path(prepared.path)} already exists") from None
    except WriteFailed as failed:
        raise Refused.because("write-failed", f"cannot write {display_path(failed.path)}: {failed.reason}") from None


# The `surveykb new` option that gives each record field (an axis field: --tag).
FLAG_OF_FIELD = {"authors": "--author", "modalities": "--modality", "stages": "--stage", "sections": "--section"}


def flag_messages(prepared: Prepared, axes: tuple[str, ...]) -> list[str]:
    """Each problem of a record that was not written, named by the option that gave the value:
    "--section: unknown section '3.2.9'; ..." (its line would point into a file that does not exist)."""
    lines = prepared.text.splitlines()
    messages = []
    for problem in sorted(prepared.problems):
        field = next((line.split(":", 1)[0] for line in reversed(lines[: problem.line]) if line[:1].isalpha()), "")
        flag = (
            "--tag"
            if field in axes
            else FLAG_OF_FIELD.get(field)
            or (f"--{field.replace('_', '-')}" if field in Paper.model_fields else "the record")
        )
        messages.append(f"{flag}: {problem.message}" if problem.is_error else f"warning: {problem.message}")
    return messages


def today_text(today: datetime.date | None = None) -> str:
    return (today or datetime.date.today()).isoformat()


@dataclass(frozen=True)
class NewRecord:
    prepared: Prepared
    backup: Path | None


def new_record(loaded: Loaded, data: dict[str, Any], tags: list[str], record_id: str | None, force: bool) -> NewRecord:
    """Write one record from `data` and `tags` after every check; raises Refused with the reason."""
    if loaded.kb is None:
        raise Refused.because(
            "no-taxonomy", "the taxonomy does not load (see `surveykb validate`)", details=loaded.diagnostics
        )
    if not data.get("title"):
        raise Refused.because("no-title", "a paper needs a title: pass --title or --bibtex")
    by_axis, unknown = split_tags(tags, loaded.kb.taxonomy)
    if unknown:
        raise Refused.because("unknown-tag", "\n".join(unknown))
    context = {"taxonomy": loaded.kb.taxonomy, "today": datetime.date.today()}
    record = {**data, **by_axis, "added": today_text()}
    with exclusive(loaded.root / "papers"):  # another `new` at the same time waits, then sees this record
        known = loaded.known_papers()
        prepared = prepare_record(record, loaded.root / "papers", known, context, record_id, force)
        backup = write_prepared(prepared, overwrite=force) if prepared.is_valid else None
    return NewRecord(prepared, backup)
