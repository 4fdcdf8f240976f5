"""`surveykb init DIR`: a new knowledge base that validates and builds out of the box.

The starter files live in `surveykb/starter/` (package data). Dotted names are stored without their
dot (`github/` becomes `.github/`) so that packaging keeps them. Everything is gathered first, the
files generated from the starter taxonomy included; then each file is written atomically.
"""

from __future__ import annotations

import json
from pathlib import Path

from surveykb.core.errors import Refused
from surveykb.core.files import write_atomic
from surveykb.core.model import record_fields
from surveykb.core.taxonomy import load_taxonomy
from surveykb.generated.contributing import with_field_reference
from surveykb.generated.issue_form import ISSUE_FORM_PATH, issue_form_text
from surveykb.generated.record_schema import SCHEMA_PATH, schema_text

STARTER = Path(__file__).resolve().parents[1] / "starter"
DOTTED = {"github": ".github", "gitignore": ".gitignore", "pre-commit-config.yaml": ".pre-commit-config.yaml"}
DEFAULT_TITLE = "A survey knowledge base"


def starter_files(title: str) -> dict[str, str]:
    """Every file of a new knowledge base, by its path relative to the knowledge base."""
    files = {
        _target(path.relative_to(STARTER)): _fill(path.read_text(encoding="utf-8"), title)
        for path in sorted(STARTER.rglob("*"))
        if path.is_file()
    }
    taxonomy, diagnostics = load_taxonomy(STARTER / "taxonomy", frozenset(record_fields(())))
    assert taxonomy is not None, diagnostics  # the starter taxonomy is tested to load
    files[SCHEMA_PATH] = schema_text(taxonomy)
    files[ISSUE_FORM_PATH] = issue_form_text(taxonomy)
    files["CONTRIBUTING.md"] = with_field_reference(files["CONTRIBUTING.md"], taxonomy)
    return files


def init_knowledge_base(directory: Path, title: str = DEFAULT_TITLE) -> list[str]:
    """Write a new knowledge base into `directory` (absent or empty); returns the paths written.
    A directory holding anything is refused before anything is written."""
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise Refused.because(
            "not-empty",
            f"{directory} is not empty; `surveykb init` writes only into a new or empty directory, and wrote nothing",
            str(directory),
        )
    if not title.strip() or "\n" in title.strip():
        raise Refused.because("bad-title", "the title must be one non-empty line")
    files = starter_files(title.strip())
    for relative, text in files.items():
        write_atomic(directory / relative, text)
    return list(files)


def _target(relative: Path) -> str:
    first, *rest = relative.parts
    return Path(DOTTED.get(first, first), *rest).as_posix()


def _fill(text: str, title: str) -> str:
    """The starter text with the title in: as a YAML string, and as Markdown text."""
    markdown = title.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_")
    return text.replace("@TITLE_YAML@", json.dumps(title, ensure_ascii=False)).replace("@TITLE_MD@", markdown)
