"""Files generated from the model and the taxonomy, committed, and tested to be current."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from surveykb.core.files import write_atomic
from surveykb.core.taxonomy import Taxonomy
from surveykb.generated.contributing import with_field_reference
from surveykb.generated.issue_form import ISSUE_FORM_PATH, issue_form_text
from surveykb.generated.record_schema import SCHEMA_PATH, schema_text

REGENERATE_COMMAND = "surveykb schema"


@dataclass(frozen=True)
class GeneratedFile:
    """A committed file and how to produce its content from its current text (None if absent)."""

    path: str
    render: Callable[[str | None, Taxonomy], str]


GENERATED_FILES = (
    GeneratedFile(SCHEMA_PATH, lambda current, taxonomy: schema_text(taxonomy)),
    GeneratedFile(ISSUE_FORM_PATH, lambda current, taxonomy: issue_form_text(taxonomy)),
    GeneratedFile("CONTRIBUTING.md", lambda current, taxonomy: with_field_reference(current or "", taxonomy)),
)


def expected_text(root: Path, generated: GeneratedFile, taxonomy: Taxonomy) -> tuple[str | None, str]:
    """(the file's current text or None, the text it should have)."""
    path = root / generated.path
    current = path.read_text(encoding="utf-8") if path.is_file() else None
    return current, generated.render(current, taxonomy)


def stale_files(root: Path, taxonomy: Taxonomy) -> list[str]:
    """The generated files whose committed text differs from what the sources give."""
    stale = []
    for generated in GENERATED_FILES:
        current, expected = expected_text(root, generated, taxonomy)
        if current != expected:
            stale.append(generated.path)
    return stale


def regenerate(root: Path, taxonomy: Taxonomy) -> list[str]:
    """Rewrite the stale generated files; returns their paths."""
    written = []
    for generated in GENERATED_FILES:
        current, expected = expected_text(root, generated, taxonomy)
        if current != expected:
            write_atomic(root / generated.path, expected, overwrite=True)
            written.append(generated.path)
    return written
