"""A read-only or full file system, or a file in another encoding: one clear error line, exit 1,
every file as it was, and no temporary file left behind."""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import DATA_DIR, ScratchKB

from surveykb.cli import main

ONE_ENTRY = """@article{doe2024thing,
  title = {A Thing Worth Reading},
  author = {Doe, Jane},
  year = {2024},
  eprint = {2401.00001},
}
"""


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(path.relative_to(root)): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def _read_only(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(tempfile, "mkstemp", refuse)


def _full(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", refuse)


def _unformatted(kb: ScratchKB) -> None:
    path = kb.papers / "liu2023visual.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("year: 2023", "year:   2023"), encoding="utf-8")


COMMANDS = [
    pytest.param(["fmt"], "error: cannot write papers/liu2023visual.yaml: {reason}; it was left as it was", id="fmt"),
    pytest.param(
        ["new", "--title", "A Thing Worth Reading", "--tag", "creator", "--no-interactive"],
        "error: cannot write papers/a-thing-worth-reading.yaml: {reason}",
        id="new",
    ),
    pytest.param(
        ["import", "bibtex", "refs.bib", "--tag", "creator"],
        "refs.bib:1:1: error write-failed: skipped 'doe2024thing': cannot write papers/doe2024thing.yaml: {reason}",
        id="import-bibtex",
    ),
    pytest.param(
        ["export", "--format", "csv", "-o", "papers.csv"],
        "error: cannot write papers.csv: {reason}",
        id="export",
    ),
]


@pytest.mark.parametrize(
    ("break_disk", "reason"),
    [
        pytest.param(_read_only, os.strerror(errno.EROFS), id="read-only"),
        pytest.param(_full, os.strerror(errno.ENOSPC), id="full"),
    ],
)
@pytest.mark.parametrize(("arguments", "expected"), COMMANDS)
def test_a_refused_write_is_one_error_line_and_every_file_is_intact(
    fixture_kb: ScratchKB,
    monkeypatch: pytest.MonkeyPatch,
    arguments: list[str],
    expected: str,
    break_disk: Any,
    reason: str,
) -> None:
    _unformatted(fixture_kb)
    (fixture_kb.root / "refs.bib").write_text(ONE_ENTRY, encoding="utf-8")
    before = _snapshot(fixture_kb.root)
    break_disk(monkeypatch)
    result = CliRunner().invoke(main, arguments)
    assert result.exit_code == 1, result.output
    assert not isinstance(result.exception, OSError)
    assert expected.format(reason=reason) in result.output.splitlines()
    assert "Traceback" not in result.output
    assert _snapshot(fixture_kb.root) == before


def test_new_from_a_latin1_bibtex_file_is_one_error_line(fixture_kb: ScratchKB) -> None:
    (fixture_kb.root / "latin1.bib").write_bytes(ONE_ENTRY.replace("Doe, Jane", "Müller, Jörg").encode("latin-1"))
    before = _snapshot(fixture_kb.root)
    result = CliRunner().invoke(main, ["new", "--bibtex", "latin1.bib", "--no-interactive"])
    assert result.exit_code == 1
    assert result.output == "error: latin1.bib is not UTF-8 text (byte 0xfc); save it as UTF-8 and try again\n"
    assert _snapshot(fixture_kb.root) == before


def test_import_bibtex_stops_at_the_first_refused_write(fixture_kb: ScratchKB, monkeypatch: pytest.MonkeyPatch) -> None:
    (fixture_kb.root / "refs.bib").write_text((DATA_DIR / "exports.bib").read_text(encoding="utf-8"), encoding="utf-8")
    _read_only(monkeypatch)
    result = CliRunner().invoke(main, ["import", "bibtex", "refs.bib", "--tag", "creator"])
    assert result.exit_code == 1
    assert sum("write-failed" in line for line in result.output.splitlines()) == 1
